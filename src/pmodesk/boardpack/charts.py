"""Vector charts for the PDF, drawn with reportlab.graphics from the content model's chart objects.

A small axis kit rather than reportlab's chart widgets: the pack needs date axes, bands, labelled
bubbles that never collide and text in every script, and explicit drawing keeps every mark
deliberate. Tick labels never use exponents; their decimals follow the tick step. Every string goes
through ``label`` so each run of text is set in a font that has it (and shaped when complex).
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from pmodesk.boardpack.fonts import SHAPED_NAMES, runs, shaped_string, visual
from pmodesk.boardpack.format import MINUS, MONTHS
from pmodesk.boardpack.model import BenefitsMap, BubbleChart, FrontierChart, LineChart
from pmodesk.boardpack.styles import INK, MUTED, NAVY, PLAN, RISK_COLOURS, RULE_GREY

FORECAST = colors.HexColor("#546E7A")
GO_LIVE = colors.HexColor("#7B1FA2")


def label(x: float, y: float, value: str, size: float = 6.5, bold: bool = False, colour=INK,
          anchor: str = "start"):
    """A line of text in every script: one String per font run, shaped where the script needs it."""
    pieces = runs(visual(value), bold)
    if len(pieces) == 1 and pieces[0][0] not in SHAPED_NAMES:  # one font, no shaping: a plain String
        font = pieces[0][0]
        return String(x, y, pieces[0][1], fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)
    group = Group()
    parts = [(font, shaped_string(part, font, size)) for font, part in pieces]
    total = sum(pdfmetrics.stringWidth(part, font, size) for font, part in pieces)
    start = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    for (font, shaped), (_, part) in zip(parts, pieces):
        group.add(String(start, y, shaped, fontName=font, fontSize=size, fillColor=colour))
        start += pdfmetrics.stringWidth(part, font, size)
    return group


def label_width(value: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(visual(value), bold))


def nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def tick_text(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (0.25 → 2), thousands separated, never 4e+04."""
    digits = max(0, min(6, -math.floor(math.log10(step) + 1e-9))) if step > 0 else 0
    if step > 0 and abs(step * 10 ** digits - round(step * 10 ** digits)) > 1e-6:
        digits += 1  # 2.5 needs one decimal, 0.25 two
    value = 0.0 if abs(value) < step * 1e-6 else value
    text = f"{abs(value):,.{digits}f}"
    return f"{MINUS}{text}" if value < 0 else text


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
            pad = abs(y0) * 0.1 or 1.0
            y0, y1 = y0 - pad, y1 + pad
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1

    def px(self, value: float) -> float:
        return self.x + (value - self.x0) / (self.x1 - self.x0) * self.w

    def py(self, value: float) -> float:
        return self.y + (value - self.y0) / (self.y1 - self.y0) * self.h

    def y_grid(self, scale: float = 1.0, ticks: int = 4) -> float:
        """Gridlines with tick labels (value ÷ scale); returns the widest label's width."""
        step = nice_step((self.y1 - self.y0) / scale, ticks) * scale
        value = math.ceil(self.y0 / step - 1e-9) * step
        widest = 0.0
        while value <= self.y1 + step * 1e-9:
            y = self.py(value)
            self.d.add(Line(self.x, y, self.x + self.w, y, strokeColor=RULE_GREY, strokeWidth=0.4))
            text = tick_text(value / scale, step / scale)
            widest = max(widest, label_width(text, 6.5))
            self.d.add(label(self.x - 3, y - 2.3, text, colour=MUTED, anchor="end"))
            value += step
        return widest

    def x_values(self, scale: float = 1.0, ticks: int = 5) -> None:
        step = nice_step((self.x1 - self.x0) / scale, ticks) * scale
        value = math.ceil(self.x0 / step - 1e-9) * step
        while value <= self.x1 + step * 1e-9:
            x = self.px(value)
            self.d.add(Line(x, self.y, x, self.y - 3, strokeColor=MUTED, strokeWidth=0.4))
            self.d.add(label(x, self.y - 10, tick_text(value / scale, step / scale), colour=MUTED, anchor="middle"))
            value += step
        self.d.add(Line(self.x, self.y, self.x + self.w, self.y, strokeColor=INK, strokeWidth=0.6))

    def x_dates(self, first: date, last: date) -> None:
        months = (last.year - first.year) * 12 + last.month - first.month
        every = next(n for n in (1, 2, 3, 6, 12, 24, 60) if months / n <= max(3, self.w / 45))
        day = date(first.year, ((first.month - 1) // every) * every + 1, 1) if every <= 12 else date(first.year, 1, 1)
        while day <= last:
            if day >= first:
                x = self.px(day.toordinal())
                self.d.add(Line(x, self.y, x, self.y - 3, strokeColor=MUTED, strokeWidth=0.4))
                text = str(day.year) if every >= 12 else f"{MONTHS[day.month - 1][:3]} {day.year % 100:02d}"
                self.d.add(label(x, self.y - 10, text, colour=MUTED, anchor="middle"))
            month = day.month + every
            day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        self.d.add(Line(self.x, self.y, self.x + self.w, self.y, strokeColor=INK, strokeWidth=0.6))


SERIES_STYLE = {"plan": (PLAN, [3, 2], 1.4), "actual": (NAVY, None, 1.3), "forecast": (FORECAST, [1, 1.5], 1.0)}


def line_chart(chart: LineChart, width: float, height: float, legend: bool = True, title: bool = True) -> Drawing:
    """A dated line chart: the unit on the y axis, legend above the plot (outside the data)."""
    drawing = Drawing(width, height)
    top = height
    if title:
        text = _elided(chart.title, 7.5, width - 4, True)
        drawing.add(label(2, height - 9, text, 7.5, True))
        top -= 13
    if chart.empty_note:
        drawing.add(label(2, height / 2, chart.empty_note, 7, colour=MUTED))
        return drawing
    legend_items = [(s.name, *SERIES_STYLE[s.role]) for s in chart.series if s.points]
    if legend and legend_items:
        x = 2
        for name, colour, dash, stroke in legend_items:
            drawing.add(Line(x, top - 5, x + 14, top - 5, strokeColor=colour, strokeWidth=stroke + 0.3,
                             strokeDashArray=dash))
            drawing.add(label(x + 17, top - 7.3, name, 6.5))
            x += 24 + label_width(name, 6.5)
        top -= 12
    drawing.add(label(2, top - 8, chart.y_label, 6.5, colour=MUTED))
    top -= 10
    values = [v for s in chart.series for _, v in s.points] + [v for _, v in chart.hlines]
    values += [v for _, lo, hi in chart.band for v in (lo, hi)]
    values = [v for v in values if v is not None and math.isfinite(v)] or [0.0]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    # a first pass measures the tick labels so the plot starts just right of the widest one
    probe = Axes(Drawing(1, 1), 0, 0, 1, 1, (0, 1), (low - pad, high + pad))
    left = 8 + probe.y_grid(chart.y_scale)
    axes = Axes(drawing, left, 16, width - left - 6, top - 20,
                (chart.first.toordinal(), chart.last.toordinal()), (low - pad, high + pad))
    axes.y_grid(chart.y_scale)
    axes.x_dates(chart.first, chart.last)
    for name, level in chart.hlines:
        y = axes.py(level)
        drawing.add(Line(axes.x, y, axes.x + axes.w, y, strokeColor=MUTED, strokeWidth=0.5, strokeDashArray=[1, 2]))
        drawing.add(label(axes.x + 2, y + 1.5, name, 5.5, colour=MUTED))
    for name, when in chart.vlines:
        if chart.first <= when <= chart.last:
            x = axes.px(when.toordinal())
            colour = GO_LIVE if name == "go-live" else MUTED
            drawing.add(Line(x, axes.y, x, axes.y + axes.h, strokeColor=colour, strokeWidth=0.5,
                             strokeDashArray=[2, 2] if name == "go-live" else None))
            # go-live reads to the right of its line, the as-of date to the left: they never overprint
            right = name == "go-live"
            drawing.add(label(x + 2 if right else x - 2, axes.y + axes.h - 6, name, 5.5, colour=colour,
                              anchor="start" if right else "end"))
    if len(chart.band) >= 2:
        upper = [(axes.px(d.toordinal()), axes.py(hi)) for d, _, hi in chart.band]
        lower = [(axes.px(d.toordinal()), axes.py(lo)) for d, lo, _ in reversed(chart.band)]
        drawing.add(Polygon([c for point in upper + lower for c in point], fillColor=colors.HexColor("#90A4AE"),
                            fillOpacity=0.3, strokeColor=None))
    for series in chart.series:
        colour, dash, stroke = SERIES_STYLE[series.role]
        coordinates = [c for d, v in series.points for c in (axes.px(d.toordinal()), axes.py(v))]
        if len(series.points) > 1:
            drawing.add(PolyLine(coordinates, strokeColor=colour, strokeWidth=stroke, strokeDashArray=dash))
        if series.role == "actual" and len(series.points) <= 24:  # markers while they can be told apart
            for d, v in series.points:
                drawing.add(Rect(axes.px(d.toordinal()) - 1.2, axes.py(v) - 1.2, 2.4, 2.4, fillColor=colour,
                                 strokeColor=None))
    return drawing


def _overlaps(box, boxes) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def bubble_chart(chart: BubbleChart, width: float, height: float, label_limit: int = 25) -> Drawing:
    """Remaining cost (x) against expected remaining value (y); size and shade by risk. Labels are
    placed beside their bubble where they overlap nothing already placed, else dropped."""
    drawing = Drawing(width, height)
    legend_y = height - 9
    x = 2
    drawing.add(label(x, legend_y, "Risk score:", 6.5))
    x += label_width("Risk score:", 6.5) + 8
    for band, text in (("low", "low (1–7)"), ("medium", "medium (8–15)"), ("high", "high (16–25)"),
                       ("unknown", "not scored")):
        fill, edge = RISK_COLOURS[band]
        drawing.add(Circle(x + 3.5, legend_y + 2.3, 3.5, fillColor=fill, strokeColor=edge, strokeWidth=0.6))
        drawing.add(label(x + 10, legend_y, text, 6.5))
        x += 18 + label_width(text, 6.5)
    drawing.add(label(2, height - 24, chart.y_label, 6.5, colour=MUTED))
    xs = [b.x for b in chart.bubbles] or [0.0]
    ys = [b.y for b in chart.bubbles] or [0.0]
    y_low = min(ys + [0.0])
    y_high = max(ys + [1.0])
    probe = Axes(Drawing(1, 1), 0, 0, 1, 1, (0, 1), (y_low, y_high * 1.12 if y_high > 0 else 1))
    left = 8 + probe.y_grid(chart.scale)
    axes = Axes(drawing, left, 30, width - left - 14, height - 62, (0, max(xs + [1.0]) * 1.08),
                (y_low, y_high * 1.12 if y_high > 0 else 1))
    axes.y_grid(chart.scale)
    axes.x_values(chart.scale)
    drawing.add(label(axes.x + axes.w / 2, 4, chart.x_label, 7, anchor="middle"))
    placed = []
    circles = []
    for bubble in sorted(chart.bubbles, key=lambda b: -b.risk):
        radius = 3 + 9 * math.sqrt(bubble.risk / 25)
        cx, cy = axes.px(bubble.x), axes.py(bubble.y)
        fill, edge = RISK_COLOURS[bubble.band]
        drawing.add(Circle(cx, cy, radius, fillColor=fill, fillOpacity=0.8, strokeColor=edge, strokeWidth=0.6))
        circles.append((bubble, cx, cy, radius))
    obstacles = [(cx - r, cy - r, cx + r, cy + r) for _, cx, cy, r in circles]
    by_label = {b.label: (cx, cy, r) for b, cx, cy, r in circles}
    shown = 0
    for bubble in chart.bubbles:  # in the content model's priority order: the largest stakes first
        if shown >= label_limit:
            break
        cx, cy, r = by_label[bubble.label]
        w = label_width(bubble.label, 6.5, True)
        for dx, dy, anchor in ((r + 2, -2.3, "start"), (-r - 2, -2.3, "end"), (0, r + 2, "middle"),
                               (0, -r - 8, "middle")):
            lx = cx + dx
            x0 = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (x0, cy + dy - 1, x0 + w, cy + dy + 6.5)
            inside = x0 >= axes.x and x0 + w <= axes.x + axes.w + 12 and box[1] >= axes.y and box[3] <= axes.y + axes.h
            own = (cx - r, cy - r, cx + r, cy + r)
            if inside and not _overlaps(box, placed) and not _overlaps(box, [o for o in obstacles if o != own]):
                drawing.add(label(lx, cy + dy, bubble.label, 6.5, True, anchor=anchor))
                placed.append(box)
                shown += 1
                break
    return drawing


def frontier_chart(chart: FrontierChart, width: float, height: float) -> Drawing:
    """The efficient frontier as steps through its points (the best value holds until the next budget),
    with the current plan as a red diamond; legend above the plot."""
    drawing = Drawing(width, height)
    top = height
    drawing.add(label(2, top - 9, chart.title, 7.5, True))
    top -= 13
    x = 2
    drawing.add(Line(x, top - 5, x + 14, top - 5, strokeColor=NAVY, strokeWidth=1.6))
    drawing.add(label(x + 17, top - 7.3, "Best set for the budget (exact)", 6.5))
    x += 24 + label_width("Best set for the budget (exact)", 6.5)
    drawing.add(_diamond(x + 4, top - 4.5, 4))
    drawing.add(label(x + 11, top - 7.3, chart.current_label, 6.5))
    top -= 12
    drawing.add(label(2, top - 8, chart.y_label, 6.5, colour=MUTED))
    top -= 10
    xs = [b for b, _ in chart.points] + [chart.current[0]]
    ys = [v for _, v in chart.points] + [chart.current[1], 0.0]
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.08 or 1.0
    probe = Axes(Drawing(1, 1), 0, 0, 1, 1, (0, 1), (low - pad, high + pad))
    left = 8 + probe.y_grid(chart.scale)
    axes = Axes(drawing, left, 30, width - left - 10, top - 34, (min(xs + [0.0]), max(xs) * 1.02 or 1.0),
                (low - pad, high + pad))
    axes.y_grid(chart.scale)
    axes.x_values(chart.scale)
    drawing.add(label(axes.x + axes.w / 2, 4, chart.x_label, 7, anchor="middle"))
    steps = []
    for n, (budget, value) in enumerate(chart.points):
        steps += [axes.px(budget), axes.py(value)]
        if n + 1 < len(chart.points):
            steps += [axes.px(chart.points[n + 1][0]), axes.py(value)]
    if len(steps) >= 4:
        drawing.add(PolyLine(steps, strokeColor=NAVY, strokeWidth=1.4))
    for budget, value in chart.points:
        drawing.add(Circle(axes.px(budget), axes.py(value), 1.6, fillColor=NAVY, strokeColor=None))
    cx, cy = axes.px(chart.current[0]), axes.py(chart.current[1])
    drawing.add(_diamond(cx, cy, 5))
    anchor = "end" if cx > axes.x + axes.w * 0.7 else "start"
    drawing.add(label(cx - 6 if anchor == "end" else cx + 6, cy + 7, chart.current_label, 6.5, True, anchor=anchor))
    return drawing


def _diamond(cx: float, cy: float, r: float) -> Polygon:
    return Polygon([cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], fillColor=colors.HexColor("#C62828"),
                   strokeColor=colors.HexColor("#7F0000"), strokeWidth=0.6)


MAP_FILL = tuple(colors.HexColor(c) for c in ("#E7ECF7", "#E3F1E0", "#FFF1C7", "#EFE3F5"))
MAP_BOX_H, MAP_GAP_X, MAP_GAP_Y, MAP_ROWS = 25.0, 20.0, 5.0, 16


def _elided(value: str, size: float, room: float, bold: bool = False) -> str:
    """``value`` cut to fit ``room`` with an ellipsis, a whole letter at a time: a letter goes with its
    combining marks (Thai vowels and tone marks, Devanagari signs), so no letter is left without them."""
    if label_width(value, size, bold) <= room:
        return value
    while value and label_width(value + "…", size, bold) > room:
        while value and unicodedata.category(value[-1]).startswith("M"):
            value = value[:-1]  # the last letter's marks …
        value = value[:-1]  # … and the letter
    return value.rstrip() + "…"


def map_height(chart: BenefitsMap) -> float:
    rows = max([1] + [min(MAP_ROWS, sum(1 for b in chart.boxes if b.column == c)) for c in range(len(chart.columns))])
    return 14 + rows * (MAP_BOX_H + MAP_GAP_Y)


def benefits_map(chart: BenefitsMap, width: float) -> Drawing:
    """Four columns of boxes (code in bold, title elided to fit) joined by lines from left to right,
    like the window's map. A column longer than ``MAP_ROWS`` ends with a box saying how many more."""
    height = map_height(chart)
    drawing = Drawing(width, height)
    columns = len(chart.columns)
    box_w = (width - (columns - 1) * MAP_GAP_X) / columns
    for c, heading in enumerate(chart.columns):
        drawing.add(label(c * (box_w + MAP_GAP_X), height - 9, heading, 7.5, True, colour=NAVY))
    placed: dict[int, tuple[float, float]] = {}  # box index -> (x, y of its bottom edge)
    more: dict[int, int] = {}
    rows = [0] * columns
    for k, box in enumerate(chart.boxes):
        if rows[box.column] >= MAP_ROWS - 1 and sum(1 for b in chart.boxes if b.column == box.column) > MAP_ROWS:
            more[box.column] = more.get(box.column, 0) + 1
            continue
        placed[k] = (box.column * (box_w + MAP_GAP_X), height - 14 - (rows[box.column] + 1) * (MAP_BOX_H + MAP_GAP_Y)
                     + MAP_GAP_Y)
        rows[box.column] += 1
    for a, b in chart.links:
        if a in placed and b in placed:
            (xa, ya), (xb, yb) = placed[a], placed[b]
            drawing.add(Line(xa + box_w, ya + MAP_BOX_H / 2, xb, yb + MAP_BOX_H / 2, strokeColor=MUTED,
                             strokeWidth=0.7))
    for k, (x, y) in placed.items():
        box = chart.boxes[k]
        drawing.add(Rect(x, y, box_w, MAP_BOX_H, fillColor=MAP_FILL[box.column % 4], strokeColor=RULE_GREY,
                         strokeWidth=0.6))
        drawing.add(label(x + 4, y + MAP_BOX_H - 9.5, _elided(box.code, 7, box_w - 8, True), 7, True))
        drawing.add(label(x + 4, y + 4.5, _elided(box.title, 6.5, box_w - 8), 6.5))
    for c in range(columns):
        if more.get(c):
            y = height - 14 - (rows[c] + 1) * (MAP_BOX_H + MAP_GAP_Y) + MAP_GAP_Y
            drawing.add(label(c * (box_w + MAP_GAP_X) + 4, y + MAP_BOX_H / 2 - 2, f"… and {more[c]} more", 7,
                              colour=MUTED))
        elif rows[c] == 0:
            drawing.add(label(c * (box_w + MAP_GAP_X) + 4, height - 14 - MAP_BOX_H / 2 - 2, chart.empty, 7,
                              colour=MUTED))
    return drawing
