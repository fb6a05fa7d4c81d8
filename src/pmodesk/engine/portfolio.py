"""Every figure of DESIGN.md sections 5–9 for a whole portfolio at one as-of date.

``compute(data, as_of)`` prepares each benefit's series once (one pass over the loaded data, no
queries), then derives benefit, initiative and portfolio figures. UI, CLI and board pack all call
this; nothing else computes a figure.
"""

from __future__ import annotations

import bisect
import gc
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import compress

from pmodesk.domain.calendar import fiscal_quarter
from pmodesk.domain.enums import Stage
from pmodesk.domain.model import Benefit, Initiative, PortfolioData
from pmodesk.engine.benefits import DAYS_PER_MONTH, BenefitSeries, Forecast, effective_tracking_end
from pmodesk.engine.governance import aligned_initiative_ids, initiative_flags
from pmodesk.engine.metric_names import METRICS, PERCENT_KEYS  # noqa: F401 - named here too, as always
from pmodesk.engine.rules import RuleResult, decision_order, evaluate


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
    # Indexes made on first use (an initiative's benefits, an initiative by code): a scan of every
    # benefit for each of 500 initiatives is a tenth of a second on a large portfolio.
    _by_initiative: "dict[int, list[BenefitResult]] | None" = field(default=None, init=False, repr=False,
                                                                   compare=False)
    _by_code: "dict[str, InitiativeResult] | None" = field(default=None, init=False, repr=False, compare=False)

    def initiative(self, code: str) -> InitiativeResult:
        if self._by_code is None:
            by_code: dict[str, InitiativeResult] = {}
            for r in self.initiatives:
                by_code.setdefault(r.initiative.code, r)  # the first, as a scan would find
            object.__setattr__(self, "_by_code", by_code)
        return self._by_code[code]

    def benefits_of(self, initiative_id: int) -> list[BenefitResult]:
        """The initiative's benefit results, in the order of ``benefits`` (benefit code)."""
        if self._by_initiative is None:
            grouped: dict[int, list[BenefitResult]] = defaultdict(list)
            for b in self.benefits:
                grouped[b.initiative.id].append(b)
            object.__setattr__(self, "_by_initiative", dict(grouped))
        return list(self._by_initiative.get(initiative_id, ()))


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


_FIRST = operator.itemgetter(0)


class DatedAmounts:
    """One initiative's dated amounts (planned spend or cost actuals) with exact running sums, so
    that "Σ amounts dated on or before D" (or after D) is one lookup at any D.

    Decimal addition of money is exact, so the sums equal the plain ``sum(..., Decimal(0))`` over
    the same amounts in any order (value and exponent alike).
    """

    __slots__ = ("dates", "upto", "after")

    def __init__(self, pairs: list | None = None):
        pairs = sorted(pairs or (), key=_FIRST)
        self.dates = list(map(_FIRST, pairs))
        total = Decimal(0)
        self.upto = [total]
        for _, amount in pairs:
            total = total + amount
            self.upto.append(total)
        total = Decimal(0)
        self.after = [total] * (len(pairs) + 1)
        for k in range(len(pairs) - 1, -1, -1):
            total = total + pairs[k][1]
            self.after[k] = total

    def to(self, day: date) -> Decimal:
        """Σ of the amounts dated on or before ``day`` (``Decimal(0)`` if none)."""
        return self.upto[bisect.bisect_right(self.dates, day)]

    def after_day(self, day: date) -> Decimal:
        """Σ of the amounts dated after ``day`` (``Decimal(0)`` if none)."""
        return self.after[bisect.bisect_right(self.dates, day)]


