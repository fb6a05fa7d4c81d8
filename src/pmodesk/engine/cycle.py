"""The monthly value cycle: which benefits are due a measurement, which triggered rule already has
a decision, and what happened to an initiative's figures after a decision (the follow-up).

Plain functions over the value engine's results; they add no new figure, only read the ones of
sections 5–8 at other dates (DESIGN.md sections 7 and 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pmodesk.domain.calendar import fiscal_quarter
from pmodesk.domain.model import Benefit, Decision, Initiative, PortfolioData
from pmodesk.engine.benefits import STALE_FACTOR
from pmodesk.engine.portfolio import PortfolioResult, _initiative_result
from pmodesk.engine.rules import RuleResult


@dataclass(frozen=True, slots=True)
class DueMeasurement:
    """A benefit due a measurement at D, with what the person keying it in wants to see beside it."""

    benefit: Benefit
    initiative: Initiative
    last_date: date | None  # the latest measurement on or after the baseline date, on or before D
    last_value: float | None
    planned_value: float | None  # P(D), the planned measure at the as-of date
    due_on: date  # the latest measurement (or the baseline date) + one measurement interval
    stale: bool  # past 1.5 intervals: the stale flag of section 7


def due_measurements(result: PortfolioResult) -> list[DueMeasurement]:
    """Benefits due a measurement at D, most overdue first, then by benefit code.

    Due: the benefit's initiative is active, D is before its effective tracking end, its frequency
    is not ``ad hoc``, it has a baseline, it has no measurement dated D, and one measurement
    interval (section 7) has passed since its latest measurement (or its baseline date). The same
    population as the stale flag, caught one half-interval earlier.
    """
    day = result.as_of.toordinal()
    prepared = result.prepared
    due = []
    for r in result.benefits:
        series, benefit, initiative = r.series, r.benefit, r.initiative
        interval = benefit.frequency.interval_days
        if interval is None or not series.valid or not initiative.stage.active:
            continue
        end = prepared.tracking_end.get(initiative.id) if prepared is not None else None
        if end is not None and day >= end:
            continue
        i = series.latest_index(day)
        since = series.actual_days[i] if i >= 0 else series.b
        if day - since < interval:
            continue
        due.append(DueMeasurement(
            benefit, initiative, date.fromordinal(series.actual_days[i]) if i >= 0 else None,
            series.actual_values[i] if i >= 0 else None, series.planned(day),
            date.fromordinal(since + interval), day - since > STALE_FACTOR * interval))
    due.sort(key=lambda d: (d.due_on, d.benefit.code))
    return due


def trigger_start(rule_result: RuleResult) -> date:
    """From when a decision counts as the answer to this trigger: the rule's "applies from" date,
    or the day it was (last) agreed if that is later — a rule changed since restarts the clock."""
    start = rule_result.applies_from or rule_result.rule.agreed_on
    return max(start, rule_result.rule.agreed_on)


def decision_for_trigger(data: PortfolioData, rule_result: RuleResult) -> Decision | None:
    """The decision already raised for this triggered rule, if any: same initiative, linked to the
    rule, raised on or after :func:`trigger_start`. An open one wins over a decided one; then the latest."""
    start = trigger_start(rule_result)
    matches = [d for d in data.decisions
               if d.initiative_id == rule_result.initiative.id and d.rule_id == rule_result.rule.id
               and d.raised_on >= start]
    if not matches:
        return None
    return max(matches, key=lambda d: (d.decided_on is None, d.raised_on, d.id or 0))


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An initiative's figures at one date (section 6)."""

    on: date
    realised_value: float
    planned_value: float
    realisation_vs_plan_pct: float | None
    forecast_attainment_pct: float | None
    value_rag: str | None
    remaining_cost: object  # Decimal
    forecast_value: float


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Did the decision work? The initiative's figures at the decision date against now (D)."""

    decision: Decision
    at_decision: Snapshot
    now: Snapshot

    @property
    def realisation_change_pts(self) -> float | None:
        a, b = self.at_decision.realisation_vs_plan_pct, self.now.realisation_vs_plan_pct
        return None if a is None or b is None else b - a

    @property
    def forecast_change_pts(self) -> float | None:
        a, b = self.at_decision.forecast_attainment_pct, self.now.forecast_attainment_pct
        return None if a is None or b is None else b - a

    @property
    def verdict(self) -> str:
        """A word for the direction of travel since the decision (realisation vs plan, else forecast)."""
        change = self.realisation_change_pts
        if change is None:
            change = self.forecast_change_pts
        if change is None:
            return "no evidence yet"
        if abs(change) < 1.0:
            return "unchanged"
        return "improving" if change > 0 else "worsening"


def _snapshot(result: PortfolioResult, initiative: Initiative, on: date) -> Snapshot:
    figures, _ = _initiative_result(result.prepared, initiative, on, with_rules=False)
    return Snapshot(on, figures.realised_value, figures.planned_value, figures.realisation_vs_plan_pct,
                    figures.forecast_attainment_pct, figures.value_rag, figures.remaining_cost,
                    figures.forecast_value)


def follow_up(result: PortfolioResult, decision: Decision) -> FollowUp | None:
    """The figures at the decision date and at D, for a decision decided on or before D."""
    if decision.decided_on is None or decision.decided_on > result.as_of or result.prepared is None:
        return None
    initiative = result.prepared.by_id.get(decision.initiative_id)
    if initiative is None:
        return None
    now = next(r for r in result.initiatives if r.initiative.id == initiative.id)
    return FollowUp(decision, _snapshot(result, initiative, decision.decided_on),
                    Snapshot(result.as_of, now.realised_value, now.planned_value, now.realisation_vs_plan_pct,
                             now.forecast_attainment_pct, now.value_rag, now.remaining_cost, now.forecast_value))


def quarter_label(day: date, fiscal_year_start_month: int) -> str:
    """``FY2027 Q1``: the fiscal year named by the calendar year it ends in (section 17)."""
    first, last = fiscal_quarter(day, fiscal_year_start_month)
    start_month = fiscal_year_start_month
    year_start = date(first.year if first.month >= start_month else first.year - 1, start_month, 1)
    number = ((first.year - year_start.year) * 12 + first.month - year_start.month) // 3 + 1
    year_end = date(year_start.year + 1, start_month, 1) - timedelta(days=1)
    return f"FY{year_end.year} Q{number}"
