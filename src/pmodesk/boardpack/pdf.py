"""The PDF renderer: draws a :class:`~pmodesk.boardpack.model.Pack` with reportlab's platypus.

Knows only how things look. Every string goes through ``fonts`` (escaped, one font per run, complex
scripts shaped, right-to-left lines broken in logical order). Numeric table columns are sized from
their widest formatted value, so an amount never wraps inside itself; headings carry a conditional
page break so none is left alone at the foot of a page; a section that runs over a page repeats
its title at the top of the next one; the contents page's numbers and every footer are drawn once
the page count is known.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer,
    Table as RLTable, TableStyle,
)

from pmodesk import __version__
from pmodesk.boardpack import charts
from pmodesk.boardpack.breaks import needs_dictionary
from pmodesk.boardpack.fonts import (
    BOLD, REGULAR, SHAPED_NAMES, broken_lines, has_rtl, is_rtl, markup, markup_runs, register, runs, shaped_string,
    visual, width as text_width,
)
from pmodesk.boardpack.model import (
    BenefitsMap, Break, BubbleChart, Cell, ChartGrid, Facts, FrontierChart, Heading, LineChart, Pack, Section, Span, Table,
    Text, Tiles,
)
from pmodesk.boardpack.styles import (
    BODY, BULLET, CELL, FOOTER_SIZE, H1, H2, HEAD, INK, MUTED, NAVY, RAG_COLOURS, RULE_GREY, SMALL, SUBTITLE, TITLE,
    table_style,
)

rl_config.invariant = 1  # the same portfolio and dates always give the same bytes
PAPER = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
BOTTOM = 22 * mm
PMO_BACK = colors.HexColor("#FFF8E1")
PMO_EDGE = colors.HexColor("#F9A825")
SENSE_COLOURS = {"better": colors.HexColor("#1B5E20"), "worse": colors.HexColor("#B71C1C"),
                 "steady": MUTED, "none": MUTED}


# ----------------------------------------------------------------------------------- text
def _style_for(style: ParagraphStyle, display: str) -> ParagraphStyle:
    """Shaping on only where a complex-script font is used (it costs time on every word)."""
    if any(font in SHAPED_NAMES for font, _ in runs(display)):
        return _shaped(style)
    return style


_SHAPED: dict[str, ParagraphStyle] = {}


def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    found = _SHAPED.get(style.name)
    if found is None:
        found = _SHAPED[style.name] = ParagraphStyle(style.name + "-shaped", parent=style, shaping=1)
    return found


def _aligned(style: ParagraphStyle, alignment: int) -> ParagraphStyle:
    key = f"{style.name}-a{alignment}"
    found = _SHAPED.get(key)
    if found is None:
        found = _SHAPED[key] = ParagraphStyle(key, parent=style, alignment=alignment)
    return found


class BrokenParagraph(Flowable):
    """Text that pmodesk breaks into lines itself, at the width it is given: right-to-left text (broken in
    logical order, then each line reordered for display, so a wrapped paragraph reads from its first line
    down) and Thai and its neighbours (broken between words, where reportlab would cut inside one)."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False):
        super().__init__()
        self.text, self.style, self.bold = text, style, bold
        self._inner = None

    def _make(self, available: float) -> Paragraph:
        lines = broken_lines(self.text, max(10.0, available - self.style.leftIndent - self.style.rightIndent - 1),
                             self.style.fontSize, self.bold)
        body = "<br/>".join(markup_runs(line, self.bold) for line in lines)
        style = self.style
        if is_rtl(self.text) and style.alignment not in (TA_CENTER,):
            style = _aligned(style, TA_RIGHT)
        return Paragraph(body, _style_for(style, "".join(lines)))

    def wrap(self, available_width, available_height):
        self._inner = self._make(available_width)
        return self._inner.wrap(available_width, available_height)

    def split(self, available_width, available_height):
        self._inner = self._make(available_width)
        return self._inner.split(available_width, available_height)

    def draw(self):
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):  # noqa: N802 - reportlab's name
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802 - reportlab's name
        return self.style.spaceAfter


