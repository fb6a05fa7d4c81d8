"""What the board pack says (DESIGN.md section 10), decided once from the value engine's results.

``build_pack`` returns a :class:`~pmodesk.boardpack.model.Pack`; the PDF and PowerPoint renderers
only draw it. Every figure comes from :mod:`pmodesk.engine`; every wording of a direction of travel
from :func:`pmodesk.engine.presentation.travel`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

from pmodesk import __version__
from pmodesk.boardpack.format import (
    NONE, Money, iso, long_date, middle_shortened, number, pct, points, short_date, tidy_decimal,
)
from pmodesk.boardpack.model import (
    BenefitsMap, Break, Bubble, BubbleChart, Cell, ChartGrid, Column, Cover, Facts, Heading, LineChart, MapBox, Pack, Section,
    Series, Span, Table, Text, Tile, Tiles, cell, cell_lines, text,
)
from pmodesk.boardpack.decisions import frontier_section, value_at_risk_blocks
from pmodesk.boardpack.narrative import narrative
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.benefits import FORECAST_METHOD
from pmodesk.engine.benefits_map import COLUMNS as MAP_COLUMNS, benefits_map
from pmodesk.engine.cycle import follow_up
from pmodesk.engine.portfolio import METRICS, InitiativeResult, PortfolioResult
from pmodesk.engine.presentation import travel
from pmodesk.engine.trend import value_trend

RAG_ORDER = ("green", "amber", "red", None)
METRIC_UNITS = {"realisation_vs_plan_pct": "%", "benefits_realised_pct": "%", "forecast_attainment_pct": "%",
                "cost_variance_pct": "%", "go_live_slip_days": " days", "months_without_measurement": " months",
                "risk_score": ""}
# Rule metrics where a higher figure is better (for the trend of the evidence).
METRIC_HIGHER_IS_BETTER = {"realisation_vs_plan_pct": True, "benefits_realised_pct": True,
                           "forecast_attainment_pct": True, "cost_variance_pct": False, "go_live_slip_days": False,
                           "months_without_measurement": False, "risk_score": False}
TILE_KEYS = ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
             "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days", "escalation_rate_pct",
             "portfolio_roi_pct", "forecast_portfolio_roi_pct")
LABEL_LIMIT = 25  # bubble labels on the trade-off chart: the largest first, the rest dropped (and said so)


@dataclass(frozen=True)
class PackOptions:
    as_of: date
    meeting_date: date
    decisions_since: date
    paper: str = "a4"
    file_name: str = ""
    scenario_id: int | None = None  # a scenario comparison page when set


def rag_word(rag: str | None) -> str:
    return rag.capitalize() if rag else NONE


def metric_value(metric: str, value) -> str:
    if value is None:
        return NONE
    unit = METRIC_UNITS.get(metric, "")
    if isinstance(value, int):
        return number(value) + unit
    return number(value, 1) + unit


def metric_name(metric: str) -> str:
    return metric.replace("_pct", " %").replace("_", " ")


def commentary_for(data: PortfolioData, meeting: date, initiative_id: int | None) -> list:
    """The PMO's commentary written for this meeting (whole portfolio when ``initiative_id`` is None)."""
    out = [c for c in data.commentary if c.meeting_date == meeting and c.initiative_id == initiative_id]
    return sorted(out, key=lambda c: (c.author or "", c.text))


def _pmo_blocks(data: PortfolioData, meeting: date, initiative_id: int | None) -> list:
    blocks = []
    for entry in commentary_for(data, meeting, initiative_id):
        label = f"PMO commentary{f' — {entry.author}' if entry.author else ''}"
        blocks.append(Text((Span(entry.text),), "pmo", label))
    return blocks


