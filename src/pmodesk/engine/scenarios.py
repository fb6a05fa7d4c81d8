"""Scenarios (DESIGN.md section 9): overrides applied to a copy of the portfolio, never to actuals.

``apply_scenario`` returns the portfolio as the scenario sees it plus the dates at which stopped
initiatives stop accruing; ``compute(..., value_caps=...)`` then gives every figure for it, so a
scenario is computed by exactly the same code as the current plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Callable

from pmodesk.domain.enums import Stage
from pmodesk.domain.model import PlannedSpend, PortfolioData, ScenarioOverride, TrajectoryPoint
from pmodesk.domain.money import minor_unit
from pmodesk.engine.benefits import BenefitSeries
from pmodesk.engine.portfolio import PERCENT_KEYS, PortfolioResult, compute


@dataclass(frozen=True)
class ScenarioComparison:
    name: str
    current: PortfolioResult
    scenario: PortfolioResult


def _shift(day: date | None, after: date, days: int) -> date | None:
    return day + timedelta(days=days) if day is not None and day > after else day


def apply_scenario(data: PortfolioData, scenario_id: int, as_of: date) -> tuple[PortfolioData, dict[int, date]]:
    overrides = [o for o in data.scenario_overrides if o.scenario_id == scenario_id]
    initiatives = {i.id: i for i in data.initiatives}
    spend = list(data.planned_spend)
    trajectory = list(data.trajectory)
    benefits = {b.id: b for b in data.benefits}
    caps: dict[int, date] = {}
    quantum = Decimal(1).scaleb(-minor_unit(data.portfolio.currency))
    for o in overrides:
        i = initiatives[o.initiative_id]
        if o.pause_from is not None and o.pause_to is not None:
            start, length = o.pause_from, (o.pause_to - o.pause_from).days
            i = replace(i, planned_go_live=_shift(i.planned_go_live, start, length),
                        forecast_go_live=_shift(i.forecast_go_live, start, length),
                        tracking_end=_shift(i.tracking_end, start, length))
            spend = [replace(s, period_end=_shift(s.period_end, start, length)) if s.initiative_id == i.id else s
                     for s in spend]
            mine = {b.id for b in benefits.values() if b.initiative_id == i.id}
            points = defaultdict(list)
            for t in trajectory:
                points[t.benefit_id].append(t)
            held = []
            for benefit_id in mine:
                benefit = benefits[benefit_id]
                if not benefit.has_baseline:
                    continue
                # The plan holds its level through the pause, then resumes where it left off.
                series = BenefitSeries(benefit, sorted((t.date, float(t.value)) for t in points[benefit_id]), [])
                if benefit.baseline_date < start:
                    level = Decimal(repr(series.planned(start.toordinal())))
                    held += [TrajectoryPoint(benefit_id, start, level), TrajectoryPoint(benefit_id, o.pause_to, level)]
                    if not points[benefit_id]:  # the plan ran straight to the target: keep that end point
                        held.append(TrajectoryPoint(benefit_id, benefit.target_date, benefit.target_value))
                benefits[benefit_id] = replace(benefit, target_date=_shift(benefit.target_date, start, length))
            trajectory = [replace(t, date=_shift(t.date, start, length)) if t.benefit_id in mine else t
                          for t in trajectory if not (t.benefit_id in mine and t.date == start)]
            trajectory += [replace(t, date=_shift(t.date, start, length)) if t.date != start and t.date != o.pause_to
                           else t for t in held]
        if o.budget_change:
            future = [s for s in spend if s.initiative_id == i.id and s.period_end > as_of]
            total = sum((s.amount for s in future), Decimal(0))
            others = [s for s in spend if not (s.initiative_id == i.id and s.period_end > as_of)]
            if total > 0:
                target = max(Decimal(0), total + o.budget_change)
                scaled, used = [], Decimal(0)
                for n, s in enumerate(future):
                    amount = (target - used) if n == len(future) - 1 else \
                        (s.amount * target / total).quantize(quantum, rounding=ROUND_HALF_EVEN)
                    used += amount
                    scaled.append(replace(s, amount=amount))
                spend = others + scaled
            elif o.budget_change > 0:
                spend = others + future + [PlannedSpend(i.id, as_of + timedelta(days=1), o.budget_change)]
        if o.fund_from is not None and i.stage == Stage.PROPOSED and o.fund_from <= as_of:
            # Funded and active from F: the stage is read as approved, so its planned spend and
            # benefits enter the funded totals (a later F means not yet funded at D).
            i = replace(i, stage=Stage.APPROVED)
        if o.stop_from is not None:
            stop = o.stop_from
            spend = [s for s in spend if not (s.initiative_id == i.id and s.period_end > stop)]
            caps[i.id] = stop
            if stop <= as_of:
                i = replace(i, stage=Stage.TERMINATED)
        initiatives[i.id] = i
    scenario = replace(data, initiatives=tuple(initiatives[i.id] for i in data.initiatives),
                       planned_spend=tuple(spend), trajectory=tuple(trajectory),
                       benefits=tuple(benefits[b.id] for b in data.benefits))
    return scenario, caps


def describe_override(override: ScenarioOverride, money: Callable[[Decimal], str]) -> str:
    """An override in words ("stop from 2026-11-30, budget change -£120,000"), for the UI and the pack."""
    parts = []
    if override.stop_from:
        parts.append(f"stop from {override.stop_from.isoformat()}")
    if override.pause_from and override.pause_to:
        parts.append(f"pause {override.pause_from.isoformat()} to {override.pause_to.isoformat()}")
    if override.budget_change:
        parts.append(f"budget change {money(override.budget_change)}")
    if override.fund_from:
        parts.append(f"fund from {override.fund_from.isoformat()}")
    return ", ".join(parts) or "no change"


def compare(data: PortfolioData, scenario_id: int, as_of: date,
            current: PortfolioResult | None = None) -> ScenarioComparison:
    """The scenario beside the current plan (``current``, if already computed at ``as_of``, is reused)."""
    name = next(s.name for s in data.scenarios if s.id == scenario_id)
    scenario, caps = apply_scenario(data, scenario_id, as_of)
    if current is None or current.as_of != as_of:
        current = compute(data, as_of)
    return ScenarioComparison(name, current, compute(scenario, as_of, value_caps=caps))


SUMMARY_KEYS = PERCENT_KEYS


def comparison_json(comparison: ScenarioComparison) -> dict:
    from pmodesk.engine.presentation import money

    def block(result: PortfolioResult) -> dict:
        m = result.metrics
        out = dict(m.percentages())
        out.update({"realised_value": money(m.realised_value, result.currency),
                    "planned_value": money(m.planned_value, result.currency),
                    "actual_cost": money(m.actual_cost, result.currency),
                    "remaining_cost": money(sum((r.remaining_cost for r in result.initiatives if r.funded),
                                                Decimal(0)), result.currency),
                    "expected_remaining_value": money(sum(r.expected_remaining_value for r in result.initiatives
                                                          if r.funded), result.currency)})
        return out

    current, scenario = block(comparison.current), block(comparison.scenario)
    difference = {}
    for key in current:
        a, b = current[key], scenario[key]
        if a is None or b is None:
            difference[key] = None
        elif isinstance(a, str):
            difference[key] = format(Decimal(b) - Decimal(a), "f")
        else:
            difference[key] = b - a
    return {"scenario": comparison.name, "as_of": comparison.current.as_of.isoformat(),
            "currency": comparison.current.currency, "current": current, "with_scenario": scenario,
            "difference": difference}
