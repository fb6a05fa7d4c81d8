"""Assemble the board pack PDF (DESIGN.md section 10) from the value engine's results.

``build_board_pack`` is the one entry point for the CLI and the UI: it reports progress through a
callback and stops when ``cancelled()`` says so. The PDF is written to a temporary file and renamed,
so no partial pack is ever left at the destination.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
    Spacer, Table, TableStyle,
)

from pmodesk import __version__
from pmodesk.atomic import atomic_destination
from pmodesk.boardpack import charts
from pmodesk.boardpack.fonts import BOLD, REGULAR, markup, register, symbols
from pmodesk.boardpack.narrative import narrative
from pmodesk.boardpack.styles import (
    BODY, BULLET, CELL, CELL_BOLD, CELL_CENTRE, CELL_RIGHT, FOOTER_SIZE, H1, H2, HEAD, HEAD_RIGHT, MUTED, RAG_COLOURS, SMALL, SUBTITLE, TITLE, table_style,
)
from pmodesk.domain.calendar import previous_fiscal_quarter
from pmodesk.domain.model import PortfolioData
from pmodesk.domain.money import minor_unit, round_money
from pmodesk.engine.benefits import FORECAST_METHOD
from pmodesk.engine.portfolio import METRICS, PortfolioResult, compute
from pmodesk.engine.trend import value_trend

rl_config.invariant = 1  # the same portfolio and dates always give the same bytes
PAPER = {"a4": A4, "letter": LETTER}
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "CHF": "CHF ",
           "INR": "₹", "CNY": "CN¥", "HKD": "HK$", "SGD": "S$", "ZAR": "R", "SEK": "kr ", "NOK": "kr ", "DKK": "kr "}


class Cancelled(Exception):
    """The user cancelled the board pack; nothing was written."""


@dataclass(frozen=True)
class PackOptions:
    as_of: date
    meeting_date: date
    decisions_since: date
    paper: str = "a4"
    file_name: str = ""
    scenario_id: int | None = None  # a scenario comparison page when set


def default_options(data: PortfolioData, as_of: date, meeting_date: date | None = None,
                    decisions_since: date | None = None, paper: str = "a4", file_name: str = "",
                    scenario_id: int | None = None) -> PackOptions:
    """Meeting date defaults to the as-of date; decisions-since to the start of the previous quarter."""
    since = decisions_since or previous_fiscal_quarter(as_of, data.portfolio.fiscal_year_start_month)[0]
    return PackOptions(as_of, meeting_date or as_of, since, paper, file_name, scenario_id)


# ----------------------------------------------------------------------------------- formatting
class Money:
    def __init__(self, currency: str):
        self.currency = currency
        self.symbol = SYMBOLS.get(currency, currency + " ")
        self.digits = minor_unit(currency)

    def whole(self, value) -> str:
        if value is None:
            return "—"
        rounded = round_money(value, self.currency).quantize(1)
        text = f"{abs(rounded):,.0f}"
        return f"-{self.symbol}{text}" if rounded < 0 else f"{self.symbol}{text}"


def _pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}%"


def _p(text: str, style=CELL) -> Paragraph:
    """A cell of our own text (already safe markup)."""
    return Paragraph(symbols(text), style)


def _u(text: str | None, style=CELL, bold: bool = False) -> Paragraph:
    """A cell of user text: escaped and set in the right font per run."""
    return Paragraph(markup(text, bold=bold) if text else "—", style)


_RAG_STYLES = {rag: ParagraphStyle(f"rag-{rag}", parent=CELL_CENTRE, textColor=ink)
               for rag, (_, ink) in RAG_COLOURS.items()}


def _rag_cell(rag: str | None) -> Paragraph:
    """RAG as colour and word, so it survives colour-blind readers and black-and-white printing."""
    return Paragraph(rag.capitalize() if rag else "—", _RAG_STYLES[rag])


def _rag_commands(column: int, rags: list[str | None], first_row: int = 1) -> list:
    commands = []
    for n, rag in enumerate(rags):
        background, _ = RAG_COLOURS[rag]
        row = first_row + n
        commands.append(("BACKGROUND", (column, row), (column, row), background))
    return commands


def _table(rows: list[list], widths: list[float], extra: list | None = None, right: set[int] = frozenset()) -> Table:
    header = [Paragraph(symbols(h), HEAD_RIGHT if i in right else HEAD) if isinstance(h, str) else h
              for i, h in enumerate(rows[0])]
    table = Table([header] + rows[1:], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(table_style(len(rows)) + (extra or [])))
    return table


# ----------------------------------------------------------------------------------- page furniture
def _numbered_canvas(footer: Callable[[Canvas, int, int], None]):
    class NumberedCanvas(Canvas):
        """Draws the footer once the page count is known ("Page x of y")."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


