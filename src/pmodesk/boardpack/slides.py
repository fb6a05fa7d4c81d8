"""The PowerPoint renderer: draws a :class:`~pmodesk.boardpack.model.Pack` as a 16:9 presentation.

The same content as the PDF, laid out for slides: a title slide, an agenda, then each section on
its own slides. Blocks are placed top to bottom; one that does not fit starts a new slide titled
"(continued)", and a table is split between rows (its header repeated), never inside one. Charts are
native PowerPoint charts (line and bubble), so they stay editable and vector. Every slide is footed
like the PDF page: "Slide n of N", the as-of date, the location and the whole confidentiality marking.
Text stays in logical order (PowerPoint shapes and orders scripts itself); right-to-left paragraphs
are marked as such.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Callable

from pptx import Presentation
from pptx.chart.data import BubbleChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from pmodesk.boardpack.fonts import is_rtl
from pmodesk.boardpack.model import (
    BenefitsMap, Break, BubbleChart, Cell, ChartGrid, Column, Facts, FrontierChart, Heading, LineChart, Pack, Section, Span,
    Table, Text, Tiles,
)

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT = Inches(0.5)
BODY_WIDTH = WIDTH - 2 * LEFT
COLUMN_GAP = Inches(0.3)
DASHBOARD_COLUMNS = 2  # below the tiles: the value RAG, and the decisions asked of the board
TOP = Inches(1.15)
BOTTOM = Inches(6.85)
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
INK = RGBColor(0x1B, 0x1F, 0x24)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
RED = RGBColor(0xC6, 0x28, 0x28)
ZEBRA = RGBColor(0xF3, 0xF5, 0xF8)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
RAG = {"green": (RGBColor(0x2E, 0x7D, 0x32), WHITE), "amber": (RGBColor(0xF9, 0xA8, 0x25), INK),
       "red": (RGBColor(0xC6, 0x28, 0x28), WHITE), "none": (RGBColor(0xE0, 0xE3, 0xE8), INK)}
SENSE = {"better": RGBColor(0x1B, 0x5E, 0x20), "worse": RGBColor(0xB7, 0x1C, 0x1C), "steady": MUTED, "none": MUTED}
RISK = {"low": RGBColor(0xA5, 0xD6, 0xA7), "medium": RGBColor(0xEF, 0x8F, 0x00), "high": RGBColor(0x7F, 0x10, 0x10),
        "unknown": RGBColor(0xFF, 0xFF, 0xFF)}
SERIES = {"plan": RGBColor(0xE0, 0x8E, 0x0B), "actual": NAVY, "forecast": RGBColor(0x54, 0x6E, 0x7A)}
PMO_BACK = RGBColor(0xFF, 0xF8, 0xE1)
EXCEL_EPOCH = date(1899, 12, 30)


def _lines_needed(text: str, width_emu: int, size: float) -> int:
    """Lines a text needs at a width, wrapped word by word as PowerPoint wraps it (an estimate on the
    generous side: an average glyph is taken as 0.52 em; a word longer than a line is broken)."""
    per_line = max(1, int(Emu(width_emu).pt / (size * 0.52)))
    lines = 0
    for part in text.split("\n"):
        used, count = 0, 1
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, 0
            if len(word) > per_line:  # broken inside the word
                count += (used + len(word)) // per_line
                used = (used + len(word)) % per_line
            else:
                used += (1 if used else 0) + len(word)
        lines += count
    return lines


def _set_rtl(paragraph) -> None:
    paragraph._p.get_or_add_pPr().set("rtl", "1")


def _write(frame, spans: tuple[Span, ...] | list[Span], size: float, colour=INK, align=None, first=True) -> None:
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    for span in spans:
        run = paragraph.add_run()
        run.text = span.text
        run.font.size = Pt(size)
        run.font.bold = span.bold
        run.font.italic = span.italic
        run.font.color.rgb = MUTED if span.italic else colour
    if is_rtl("".join(s.text for s in spans)):
        _set_rtl(paragraph)
        if align is None:
            paragraph.alignment = PP_ALIGN.RIGHT


def _count_partnames(package) -> None:
    """python-pptx finds the next free part name (chart7.xml, …) by walking every part of the package:
    quadratic in the number of charts. A pack only adds parts, so count on from the first free name."""
    original = package.next_partname
    counters: dict[str, int] = {}

    def next_partname(template: str):
        from pptx.opc.packuri import PackURI

        if template not in counters:
            first = str(original(template))
            counters[template] = next(n for n in range(1, 100000) if template % n == first)
        else:
            counters[template] += 1
        return PackURI(template % counters[template])

    package.next_partname = next_partname


def _placeable_labels(chart: BubbleChart, width_pt: float, height_pt: float, limit: int = 25) -> set[str]:
    """Labels PowerPoint can show without one overprinting another: each sits right of its bubble;
    in priority order (the content model's), a label whose box would overlap one already kept is dropped.
    Positions are estimated from the plot area (the chart less its axes, titles and legend)."""
    if not chart.bubbles:
        return set()
    plot_w, plot_h = max(10.0, width_pt - 90), max(10.0, height_pt - 90)
    x_high = max(b.x for b in chart.bubbles) or 1.0
    y_low, y_high = min(0.0, min(b.y for b in chart.bubbles)), max(b.y for b in chart.bubbles) or 1.0
    largest = max(max(1, b.risk) for b in chart.bubbles)
    kept, boxes = set(), []
    for bubble in chart.bubbles:
        if len(kept) >= limit:
            break
        x = bubble.x / x_high * plot_w
        y = (bubble.y - y_low) / ((y_high - y_low) or 1.0) * plot_h
        radius = 0.4 * 0.25 * min(plot_w, plot_h) * math.sqrt(max(1, bubble.risk) / largest)
        box = (x + radius, y - 6, x + radius + len(bubble.label) * 8 * 0.62 + 4, y + 6)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            kept.add(bubble.label)
            boxes.append(box)
    return kept


class SlidesRenderer:
    def __init__(self, pack: Pack):
        self.pack = pack
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.blank = self.prs.slide_layouts[6]
        _count_partnames(self.prs.part.package)
        self.footers = []
        self.slide = None
        self.y = TOP
        self.title = ""
        # where blocks go: the full width, or (on the dashboard) columns filled left to right
        self.left, self.width = LEFT, BODY_WIDTH
        self.columns = False
        self.column_count, self.column = 1, 0
        self.column_top = TOP

    # --------------------------------------------------------------- slides
    def new_slide(self, title: str) -> None:
        self.slide = self.prs.slides.add_slide(self.blank)
        self.title = title
        box = self.slide.shapes.add_textbox(LEFT, Inches(0.35), BODY_WIDTH, Inches(0.7))
        frame = box.text_frame
        frame.word_wrap = True
        _write(frame, [Span(title, bold=True)], 24, NAVY)
        self.footers.append(self.slide)
        self.y = TOP
        self.column_top = TOP
        if self.columns:
            self.left, self.column = LEFT, 0

    def room(self) -> int:
        return BOTTOM - self.y

    def ensure(self, height: int) -> None:
        if height > self.room() and self.y > self.column_top:
            self.next_area()

    def next_area(self) -> None:
        """The next column (a full one goes on in the one to its right), or the next slide."""
        if self.columns and self.column + 1 < self.column_count:
            self.column += 1
            self.left = LEFT + self.column * (self.width + COLUMN_GAP)
            self.y = self.column_top
        else:
            self.new_slide(self.continued)

    def start_columns(self, count: int) -> None:
        self.columns, self.column_top = True, self.y
        self.column_count, self.column = count, 0
        self.left, self.width = LEFT, int((BODY_WIDTH - COLUMN_GAP * (count - 1)) / count)

    def end_columns(self) -> None:
        self.columns, self.column_top = False, TOP
        self.column_count, self.column = 1, 0
        self.left, self.width = LEFT, BODY_WIDTH

    def textbox(self, spans, size: float, colour=INK, height: int | None = None, fill=None, left=None,
                width=None) -> int:
        width = width or self.width
        text = "".join(s.text for s in spans)
        needed = height or Pt(size * 1.2 * _lines_needed(text, width - Inches(0.2), size) + 5)
        self.ensure(needed)
        box = self.slide.shapes.add_textbox(left or self.left, self.y, width, needed)
        frame = box.text_frame
        frame.word_wrap = True
        if fill is not None:
            box.fill.solid()
            box.fill.fore_color.rgb = fill
        _write(frame, list(spans), size, colour)
        self.y += needed + Pt(4)
        return needed

    # --------------------------------------------------------------- blocks
    def block(self, block) -> None:
        if isinstance(block, Text):
            if block.style == "pmo":
                self.textbox([Span(block.label or "PMO commentary", bold=True), Span("\n"), *block.spans], 12,
                             fill=PMO_BACK)
            elif block.style == "bullet":
                self.textbox([Span("•  "), *block.spans], 10.5 if self.columns else 12)
            else:
                self.textbox(block.spans, 11 if block.style == "small" else 13, MUTED if block.style == "small"
                             else INK)
        elif isinstance(block, Heading):
            self.ensure(Inches(0.9 if self.columns else 1.3))
            self.textbox([Span(block.text, bold=True)], 14 if self.columns else 16, NAVY)
        elif isinstance(block, Table):
            self.table(block, 9 if self.columns else 10)
        elif isinstance(block, Facts):
            self.facts(block)
        elif isinstance(block, Tiles):
            self.tiles(block)
        elif isinstance(block, LineChart):
            self.ensure(Inches(4.2))
            self.line_chart(block, self.left, self.y, self.width, min(Inches(4.6), self.room()))
            self.y += min(Inches(4.6), self.room()) + Pt(6)
        elif isinstance(block, BubbleChart):
            self.new_slide(self.continued) if self.y > TOP + Inches(1.5) else None
            self.bubble_chart(block, self.left, self.y, self.width, self.room())
            self.y = BOTTOM
        elif isinstance(block, ChartGrid):
            self.chart_grid(block)
        elif isinstance(block, FrontierChart):
            self.ensure(Inches(4.2))
            self.frontier_chart(block, self.left, self.y, self.width, min(Inches(4.6), self.room()))
            self.y += min(Inches(4.6), self.room()) + Pt(6)
        elif isinstance(block, BenefitsMap):
            self.table(map_table(block), 9 if self.columns else 10)
        else:
            raise TypeError(f"no PowerPoint rendering for {type(block).__name__}")

    def table(self, table: Table, size: float = 10) -> None:
        widths = self._widths(table, size)
        header_height = Pt(size * 1.18 * max(_lines_needed(c.header, w - Inches(0.1), size)
                                            for c, w in zip(table.columns, widths)) + 6)
        heights = [Pt(size * 1.18 * max(sum(_lines_needed(s.text, w - Inches(0.1), size) for s in cell.lines)
                                         for cell, w in zip(row, widths)) + 6) for row in table.rows]
        start = 0
        while start < len(table.rows):
            if header_height + heights[start] > self.room():
                self.next_area()
            used = header_height
            end = start
            while end < len(table.rows) and used + heights[end] <= self.room():
                used += heights[end]
                end += 1
            end = max(end, start + 1)
            self._table_part(table, widths, start, end, header_height, heights, size)
            start = end
            if start < len(table.rows):
                self.next_area()
        if table.note:
            self.textbox([Span(table.note)], 9, MUTED)

    def _widths(self, table: Table, size: float) -> list[int]:
        needed = []
        for n, column in enumerate(table.columns):
            longest = max([len(column.header) * 1.15 + 1 if len(column.header) < 16 else
                           max(len(w) for w in column.header.split()) * 1.15 + 1]
                          + [len(line.text) if column.numeric else max((len(w) for w in line.text.split()), default=1)
                             for row in table.rows for line in row[n].lines])
            needed.append(Pt(longest * size * 0.58 + 10))
        fixed = sum(w for w, c in zip(needed, table.columns) if c.numeric)
        free = max(0, self.width - fixed)
        total = sum(c.weight for c in table.columns if not c.numeric) or 1
        widths = [w if c.numeric else max(w, int(free * c.weight / total)) for w, c in zip(needed, table.columns)]
        scale = self.width / sum(widths)
        return [int(w * scale) for w in widths]

    def _table_part(self, table: Table, widths, start, end, header_height, heights, size) -> None:
        rows = end - start + 1
        height = header_height + sum(heights[start:end])
        shape = self.slide.shapes.add_table(rows, len(table.columns), self.left, self.y, sum(widths), height)
        grid = shape.table
        grid.first_row = True
        for k, w in enumerate(widths):
            grid.columns[k].width = w
        grid.rows[0].height = header_height
        for k, column in enumerate(table.columns):
            self._cell(grid.cell(0, k), (Span(column.header, bold=True),), column.align, size, WHITE, NAVY)
        for r, row in enumerate(table.rows[start:end], start=1):
            grid.rows[r].height = heights[start + r - 1]
            for k, c in enumerate(row):
                fill, ink = RAG[c.rag] if c.rag else (ZEBRA if r % 2 == 0 else WHITE, INK)
                lines = tuple(Span(s.text, bold=s.bold or c.rag is not None, italic=s.italic) for s in c.lines)
                self._cell(grid.cell(r, k), lines, c.align, size, ink, fill)
        self.y += height + Pt(6)

    def _cell(self, target, lines: tuple[Span, ...], align: str, size: float, ink, fill) -> None:
        target.fill.solid()
        target.fill.fore_color.rgb = fill
        target.margin_left = target.margin_right = Pt(4)
        target.margin_top = target.margin_bottom = Pt(2)
        frame = target.text_frame
        frame.word_wrap = True
        alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "centre": PP_ALIGN.CENTER}[align]
        for n, line in enumerate(lines):
            _write(frame, [line], size, ink, alignment, first=n == 0)

    def facts(self, facts: Facts) -> None:
        from pmodesk.boardpack.model import Column, cell

        long = any(len(v) > 60 for _, v in facts.pairs)
        if long:
            table = Table((Column("", 1), Column("", 5)),
                          tuple((cell(label, bold=True), cell(value)) for label, value in facts.pairs))
        else:
            half = (len(facts.pairs) + 1) // 2
            left, right = facts.pairs[:half], list(facts.pairs[half:]) + [("", "")] * (2 * half - len(facts.pairs))
            table = Table((Column("", 1), Column("", 2), Column("", 1), Column("", 2)),
                          tuple((cell(a, bold=True), cell(b), cell(c or " ", bold=True), cell(d or " "))
                                for (a, b), (c, d) in zip(left, right)))
        self._headerless(table)

    def _headerless(self, table: Table, size: float = 11) -> None:
        widths = self._widths(table, size)
        heights = [Pt(size * 1.18 * max(sum(_lines_needed(s.text, w - Inches(0.1), size) for s in c.lines)
                                         for c, w in zip(row, widths)) + 6) for row in table.rows]
        start = 0
        while start < len(table.rows):
            if heights[start] > self.room():
                self.next_area()
            end, used = start, 0
            while end < len(table.rows) and used + heights[end] <= self.room():
                used += heights[end]
                end += 1
            end = max(end, start + 1)
            shape = self.slide.shapes.add_table(end - start, len(table.columns), self.left, self.y, sum(widths), used)
            grid = shape.table
            grid.first_row = False
            grid.horz_banding = False
            for k, w in enumerate(widths):
                grid.columns[k].width = w
            for r, row in enumerate(table.rows[start:end]):
                grid.rows[r].height = heights[start + r]
                for k, c in enumerate(row):
                    self._cell(grid.cell(r, k), c.lines, c.align, size, INK, WHITE if r % 2 == 0 else ZEBRA)
            self.y += used + Pt(6)
            start = end
            if start < len(table.rows):
                self.next_area()

    def tiles(self, tiles: Tiles) -> None:
        per_row = 4
        gap = Inches(0.12)
        w = int((self.width - gap * (per_row - 1)) / per_row)
        h = Inches(0.92)
        for n, tile in enumerate(tiles.tiles):
            row, col = divmod(n, per_row)
            if col == 0 and row:
                self.y += h + gap
            if col == 0:
                self.ensure(h)
            shape = self.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, self.left + col * (w + gap), self.y, w, h)
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor(0xF7, 0xF9, 0xFB)
            shape.line.color.rgb = RGBColor(0xD5, 0xDA, 0xE1)
            frame = shape.text_frame
            frame.word_wrap = True
            frame.vertical_anchor = MSO_ANCHOR.TOP
            _write(frame, [Span(tile.label)], 11, INK, PP_ALIGN.LEFT)
            _write(frame, [Span(tile.value, bold=True)], 18, NAVY, PP_ALIGN.LEFT, first=False)
            _write(frame, [Span(tile.travel, bold=True)], 11, SENSE.get(tile.sense, MUTED), PP_ALIGN.LEFT, first=False)
            _write(frame, [Span(tile.target)], 10, MUTED, PP_ALIGN.LEFT, first=False)
        self.y += h + Pt(10)

    # --------------------------------------------------------------- charts
    def line_chart(self, chart: LineChart, left, top, width, height) -> None:
        if chart.empty_note or not any(s.points for s in chart.series):
            box = self.slide.shapes.add_textbox(left, top, width, Inches(0.8))
            box.text_frame.word_wrap = True
            _write(box.text_frame, [Span(chart.title, bold=True), Span("\n"), Span(chart.empty_note or "No data.")],
                   11, INK)
            return
        data = XyChartData()
        for series in chart.series:
            if not series.points:
                continue
            s = data.add_series(series.name)
            for day, value in series.points:
                s.add_data_point((day - EXCEL_EPOCH).days, value / chart.y_scale)
        for name, level in chart.hlines:
            s = data.add_series(name.capitalize())
            for day in (chart.first, chart.last):
                s.add_data_point((day - EXCEL_EPOCH).days, level / chart.y_scale)
        frame = self.slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS, left, top, width, height, data)
        c = frame.chart
        c.has_title = True
        c.chart_title.text_frame.text = chart.title
        c.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        c.has_legend = True
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
        c.legend.font.size = Pt(9)
        x_axis, y_axis = c.category_axis, c.value_axis
        x_axis.minimum_scale = (chart.first - EXCEL_EPOCH).days
        x_axis.maximum_scale = (chart.last - EXCEL_EPOCH).days
        x_axis.tick_labels.number_format = "mmm yy"
        x_axis.tick_labels.number_format_is_linked = False
        x_axis.tick_labels.font.size = Pt(9)
        y_axis.has_title = True
        y_axis.axis_title.text_frame.text = chart.y_label
        y_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(9)
        y_axis.tick_labels.number_format = "#,##0.##"
        y_axis.tick_labels.number_format_is_linked = False
        y_axis.tick_labels.font.size = Pt(9)
        y_axis.has_major_gridlines = True
        roles = [s.role for s in chart.series if s.points] + ["level"] * len(chart.hlines)
        for plot_series, role in zip(c.plots[0].series, roles):
            line = plot_series.format.line
            line.color.rgb = SERIES.get(role, MUTED)
            line.width = Pt(1.0 if role == "level" else 2.0)
            if role in ("plan", "forecast", "level"):
                from pptx.enum.dml import MSO_LINE_DASH_STYLE

                line.dash_style = MSO_LINE_DASH_STYLE.DASH if role == "plan" else MSO_LINE_DASH_STYLE.ROUND_DOT
            plot_series.smooth = False

    def bubble_chart(self, chart: BubbleChart, left, top, width, height) -> None:
        data = BubbleChartData()
        bands = ("low", "medium", "high", "unknown")
        names = {"low": "Risk low (1–7)", "medium": "Risk medium (8–15)", "high": "Risk high (16–25)",
                 "unknown": "Risk not scored"}
        used = [b for b in bands if any(x.band == b for x in chart.bubbles)]
        members = {}
        for band in used:
            s = data.add_series(names[band])
            members[band] = [b for b in chart.bubbles if b.band == band]
            for b in members[band]:
                s.add_data_point(b.x / chart.scale, b.y / chart.scale, max(1, b.risk))
        if not used:
            self.textbox([Span(chart.title, bold=True), Span("\nNo active or proposed initiative to chart.")], 12)
            return
        frame = self.slide.shapes.add_chart(XL_CHART_TYPE.BUBBLE, left, top, width, height, data)
        c = frame.chart
        _legend_on_top_and_titled_axes(c, chart.x_label, chart.y_label)
        labelled = _placeable_labels(chart, Emu(width).pt, Emu(height).pt)
        for band, plot_series in zip(used, c.plots[0].series):
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = RISK[band]
            plot_series.format.line.color.rgb = MUTED
            for n, b in enumerate(members[band]):
                if b.label in labelled:
                    label = plot_series.points[n].data_label
                    label.has_text_frame = True
                    label.text_frame.text = b.label
                    label.text_frame.paragraphs[0].runs[0].font.size = Pt(8)
        c.plots[0].bubble_scale = 40

    def frontier_chart(self, chart: FrontierChart, left, top, width, height) -> None:
        """The frontier as a stepped XY line through its points, the current plan as its own marked series."""
        from pptx.enum.chart import XL_MARKER_STYLE

        data = XyChartData()
        steps = data.add_series("Best set for the budget (exact)")
        for n, (budget, value) in enumerate(chart.points):
            steps.add_data_point(budget / chart.scale, value / chart.scale)
            if n + 1 < len(chart.points):
                steps.add_data_point(chart.points[n + 1][0] / chart.scale, value / chart.scale)
        current = data.add_series(chart.current_label)
        current.add_data_point(chart.current[0] / chart.scale, chart.current[1] / chart.scale)
        frame = self.slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS, left, top, width, height, data)
        c = frame.chart
        c.has_title = True
        c.chart_title.text_frame.text = chart.title
        c.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        _legend_on_top_and_titled_axes(c, chart.x_label, chart.y_label)
        line_series, plan_series = c.plots[0].series
        line_series.format.line.color.rgb = NAVY
        line_series.format.line.width = Pt(2.0)
        line_series.smooth = False
        plan_series.format.line.fill.background()
        plan_series.marker.style = XL_MARKER_STYLE.DIAMOND
        plan_series.marker.size = 12
        plan_series.marker.format.fill.solid()
        plan_series.marker.format.fill.fore_color.rgb = RED

    def chart_grid(self, grid: ChartGrid) -> None:
        gap = Inches(0.2)
        w = int((self.width - gap) / 2)
        h = Inches(2.6)
        for n, chart in enumerate(grid.charts):
            col = n % 2
            if col == 0:
                self.ensure(h)
            self.line_chart(chart, self.left + col * (w + gap), self.y, w, h)
            if col == 1 or n == len(grid.charts) - 1:
                self.y += h + Pt(6)
        if grid.note:
            self.textbox([Span(grid.note)], 10, MUTED)

    # --------------------------------------------------------------- the presentation
    def cover(self) -> None:
        cover = self.pack.cover
        slide = self.prs.slides.add_slide(self.blank)
        self.footers.append(slide)
        box = slide.shapes.add_textbox(LEFT, Inches(1.6), BODY_WIDTH, Inches(4.5))
        frame = box.text_frame
        frame.word_wrap = True
        _write(frame, [Span(cover.marking, bold=True)], 14, RED)
        _write(frame, [Span(cover.portfolio, bold=True)], 36, NAVY, first=False)
        if cover.client:
            _write(frame, [Span(cover.client)], 20, MUTED, first=False)
        _write(frame, [Span("Board pack — value delivery", bold=True)], 18, NAVY, first=False)
        for line in cover.lines:
            _write(frame, [Span(line)], 14, INK, first=False)
        _write(frame, [Span(cover.small)], 10, MUTED, first=False)

    def agenda(self) -> None:
        self.new_slide(self.pack.contents_title)
        self.continued = f"{self.pack.contents_title} (continued)"
        seen = set()
        for section in self.pack.sections:
            if section.group:
                if section.group in seen:
                    continue
                seen.add(section.group)
                grouped = sum(1 for s in self.pack.sections if s.group == section.group)
                self.textbox([Span(f"{section.group} ({grouped}, one slide or more each)")], 14)
            elif section.in_contents:
                self.textbox([Span(section.bookmark or section.title)], 14)

    def section(self, section: Section) -> None:
        self.new_slide(section.title)
        self.continued = f"{section.running_title or section.title} (continued)"
        blocks = list(section.blocks)
        if blocks and isinstance(blocks[0], Tiles):  # a dashboard: tiles across, the rest in columns
            self.block(blocks.pop(0))
            self.start_columns(DASHBOARD_COLUMNS)
        for n, block in enumerate(blocks):
            if isinstance(block, Break) and block.where == "slide":
                self.end_columns()
                following = blocks[n + 1] if n + 1 < len(blocks) else None
                self.new_slide(following.text if isinstance(following, Heading) else self.continued)
            elif isinstance(block, Break):
                if self.columns and self.y > self.column_top:
                    self.next_area()
            elif not (isinstance(block, Heading) and n and isinstance(blocks[n - 1], Break)
                      and blocks[n - 1].where == "slide"):  # that heading is the new slide's title
                self.block(block)
        self.end_columns()

    def footer_all(self) -> None:
        pack = self.pack
        total = len(self.footers)
        for number, slide in enumerate(self.footers, start=1):
            box = slide.shapes.add_textbox(LEFT, Inches(7.0), BODY_WIDTH, Inches(0.35))
            frame = box.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            for text, colour, bold in ((f"Slide {number} of {total}", MUTED, False),
                                       (f"     As of {pack.as_of.isoformat()}  ·  {pack.footer_location}     ",
                                        MUTED, False), (pack.marking, RED, True)):
                run = paragraph.add_run()
                run.text = text
                run.font.size = Pt(9)
                run.font.bold = bold
                run.font.color.rgb = colour

    def render(self, destination: str | Path, page_done: Callable[[int], None] = lambda n: None) -> int:
        pack = self.pack
        self.cover()
        self.agenda()
        for section in pack.sections:
            self.section(section)
            page_done(len(self.footers))
        self.footer_all()
        props = self.prs.core_properties
        props.title, props.author, props.subject, props.keywords = pack.title, pack.author, pack.subject, pack.keywords
        from datetime import datetime

        stamp = datetime(pack.as_of.year, pack.as_of.month, pack.as_of.day)
        props.created = props.modified = stamp
        props.last_modified_by = pack.author
        props.revision = 1
        self.prs.save(str(destination))
        return len(self.footers)


def map_table(chart: BenefitsMap) -> Table:
    """The benefits map as a four-column list (one row): each box as "code title", and under a box
    what it leads from ("← OC-01, OP-02"), so the links read without a diagram."""
    sources: dict[int, list[str]] = {}
    for a, b in chart.links:
        if chart.boxes[b].column != 3:  # every benefit serves every linked objective: said once by the column
            sources.setdefault(b, []).append(chart.boxes[a].code)
    cells = []
    for c in range(len(chart.columns)):
        lines: list[Span] = []
        for k, box in enumerate(chart.boxes):
            if box.column == c:
                lines.append(Span(f"{box.code}  {box.title}"))
                if sources.get(k):
                    lines.append(Span("← " + ", ".join(sources[k]), italic=True))
        cells.append(Cell(tuple(lines) or (Span(chart.empty, italic=True),)))
    return Table(tuple(Column(h, 1) for h in chart.columns), (tuple(cells),))


def _legend_on_top_and_titled_axes(c, x_label: str, y_label: str) -> None:
    """The legend above the plot (never over the data) and both axes titled, with plain number ticks."""
    c.has_legend = True
    c.legend.position = XL_LEGEND_POSITION.TOP
    c.legend.include_in_layout = False
    c.legend.font.size = Pt(9)
    for axis, title in ((c.category_axis, x_label), (c.value_axis, y_label)):
        axis.has_title = True
        axis.axis_title.text_frame.text = title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
        axis.tick_labels.number_format = "#,##0.##"
        axis.tick_labels.number_format_is_linked = False
        axis.tick_labels.font.size = Pt(9)
