"""Every figure of DESIGN.md sections 5–9 for a whole portfolio at one as-of date.

``compute(data, as_of)`` prepares each benefit's series once (one pass over the loaded data, no
queries), then derives benefit, initiative and portfolio figures. UI, CLI and board pack all call
this; nothing else computes a figure.
"""

from __future__ import annotations

import gc
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from pmodesk.domain.calendar import fiscal_quarter
from pmodesk.domain.enums import Stage
from pmodesk.domain.model import Benefit, Initiative, PortfolioData
from pmodesk.engine.benefits import DAYS_PER_MONTH, BenefitSeries, Forecast, effective_tracking_end
from pmodesk.engine.governance import aligned_initiative_ids, initiative_flags
from pmodesk.engine.rules import RuleResult, decision_order, evaluate

# The section-6 metrics as people read them: (key, label, unit, higher is better). Board pack, UI
# tiles and the CLI table all label them from here.
METRICS = (
    ("benefits_realised_pct", "Benefits realised", "%", True),
    ("realisation_vs_plan_pct", "Realisation vs plan", "%", True),
    ("strategic_alignment_pct", "Strategic alignment", "%", True),
    ("strategic_alignment_by_investment_pct", "Alignment by investment", "%", True),
    ("decision_cycle_time_median_days", "Decision cycle time (median)", " days", False),
    ("decision_cycle_time_mean_days", "Decision cycle time (mean)", " days", False),
    ("escalation_rate_pct", "Escalation rate", "%", False),
    ("portfolio_roi_pct", "Portfolio ROI", "%", True),
    ("forecast_portfolio_roi_pct", "Forecast portfolio ROI", "%", True),
)

PERCENT_KEYS = (
    "benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
    "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days", "decision_cycle_time_mean_days",
    "escalation_rate_pct", "portfolio_roi_pct", "forecast_portfolio_roi_pct",
)


@dataclass(frozen=True, slots=True)
class BenefitResult:
    benefit: Benefit
    initiative: Initiative
    planned_measure: float | None
    actual_measure: float | None
    improvement_fraction: float | None
    realisation_vs_plan_pct: float | None
    realised_value: float | None
    planned_value: float | None
    forecast: Forecast | None
    flags: tuple[str, ...]
    series: BenefitSeries = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class InitiativeResult:
    initiative: Initiative
    funded: bool
    active: bool
    carries_money: bool
    realised_value: float
    planned_value: float
    realisation_vs_plan_pct: float | None
    benefits_realised_pct: float | None
    value_rag: str | None
    aligned: bool
    cost_variance_pct: float | None
    go_live_slip_days: int | None
    months_without_measurement: float | None
    forecast_attainment_pct: float | None
    risk_score: int | None
    investment: Decimal  # planned investment, or actual cost to D when terminated
    actual_cost: Decimal
    planned_spend_to_date: Decimal
    remaining_cost: Decimal
    expected_remaining_value: float
    forecast_value: float  # realised to D + forecast after D to the end of tracking
    flags: tuple[str, ...]
    rule_results: tuple[RuleResult, ...]

    @property
    def triggered_rules(self) -> tuple[RuleResult, ...]:
        """Most severe first (terminate > pause > pivot > escalate > review), then rule code (section 15)."""
        return tuple(sorted((r for r in self.rule_results if r.triggered),
                            key=lambda r: (r.rule.action.severity_rank, r.rule.code)))

    def rule_metrics(self) -> dict[str, float | int | None]:
        return {
            "realisation_vs_plan_pct": self.realisation_vs_plan_pct,
            "benefits_realised_pct": self.benefits_realised_pct,
            "forecast_attainment_pct": self.forecast_attainment_pct,
            "cost_variance_pct": self.cost_variance_pct,
            "go_live_slip_days": self.go_live_slip_days,
            "months_without_measurement": self.months_without_measurement,
            "risk_score": self.risk_score,
        }