# ----------------------------------------------------------------------------------- the pack
def build_board_pack(data: PortfolioData, destination: str | Path, options: PackOptions,
                     progress: Callable[[float, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> int:
    """Write the board pack; return its page count. Raises :class:`Cancelled` if cancelled."""
    register()
    report = progress or (lambda fraction, message: None)
    is_cancelled = cancelled or (lambda: False)

    def check(fraction: float, message: str) -> None:
        if is_cancelled():
            raise Cancelled()
        report(fraction, message)

    check(0.02, "Computing the figures")
    result = compute(data, options.as_of)
    money = Money(data.portfolio.currency)
    page_size = PAPER[options.paper]
    width, height = page_size
    margin = 18 * mm
    frame_width = width - 2 * margin
    portfolio = data.portfolio
    marking = portfolio.confidentiality or "CONFIDENTIAL"

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#D5DAE1"))
        canvas.setLineWidth(0.5)
        canvas.line(margin, 14 * mm, width - margin, 14 * mm)
        canvas.setFont(REGULAR, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, 10 * mm, f"Page {number} of {total}")
        centre = f"As of {options.as_of.isoformat()}  ·  {options.file_name}"
        canvas.drawCentredString(width / 2, 10 * mm, centre[:110])
        canvas.setFont(BOLD, FOOTER_SIZE)
        canvas.setFillColor(colors.HexColor("#C62828"))
        canvas.drawRightString(width - margin, 10 * mm, marking[:40])
        canvas.restoreState()

    story: list = []
    story += _cover(data, result, options, marking)
    check(0.1, "Executive summary")
    kpis = {k.metric: k for k in data.kpis}
    story += [NextPageTemplate("body"), PageBreak()]
    story += _summary(result, kpis, money, frame_width)
    check(0.2, "Decisions required")
    story += _decisions_required(result, frame_width)
    check(0.3, "Portfolio value health")
    story += _health(result, money, frame_width)
    check(0.4, "Charts")
    story += _charts(result, money, frame_width, options.as_of)
    if options.scenario_id is not None:
        check(0.43, "Scenario comparison")
        story += _scenario_page(data, options, money, frame_width)
    initiatives = sorted(result.initiatives, key=lambda r: r.initiative.code)
    for n, initiative in enumerate(initiatives):
        check(0.45 + 0.4 * n / max(1, len(initiatives)), f"Initiative {initiative.initiative.code}")
        story += _initiative_section(data, result, initiative, money, frame_width, options)
    check(0.86, "Decision log")
    story += _decision_log(data, options, frame_width)
    story += _appendix(data)

    pages = [0]

    class Pack(BaseDocTemplate):
        def afterPage(self):  # noqa: N802 - reportlab's name
            pages[0] += 1
            check(min(0.99, 0.88 + 0.01 * pages[0]), f"Page {pages[0]}")

    with atomic_destination(destination) as temp:
        document = Pack(str(temp), pagesize=page_size, leftMargin=margin, rightMargin=margin, topMargin=margin,
                        bottomMargin=22 * mm, title=f"{portfolio.name} — board pack", author="pmodesk",
                        subject=f"As of {options.as_of.isoformat()}", creator=f"pmodesk {__version__}",
                        initialFontName=REGULAR)  # never Helvetica: every font in the pack is embedded
        frame = Frame(margin, 22 * mm, frame_width, height - margin - 22 * mm, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        document.addPageTemplates([PageTemplate("cover", [frame]), PageTemplate("body", [frame])])
        document.build(story, canvasmaker=_numbered_canvas(footer))
    report(1.0, "Done")
    return pages[0]


def _cover(data: PortfolioData, result: PortfolioResult, options: PackOptions, marking: str) -> list:
    p = data.portfolio
    return [
        Spacer(1, 50 * mm),
        Paragraph(markup(marking, bold=True), _colour(SMALL, "#C62828")),
        Spacer(1, 6 * mm),
        Paragraph(markup(p.name, bold=True), TITLE),
        Paragraph(markup(p.client) if p.client else "", SUBTITLE),
        Spacer(1, 12 * mm),
        Paragraph("Board pack — value delivery", _colour(H2, "#1F3A5F")),
        Paragraph(f"Meeting date: <b>{options.meeting_date.strftime('%-d %B %Y')}</b>", BODY),
        Paragraph(f"Figures as of: <b>{options.as_of.strftime('%-d %B %Y')}</b>", BODY),
        Paragraph(f"Decision log since: {options.decisions_since.strftime('%-d %B %Y')}", BODY),
        Spacer(1, 30 * mm),
        Paragraph(f"{len(result.initiatives)} initiatives · {len(result.benefits)} benefits · currency "
                  f"{p.currency}. Prepared with pmodesk {__version__}; every figure is defined in the appendix.",
                  SMALL),
    ]


def _colour(style, hex_colour: str):
    return ParagraphStyle(f"{style.name}-{hex_colour}", parent=style, textColor=colors.HexColor(hex_colour))


def _direction(now: float | None, before: float | None, higher_is_better: bool) -> str:
    if now is None or before is None:
        return "—"
    change = now - before
    if abs(change) < 0.05:
        return "→ steady"
    better = (change > 0) == higher_is_better
    return f"{'↑' if change > 0 else '↓'} {'better' if better else 'worse'}"


def _summary(result: PortfolioResult, kpis: dict, money: Money, width: float) -> list:
    m, prev = result.metrics, result.previous_quarter
    quarter = f"{m.quarter[0].strftime('%-d %b %Y')} – {result.as_of.strftime('%-d %b %Y')}"
    rows = [["Metric", "This quarter", "Previous quarter", "Direction", "Baseline", "Target"]]
    for key, label, unit, higher in METRICS:
        now, before = getattr(m, key), getattr(prev, key)
        kpi = kpis.get(key)
        fmt = (lambda v: "—" if v is None else f"{v:,.1f}{unit}")
        rows.append([_p(label, CELL_BOLD), _p(fmt(now), CELL_RIGHT), _p(fmt(before), CELL_RIGHT),
                     _p(_direction(now, before, higher)),
                     _p(fmt(float(kpi.baseline)) if kpi and kpi.baseline is not None else "—", CELL_RIGHT),
                     _p(fmt(float(kpi.target)) if kpi and kpi.target is not None else "—", CELL_RIGHT)])
    targets = {k: float(v.target) for k, v in kpis.items() if v.target is not None}
    story = [Paragraph("Executive summary", H1),
             Paragraph(f"Quarter to date: {quarter}. Realised {money.whole(m.realised_value)} of "
                       f"{money.whole(m.planned_value)} planned to date; actual cost {money.whole(m.actual_cost)} "
                       f"against planned investment {money.whole(m.planned_investment)}.", BODY),
             Paragraph("What the board needs to know", H2)]
    story += [Paragraph(markup(line), BULLET, bulletText="•") for line in narrative(result, targets)]
    story += [Paragraph("Measures against baseline and target", H2),
              _table(rows, [w * width for w in (0.3, 0.14, 0.14, 0.14, 0.14, 0.14)], right={1, 2, 4, 5}),
              Paragraph("Direction compares this quarter to date with the whole previous quarter. "
                        "“—” means the figure has no denominator yet (none).", SMALL)]
    return story


def _decisions_required(result: PortfolioResult, width: float) -> list:
    story = [CondPageBreak(60 * mm), Paragraph("Decisions required", H1)]
    if not result.decisions_required:
        return story + [Paragraph("No pivot rule is triggered at this date.", BODY)]
    story.append(Paragraph("Pivot rules agreed at approval that the figures now trigger, most severe first. "
                           "Each is a decision for the board: the recommended action is the one agreed in advance.",
                           BODY))
    rows = [["Action", "Initiative", "Rule", "Metric", "Observed", "Threshold"]]
    for r in result.decisions_required:
        observed = r.observed if isinstance(r.observed, int) else f"{r.observed:,.1f}"
        rows.append([_p(f"<b>{r.rule.action.value.capitalize()}</b>"),
                     Paragraph(f"{markup(r.initiative.code, bold=True)}<br/>{markup(r.initiative.name)}", CELL),
                     _u(r.rule.code), _p(r.rule.metric.value.replace("_", " ")),
                     _p(f"{observed}", CELL_RIGHT), _p(f"{r.rule.comparator.value} {r.rule.threshold}", CELL_RIGHT)])
    return story + [_table(rows, [w * width for w in (0.12, 0.33, 0.08, 0.23, 0.12, 0.12)], right={4, 5})]


def _health(result: PortfolioResult, money: Money, width: float) -> list:
    rows = [["Initiative", "Stage", "Investment", "Planned value", "Realised value", "vs plan", "Forecast",
             "Value RAG", "Aligned", "Flags"]]  # widths below keep every header word whole
    rags = []
    for r in sorted(result.initiatives, key=lambda r: r.initiative.code):
        rags.append(r.value_rag)
        flags = ", ".join(f.replace("_", " ") for f in r.flags) or "—"
        rows.append([Paragraph(f"{markup(r.initiative.code, bold=True)}<br/>{markup(r.initiative.name)}", CELL),
                     _p(r.initiative.stage.value), _p(money.whole(r.investment), CELL_RIGHT),
                     _p(money.whole(r.planned_value), CELL_RIGHT), _p(money.whole(r.realised_value), CELL_RIGHT),
                     _p(_pct(r.realisation_vs_plan_pct), CELL_RIGHT), _p(_pct(r.forecast_attainment_pct), CELL_RIGHT),
                     _rag_cell(r.value_rag), _p("Yes" if r.aligned else "<b>No</b>"), _p(flags)])
    widths = [w * width for w in (0.165, 0.11, 0.105, 0.105, 0.105, 0.065, 0.08, 0.075, 0.07, 0.12)]
    return [CondPageBreak(80 * mm), Paragraph("Portfolio value health", H1),
            _table(rows, widths, _rag_commands(7, rags), right={2, 3, 4, 5, 6}),
            Paragraph("Investment is the planned investment, or the actual cost for a terminated initiative. "
                      "Forecast is the lowest forecast attainment of the initiative's benefits.", SMALL)]


def _charts(result: PortfolioResult, money: Money, width: float, as_of: date) -> list:
    points = value_trend(result.prepared, as_of)
    return [PageBreak(), Paragraph("Realisation trend", H1),
            Paragraph("Cumulative value of the funded portfolio: planned path against what the measurements show "
                      "was realised.", BODY),
            charts.realisation_trend(points, money.symbol, width),
            Paragraph("Cost, value and risk", H1),
            Paragraph("Active and proposed initiatives: what is left to spend against the value still expected "
                      "(planned value to the end of tracking × confidence). Bigger, redder bubbles carry more risk.",
                      BODY),
            charts.trade_off(list(result.initiatives), money.symbol, width)]


def _scenario_page(data: PortfolioData, options: PackOptions, money: Money, width: float) -> list:
    from pmodesk.engine.scenarios import compare, comparison_json, describe_override

    comparison = comparison_json(compare(data, options.scenario_id, options.as_of))
    codes = {i.id: i.code for i in data.initiatives}
    story = [PageBreak(), Paragraph(f"Scenario: {markup(comparison['scenario'], bold=True)}", H1),
             Paragraph("What the figures would be with these overrides, beside the current plan. Overrides change "
                       "what is computed, never the recorded measurements or costs.", BODY)]
    changes = []
    for o in sorted((o for o in data.scenario_overrides if o.scenario_id == options.scenario_id),
                    key=lambda o: codes[o.initiative_id]):
        changes.append(Paragraph(f"{markup(codes[o.initiative_id], bold=True)}: "
                                 f"{describe_override(o, money.whole)}", BULLET, bulletText="•"))
    story += changes or [Paragraph("This scenario has no overrides.", BODY)]
    rows = [["Measure", "Current plan", "With scenario", "Difference"]]
    for key, label, unit, _ in METRICS:
        cells = []
        for side in ("current", "with_scenario"):
            value = comparison[side][key]
            cells.append("—" if value is None else f"{value:,.1f}{unit}")
        diff = comparison["difference"][key]
        cells.append("—" if diff is None else f"{diff:+,.1f}")
        rows.append([_p(label, CELL_BOLD)] + [_p(c, CELL_RIGHT) for c in cells])
    for key, label in (("remaining_cost", "Remaining cost"), ("expected_remaining_value", "Expected remaining value"),
                       ("realised_value", "Realised value to date")):
        values = [comparison["current"][key], comparison["with_scenario"][key], comparison["difference"][key]]
        rows.append([_p(label, CELL_BOLD)] + [_p(money.whole(Decimal(v)), CELL_RIGHT) for v in values])
    story.append(_table(rows, [w * width for w in (0.4, 0.2, 0.2, 0.2)], right={1, 2, 3}))
    return story


def _initiative_section(data: PortfolioData, result: PortfolioResult, r, money: Money, width: float,
                        options: PackOptions) -> list:
    i = r.initiative
    story = [PageBreak(), Paragraph(f"{markup(i.code, bold=True)} — {markup(i.name, bold=True)}", H1)]
    if i.description:
        story.append(Paragraph(markup(i.description), BODY))
    facts = [
        ("Stage", i.stage.value), ("Sponsor", i.sponsor), ("Owner", i.owner),
        ("Approved", i.approval_date and i.approval_date.isoformat()),
        ("Go-live", f"{(i.forecast_go_live or i.planned_go_live).isoformat()}"
                    + (f" (planned {i.planned_go_live.isoformat()})" if i.forecast_go_live and i.planned_go_live
                       and i.forecast_go_live != i.planned_go_live else "") if i.go_live else None),
        ("Investment", money.whole(i.planned_investment)), ("Actual cost to date", money.whole(r.actual_cost)),
        ("Remaining cost", money.whole(r.remaining_cost)),
        ("Value RAG", (r.value_rag or "none").capitalize()),
        ("Realisation vs plan", _pct(r.realisation_vs_plan_pct)),
        ("Risk score", str(r.risk_score) if r.risk_score is not None else None),
        ("Delivery RAG", i.delivery_rag.value.capitalize() if i.delivery_rag else None),
    ]
    cells = [[_p(f"<b>{label}</b>", CELL), _u(value)] for label, value in facts]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    grid = [a + (b if n < len(right) else [_p(""), _p("")]) for n, (a, b) in
            enumerate(zip(left, right + [[_p(""), _p("")]] * (len(left) - len(right))))]
    facts_table = Table(grid, colWidths=[w * width for w in (0.17, 0.33, 0.17, 0.33)], hAlign="LEFT")
    facts_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#E6E9EE"))]))
    story.append(facts_table)
    benefits = sorted(result.benefits_of(i.id), key=lambda b: b.benefit.code)
    story.append(Paragraph("Benefits", H2))
    if not benefits:
        story.append(Paragraph("No benefit is registered for this initiative.", BODY))
    else:
        rows = [["Benefit", "Owner", "Baseline → target", "Actual", "vs plan", "Realised", "Forecast (80% band)",
                 "Flags"]]
        for b in benefits:
            unit = b.benefit.unit or ""
            base = "—" if b.benefit.baseline_value is None else f"{b.benefit.baseline_value}"
            forecast = "—"
            if b.forecast is not None:
                lo, hi = b.forecast.interval
                forecast = f"{b.forecast.attainment_pct:.0f}% ({100 * lo:.0f}–{100 * hi:.0f}%)"
            kind = " (dis-benefit)" if b.benefit.dis_benefit else ""
            rows.append([Paragraph(f"{markup(b.benefit.code, bold=True)}{kind}<br/>{markup(b.benefit.title)}", CELL),
                         _u(b.benefit.owner or "no owner"),
                         _u(f"{base} → {b.benefit.target_value} {unit} by {b.benefit.target_date.isoformat()}"),
                         _p("—" if b.actual_measure is None else f"{b.actual_measure:,.4g}", CELL_RIGHT),
                         _p(_pct(b.realisation_vs_plan_pct), CELL_RIGHT),
                         _p("—" if b.realised_value is None else money.whole(b.realised_value), CELL_RIGHT),
                         _p(forecast, CELL_RIGHT), _p(", ".join(f.replace("_", " ") for f in b.flags) or "—")])
        story.append(_table(rows, [w * width for w in (0.22, 0.11, 0.18, 0.08, 0.07, 0.1, 0.13, 0.11)],
                            right={3, 4, 5, 6}))
        charts_row = []
        chart_width = (width - 6 * mm) / 2
        for b in benefits:
            charts_row.append(charts.benefit_chart(b, i.go_live, options.as_of, chart_width))
        grid = [charts_row[n:n + 2] + [""] * (2 - len(charts_row[n:n + 2])) for n in range(0, len(charts_row), 2)]
        chart_table = Table(grid, colWidths=[chart_width + 3 * mm] * 2, hAlign="LEFT")
        chart_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 4)]))
        story += [Paragraph("Measures against plan", H2), chart_table,
                  Paragraph(f"Dashed orange: planned trajectory; navy: actual measurements; grey cone: forecast to the "
                            f"target date with its 80% prediction band. Forecast method: {FORECAST_METHOD}.", SMALL)]
    rules = sorted((rule for rule in data.pivot_rules if rule.initiative_id == i.id), key=lambda rule: rule.code)
    state = {rr.rule.id: rr for rr in r.rule_results}
    story.append(Paragraph("Pivot rules", H2))
    if not rules:
        story.append(Paragraph("<b>No pivot rule is agreed for this initiative.</b>", BODY))
    else:
        rows = [["Rule", "Condition", "Applies from", "Action", "Agreed", "State"]]
        for rule in rules:
            rr = state.get(rule.id)
            if not rule.active:
                status = "inactive"
            elif not r.active:
                status = "not evaluated (initiative not active)"
            elif rr is None:
                status = "not yet applicable"
            elif not rr.evaluable:
                status = "not evaluable"
            elif rr.triggered:
                status = f"<b>TRIGGERED</b> (observed {rr.observed if isinstance(rr.observed, int) else f'{rr.observed:,.1f}'})"
            else:
                status = "not triggered"
            anchor = "approval" if rule.applies_from.value == "approval" else "go-live"
            late = " <b>(after approval)</b>" if i.approval_date and rule.agreed_on > i.approval_date else ""
            rows.append([_u(rule.code, bold=True),
                         _p(f"{rule.metric.value.replace('_', ' ')} {rule.comparator.value} {rule.threshold}"),
                         _p(f"{rule.applies_from_months} months after {anchor}"), _p(rule.action.value),
                         Paragraph(f"{rule.agreed_on.isoformat()}{late}<br/>{markup(rule.agreed_by)}", CELL),
                         _p(status)])
        story.append(_table(rows, [w * width for w in (0.08, 0.3, 0.17, 0.1, 0.17, 0.18)]))
    decisions = sorted((d for d in data.decisions if d.initiative_id == i.id), key=lambda d: d.raised_on)[-4:]
    story.append(Paragraph("Recent decisions", H2))
    if not decisions:
        story.append(Paragraph("No decision is recorded for this initiative.", BODY))
    else:
        rows = [["Raised", "Decision", "Outcome", "Decided"]]  # dates need 0.115 of the width to stay whole
        for d in reversed(decisions):
            rows.append([_p(d.raised_on.isoformat()),
                         Paragraph(f"{markup(d.summary)}" + (f"<br/><i>{markup(d.rationale)}</i>" if d.rationale else ""),
                                   CELL),
                         _p(d.outcome.value if d.outcome else "<b>pending</b>"),
                         Paragraph(f"{d.decided_on.isoformat()}<br/>{markup(d.decided_by)}" if d.decided_on else "—",
                                   CELL)])
        story.append(KeepTogether(_table(rows, [w * width for w in (0.115, 0.585, 0.12, 0.18)])))
    return story


