"""Input rules on single records that the file's CHECK constraints cannot say (DESIGN.md s. 15).

Each function returns every problem as ``(field, what is wrong)``; an empty list means valid.
The interchange validator and the UI's forms both call these, so a rule is written once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pmodesk.domain.enums import Direction, Stage
from pmodesk.domain.model import Benefit, Initiative, ScenarioOverride

Problems = list[tuple[str, str]]


def _pct_bounds(name: str, value: Decimal, problems: Problems) -> None:
    if not Decimal(0) <= value <= Decimal(100):
        problems.append((name, f"must be between 0 and 100, not {value}"))


def benefit_problems(benefit: Benefit) -> Problems:
    problems: Problems = []
    _pct_bounds("attribution_pct", benefit.attribution_pct, problems)
    _pct_bounds("confidence_pct", benefit.confidence_pct, problems)
    if benefit.annual_value is not None and benefit.annual_value < 0:
        problems.append(("annual_value", "must not be negative (a dis-benefit's cost is entered positive)"))
    if (benefit.baseline_value is None) != (benefit.baseline_date is None):
        missing = "baseline_date" if benefit.baseline_date is None else "baseline_value"
        problems.append((missing, "a baseline needs both a value and a date"))
    if benefit.has_baseline:
        baseline, target = benefit.baseline_value, benefit.target_value
        if target == baseline:
            problems.append(("target_value", "must differ from the baseline value"))
        else:
            better = target > baseline if benefit.direction is Direction.HIGHER else target < baseline
            if benefit.dis_benefit and better:
                problems.append(("target_value", "a dis-benefit's target is the expected harm: it must lie on the worse side of the baseline"))
            elif not benefit.dis_benefit and not better:
                side = "above" if benefit.direction is Direction.HIGHER else "below"
                problems.append(("target_value", f"must lie {side} the baseline when {benefit.direction.value} is better"))
        if benefit.target_date <= benefit.baseline_date:
            problems.append(("target_date", "must be after the baseline date"))
    return problems


def trajectory_problems(benefit: Benefit, point_date: date, value: Decimal) -> Problems:
    """A trajectory point is dated after the baseline date; one on it must equal the baseline."""
    if benefit.baseline_date is None:
        return []
    if point_date < benefit.baseline_date:
        return [("date", "a trajectory point must be dated after the baseline date")]
    if point_date == benefit.baseline_date and value != benefit.baseline_value:
        return [("value", "a trajectory point on the baseline date must equal the baseline value")]
    return []


def initiative_problems(initiative: Initiative) -> Problems:
    problems: Problems = []
    if initiative.planned_investment is not None and initiative.planned_investment < 0:
        problems.append(("planned_investment", "must not be negative"))
    for name in ("risk_likelihood", "risk_impact"):
        value = getattr(initiative, name)
        if value is not None and not 1 <= value <= 5:
            problems.append((name, f"must be between 1 and 5, not {value}"))
    return problems


def override_problems(override: ScenarioOverride, initiative: Initiative | None = None) -> Problems:
    if override.fund_from is not None and initiative is not None and initiative.stage != Stage.PROPOSED:
        return [("fund_from", f"only a proposed initiative can be funded; this one is {initiative.stage.value}")]
    if (override.pause_from is None) != (override.pause_to is None):
        return [("pause_to" if override.pause_to is None else "pause_from", "a pause needs both dates")]
    if override.pause_from is not None and override.pause_to <= override.pause_from:
        return [("pause_to", "must be after the pause start")]
    return []