@dataclass(frozen=True, slots=True)
class PortfolioMetrics:
    as_of: date
    quarter: tuple[date, date]
    benefits_realised_pct: float | None
    realisation_vs_plan_pct: float | None
    strategic_alignment_pct: float | None
    strategic_alignment_by_investment_pct: float | None
    decision_cycle_time_median_days: float | None
    decision_cycle_time_mean_days: float | None
    escalation_rate_pct: float | None
    portfolio_roi_pct: float | None
    forecast_portfolio_roi_pct: float | None
    realised_value: float
    planned_value: float
    planned_investment: Decimal
    actual_cost: Decimal

    def percentages(self) -> dict[str, float | None]:
        return {key: getattr(self, key) for key in PERCENT_KEYS}


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    as_of: date
    currency: str
    metrics: PortfolioMetrics
    previous_quarter: PortfolioMetrics
    initiatives: tuple[InitiativeResult, ...]
    benefits: tuple[BenefitResult, ...]
    decisions_required: tuple[RuleResult, ...]
    previous_initiatives: tuple[InitiativeResult, ...] = ()  # at the previous quarter's end, no rules
    prepared: "Prepared | None" = field(default=None, repr=False, compare=False)

    def initiative(self, code: str) -> InitiativeResult:
        return next(r for r in self.initiatives if r.initiative.code == code)

    def benefits_of(self, initiative_id: int) -> list[BenefitResult]:
        return [b for b in self.benefits if b.initiative.id == initiative_id]


