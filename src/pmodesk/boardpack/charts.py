"""Vector charts for the board pack, drawn with reportlab.graphics (no bitmaps).

A small axis kit rather than reportlab's chart widgets: the board pack needs date axes, bands and
labelled bubbles, and explicit drawing keeps every mark deliberate.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors

from pmodesk.boardpack.fonts import BOLD, REGULAR, plain
from pmodesk.boardpack.styles import INK, MUTED, NAVY, PLAN, RULE_GREY, risk_colour
from pmodesk.engine.portfolio import BenefitResult, InitiativeResult
from pmodesk.engine.trend import TrendPoint


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def short_amount(value: float, symbol: str) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}{symbol}{value / 1e9:.1f}bn"
    if value >= 1e6:
        return f"{sign}{symbol}{value / 1e6:.1f}m"
    if value >= 1e3:
        return f"{sign}{symbol}{value / 1e3:.0f}k"
    return f"{sign}{symbol}{value:.0f}"


class Axes:
    """Maps data to a plotting rectangle and draws gridlines and tick labels."""

    def __init__(self, drawing: Drawing, x: float, y: float, width: float, height: float,
                 x_range: tuple[float, float], y_range: tuple[float, float]):
        self.d, self.x, self.y, self.w, self.h = drawing, x, y, width, height
        x0, x1 = x_range
        y0, y1 = y_range
        if x1 <= x0:
            x1 = x0 + 1
        if y1 <= y0:
            y1 = y0 + 1
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1

    def px(self, value: float) -> float:
        return self.x + (value - self.x0) / (self.x1 - self.x0) * self.w

    def py(self, value: float) -> float:
        return self.y + (value - self.y0) / (self.y1 - self.y0) * self.h

    def y_grid(self, label, ticks: int = 4) -> None:
        step = _nice_step(self.y1 - self.y0, ticks)
        value = math.ceil(self.y0 / step) * step
        while value <= self.y1 + 1e-9:
            y = self.py(value)
            self.d.add(Line(self.x, y, self.x + self.w, y, strokeColor=RULE_GREY, strokeWidth=0.4))
            self.d.add(String(self.x - 4, y - 2.5, label(value), fontName=REGULAR, fontSize=6.5, fillColor=MUTED,
                              textAnchor="end"))
            value += step

    def x_dates(self, first: date, last: date, every_months: int = 3) -> None:
        day = date(first.year, ((first.month - 1) // every_months) * every_months + 1, 1)
        while day <= last:
            if day >= first:
                x = self.px(day.toordinal())
                self.d.add(Line(x, self.y, x, self.y - 3, strokeColor=MUTED, strokeWidth=0.4))
                self.d.add(String(x, self.y - 10, day.strftime("%b %y"), fontName=REGULAR, fontSize=6.5,
                                  fillColor=MUTED, textAnchor="middle"))
            month = day.month + every_months
            day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        self.d.add(Line(self.x, self.y, self.x + self.w, self.y, strokeColor=INK, strokeWidth=0.6))


def legend(drawing: Drawing, x: float, y: float, items: list[tuple[str, colors.Color, bool]]) -> None:
    for text, colour, dashed in items:
        drawing.add(Line(x, y + 2.5, x + 16, y + 2.5, strokeColor=colour, strokeWidth=1.6,
                         strokeDashArray=[3, 2] if dashed else None))
        drawing.add(String(x + 20, y, text, fontName=REGULAR, fontSize=7, fillColor=INK))
        x += 28 + len(text) * 3.6


def realisation_trend(points: list[TrendPoint], symbol: str, width: float, height: float = 190) -> Drawing:
    """Cumulative planned vs realised value of the funded portfolio, month by month."""
    drawing = Drawing(width, height)
    first, last = points[0].day, points[-1].day
    top = max([p.planned_value for p in points] + [p.realised_value for p in points] + [1.0])
    bottom = min([p.planned_value for p in points] + [p.realised_value for p in points] + [0.0])
    axes = Axes(drawing, 48, 28, width - 60, height - 50, (first.toordinal(), last.toordinal()), (bottom, top * 1.05))
    axes.y_grid(lambda v: short_amount(v, symbol))
    axes.x_dates(first, last)
    for attribute, colour, dashed in (("planned_value", PLAN, True), ("realised_value", NAVY, False)):
        coordinates = []
        for point in points:
            coordinates += [axes.px(point.day.toordinal()), axes.py(getattr(point, attribute))]
        drawing.add(PolyLine(coordinates, strokeColor=colour, strokeWidth=1.8,
                             strokeDashArray=[4, 2] if dashed else None))
    final = points[-1]
    drawing.add(String(axes.px(last.toordinal()) - 2, axes.py(final.realised_value) + 5,
                       short_amount(final.realised_value, symbol), fontName=BOLD, fontSize=7, fillColor=NAVY,
                       textAnchor="end"))
    legend(drawing, 48, height - 12, [("Planned value (cumulative)", PLAN, True),
                                      ("Realised value (cumulative)", NAVY, False)])
    return drawing


def trade_off(results: list[InitiativeResult], symbol: str, width: float, height: float = 230) -> Drawing:
    """Remaining cost (x) against expected remaining value (y); bubble size and colour by risk score."""
    drawing = Drawing(width, height)
    shown = [r for r in results if r.active or not r.funded]
    xs = [float(r.remaining_cost) for r in shown] or [0.0]
    ys = [r.expected_remaining_value for r in shown] or [0.0]
    axes = Axes(drawing, 52, 30, width - 70, height - 58, (0, max(xs + [1.0]) * 1.1),
                (min(ys + [0.0]), max(ys + [1.0]) * 1.15))
    axes.y_grid(lambda v: short_amount(v, symbol))
    step = _nice_step(axes.x1 - axes.x0, 5)
    value = 0.0
    while value <= axes.x1 + 1e-9:
        x = axes.px(value)
        drawing.add(Line(x, axes.y, x, axes.y - 3, strokeColor=MUTED, strokeWidth=0.4))
        drawing.add(String(x, axes.y - 10, short_amount(value, symbol), fontName=REGULAR, fontSize=6.5,
                           fillColor=MUTED, textAnchor="middle"))
        value += step
    drawing.add(Line(axes.x, axes.y, axes.x + axes.w, axes.y, strokeColor=INK, strokeWidth=0.6))
    drawing.add(String(axes.x + axes.w / 2, 4, "Remaining cost", fontName=REGULAR, fontSize=7, fillColor=INK,
                       textAnchor="middle"))
    drawing.add(String(8, axes.y + axes.h + 12, "Expected remaining value", fontName=REGULAR, fontSize=7,
                       fillColor=INK))
    for result in sorted(shown, key=lambda r: -(r.risk_score or 0)):
        risk = result.risk_score or 0
        radius = 4 + 10 * math.sqrt(risk / 25)
        cx, cy = axes.px(float(result.remaining_cost)), axes.py(result.expected_remaining_value)
        drawing.add(Circle(cx, cy, radius, fillColor=risk_colour(risk), fillOpacity=0.75, strokeColor=colors.white,
                           strokeWidth=0.6))
        drawing.add(String(cx + radius + 2, cy - 2.5, plain(result.initiative.code), fontName=BOLD, fontSize=6.5,
                           fillColor=INK))
    x = axes.x + axes.w - 190
    drawing.add(String(x, height - 12, "Risk score:", fontName=REGULAR, fontSize=7, fillColor=INK))
    for n, (risk, label) in enumerate(((4, "low (1–7)"), (12, "medium (8–15)"), (20, "high (16–25)"))):
        drawing.add(Circle(x + 48 + n * 50, height - 9.5, 4, fillColor=risk_colour(risk), strokeColor=None))
        drawing.add(String(x + 55 + n * 50, height - 12, label, fontName=REGULAR, fontSize=6.5, fillColor=INK))
    return drawing


def benefit_chart(result: BenefitResult, go_live: date | None, as_of: date, width: float,
                  height: float = 118) -> Drawing:
    """One benefit: planned path, actuals, baseline and target, forecast with its 80% band, go-live."""
    drawing = Drawing(width, height)
    series = result.series
    benefit = result.benefit
    drawing.add(String(2, height - 10, plain(f"{benefit.code} — {benefit.title}")[:70], fontName=BOLD, fontSize=7.5,
                       fillColor=INK))
    if not series.valid:
        drawing.add(String(2, height / 2, "No baseline recorded: nothing to chart yet.", fontName=REGULAR,
                           fontSize=7, fillColor=MUTED))
        return drawing
    b = benefit.baseline_date
    end = max(benefit.target_date, as_of)
    first, last = b, end + timedelta(days=15)
    plan = [(day, series.planned(day)) for day in sorted({b.toordinal(), *series.plan_days, last.toordinal()})]
    actual = list(zip(series.actual_days, series.actual_values))
    values = [v for _, v in plan] + [v for _, v in actual]
    forecast = result.forecast
    if forecast is not None:
        values += [series.baseline + series.span * f for f in (forecast.interval[0], forecast.interval[1])]
    low, high = min(values), max(values)
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    axes = Axes(drawing, 40, 20, width - 48, height - 40, (first.toordinal(), last.toordinal()), (low - pad, high + pad))
    axes.y_grid(lambda v: f"{v:,.4g}", ticks=3)
    months = max(1, round((last - first).days / 30 / 5))
    axes.x_dates(first, last, every_months=3 if months <= 3 else 6 if months <= 6 else 12)
    for level, label in ((series.baseline, "baseline"), (float(benefit.target_value), "target")):
        y = axes.py(level)
        drawing.add(Line(axes.x, y, axes.x + axes.w, y, strokeColor=MUTED, strokeWidth=0.5, strokeDashArray=[1, 2]))
        drawing.add(String(axes.x + axes.w, y + 1.5, label, fontName=REGULAR, fontSize=5.5, fillColor=MUTED,
                           textAnchor="end"))
    if go_live is not None and first <= go_live <= last:
        x = axes.px(go_live.toordinal())
        drawing.add(Line(x, axes.y, x, axes.y + axes.h, strokeColor=colors.HexColor("#7B1FA2"), strokeWidth=0.6,
                         strokeDashArray=[2, 2]))
        drawing.add(String(x + 2, axes.y + axes.h - 7, "go-live", fontName=REGULAR, fontSize=5.5,
                           fillColor=colors.HexColor("#7B1FA2")))
    x_as_of = axes.px(as_of.toordinal())
    drawing.add(Line(x_as_of, axes.y, x_as_of, axes.y + axes.h, strokeColor=MUTED, strokeWidth=0.4))
    coordinates = []
    for day, value in plan:
        coordinates += [axes.px(day), axes.py(value)]
    drawing.add(PolyLine(coordinates, strokeColor=PLAN, strokeWidth=1.3, strokeDashArray=[3, 2]))
    if forecast is not None and actual:
        start_day = actual[-1][0]
        target_day = benefit.target_date.toordinal()
        if target_day > start_day:
            f_start, f_end = forecast.at(start_day), forecast.fraction
            lo, hi = forecast.interval
            to_y = lambda f: axes.py(series.baseline + series.span * f)  # noqa: E731
            drawing.add(Polygon([axes.px(start_day), to_y(f_start), axes.px(target_day), to_y(hi),
                                 axes.px(target_day), to_y(lo)], fillColor=colors.HexColor("#90A4AE"),
                                fillOpacity=0.3, strokeColor=None))
            drawing.add(Line(axes.px(start_day), to_y(f_start), axes.px(target_day), to_y(f_end),
                             strokeColor=colors.HexColor("#546E7A"), strokeWidth=1, strokeDashArray=[1, 1.5]))
    if actual:
        coordinates = []
        for day, value in actual:
            coordinates += [axes.px(day), axes.py(value)]
        if len(actual) > 1:
            drawing.add(PolyLine(coordinates, strokeColor=NAVY, strokeWidth=1.2))
        for day, value in actual:
            drawing.add(Rect(axes.px(day) - 1.3, axes.py(value) - 1.3, 2.6, 2.6, fillColor=NAVY, strokeColor=None))
    return drawing