def para(value: str | None, style: ParagraphStyle, bold: bool = False):
    value = "—" if value is None or value == "" else value
    if has_rtl(value) or needs_dictionary(value):
        return BrokenParagraph(value, style, bold)
    body = markup(value, bold)
    return Paragraph(body, _style_for(style, value))


def spans_para(spans: tuple[Span, ...], style: ParagraphStyle, colour: str | None = None):
    plain = "".join(s.text for s in spans)
    if has_rtl(plain) or needs_dictionary(plain) or len(spans) == 1 and not spans[0].italic:
        return para(plain, style, spans[0].bold if len(spans) == 1 else False)
    parts = []
    for span in spans:
        body = markup(span.text, span.bold)
        parts.append(f'<font color="#5F6B7A">{body}</font>' if span.italic else body)
    return Paragraph("".join(parts), _style_for(style, plain))


# ----------------------------------------------------------------------------------- page furniture
class SectionStart(Flowable):
    """Zero-size marker at the top of a section: bookmark, outline entry, running title."""

    def __init__(self, renderer: "PdfRenderer", key: str, section: Section):
        super().__init__()
        self.renderer, self.key, self.section = renderer, key, section
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        page = self.canv.getPageNumber()
        r = self.renderer
        # Bookmarks are made when the footers are drawn: only then does the page exist in the PDF.
        marks = r.outline.setdefault(page, [])
        if self.section.group:
            if r.open_group != self.section.group:
                marks.append((f"group-{self.section.group}", self.section.group, 0))
                r.open_group = self.section.group
                r.page_of[f"group-{self.section.group}"] = page
            marks.append((self.key, self.section.bookmark or self.section.title, 1))
        else:
            r.open_group = None
            marks.append((self.key, self.section.bookmark or self.section.title, 0))
        r.page_of[self.key] = page
        r.current = (self.section.running_title or self.section.title, page)