class Builder:
    def __init__(self, data: PortfolioData, result: PortfolioResult, options: PackOptions):
        self.data, self.result, self.options = data, result, options
        self.money = Money(data.portfolio.currency)
        self.kpis = {k.metric: k for k in data.kpis}
        self.codes = {i.id: i.code for i in data.initiatives}
        self.initiatives = sorted(result.initiatives, key=lambda r: r.initiative.code)
        self.previous = {r.initiative.code: r for r in result.previous_initiatives}

    # ------------------------------------------------------------------ the pack
    def pack(self, check: Callable[[float, str], None] = lambda f, m: None) -> Pack:
        p, o = self.data.portfolio, self.options
        marking = p.confidentiality or "CONFIDENTIAL"
        sections: list[Section] = []
        check(0.05, "Dashboard")
        sections.append(self.dashboard())
        check(0.08, "Executive summary")
        sections.append(self.summary())
        sections.append(self.decisions_required())
        check(0.12, "Portfolio value health")
        sections.append(self.health())
        check(0.16, "Charts")
        sections.append(self.charts())
        sections.append(frontier_section(self.data, self.result, self.money, money_scale))
        if o.scenario_id is not None:
            sections.append(self.scenario())
        for n, r in enumerate(self.initiatives):
            check(0.2 + 0.3 * n / max(1, len(self.initiatives)), f"Initiative {r.initiative.code}")
            sections.append(self.initiative(r))
        check(0.5, "Strategic alignment")
        sections.append(self.alignment())
        sections.append(self.decision_papers())
        sections.append(self.decision_log())
        sections.append(self.appendix())
        cover = Cover(marking=marking, portfolio=p.name, client=p.client,
                      lines=(f"Meeting date: {long_date(o.meeting_date)}", f"Figures as of: {long_date(o.as_of)}",
                             f"Decision log since: {long_date(o.decisions_since)}"),
                      small=(f"{len(self.result.initiatives)} initiatives · {len(self.result.benefits)} benefits · "
                             f"currency {p.currency}. Prepared with pmodesk {__version__}; every figure is defined "
                             "in the appendix."))
        return Pack(cover=cover, sections=tuple(sections), title=f"{p.name} — board pack",
                    author=p.client or "pmodesk", subject=f"Board pack for the meeting of {long_date(o.meeting_date)}, "
                    f"figures as of {long_date(o.as_of)}", keywords="board pack, value delivery, pmodesk",
                    as_of=o.as_of, footer_location=middle_shortened(o.file_name or p.name), marking=marking)

    # ------------------------------------------------------------------ dashboard (one page)
    def dashboard(self) -> Section:
        m, prev = self.result.metrics, self.result.previous_quarter
        labels = {key: (label, unit, higher) for key, label, unit, higher in METRICS}
        tiles = []
        for key in TILE_KEYS:
            label, unit, higher = labels[key]
            now, before = getattr(m, key), getattr(prev, key)
            moved = travel(now, before, higher)
            kpi = self.kpis.get(key)
            target = (f"Target {self._metric_text(float(kpi.target), unit)}" if kpi and kpi.target is not None
                      else "No target recorded")
            tiles.append(Tile(label, self._metric_text(now, unit), target, moved.label, moved.sense or "none"))
        blocks: list = [Tiles(tuple(tiles))]
        # RAG counts now and at the end of the previous quarter (funded initiatives)
        now_counts = Counter(r.value_rag for r in self.result.initiatives if r.funded)
        before_counts = Counter(r.value_rag for r in self.result.previous_initiatives if r.funded)
        rows = []
        for rag in RAG_ORDER:
            change = now_counts[rag] - before_counts[rag]
            rows.append((cell(rag_word(rag) if rag else "No value RAG", rag=rag or "none"),
                         cell(str(now_counts[rag]), "right"), cell(str(before_counts[rag]), "right"),
                         cell(("+" if change > 0 else "") + number(change) if change else "no change", "right")))
        blocks += [Heading("Value RAG of funded initiatives"),
                   Table((Column("Value RAG", 1.4), Column("Now", 1, "right", True),
                          Column("Previous quarter", 1, "right", True), Column("Movement", 1, "right", True)),
                         tuple(rows)), Break("column")]
        blocks.append(Heading("Decisions asked of the board"))
        if self.result.decisions_required:
            asked = []
            for r in self.result.decisions_required[:8]:
                ir = self.result.initiative(r.initiative.code)
                asked.append((cell(r.rule.action.value.capitalize(), bold=True),
                              cell_lines(Span(r.initiative.code, bold=True), Span(r.initiative.name)),
                              cell(self.money.compact(ir.remaining_cost), "right"),
                              cell(self.money.compact(ir.expected_remaining_value), "right")))
            more = len(self.result.decisions_required) - len(asked)
            blocks.append(Table((Column("Action", 0.8), Column("Initiative", 3),
                                 Column("Remaining cost", 1, "right", True),
                                 Column("Expected remaining value", 1, "right", True)), tuple(asked),
                                note=(f"{more} more in the decisions required section. " if more > 0 else "")
                                + "Money at stake: what is left to spend and the value still expected."))
        else:
            blocks.append(text("No pivot rule is triggered: the board is asked for no decision on the figures."))
        blocks += [Break("slide"), Heading("What the board needs to know")]
        blocks += [text(line, "bullet") for line in self._narrative()[:5]]
        blocks += _pmo_blocks(self.data, self.options.meeting_date, None)
        blocks += value_at_risk_blocks(self.result, self.money)
        return Section("Dashboard", tuple(blocks))

    def _metric_text(self, value: float | None, unit: str) -> str:
        if value is None:
            return NONE
        return number(value, 0 if unit == "%" else 1) + unit

    def _narrative(self) -> list[str]:
        targets = {k: float(v.target) for k, v in self.kpis.items() if v.target is not None}
        return narrative(self.result, targets)

    # ------------------------------------------------------------------ executive summary
    def summary(self) -> Section:
        m, prev = self.result.metrics, self.result.previous_quarter
        rows = []
        for key, label, unit, higher in METRICS:
            now, before = getattr(m, key), getattr(prev, key)
            kpi = self.kpis.get(key)

            def fmt(v):
                return NONE if v is None else number(v, 1) + unit

            rows.append((cell(label, bold=True), cell(fmt(now), "right"), cell(fmt(before), "right"),
                         cell(travel(now, before, higher).label),
                         cell(fmt(float(kpi.baseline)) if kpi and kpi.baseline is not None else NONE, "right"),
                         cell(fmt(float(kpi.target)) if kpi and kpi.target is not None else NONE, "right")))
        quarter = f"{short_date(m.quarter[0])} – {short_date(self.result.as_of)}"
        money = self.money
        blocks = [
            text(f"Quarter to date: {quarter}. Realised {money.compact(m.realised_value)} of "
                 f"{money.compact(m.planned_value)} planned to date; actual cost {money.compact(m.actual_cost)} "
                 f"against planned investment {money.compact(m.planned_investment)}."),
            Heading("What the board needs to know"),
            *[text(line, "bullet") for line in self._narrative()],
            *_pmo_blocks(self.data, self.options.meeting_date, None),
            Heading("Measures against baseline and target"),
            Table((Column("Metric", 2.2), Column("This quarter", 1, "right", True),
                   Column("Previous quarter", 1, "right", True), Column("Direction", 1),
                   Column("Baseline", 1, "right", True), Column("Target", 1, "right", True)), tuple(rows),
                  note="Direction compares this quarter to date with the whole previous quarter; a change under "
                       "half a point is steady. “—” means the figure has no denominator yet (none)."),
        ]
        return Section("Executive summary", tuple(blocks))

    # ------------------------------------------------------------------ decisions required
    def decisions_required(self) -> Section:
        required = self.result.decisions_required
        if not required:
            return Section("Decisions required", (text("No pivot rule is triggered at this date."),))
        rows = []
        for r in required:
            rows.append((cell(r.rule.action.value.capitalize(), bold=True),
                         cell_lines(Span(r.initiative.code, bold=True), Span(r.initiative.name)),
                         cell(r.rule.code), cell(metric_name(r.rule.metric.value)),
                         cell(metric_value(r.rule.metric.value, r.observed), "right"),
                         cell(f"{r.rule.comparator.value} {tidy_decimal(r.rule.threshold)}", "right")))
        return Section("Decisions required", (
            text("Pivot rules agreed at approval that the figures now trigger, most severe first. Each is a decision "
                 "for the board: the recommended action is the one agreed in advance; the decision papers give the "
                 "evidence."),
            Table((Column("Action", 0.9), Column("Initiative", 3), Column("Rule", 0.8), Column("Metric", 1.8),
                   Column("Observed", 1, "right", True), Column("Threshold", 1, "right", True)), tuple(rows))))

    # ------------------------------------------------------------------ value health
    def health(self) -> Section:
        money = self.money
        rs = self.initiatives
        inv_head, inv = money.column("Investment", [r.initiative.planned_investment for r in rs])
        plan_head, plan = money.column("Planned value", [r.planned_value for r in rs])
        real_head, real = money.column("Realised value", [r.realised_value for r in rs])
        fc_head, fc = money.column("Forecast value", [r.forecast_value for r in rs])
        rows = []
        for n, r in enumerate(rs):
            flags = ", ".join(f.replace("_", " ") for f in r.flags) or NONE
            rows.append((cell_lines(Span(r.initiative.code, bold=True), Span(r.initiative.name)),
                         cell(r.initiative.stage.value), cell(inv[n], "right"), cell(plan[n], "right"),
                         cell(real[n], "right"), cell(pct(r.realisation_vs_plan_pct), "right"), cell(fc[n], "right"),
                         cell(rag_word(r.value_rag), "centre", rag=r.value_rag or "none"),
                         cell("Yes" if r.aligned else "No"), cell(flags)))
        return Section("Portfolio value health", (
            text("One row per initiative. Realisation vs plan compares money realised to date with money planned to "
                 "date; forecast value is realised value plus the forecast to the end of tracking."),
            Table((Column("Initiative", 3), Column("Stage", 1.1), Column(inv_head, 1, "right", True),
                   Column(plan_head, 1, "right", True), Column(real_head, 1, "right", True),
                   Column("vs plan", 1, "right", True), Column(fc_head, 1, "right", True),
                   Column("Value RAG", 1, "centre", True), Column("Aligned", 1, "left", True), Column("Flags", 1.6)),
                  tuple(rows), note=f"Money in {self.data.portfolio.currency}, rounded to whole units or stated "
                                    "in millions in the column header.")))

    # ------------------------------------------------------------------ charts
    def charts(self) -> Section:
        prepared = self.result.prepared
        points = value_trend(prepared, self.result.as_of)
        scale, unit = money_scale(max([abs(p.planned_value) for p in points] + [abs(p.realised_value) for p in points]
                                      + [1.0]), self.money.symbol.strip())
        trend = LineChart(
            "Cumulative value of the funded portfolio", f"{unit} (cumulative)", scale,
            (Series("Planned value", tuple((p.day, p.planned_value) for p in points), "plan"),
             Series("Realised value", tuple((p.day, p.realised_value) for p in points), "actual")),
            points[0].day, points[-1].day)
        shown = [r for r in self.initiatives if r.active or not r.funded]
        # labels go to the biggest stakes first; the renderer places what fits and drops the rest
        shown.sort(key=lambda r: -(float(r.remaining_cost) + r.expected_remaining_value))
        largest = max([float(r.remaining_cost) for r in shown] + [r.expected_remaining_value for r in shown] + [1.0])
        bscale, bunit = money_scale(largest, self.money.symbol.strip())
        bubbles = tuple(Bubble(r.initiative.code, float(r.remaining_cost), r.expected_remaining_value,
                               r.risk_score or 0, risk_band(r.risk_score)) for r in shown)
        trade = BubbleChart("Cost, value and risk", f"Remaining cost ({bunit})", f"Expected remaining value ({bunit})",
                            bscale, bubbles)
        return Section("Realisation trend and trade-offs", (
            text("Cumulative value of the funded portfolio: the planned path against what the measurements show was "
                 "realised."),
            trend,
            Heading("Cost, value and risk"),
            text("Active and proposed initiatives: what is left to spend against the value still expected (planned "
                 "value to the end of tracking × confidence). Bigger, darker bubbles carry more risk; labels name the "
                 f"largest stakes (at most {LABEL_LIMIT}) where they fit without overlapping."),
            trade))

    # ------------------------------------------------------------------ scenario
    def scenario(self) -> Section:
        from pmodesk.engine.scenarios import compare, comparison_json, describe_override

        data, o = self.data, self.options
        comparison = comparison_json(compare(data, o.scenario_id, o.as_of))
        blocks: list = [text("What the figures would be with these overrides, beside the current plan. Overrides "
                             "change what is computed, never the recorded measurements or costs.")]
        changes = [text(f"{self.codes[ov.initiative_id]}: {describe_override(ov, self.money.whole)}", "bullet")
                   for ov in sorted((ov for ov in data.scenario_overrides if ov.scenario_id == o.scenario_id),
                                    key=lambda ov: self.codes[ov.initiative_id])]
        blocks += changes or [text("This scenario has no overrides.")]
        rows = []
        for key, label, unit, _ in METRICS:
            cells = [NONE if comparison[side][key] is None else number(comparison[side][key], 1) + unit
                     for side in ("current", "with_scenario")]
            cells.append(points(comparison["difference"][key]))
            rows.append((cell(label, bold=True), *[cell(c, "right") for c in cells]))
        for key, label in (("remaining_cost", "Remaining cost"), ("expected_remaining_value", "Expected remaining value"),
                           ("realised_value", "Realised value to date")):
            values = [comparison["current"][key], comparison["with_scenario"][key], comparison["difference"][key]]
            rows.append((cell(label, bold=True), *[cell(self.money.whole(Decimal(v)), "right") for v in values]))
        blocks.append(Table((Column("Measure", 2), Column("Current plan", 1, "right", True),
                             Column("With scenario", 1, "right", True), Column("Difference", 1, "right", True)),
                            tuple(rows)))
        return Section(f"Scenario: {comparison['scenario']}", tuple(blocks), bookmark="Scenario")

    # ------------------------------------------------------------------ one initiative
    def initiative(self, r: InitiativeResult) -> Section:
        i, money, o = r.initiative, self.money, self.options
        blocks: list = []
        if i.description:
            blocks.append(text(i.description))
        go_live = NONE
        if i.go_live:
            go_live = iso(i.go_live)
            if i.forecast_go_live and i.planned_go_live and i.forecast_go_live != i.planned_go_live:
                go_live += f" (planned {iso(i.planned_go_live)})"
        blocks.append(Facts((
            ("Stage", i.stage.value), ("Sponsor", i.sponsor or NONE), ("Owner", i.owner or NONE),
            ("Approved", iso(i.approval_date)), ("Go-live", go_live),
            ("Investment", money.whole(i.planned_investment)), ("Actual cost to date", money.whole(r.actual_cost)),
            ("Remaining cost", money.whole(r.remaining_cost)), ("Value RAG", rag_word(r.value_rag)),
            ("Realisation vs plan", pct(r.realisation_vs_plan_pct)),
            ("Risk score", NONE if r.risk_score is None else str(r.risk_score)),
            ("Delivery RAG", i.delivery_rag.value.capitalize() if i.delivery_rag else NONE))))
        blocks += _pmo_blocks(self.data, o.meeting_date, i.id)
        blocks += [Heading("Benefits map"), self.benefits_map(i.id)]
        benefits = sorted(self.result.benefits_of(i.id), key=lambda b: b.benefit.code)
        blocks.append(Heading("Benefits"))
        if not benefits:
            blocks.append(text("No benefit is registered for this initiative."))
        else:
            real_head, real = money.column("Realised", [b.realised_value for b in benefits])
            rows = []
            for n, b in enumerate(benefits):
                unit = f" {b.benefit.unit}" if b.benefit.unit else ""
                forecast = NONE
                if b.forecast is not None:
                    lo, hi = b.forecast.interval
                    forecast = f"{pct(b.forecast.attainment_pct)} ({pct(100 * lo)} to {pct(100 * hi)})"
                kind = " (dis-benefit)" if b.benefit.dis_benefit else ""
                rows.append((cell_lines(Span(b.benefit.code + kind, bold=True), Span(b.benefit.title)),
                             cell(b.benefit.owner or "no owner"),
                             cell(f"{tidy_decimal(b.benefit.baseline_value)} → {tidy_decimal(b.benefit.target_value)}"
                                  f"{unit} by {iso(b.benefit.target_date)}"),
                             cell(tidy_decimal(b.actual_measure), "right"),
                             cell(pct(b.realisation_vs_plan_pct), "right"), cell(real[n], "right"),
                             cell(forecast, "right"), cell(", ".join(f.replace("_", " ") for f in b.flags) or NONE)))
            blocks.append(Table((Column("Benefit", 2.4), Column("Owner", 1.1), Column("Baseline → target", 2),
                                 Column("Actual", 1, "right", True), Column("vs plan", 1, "right", True),
                                 Column(real_head, 1, "right", True), Column("Forecast (80% band)", 1, "right", True),
                                 Column("Flags", 1.1)), tuple(rows)))
            blocks.append(ChartGrid(tuple(self.benefit_chart(b) for b in benefits),
                                    note="Dashed orange: planned trajectory; navy: actual measurements; grey band: "
                                         "forecast to the target date with its 80% prediction band. Forecast method: "
                                         f"{FORECAST_METHOD}."))
        blocks += self._rules(r)
        decisions = sorted((d for d in self.data.decisions if d.initiative_id == i.id), key=lambda d: d.raised_on)[-4:]
        blocks.append(Heading("Recent decisions"))
        if not decisions:
            blocks.append(text("No decision is recorded for this initiative."))
        else:
            rows = []
            for d in reversed(decisions):
                summary = [Span(d.summary)] + ([Span(d.rationale, italic=True)] if d.rationale else [])
                rows.append((cell(iso(d.raised_on)), cell_lines(*summary),
                             cell(d.outcome.value if d.outcome else "pending", bold=d.outcome is None),
                             cell_lines(Span(iso(d.decided_on)), Span(d.decided_by or NONE)) if d.decided_on
                             else cell(None)))
            blocks.append(Table((Column("Raised", 1, "left", True), Column("Decision", 4), Column("Outcome", 1, "left", True),
                                 Column("Decided", 1.2)), tuple(rows)))
        title = f"{i.code} — {i.name}"
        return Section(title, tuple(blocks), bookmark=title, group="Initiatives", running_title=title)

    def benefits_map(self, initiative_id: int) -> BenefitsMap:
        """Outputs → outcomes → benefits → strategic objectives, the same chain as the window's map."""
        nodes, links = benefits_map(self.data, initiative_id)
        index = {n.key: k for k, n in enumerate(nodes)}
        return BenefitsMap(MAP_COLUMNS, tuple(MapBox(n.column, n.code, n.title) for n in nodes),
                           tuple((index[a], index[b]) for a, b in links))

    def benefit_chart(self, b) -> LineChart:
        benefit, series = b.benefit, b.series
        title = f"{benefit.code} — {benefit.title}"
        unit = benefit.unit or benefit.measure
        if not series.valid:
            return LineChart(title, unit, 1.0, (), self.options.as_of, self.options.as_of,
                             empty_note="No baseline recorded: nothing to chart yet.")
        from datetime import timedelta

        first = benefit.baseline_date
        last = max(benefit.target_date, self.options.as_of) + timedelta(days=15)
        plan_days = sorted({first.toordinal(), *series.plan_days, last.toordinal()})
        plan = tuple((date.fromordinal(d), series.planned(d)) for d in plan_days)
        actual = tuple((date.fromordinal(d), v) for d, v in zip(series.actual_days, series.actual_values))
        band = ()
        forecast_series: tuple = ()
        if b.forecast is not None and actual:
            start, target = actual[-1][0].toordinal(), benefit.target_date.toordinal()
            if target > start:
                lo, hi = b.forecast.interval
                to_measure = lambda f: series.baseline + series.span * f  # noqa: E731
                f_start = to_measure(b.forecast.at(start))
                band = ((date.fromordinal(start), f_start, f_start),
                        (benefit.target_date, to_measure(lo), to_measure(hi)))
                forecast_series = (Series("Forecast", ((date.fromordinal(start), f_start),
                                                       (benefit.target_date, to_measure(b.forecast.fraction))),
                                          "forecast"),)
        vlines = [("as of", self.options.as_of)]
        if b.initiative.go_live is not None and first <= b.initiative.go_live <= last:
            vlines.insert(0, ("go-live", b.initiative.go_live))
        return LineChart(title, unit, 1.0,
                         (Series("Plan", plan, "plan"), Series("Actual", actual, "actual"), *forecast_series),
                         first, last, hlines=(("baseline", series.baseline), ("target", float(benefit.target_value))),
                         vlines=tuple(vlines), band=band)

    def _rules(self, r: InitiativeResult) -> list:
        i = r.initiative
        rules = sorted((rule for rule in self.data.pivot_rules if rule.initiative_id == i.id), key=lambda x: x.code)
        state = {rr.rule.id: rr for rr in r.rule_results}
        blocks: list = [Heading("Pivot rules")]
        if not rules:
            return blocks + [text("No pivot rule is agreed for this initiative.", bold=True)]
        rows = []
        for rule in rules:
            rr = state.get(rule.id)
            if not rule.active:
                status, bold = "inactive", False
            elif not r.active:
                status, bold = "not evaluated (initiative not active)", False
            elif rr is None:
                status, bold = "not yet applicable", False
            elif not rr.evaluable:
                status, bold = "not evaluable", False
            elif rr.triggered:
                status, bold = f"TRIGGERED (observed {metric_value(rule.metric.value, rr.observed)})", True
            else:
                status, bold = "not triggered", False
            anchor = "approval" if rule.applies_from.value == "approval" else "go-live"
            late = " (after approval)" if i.approval_date and rule.agreed_on > i.approval_date else ""
            rows.append((cell(rule.code, bold=True),
                         cell(f"{metric_name(rule.metric.value)} {rule.comparator.value} {tidy_decimal(rule.threshold)}"),
                         cell(f"{rule.applies_from_months} months after {anchor}"), cell(rule.action.value),
                         cell_lines(Span(iso(rule.agreed_on) + late, bold=bool(late)), Span(rule.agreed_by or NONE)),
                         cell(status, bold=bold)))
        return blocks + [Table((Column("Rule", 0.8), Column("Condition", 2.6), Column("Applies from", 1.5),
                                Column("Action", 0.9), Column("Agreed", 1.5), Column("State", 1.7)), tuple(rows))]

    # ------------------------------------------------------------------ strategic alignment
    def alignment(self) -> Section:
        data, money = self.data, self.money
        by_code = {r.initiative.code: r for r in self.result.initiatives}
        blocks: list = [text("Each strategic objective with its owner and weight, and the initiatives that serve it "
                             "(a link with weight above 0 to an active objective aligns an initiative).")]
        objectives = sorted(data.objectives, key=lambda o: o.code)
        if not objectives:
            blocks.append(text("No strategic objective is recorded."))
        for objective in objectives:
            links = sorted((link for link in data.objective_links if link.objective_id == objective.id),
                           key=lambda link: self.codes[link.initiative_id])
            state = "" if objective.active else " (inactive)"
            blocks.append(Heading(f"{objective.code} — {objective.title}{state}"))
            blocks.append(text(f"Owner: {objective.owner or NONE} · weight {tidy_decimal(objective.weight)} · "
                               f"{len(links)} initiative{'s' if len(links) != 1 else ''}", "small"))
            if links:
                rs = [by_code[self.codes[link.initiative_id]] for link in links]
                head, inv = money.column("Investment", [r.initiative.planned_investment for r in rs])
                rows = tuple((cell_lines(Span(r.initiative.code, bold=True), Span(r.initiative.name)),
                              cell(r.initiative.stage.value),
                              cell(tidy_decimal(link.weight if link.weight is not None else Decimal(1)), "right"),
                              cell(inv[n], "right"), cell(rag_word(r.value_rag), "centre", rag=r.value_rag or "none"))
                             for n, (r, link) in enumerate(zip(rs, links)))
                blocks.append(Table((Column("Initiative", 3), Column("Stage", 1), Column("Link weight", 1, "right", True),
                                     Column(head, 1, "right", True), Column("Value RAG", 1, "centre", True)), rows))
        unaligned = [r for r in self.initiatives if r.active and not r.aligned]
        blocks.append(Heading("Unaligned active initiatives"))
        if unaligned:
            head, inv = money.column("Investment", [r.initiative.planned_investment for r in unaligned])
            blocks.append(Table((Column("Initiative", 3), Column("Stage", 1), Column(head, 1, "right", True),
                                 Column("Value RAG", 1, "centre", True)),
                                tuple((cell_lines(Span(r.initiative.code, bold=True), Span(r.initiative.name)),
                                       cell(r.initiative.stage.value), cell(inv[n], "right"),
                                       cell(rag_word(r.value_rag), "centre", rag=r.value_rag or "none"))
                                      for n, r in enumerate(unaligned))))
        else:
            blocks.append(text("Every active initiative serves at least one active objective."))
        return Section("Strategic alignment", tuple(blocks))

    # ------------------------------------------------------------------ decision papers
    def decision_papers(self) -> Section:
        required = self.result.decisions_required
        if not required:
            return Section("Decision papers", (text("No pivot rule is triggered, so no decision paper is needed."),))
        blocks: list = [text("One paper per triggered rule, most severe first: the rule as it was agreed, the evidence, "
                             "the recommended action, what is at stake and any decision already recorded.")]
        changes = {}
        for change in getattr(self.data, "rule_changes", ()):
            changes.setdefault(change.rule_id, []).append(change)
        for n, rr in enumerate(required, start=1):
            rule, i = rr.rule, rr.initiative
            ir = self.result.initiative(i.code)
            metric = rule.metric.value
            anchor = "approval" if rule.applies_from.value == "approval" else "go-live"
            agreed = (f"{metric_name(metric)} {rule.comparator.value} {tidy_decimal(rule.threshold)}, from "
                      f"{rule.applies_from_months} months after {anchor}: {rule.action.value}. Agreed on "
                      f"{long_date(rule.agreed_on)} by {rule.agreed_by or 'an unrecorded approver'}"
                      + (" — after the initiative's approval." if i.approval_date and rule.agreed_on > i.approval_date
                         else "."))
            before = self.previous.get(i.code)
            before_value = before.rule_metrics().get(metric) if before else None
            moved = travel(None if rr.observed is None else float(rr.observed),
                           None if before_value is None else float(before_value), METRIC_HIGHER_IS_BETTER[metric])
            evidence = (f"{metric_name(metric)} is {metric_value(metric, rr.observed)} against a threshold of "
                        f"{rule.comparator.value} {tidy_decimal(rule.threshold)}; at the end of the previous quarter it "
                        f"was {metric_value(metric, before_value)}"
                        + (f" ({moved.label})." if moved.sense else "."))
            benefit_flags = sorted({f"{b.benefit.code} {f}" for b in self.result.benefits_of(i.id) for f in b.flags
                                    if f in ("stale", "erosion")})
            if benefit_flags:
                evidence += " Early warnings: " + ", ".join(benefit_flags) + "."
            recorded = sorted((d for d in self.data.decisions if d.rule_id == rule.id), key=lambda d: d.raised_on)
            if recorded:
                d = recorded[-1]
                decision = (f"Raised {long_date(d.raised_on)}: {d.summary}. "
                            + (f"Decided {long_date(d.decided_on)} by {d.decided_by or NONE}: {d.outcome.value}"
                               + (f" — {d.rationale}" if d.rationale else "") + "."
                               if d.decided_on and d.outcome else "Not yet decided."))
            else:
                decision = "No decision is recorded yet."
            history = [f"{c.field} changed from {c.old_value or NONE} to {c.new_value or NONE} on "
                       f"{long_date(c.changed_at.date())}: {c.reason}" for c in changes.get(rule.id, [])]
            blocks.append(Heading(f"{n}. {rule.action.value.capitalize()} {i.code} — {i.name}"))
            facts = [("Rule as agreed", f"{rule.code}: {agreed}")]
            facts += [("Changed since", h) for h in history]
            facts += [("Evidence", evidence), ("Recommended action", f"{rule.action.value.capitalize()} {i.code}."),
                      ("At stake", f"Remaining cost {self.money.whole(ir.remaining_cost)}; expected remaining value "
                                   f"{self.money.whole(ir.expected_remaining_value)}; realised to date "
                                   f"{self.money.whole(ir.realised_value)}."),
                      ("Decision recorded", decision)]
            blocks.append(Facts(tuple(facts)))
        return Section("Decision papers", tuple(blocks))

    # ------------------------------------------------------------------ decision log
    def decision_log(self) -> Section:
        since = self.options.decisions_since
        decisions = sorted((d for d in self.data.decisions if d.raised_on >= since
                            or (d.decided_on and d.decided_on >= since)),
                           key=lambda d: (d.raised_on, self.codes[d.initiative_id]))
        title = f"Decision log since {long_date(since)}"
        if not decisions:
            return Section(title, (text("No decision was raised or taken in this period."),), bookmark="Decision log")
        rows = tuple((cell(iso(d.raised_on)), cell(self.codes[d.initiative_id], bold=True), cell(d.kind.value),
                      cell(d.summary), cell("Yes" if d.escalated else "No"),
                      cell(d.outcome.value if d.outcome else "pending", bold=d.outcome is None),
                      cell_lines(Span(iso(d.decided_on)), Span(d.decided_by or NONE)) if d.decided_on else cell(None),
                      self.since_decision(d))
                     for d in decisions)
        return Section(title, (Table((Column("Raised", 1, "left", True), Column("Initiative", 1, "left", True),
                                      Column("Kind", 1.2), Column("Summary", 3.5),
                                      Column("Escalated", 1, "left", True), Column("Outcome", 1, "left", True),
                                      Column("Decided", 1.4), Column("Since the decision", 1, "left", True)), rows,
                             note="Since the decision: the initiative's realisation vs plan and forecast attainment "
                                  "at the decision date → at the as-of date, and whether it is improving, worsening "
                                  "or unchanged (a change under 1 point) by realisation vs plan, else by forecast; "
                                  "— for a decision not yet taken."),), bookmark="Decision log")

    def since_decision(self, d) -> Cell:
        """The follow-up of a decided decision (DESIGN.md section 8): its verdict, then realisation vs
        plan and forecast attainment at the decision date → now, each on its own line so it never wraps."""
        f = follow_up(self.result, d)
        if f is None:
            return cell(None)
        lines = [Span(f.verdict, bold=True)]
        for label, a, b in (("vs plan", f.at_decision.realisation_vs_plan_pct, f.now.realisation_vs_plan_pct),
                            ("forecast", f.at_decision.forecast_attainment_pct, f.now.forecast_attainment_pct)):
            if a is not None or b is not None:
                lines.append(Span(f"{label} {pct(a)} → {pct(b)}"))
        return cell_lines(*lines)

    # ------------------------------------------------------------------ appendix
    def appendix(self) -> Section:
        p = self.data.portfolio
        blocks: list = [text(f"Fiscal year starts in month {p.fiscal_year_start_month}; quarters are fiscal quarters. "
                             f"Money is in {p.currency}, rounded to the currency's minor unit for presentation only.")]
        for term, meaning in DEFINITIONS:
            blocks.append(Text((Span(f"{term}. ", bold=True), Span(meaning))))
        return Section("Appendix: definitions", tuple(blocks), bookmark="Definitions")