class Prepared:
    """The portfolio grouped once by initiative and benefit; computing at several dates reuses it."""

    def __init__(self, data: PortfolioData, value_caps: dict[int, date] | None = None, *, series: bool = True,
                 amounts=None, _reuse: "tuple[Prepared, set[int]] | None" = None):
        """``series=False`` skips the benefit series (the array path of :mod:`engine.arrays` needs none).
        ``amounts`` (``store.columns.DatedAmountColumns``) gives planned spend and cost actuals
        already grouped by initiative, in place of ``data``'s records.

        ``_reuse`` (see :meth:`updated`) takes every initiative's groups but the changed ones'
        from an earlier preparation.
        """
        self.data = data
        self.value_caps = dict(value_caps or {})
        self.initiatives = sorted(data.initiatives, key=lambda i: i.code)
        self.by_id = {i.id: i for i in data.initiatives}
        old, changed = _reuse if _reuse is not None else (None, None)

        def wanted(initiative_id: int) -> bool:
            return changed is None or initiative_id in changed

        self.tracking_end = {i.id: old.tracking_end[i.id] if old is not None and i.id not in changed
                             and i.id in old.tracking_end else effective_tracking_end(i) for i in data.initiatives}
        for initiative_id, cap in self.value_caps.items():  # a scenario's "stop from": accrual ends there
            if old is None or initiative_id in changed:
                end = self.tracking_end.get(initiative_id)
                self.tracking_end[initiative_id] = cap.toordinal() if end is None else min(end, cap.toordinal())
        self.series: dict[int, list[BenefitSeries]] = defaultdict(list)
        if series:
            self.series.update(benefit_series(data, changed))
        self.spend: dict[int, list] = defaultdict(list)
        self.costs: dict[int, list] = defaultdict(list)
        if amounts is not None:
            self.spend.update(amounts.planned_spend)
            self.costs.update(amounts.cost_actuals)
        else:
            for s in data.planned_spend:
                if wanted(s.initiative_id):
                    self.spend[s.initiative_id].append((s.period_end, s.amount))
            for c in data.cost_actuals:
                if wanted(c.initiative_id):
                    self.costs[c.initiative_id].append((c.period_end, c.amount))
        self.spend_sums = defaultdict(DatedAmounts, {k: DatedAmounts(v) for k, v in self.spend.items()})
        self.cost_sums = defaultdict(DatedAmounts, {k: DatedAmounts(v) for k, v in self.costs.items()})
        self.rules = defaultdict(list)
        for rule in sorted(data.pivot_rules, key=lambda r: r.code):
            if rule.active and wanted(rule.initiative_id):
                self.rules[rule.initiative_id].append(rule)
        if old is not None:
            for initiative_id in self.by_id.keys() - changed:
                for mine, theirs in ((self.series, old.series), (self.spend, old.spend), (self.costs, old.costs),
                                     (self.spend_sums, old.spend_sums), (self.cost_sums, old.cost_sums),
                                     (self.rules, old.rules)):
                    if initiative_id in theirs:
                        mine[initiative_id] = theirs[initiative_id]
        self.aligned = aligned_initiative_ids(data)
        self.governance = initiative_flags(data)

    @classmethod
    def updated(cls, old: "Prepared", data: PortfolioData, changed: set[int]) -> "Prepared":
        """The preparation of ``data`` given the one of the data before an edit that touched only the
        initiatives ``changed`` (their records, benefits, measurements, spend, costs or rules)."""
        return cls(data, old.value_caps, _reuse=(old, set(changed)))


_BENEFIT_ID = operator.attrgetter("benefit_id")


def benefit_series(data: PortfolioData, initiative_ids: set[int] | None = None) -> dict[int, list[BenefitSeries]]:
    """Each initiative's benefit series in benefit-code order (only ``initiative_ids`` when given)."""
    wanted = None if initiative_ids is None else {b.id for b in data.benefits if b.initiative_id in initiative_ids}

    def of_wanted(records):  # after an edit: a few benefits' rows, picked out of all with C-level loops
        if wanted is None:
            return records
        return compress(records, map(wanted.__contains__, map(_BENEFIT_ID, records)))

    trajectory: dict[int, list] = defaultdict(list)
    for point in of_wanted(data.trajectory):
        trajectory[point.benefit_id].append((point.date, float(point.value)))
    measurements: dict[int, list] = defaultdict(list)
    for m in of_wanted(data.measurements):
        measurements[m.benefit_id].append((m.date, float(m.value)))
    grouped: dict[int, list[BenefitSeries]] = defaultdict(list)
    for benefit in sorted(data.benefits, key=lambda b: b.code):
        if wanted is None or benefit.id in wanted:
            grouped[benefit.initiative_id].append(BenefitSeries(
                benefit, sorted(trajectory[benefit.id]), sorted(measurements[benefit.id])))
    return grouped


@dataclass(frozen=True, slots=True)
class BenefitRow:
    """What an initiative's figures need from one of its benefits at D (however it was computed)."""

    result: "BenefitResult"
    watched: bool  # counts for stale, erosion and months without measurement
    days_without_measurement: int | None  # set when watched and the series is valid
    expected_remaining: float  # planned value over [D, E) × confidence (0.0 when the initiative accrues none)
    forecast_after: float  # forecast value over [D, E) (0.0 when the initiative accrues none)


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
    """One initiative's figures at D from its benefit series (the reference path)."""
    day = as_of.toordinal()
    stage = initiative.stage
    tracking_end = prepared.tracking_end[initiative.id]
    before_end = tracking_end is None or day < tracking_end
    watched_initiative = stage.active and before_end
    accrues = not (stage is Stage.TERMINATED or tracking_end is None)
    rows = []
    for series in prepared.series[initiative.id]:
        watched = watched_initiative and series.benefit.frequency.interval_days is not None
        result = _benefit_result(series, initiative, day, tracking_end, watched)
        counted = watched and series.valid
        rows.append(BenefitRow(
            result, counted, series.days_without_measurement(day) if counted else None,
            series.planned_value_between(day, tracking_end) * float(series.benefit.confidence_pct) / 100.0
            if accrues else 0.0,
            series.forecast_value_after(day, tracking_end, result.forecast) if accrues else 0.0))
    return initiative_from_rows(prepared, initiative, as_of, with_rules, rows)