def _ratio_pct(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else 100.0 * numerator / denominator


def comparable(value: float) -> float:
    """A figure as compared with a threshold: binary-float noise (1e-9 and below) removed, so that
    a realisation of exactly 70% is not 69.99999999999999% by accident of summation order."""
    return round(value, 9)


def rag(percentage: float | None, green: Decimal, amber: Decimal) -> str | None:
    if percentage is None:
        return None
    percentage = comparable(percentage)
    if percentage >= float(green):
        return "green"
    return "amber" if percentage >= float(amber) else "red"


class Prepared:
    """The portfolio grouped once by initiative and benefit; computing at several dates reuses it."""

    def __init__(self, data: PortfolioData, value_caps: dict[int, date] | None = None):
        self.data = data
        trajectory: dict[int, list] = defaultdict(list)
        for point in data.trajectory:
            trajectory[point.benefit_id].append((point.date, float(point.value)))
        measurements: dict[int, list] = defaultdict(list)
        for m in data.measurements:
            measurements[m.benefit_id].append((m.date, float(m.value)))
        self.initiatives = sorted(data.initiatives, key=lambda i: i.code)
        self.by_id = {i.id: i for i in data.initiatives}
        self.tracking_end = {i.id: effective_tracking_end(i) for i in data.initiatives}
        for initiative_id, cap in (value_caps or {}).items():  # a scenario's "stop from": accrual ends there
            end = self.tracking_end.get(initiative_id)
            self.tracking_end[initiative_id] = cap.toordinal() if end is None else min(end, cap.toordinal())
        self.series: dict[int, list[BenefitSeries]] = defaultdict(list)
        for benefit in sorted(data.benefits, key=lambda b: b.code):
            self.series[benefit.initiative_id].append(BenefitSeries(
                benefit, sorted(trajectory[benefit.id]), sorted(measurements[benefit.id])))
        self.spend: dict[int, list] = defaultdict(list)
        for s in data.planned_spend:
            self.spend[s.initiative_id].append((s.period_end, s.amount))
        self.costs: dict[int, list] = defaultdict(list)
        for c in data.cost_actuals:
            self.costs[c.initiative_id].append((c.period_end, c.amount))
        self.rules = defaultdict(list)
        for rule in sorted(data.pivot_rules, key=lambda r: r.code):
            if rule.active:
                self.rules[rule.initiative_id].append(rule)
        self.aligned = aligned_initiative_ids(data)
        self.governance = initiative_flags(data)


def _benefit_result(series: BenefitSeries, initiative: Initiative, day: int, tracking_end: int | None,
                    watched: bool) -> BenefitResult:
    benefit = series.benefit
    flags = []
    if watched and series.stale(day):
        flags.append("stale")
    if watched and series.eroding(day, initiative.go_live):
        flags.append("erosion")
    if not (benefit.owner or "").strip():
        flags.append("no_owner")
    if not benefit.has_baseline:
        flags.append("no_baseline")
    if not series.valid:
        return BenefitResult(benefit, initiative, None, None, None, None, None, None, None, tuple(flags), series)
    planned = series.planned(day)
    actual = series.actual(day)
    ratio = series.realisation_vs_plan(day)
    return BenefitResult(
        benefit, initiative, planned, actual, None if actual is None else series.fraction(actual),
        None if ratio is None else 100.0 * ratio, series.realised_value(day, tracking_end),
        series.planned_value(day, tracking_end), series.forecast(day), tuple(flags), series)


def _initiative_result(prepared: Prepared, initiative: Initiative, as_of: date,
                       with_rules: bool) -> tuple[InitiativeResult, list[BenefitResult]]:
    portfolio = prepared.data.portfolio
    day = as_of.toordinal()
    stage = initiative.stage
    tracking_end = prepared.tracking_end[initiative.id]
    before_end = tracking_end is None or day < tracking_end
    watched_initiative = stage.active and before_end
    benefits = []
    for series in prepared.series[initiative.id]:
        watched = watched_initiative and series.benefit.frequency.interval_days is not None
        benefits.append((_benefit_result(series, initiative, day, tracking_end, watched), watched))

    carries_money = any(r.benefit.annual_value is not None for r, _ in benefits)
    realised = sum((r.realised_value or 0.0 for r, _ in benefits), 0.0)
    planned = sum((r.planned_value or 0.0 for r, _ in benefits), 0.0)
    if carries_money:
        realisation = None if planned <= 0 else 100.0 * realised / planned
        value_rag = rag(realisation, portfolio.rag_green_pct, portfolio.rag_amber_pct)
    else:
        realisation = None
        measured = [r.realisation_vs_plan_pct for r, _ in benefits
                    if not r.benefit.dis_benefit and r.realisation_vs_plan_pct is not None]
        value_rag = rag(statistics.fmean(measured) if measured else None,
                        portfolio.rag_green_pct, portfolio.rag_amber_pct)

    actual_cost = sum((a for d, a in prepared.costs[initiative.id] if d <= as_of), Decimal(0))
    spend_to_date = sum((a for d, a in prepared.spend[initiative.id] if d <= as_of), Decimal(0))
    ended = stage in (Stage.CLOSED, Stage.TERMINATED)
    remaining_cost = Decimal(0) if ended else sum((a for d, a in prepared.spend[initiative.id] if d > as_of), Decimal(0))
    investment = actual_cost if stage is Stage.TERMINATED else (initiative.planned_investment or Decimal(0))

    watched = [r for r, w in benefits if w and r.series.valid]
    if watched:
        worst_days = max(r.series.days_without_measurement(day) for r in watched)
        months_without = max(0.0, worst_days / DAYS_PER_MONTH)
    else:
        months_without = None
    forecasts = [r.forecast.attainment_pct for r, _ in benefits if r.forecast is not None and not r.benefit.dis_benefit]
    slip = None
    if initiative.planned_go_live is not None:
        slip = 0 if initiative.forecast_go_live is None else (initiative.forecast_go_live - initiative.planned_go_live).days

    if stage is Stage.TERMINATED or tracking_end is None:
        expected_remaining = 0.0
        forecast_after = 0.0
    else:
        expected_remaining = sum(r.series.planned_value_between(day, tracking_end) * float(r.benefit.confidence_pct) / 100.0
                                 for r, _ in benefits)
        forecast_after = sum(r.series.forecast_value_after(day, tracking_end, r.forecast) for r, _ in benefits)

    result = InitiativeResult(
        initiative=initiative, funded=stage.funded, active=stage.active, carries_money=carries_money,
        realised_value=realised, planned_value=planned, realisation_vs_plan_pct=realisation,
        benefits_realised_pct=_ratio_pct(realised, float(investment)), value_rag=value_rag,
        aligned=initiative.id in prepared.aligned,
        cost_variance_pct=None if spend_to_date == 0 else 100.0 * float(actual_cost - spend_to_date) / float(spend_to_date),
        go_live_slip_days=slip, months_without_measurement=months_without,
        forecast_attainment_pct=min(forecasts) if forecasts else None, risk_score=initiative.risk_score,
        investment=investment, actual_cost=actual_cost, planned_spend_to_date=spend_to_date,
        remaining_cost=remaining_cost, expected_remaining_value=expected_remaining,
        forecast_value=realised + forecast_after, flags=tuple(prepared.governance[initiative.id]),
        rule_results=(),
    )
    if with_rules and stage.active:
        metrics = result.rule_metrics()
        evaluated = [evaluate(rule, initiative, metrics, as_of) for rule in prepared.rules[initiative.id]]
        result = replace(result, rule_results=tuple(r for r in evaluated if r is not None))
    return result, [r for r, _ in benefits]


def _portfolio_metrics(prepared: Prepared, as_of: date, results: list[InitiativeResult]) -> PortfolioMetrics:
    data = prepared.data
    funded = [r for r in results if r.funded]
    active = [r for r in results if r.active]
    realised = sum((r.realised_value for r in funded), 0.0)
    planned = sum((r.planned_value for r in funded), 0.0)
    investment = sum((r.investment for r in funded), Decimal(0))
    actual_cost = sum((r.actual_cost for r in funded), Decimal(0))
    forecast_cost = actual_cost + sum((r.remaining_cost for r in funded), Decimal(0))
    forecast_value = sum((r.forecast_value for r in funded), 0.0)
    quarter = fiscal_quarter(as_of, data.portfolio.fiscal_year_start_month)
    start = quarter[0]
    cycle = [(d.decided_on - d.raised_on).days for d in data.decisions
             if d.decided_on is not None and start <= d.decided_on <= as_of]
    active_ids = {r.initiative.id for r in active}
    escalated = {d.initiative_id for d in data.decisions
                 if d.escalated and start <= d.raised_on <= as_of and d.initiative_id in active_ids}
    aligned = [r for r in active if r.aligned]
    active_investment = sum(float(r.initiative.planned_investment or 0) for r in active)
    aligned_investment = sum(float(r.initiative.planned_investment or 0) for r in aligned)
    return PortfolioMetrics(
        as_of=as_of, quarter=quarter,
        benefits_realised_pct=_ratio_pct(realised, float(investment)),
        realisation_vs_plan_pct=None if planned <= 0 else 100.0 * realised / planned,
        strategic_alignment_pct=_ratio_pct(len(aligned), len(active)),
        strategic_alignment_by_investment_pct=_ratio_pct(aligned_investment, active_investment),
        decision_cycle_time_median_days=float(statistics.median(cycle)) if cycle else None,
        decision_cycle_time_mean_days=statistics.fmean(cycle) if cycle else None,
        escalation_rate_pct=_ratio_pct(len(escalated), len(active)),
        portfolio_roi_pct=_ratio_pct(realised - float(actual_cost), float(actual_cost)),
        forecast_portfolio_roi_pct=_ratio_pct(forecast_value - float(forecast_cost), float(forecast_cost)),
        realised_value=realised, planned_value=planned,
        planned_investment=sum((r.initiative.planned_investment or Decimal(0) for r in funded), Decimal(0)),
        actual_cost=actual_cost,
    )


def compute(data: PortfolioData, as_of: date, value_caps: dict[int, date] | None = None) -> PortfolioResult:
    """Every figure at ``as_of`` (and the section-6 metrics at the previous quarter's end).

    ``value_caps`` (scenarios only) ends an initiative's accrual at a date, as "stop from" does.
    """
    collecting = gc.isenabled()
    gc.disable()  # many small records and no cycles: the cyclic collector would only rescan them
    try:
        return _compute(data, as_of, value_caps)
    finally:
        if collecting:
            gc.enable()


def _compute(data: PortfolioData, as_of: date, value_caps: dict[int, date] | None) -> PortfolioResult:
    prepared = Prepared(data, value_caps)
    initiatives, benefits = [], []
    for initiative in prepared.initiatives:
        result, benefit_results = _initiative_result(prepared, initiative, as_of, with_rules=True)
        initiatives.append(result)
        benefits.extend(benefit_results)
    benefits.sort(key=lambda r: r.benefit.code)
    metrics = _portfolio_metrics(prepared, as_of, initiatives)
    previous_end = metrics.quarter[0] - timedelta(days=1)
    previous = [_initiative_result(prepared, i, previous_end, with_rules=False)[0] for i in prepared.initiatives]
    required = sorted((r for i in initiatives for r in i.triggered_rules), key=decision_order)
    return PortfolioResult(as_of, data.portfolio.currency, metrics,
                           _portfolio_metrics(prepared, previous_end, previous),
                           tuple(initiatives), tuple(benefits), tuple(required), tuple(previous), prepared)