def money_scale(largest: float, symbol: str) -> tuple[float, str]:
    """The divisor and unit for a money axis: £m from a million, £k from ten thousand."""
    if largest >= 1e6:
        return 1e6, f"{symbol}m"
    if largest >= 1e4:
        return 1e3, f"{symbol}k"
    return 1.0, symbol


def risk_band(score: int | None) -> str:
    if score is None:
        return "unknown"
    return "high" if score >= 16 else "medium" if score >= 8 else "low"


DEFINITIONS = [
    ("Improvement fraction f", "How far a benefit's measure has moved from its baseline towards its target: 0 at the "
     "baseline, 1 at the target, negative when worse than the baseline, above 1 beyond the target (never clipped)."),
    ("Planned measure", "The trajectory agreed for the measure: a straight line between the baseline and each dated "
     "trajectory point (or the target), held at the last point afterwards."),
    ("Actual measure", "The latest measurement dated on or before the as-of date and on or after the baseline date."),
    ("Realisation vs plan (benefit)", "The measure now against the plan now: f(actual) ÷ f(planned) at the as-of "
     "date; none while there is no actual or the plan has not yet moved."),
    ("Realised value", "Money accrued day by day from the baseline date to the earlier of the as-of date and the end "
     "of tracking: annual value ÷ 365 × f(actual) × attribution; a measurement counts from its own date. "
     "Dis-benefits count negative."),
    ("Planned value", "The same accrual along the planned path, integrated exactly."),
    ("Realisation vs plan (initiative, portfolio)", "Money accumulated to date: Σ realised value ÷ Σ planned value. "
     "Where an initiative's benefits carry no money, its value RAG uses the mean of its benefits' measure "
     "realisation vs plan."),
    ("Value RAG", "Green at or above the portfolio's green threshold, amber at or above the amber threshold, red "
     "below; shown with its word as well as its colour."),
    ("Benefits realised", "Σ realised value ÷ Σ investment over funded initiatives (investment: planned, or the "
     "actual cost for a terminated initiative)."),
    ("Strategic alignment", "Active initiatives linked to at least one active objective ÷ active initiatives; also "
     "weighted by planned investment."),
    ("Decision cycle time", "Median and mean days from raised to decided, over decisions decided in the quarter."),
    ("Escalation rate", "Active initiatives with an escalated decision raised in the quarter ÷ active initiatives."),
    ("Portfolio ROI", "(Σ realised value − Σ actual cost) ÷ Σ actual cost, over funded initiatives; the forecast "
     "version uses forecast value and cost to the end of tracking."),
    ("Direction of travel", "This quarter to date against the whole previous quarter: better or worse as the measure "
     "prefers, steady when it moved by less than half a point (or half a day)."),
    ("Forecast", f"{FORECAST_METHOD}. Attainment is the forecast f at the target date; the probability of reaching "
     "the target uses the same predictive distribution. No forecast below three measurements."),
    ("Erosion", "After go-live, the latest f is more than 0.10 below the best f measured since go-live."),
    ("Stale", "No measurement for more than 1.5 × the benefit's measurement interval."),
    ("Pivot rule", "A condition agreed by the initiative's approval at the latest; triggered rules are the decisions "
     "required, most severe first (terminate, pause, pivot, escalate, review)."),
    ("Expected remaining value", "Planned value from the as-of date to the end of tracking × confidence."),
    ("Efficient frontier", "For 26 budgets from nothing to the cost of every candidate (and the current plan's "
     "remaining cost), the set of active and proposed initiatives with the most expected remaining value that the "
     "budget buys, found exactly. The current plan is the active initiatives as they stand; the value gap is what "
     "the frontier buys for the same money beyond it, the cost gap what the frontier saves for the same value."),
    ("Value at risk", "Forecast value to the end of tracking, drawn 10,000 times from the uncertainty of each "
     "benefit's forecast trend (Student's t; benefits independent; fixed seed, so the pack is reproducible). P10, "
     "P50 and P90 are the values a run falls below one, five and nine times in ten. Realised value to date and costs "
     "are fixed; a benefit with measurements but no forecast is held at its latest actual."),
    ("PMO commentary", "The PMO's own words written for this meeting, printed beside the generated narrative and "
     "marked as theirs; everything else in the pack is generated from the figures."),
    ("— (none)", "A figure whose denominator is zero, or that cannot be computed yet: never shown as 0."),
]


def build_pack(data: PortfolioData, result: PortfolioResult, options: PackOptions,
               check: Callable[[float, str], None] = lambda f, m: None) -> Pack:
    return Builder(data, result, options).pack(check)


__all__ = ["PackOptions", "build_pack", "Builder", "Cell", "DEFINITIONS"]
