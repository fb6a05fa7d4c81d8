"""The board pack's content, built once (``pmodesk.boardpack.build``) and rendered twice (PDF, PowerPoint).

Plain frozen objects with every figure already formatted as text: a renderer decides how a block
looks, never what it says. Text is plain Unicode in logical order (no markup): each renderer escapes,
chooses fonts and orders right-to-left runs itself. A pack is a list of sections; a section starts a
new page (PDF) and a new slide (PowerPoint) and carries a running title repeated on its
continuation pages. Adding a section to the pack is one function in ``build`` returning a
``Section`` of these blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Text:
    """A paragraph. Styles: body, lead, small, bullet, pmo (the PMO's own words, marked as theirs)."""

    spans: tuple[Span, ...]
    style: str = "body"
    label: str | None = None  # pmo: who wrote it, printed with it

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)


def text(value: str, style: str = "body", bold: bool = False) -> Text:
    return Text((Span(value, bold=bold),), style)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 is the section's own title (set by Section), 2 a sub-heading


@dataclass(frozen=True)
class Cell:
    lines: tuple[Span, ...]  # one span per line; a line may be bold or italic
    align: str = "left"  # left, right, centre
    rag: str | None = None  # green, amber, red, none: a coloured band with its word (greyscale-safe)

    @property
    def plain(self) -> str:
        return "\n".join(s.text for s in self.lines)


def cell(value: str | None, align: str = "left", bold: bool = False, rag: str | None = None) -> Cell:
    return Cell((Span("—" if value is None or value == "" else value, bold=bold),), align, rag)


def cell_lines(*lines: Span, align: str = "left") -> Cell:
    return Cell(tuple(lines), align)


@dataclass(frozen=True)
class Column:
    header: str
    weight: float  # share of the free width for text columns
    align: str = "left"
    numeric: bool = False  # sized from its widest formatted value so numbers never wrap


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str | None = None  # below the table: units, what "—" means


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (an initiative's key facts)."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    target: str  # "Target > 80%" or "No target recorded"
    travel: str  # "↑ better", "↓ worse", "→ steady", "—"
    sense: str  # better, worse, steady, none: decides the colour


@dataclass(frozen=True)
class Tiles:
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[date, float], ...]
    role: str  # plan, actual, forecast


@dataclass(frozen=True)
class LineChart:
    title: str
    y_label: str  # the unit on the axis: "£m", "days", "%"
    y_scale: float  # values are divided by this for the tick labels (1e6 for £m)
    series: tuple[Series, ...]
    first: date
    last: date
    hlines: tuple[tuple[str, float], ...] = ()  # baseline, target
    vlines: tuple[tuple[str, date], ...] = ()  # go-live, as-of
    band: tuple[tuple[date, float, float], ...] = ()  # the forecast's 80% band: (date, low, high)
    empty_note: str | None = None  # drawn instead of data when there is nothing to chart


@dataclass(frozen=True)
class Bubble:
    label: str
    x: float
    y: float
    risk: int  # 0 when unknown
    band: str  # low, medium, high, unknown


@dataclass(frozen=True)
class BubbleChart:
    title: str
    x_label: str
    y_label: str
    scale: float  # money divisor shared by both axes (1e6 for £m)
    bubbles: tuple[Bubble, ...]


@dataclass(frozen=True)
class ChartGrid:
    """Small charts side by side, two to a row."""

    charts: tuple[LineChart, ...]
    note: str | None = None


@dataclass(frozen=True)
class FrontierChart:
    """Budget (x) against the best expected remaining value it buys (y), drawn as steps through its
    points, with the current plan marked (DESIGN.md section 17)."""

    title: str
    x_label: str
    y_label: str
    scale: float  # money divisor shared by both axes (1e6 for £m)
    points: tuple[tuple[float, float], ...]  # (budget, value) in increasing budget
    current: tuple[float, float]  # the current plan: (remaining cost, expected remaining value)
    current_label: str = "Current plan"


@dataclass(frozen=True)
class MapBox:
    column: int  # 0 outputs, 1 outcomes, 2 benefits, 3 strategic objectives
    code: str
    title: str


@dataclass(frozen=True)
class BenefitsMap:
    """An initiative's benefit dependency chain: four columns of boxes joined by lines (DESIGN.md
    sections 2 and 4)."""

    columns: tuple[str, ...]  # the four column headings
    boxes: tuple[MapBox, ...]  # in column order, then by code
    links: tuple[tuple[int, int], ...]  # (from, to) as indexes into ``boxes``, left to right
    empty: str = "none recorded"


@dataclass(frozen=True)
class Break:
    """Where a slide starts afresh; a page flows on past it. ``"column"``: the next column of a slide
    laid out in columns; ``"slide"``: a new slide, titled by the heading that follows it."""

    where: str


Block = Text | Heading | Table | Facts | Tiles | LineChart | BubbleChart | ChartGrid | FrontierChart | BenefitsMap | Break


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    bookmark: str | None = None  # outline entry (default: the title)
    group: str | None = None  # outline parent ("Initiatives") for per-initiative sections
    running_title: str | None = None  # repeated on continuation pages (default: the title)
    in_contents: bool = True


@dataclass(frozen=True)
class Cover:
    marking: str
    portfolio: str
    client: str | None
    lines: tuple[str, ...]  # meeting date, as-of date, decision log since
    small: str


@dataclass(frozen=True)
class Pack:
    cover: Cover
    sections: tuple[Section, ...]
    title: str
    author: str
    subject: str
    keywords: str
    as_of: date
    footer_location: str  # the file name, shortened in the middle when long
    marking: str
    footer_left: str = "Page {n} of {total}"
    contents_title: str = "Contents"
    extra: dict = field(default_factory=dict, compare=False)