class ContentsEntries(Flowable):
    """The contents page: titles with dotted leaders; the page numbers are drawn with the footers,
    once every section's page is known (a single pass, no second build)."""

    def __init__(self, renderer: "PdfRenderer", entries: list[tuple[str, str, int]]):
        super().__init__()
        self.renderer, self.entries = renderer, entries
        self.line = 15.0

    def wrap(self, available_width, available_height):
        self.width = available_width
        self._rows = max(1, int(available_height // self.line))
        return available_width, min(len(self.entries), self._rows) * self.line

    def split(self, available_width, available_height):
        rows = max(1, int(available_height // self.line))
        if rows >= len(self.entries):
            return [self]
        return [ContentsEntries(self.renderer, self.entries[:rows]),
                ContentsEntries(self.renderer, self.entries[rows:])]

    def draw(self):
        canvas = self.canv
        y = len(self.entries) * self.line - 11
        page = canvas.getPageNumber()
        for title, key, level in self.entries:
            indent = 14 * level
            size = 10 if level == 0 else 8.5
            bold = level == 0
            shown = title
            limit = self.width - indent - 40
            while text_width(shown, size, bold) > limit and len(shown) > 4:
                shown = shown[:-2] + "…"
            end = draw_text(canvas, indent, y, shown, size, bold)
            canvas.saveState()
            canvas.setStrokeColor(RULE_GREY)
            canvas.setDash(0.5, 2.5)
            canvas.line(indent + end + 4, y + 1, self.width - 28, y + 1)
            canvas.restoreState()
            absolute = canvas.absolutePosition(self.width, y)
            self.renderer.contents_numbers.setdefault(page, []).append((key, absolute, size, bold))
            canvas.linkAbsolute("", key, (canvas.absolutePosition(indent, y - 3) +
                                          canvas.absolutePosition(self.width, y + size)))
            y -= self.line


def draw_text(canvas: Canvas, x: float, y: float, value: str, size: float, bold: bool = False,
              anchor: str = "start") -> float:
    """Draw one line in every script on a canvas (footers, contents); return its width."""
    parts = runs(visual(value), bold)
    total = sum(pdfmetrics.stringWidth(part, font, size) for font, part in parts)
    start = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    for font, part in parts:
        canvas.setFont(font, size)
        canvas.drawString(start, y, shaped_string(part, font, size))
        start += pdfmetrics.stringWidth(part, font, size)
    return total


def _numbered_canvas(footer: Callable[[Canvas, int, int], None], as_of: date):
    class NumberedCanvas(Canvas):
        """Draws the footer once the page count is known ("Page x of y")."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []
            # the creation date is the as-of date, so the same figures give the same bytes
            self.setDateFormatter(lambda *parts: f"D:{as_of:%Y%m%d}000000+00'00'")

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


# ----------------------------------------------------------------------------------- the renderer
class PdfRenderer:
    def __init__(self, pack: Pack, paper: str = "a4"):
        register()
        self.pack = pack
        self.page_size = PAPER[paper]
        self.width = self.page_size[0] - 2 * MARGIN
        self.page_of: dict[str, int] = {}
        self.running: dict[int, None] = {}
        self.current: tuple[str, int] | None = None
        self.continued: dict[int, str] = {}
        self.contents_numbers: dict[int, list] = {}
        self.open_group: str | None = None
        self.outline: dict[int, list[tuple[str, str, int]]] = {}

    # --------------------------------------------------------------- blocks
    def flowables(self, block) -> list:
        if isinstance(block, Text):
            return self.text(block)
        if isinstance(block, Heading):
            return [CondPageBreak(110), para(block.text, H2, bold=True)]
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Facts):
            return self.facts(block)
        if isinstance(block, Tiles):
            return self.tiles(block)
        if isinstance(block, LineChart):
            return [charts.line_chart(block, self.width, 200)]
        if isinstance(block, BubbleChart):
            return [CondPageBreak(250), charts.bubble_chart(block, self.width, 250)]
        if isinstance(block, ChartGrid):
            return self.chart_grid(block)
        if isinstance(block, FrontierChart):
            return [CondPageBreak(300), charts.frontier_chart(block, self.width, 300)]
        if isinstance(block, BenefitsMap):
            return [CondPageBreak(charts.map_height(block) + 30), charts.benefits_map(block, self.width)]
        if isinstance(block, Break):
            return []  # a page flows on: breaks are for slides
        raise TypeError(f"no PDF rendering for {type(block).__name__}")

    def text(self, block: Text) -> list:
        style = {"body": BODY, "small": SMALL, "bullet": BULLET, "lead": BODY, "pmo": BODY}[block.style]
        if block.style == "bullet":
            return [Bullet(spans_para(block.spans, style))]
        if block.style == "pmo":
            inner = [para(block.label or "PMO commentary", SMALL, bold=True), spans_para(block.spans, BODY)]
            box = RLTable([[inner]], colWidths=[self.width], hAlign="LEFT")
            box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("BACKGROUND", (0, 0), (-1, -1), PMO_BACK),
                                     ("LINEBEFORE", (0, 0), (0, -1), 2.5, PMO_EDGE),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
            return [box, Spacer(1, 5)]
        return [spans_para(block.spans, style)]

    def column_widths(self, table: Table, size: float = 8.0) -> list[float]:
        """Numeric columns as wide as their widest value; text columns as wide as their longest word
        where there is room, never narrower than their header's longest word; the rest by weight."""
        pad = 7.0
        needed, floor = [], []
        for n, column in enumerate(table.columns):
            words = column.header.split()
            whole = text_width(column.header, 7.5, True)
            word = max((text_width(w, 7.5, True) for w in words), default=0) + pad
            # a short header stays on one line; a long one breaks between words, never inside one
            header = (whole + pad) if whole <= 62 else word
            if column.numeric:
                values = [text_width(line.text, size, line.bold or row[n].rag is not None)
                          for row in table.rows for line in row[n].lines]
                needed.append(max([header] + [v + pad for v in values]))
                floor.append(needed[-1])
            else:
                longest = max((text_width(w, size, line.bold) for row in table.rows for line in row[n].lines
                               for w in set(line.text.split())), default=0.0)
                needed.append(max(header, min(longest + pad, 0.3 * self.width)))
                floor.append(max(word, min(longest + pad, 0.12 * self.width)))
        total_needed = sum(needed)
        if total_needed <= self.width:
            spare = self.width - total_needed
            weights = [c.weight if not c.numeric else 0 for c in table.columns]
            if not any(weights):
                weights = [1] * len(needed)
            # give the spare width so that text columns end up near their weighted share
            target = [self.width * w / sum(weights) for w in weights]
            want = [max(0.0, t - n) for t, n in zip(target, needed)]
            share = sum(want)
            if share > 0:
                return [n + spare * w / share for n, w in zip(needed, want)]
            return [n + spare * w / sum(weights) for n, w in zip(needed, weights)]
        over = total_needed - self.width
        give = [n - f for n, f in zip(needed, floor)]
        room = sum(give)
        if room >= over:
            return [n - over * g / room for n, g in zip(needed, give)]
        widths = floor
        return [w * self.width / sum(widths) for w in widths]

    def plain_cell(self, c: Cell):
        """A numeric cell (sized to fit, never wrapped) as a plain string when one regular font has it:
        a Paragraph per number costs most of a large pack's time."""
        if len(c.lines) == 1 and c.rag is None and not c.lines[0].bold and not c.lines[0].italic:
            pieces = runs(c.lines[0].text)
            if len(pieces) == 1 and pieces[0][0] == REGULAR:
                return c.lines[0].text
        return self.cell(c)

    def cell(self, c: Cell):
        style = CELL if c.align == "left" else _aligned(CELL, TA_RIGHT if c.align == "right" else TA_CENTER)
        if c.rag is not None:
            _, ink = RAG_COLOURS[c.rag]
            style = _rag_style(ink)
        out = []
        for line in c.lines:
            if line.italic:
                out.append(spans_para((line,), _muted(style)))
            else:
                out.append(para(line.text, style, line.bold))
        return out if len(out) > 1 else out[0]

    def table(self, table: Table) -> list:
        widths = self.column_widths(table)
        header = [para(c.header, HEAD if c.align == "left" else _aligned(HEAD, TA_RIGHT if c.align == "right"
                                                                           else TA_CENTER), bold=True)
                  for c in table.columns]
        numeric = [c.numeric for c in table.columns]
        rows = [header] + [[self.plain_cell(c) if numeric[k] else self.cell(c) for k, c in enumerate(row)]
                           for row in table.rows]
        out = RLTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        commands = table_style(len(rows))
        for k, column in enumerate(table.columns):
            if column.numeric and column.align != "left":
                commands.append(("ALIGN", (k, 1), (k, -1), "RIGHT" if column.align == "right" else "CENTER"))
        commands.append(("FONTSIZE", (0, 1), (-1, -1), CELL.fontSize))
        commands.append(("LEADING", (0, 1), (-1, -1), CELL.leading))
        commands.append(("TEXTCOLOR", (0, 1), (-1, -1), INK))
        for r, row in enumerate(table.rows, start=1):
            for k, c in enumerate(row):
                if c.rag is not None:
                    commands.append(("BACKGROUND", (k, r), (k, r), RAG_COLOURS[c.rag][0]))
        out.setStyle(TableStyle(commands))
        flow = [out]
        if table.note:
            flow.append(Spacer(1, 2))
            flow.append(para(table.note, SMALL))
        flow.append(Spacer(1, 4))
        return flow

    def facts(self, facts: Facts) -> list:
        long = any(len(v) > 60 for _, v in facts.pairs)
        if long:  # decision papers: one fact a row, label on the left
            rows = [[para(label, CELL, bold=True), para(value, CELL)] for label, value in facts.pairs]
            table = RLTable(rows, colWidths=[0.23 * self.width, 0.77 * self.width], hAlign="LEFT")
        else:
            cells = [[para(label, CELL, bold=True), para(value, CELL)] for label, value in facts.pairs]
            half = (len(cells) + 1) // 2
            left, right = cells[:half], cells[half:] + [[para(" ", CELL), para(" ", CELL)]] * (half * 2 - len(cells))
            rows = [a + b for a, b in zip(left, right)]
            table = RLTable(rows, colWidths=[w * self.width for w in (0.17, 0.33, 0.17, 0.33)], hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#E6E9EE"))]))
        return [KeepTogether([table]) if long else table, Spacer(1, 4)]

    def tiles(self, tiles: Tiles) -> list:
        per_row = 4
        w = self.width / per_row
        cells, row = [], []
        for tile in tiles.tiles:
            colour = SENSE_COLOURS.get(tile.sense, MUTED)
            row.append([para(tile.label, _tile_label()), para(tile.value, _tile_value()),
                        para(tile.travel, _sense_style(colour), bold=True), para(tile.target, SMALL)])
            if len(row) == per_row:
                cells.append(row)
                row = []
        if row:
            cells.append(row + [""] * (per_row - len(row)))
        table = RLTable(cells, colWidths=[w] * per_row, hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOX", (0, 0), (-1, -1), 0.4, RULE_GREY),
                                   ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE_GREY),
                                   ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F7F9FB")),
                                   ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 7)]))
        return [table, Spacer(1, 4)]

    def chart_grid(self, grid: ChartGrid) -> list:
        gap = 6 * mm
        w = (self.width - gap) / 2
        drawings = [charts.line_chart(c, w, 128) for c in grid.charts]
        rows = [drawings[n:n + 2] + [""] * (2 - len(drawings[n:n + 2])) for n in range(0, len(drawings), 2)]
        table = RLTable(rows, colWidths=[w + gap / 2] * 2, hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4)]))
        flow = [CondPageBreak(140), Spacer(1, 2), table]
        if grid.note:
            flow.append(para(grid.note, SMALL))
        return flow

    # --------------------------------------------------------------- the document
    def story(self) -> list:
        pack = self.pack
        cover = pack.cover
        story: list = [Spacer(1, 50 * mm), para(cover.marking, _coloured(SMALL, "#C62828"), bold=True),
                       Spacer(1, 6 * mm), para(cover.portfolio, TITLE, bold=True)]
        if cover.client:
            story.append(para(cover.client, SUBTITLE))
        story += [Spacer(1, 12 * mm), para("Board pack — value delivery", _coloured(H2, "#1F3A5F"), bold=True)]
        story += [para(line, BODY) for line in cover.lines]
        story += [Spacer(1, 30 * mm), para(cover.small, SMALL), PageBreak()]
        entries: list[tuple[str, str, int]] = []
        keys = []
        groups_seen = set()
        grouped = sum(1 for s in pack.sections if s.group)
        for n, section in enumerate(pack.sections):
            key = f"s{n}"
            keys.append(key)
            if section.group:
                if section.group not in groups_seen:
                    groups_seen.add(section.group)
                    entries.append((f"{section.group} ({grouped})", f"group-{section.group}", 0))
                if grouped <= 40:
                    entries.append((section.bookmark or section.title, key, 1))
            elif section.in_contents:
                entries.append((section.bookmark or section.title, key, 0))
        self.contents_page = 2
        story += [Paragraph(markup(pack.contents_title, True), H1), ContentsEntries(self, entries)]
        for key, section in zip(keys, pack.sections):
            story += [PageBreak(), SectionStart(self, key, section), para(section.title, H1, bold=True)]
            for block in section.blocks:
                story += self.flowables(block)
        return story

    def footer(self, canvas: Canvas, number: int, total: int) -> None:
        pack = self.pack
        width, height = self.page_size
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        canvas.setFillColor(MUTED)
        draw_text(canvas, MARGIN, 10 * mm, pack.footer_left.format(n=number, total=total), FOOTER_SIZE)
        draw_text(canvas, width / 2, 10 * mm, f"As of {pack.as_of.isoformat()}  ·  {pack.footer_location}",
                  FOOTER_SIZE, anchor="middle")
        canvas.setFillColor(colors.HexColor("#C62828"))
        marking_width = text_width(pack.marking, FOOTER_SIZE, True)
        if marking_width > 150:  # a long marking gets a line of its own: it is printed whole
            draw_text(canvas, width - MARGIN, 6 * mm, pack.marking, FOOTER_SIZE, bold=True, anchor="end")
        else:
            draw_text(canvas, width - MARGIN, 10 * mm, pack.marking, FOOTER_SIZE, bold=True, anchor="end")
        continued = self.continued.get(number)
        if continued:
            canvas.setFillColor(NAVY)
            draw_text(canvas, MARGIN, height - 12 * mm, f"{continued} (continued)", 9, bold=True)
        canvas.setFillColor(INK)
        for key, (x, y), size, bold in self.contents_numbers.get(number, []):
            page = self.page_of.get(key)
            if page is not None:
                draw_text(canvas, x, y, str(page), size, bold, anchor="end")
        canvas.restoreState()
        for key, title, level in self.outline.get(number, []):
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, level=level, closed=level == 0 and key.startswith("group-"))

    def render(self, destination: str | Path, page_done: Callable[[int], None] = lambda n: None) -> int:
        pack = self.pack
        renderer = self
        pages = [0]

        class Document(BaseDocTemplate):
            def afterPage(self):  # noqa: N802 - reportlab's name
                pages[0] += 1
                number = self.canv.getPageNumber()
                if renderer.current and renderer.current[1] != number:
                    renderer.continued[number] = renderer.current[0]
                page_done(pages[0])

        document = Document(str(destination), pagesize=self.page_size, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=BOTTOM, title=pack.title, author=pack.author,
                            subject=pack.subject, keywords=pack.keywords, creator=f"pmodesk {__version__}",
                            producer=f"pmodesk {__version__} (reportlab)", initialFontName=REGULAR)
        frame = Frame(MARGIN, BOTTOM, self.width, self.page_size[1] - MARGIN - BOTTOM, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        document.addPageTemplates([PageTemplate("body", [frame])])
        document.build(self.story(), canvasmaker=_numbered_canvas(self.footer, pack.as_of))
        return pages[0]


class _Indented(Flowable):
    """Any flowable indented like a bullet point's text: the rest of a bullet split over a page."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def wrap(self, available_width, available_height):
        self.w, self.h = self.inner.wrap(available_width - 14, available_height)
        return available_width, self.h

    def split(self, available_width, available_height):
        return [_Indented(p) for p in self.inner.split(available_width - 14, available_height)]

    def draw(self):
        self.inner.drawOn(self.canv, 14, 0)


class Bullet(_Indented):
    """A bullet point whose text may be any flowable (a right-to-left paragraph included)."""

    def split(self, available_width, available_height):
        parts = self.inner.split(available_width - 14, available_height)
        if not parts:
            return []
        return [Bullet(parts[0])] + [_Indented(p) for p in parts[1:]]

    def draw(self):
        self.canv.setFont(REGULAR, 9.5)
        self.canv.setFillColor(INK)
        self.canv.drawString(3, self.h - 10, "•")
        super().draw()

    def getSpaceAfter(self):  # noqa: N802 - reportlab's name
        return 3


_STYLE_CACHE: dict[str, ParagraphStyle] = {}


def _cached(key: str, make: Callable[[], ParagraphStyle]) -> ParagraphStyle:
    found = _STYLE_CACHE.get(key)
    if found is None:
        found = _STYLE_CACHE[key] = make()
    return found


def _coloured(style: ParagraphStyle, hex_colour: str) -> ParagraphStyle:
    return _cached(f"{style.name}-{hex_colour}", lambda: ParagraphStyle(
        f"{style.name}-{hex_colour}", parent=style, textColor=colors.HexColor(hex_colour)))


def _rag_style(ink) -> ParagraphStyle:
    return _cached(f"rag-{ink}", lambda: ParagraphStyle(f"rag-{ink}", parent=CELL, textColor=ink,
                                                        alignment=TA_CENTER, fontName=BOLD))


def _muted(style: ParagraphStyle) -> ParagraphStyle:
    return _cached(f"{style.name}-muted", lambda: ParagraphStyle(f"{style.name}-muted", parent=style,
                                                                 textColor=MUTED))


def _tile_label() -> ParagraphStyle:
    return _cached("tile-label", lambda: ParagraphStyle("tile-label", parent=SMALL, textColor=INK, fontSize=8))


def _tile_value() -> ParagraphStyle:
    return _cached("tile-value", lambda: ParagraphStyle("tile-value", parent=BODY, fontSize=17, leading=21,
                                                        textColor=NAVY))


def _sense_style(colour) -> ParagraphStyle:
    return _cached(f"sense-{colour}", lambda: ParagraphStyle(f"sense-{colour}", parent=SMALL, textColor=colour,
                                                             fontSize=8.5, leading=11))


def user_umask_mode() -> int:
    """The mode a new file gets under the user's umask (0644 under 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