def _decision_log(data: PortfolioData, options: PackOptions, width: float) -> list:
    codes = {i.id: i.code for i in data.initiatives}
    decisions = sorted((d for d in data.decisions if d.raised_on >= options.decisions_since
                        or (d.decided_on and d.decided_on >= options.decisions_since)),
                       key=lambda d: (d.raised_on, codes[d.initiative_id]))
    story = [PageBreak(), Paragraph(f"Decision log since {options.decisions_since.strftime('%-d %B %Y')}", H1)]
    if not decisions:
        return story + [Paragraph("No decision was raised or taken in this period.", BODY)]
    rows = [["Raised", "Initiative", "Kind", "Summary", "Escalated", "Outcome", "Decided"]]
    for d in decisions:
        rows.append([_p(d.raised_on.isoformat()), _u(codes[d.initiative_id], bold=True), _p(d.kind.value),
                     _u(d.summary), _p("Yes" if d.escalated else "No"),
                     _p(d.outcome.value if d.outcome else "<b>pending</b>"),
                     Paragraph(f"{d.decided_on.isoformat()}<br/>{markup(d.decided_by)}" if d.decided_on else "—",
                               CELL)])
    return story + [_table(rows, [w * width for w in (0.115, 0.1, 0.12, 0.32, 0.095, 0.1, 0.15)])]


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
    ("Forecast", f"{FORECAST_METHOD}. Attainment is the forecast f at the target date; the probability of reaching "
     "the target uses the same predictive distribution. No forecast below three measurements."),
    ("Erosion", "After go-live, the latest f is more than 0.10 below the best f measured since go-live."),
    ("Stale", "No measurement for more than 1.5 × the benefit's measurement interval."),
    ("Pivot rule", "A condition agreed by the initiative's approval at the latest; triggered rules are the decisions "
     "required, most severe first (terminate, pause, pivot, escalate, review)."),
    ("Expected remaining value", "Planned value from the as-of date to the end of tracking × confidence."),
    ("None (—)", "A figure whose denominator is zero, or that cannot be computed yet: never shown as 0."),
]


def _appendix(data: PortfolioData) -> list:
    story = [PageBreak(), Paragraph("Appendix: definitions", H1),
             Paragraph(f"Fiscal year starts in month {data.portfolio.fiscal_year_start_month}; quarters are fiscal "
                       f"quarters. Money is in {data.portfolio.currency}, rounded to the currency's minor unit for "
                       "presentation only.", BODY)]
    for term, text in DEFINITIONS:
        story.append(Paragraph(f"<b>{term}.</b> {text}", BODY))
    return story