def initiative_from_rows(prepared: Prepared, initiative: Initiative, as_of: date, with_rules: bool,
                         rows: list[BenefitRow]) -> tuple[InitiativeResult, list[BenefitResult]]:
    """One initiative's figures at D from its benefits' rows, in benefit-code order."""
    portfolio = prepared.data.portfolio
    day = as_of.toordinal()
    stage = initiative.stage
    tracking_end = prepared.tracking_end[initiative.id]
    benefits = [(row.result, row.watched) for row in rows]

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

    actual_cost = prepared.cost_sums[initiative.id].to(as_of)
    spend_to_date = prepared.spend_sums[initiative.id].to(as_of)
    ended = stage in (Stage.CLOSED, Stage.TERMINATED)
    remaining_cost = Decimal(0) if ended else prepared.spend_sums[initiative.id].after_day(as_of)
    investment = actual_cost if stage is Stage.TERMINATED else (initiative.planned_investment or Decimal(0))

    watched = [row.days_without_measurement for row in rows if row.watched]
    if watched:
        worst_days = max(watched)
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
        expected_remaining = sum(row.expected_remaining for row in rows)
        forecast_after = sum(row.forecast_after for row in rows)

    figures = dict(
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
    )
    result = InitiativeResult(**figures, rule_results=())
    if with_rules and stage.active:
        metrics = result.rule_metrics()
        evaluated = [evaluate(rule, initiative, metrics, as_of) for rule in prepared.rules[initiative.id]]
        result = InitiativeResult(**figures, rule_results=tuple(r for r in evaluated if r is not None))
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
    return assemble(prepared, as_of, lambda initiative, when, rules: _initiative_result(prepared, initiative, when, rules))


def assemble(prepared: Prepared, as_of: date, initiative_result) -> PortfolioResult:
    """Every figure from per-initiative results: ``initiative_result(initiative, when, with_rules)``
    gives one initiative's result and its benefit results (the reference path or the array path)."""
    initiatives, benefits = [], []
    for initiative in prepared.initiatives:
        result, benefit_results = initiative_result(initiative, as_of, True)
        initiatives.append(result)
        benefits.extend(benefit_results)
    benefits.sort(key=lambda r: r.benefit.code)
    metrics = _portfolio_metrics(prepared, as_of, initiatives)
    previous_end = metrics.quarter[0] - timedelta(days=1)
    previous = [initiative_result(i, previous_end, False)[0] for i in prepared.initiatives]
    required = sorted((r for i in initiatives for r in i.triggered_rules), key=decision_order)
    return PortfolioResult(as_of, prepared.data.portfolio.currency, metrics,
                           _portfolio_metrics(prepared, previous_end, previous),
                           tuple(initiatives), tuple(benefits), tuple(required), tuple(previous), prepared)


def recompute(previous: PortfolioResult, data: PortfolioData, initiative_ids) -> PortfolioResult:
    """The figures after an edit, recomputing only the initiatives in ``initiative_ids``.

    ``previous`` is :func:`compute`'s result for the data before the edit (same as-of date, same
    value caps); ``data`` is the portfolio after it. Give the id of every initiative the edit
    touched: an edited, added or deleted benefit, measurement or trajectory point is its
    benefit's initiative; a pivot rule, planned spend, cost actual, objective link or decision is
    its initiative's; an edited initiative is itself (both ids when a benefit moves between two).
    Every other initiative's results are reused; the portfolio sums, the previous quarter's
    metrics and the decisions required are recomputed from all initiatives, exactly as
    :func:`compute` does, so the result equals ``compute(data, previous.as_of)`` (a property
    test holds the two equal). Edits to the portfolio row, objectives or scenarios change many
    initiatives at once: call :func:`compute` for those.
    """
    old = previous.prepared
    if old is None:
        raise ValueError("recompute needs a result of compute() (it carries the prepared portfolio)")
    changed = set(initiative_ids)
    collecting = gc.isenabled()
    gc.disable()
    try:
        prepared = Prepared.updated(old, data, changed)
        reuse = {(r.initiative.id, True): r for r in previous.initiatives if r.initiative.id not in changed}
        reuse.update({(r.initiative.id, False): r for r in previous.previous_initiatives
                      if r.initiative.id not in changed})
        kept_benefits: dict[int, list[BenefitResult]] = defaultdict(list)
        for b in previous.benefits:
            kept_benefits[b.initiative.id].append(b)

        def initiative_result(initiative: Initiative, when: date, with_rules: bool):
            known = reuse.get((initiative.id, with_rules))
            if known is not None and known.initiative == initiative:
                return known, kept_benefits[initiative.id] if with_rules else []
            return _initiative_result(prepared, initiative, when, with_rules)

        return assemble(prepared, previous.as_of, initiative_result)
    finally:
        if collecting:
            gc.enable()
