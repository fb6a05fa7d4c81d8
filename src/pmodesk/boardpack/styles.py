"""The board pack's type scale, colours and table styles."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from pmodesk.boardpack.fonts import BOLD, REGULAR

NAVY = colors.HexColor("#1F3A5F")
INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5F6B7A")
PLAN = colors.HexColor("#E08E0B")
RULE_GREY = colors.HexColor("#D5DAE1")
ZEBRA = colors.HexColor("#F3F5F8")
RAG_COLOURS = {"green": (colors.HexColor("#2E7D32"), colors.white), "amber": (colors.HexColor("#F9A825"), INK),
               "red": (colors.HexColor("#C62828"), colors.white), None: (colors.HexColor("#E0E3E8"), INK),
               "none": (colors.HexColor("#E0E3E8"), INK)}


# Risk bands differ in lightness as well as hue (and bubbles in size), so they survive greyscale
# printing: light green, mid orange, dark red; an unscored initiative is white with a grey edge.
RISK_COLOURS = {"low": (colors.HexColor("#A5D6A7"), colors.HexColor("#2E7D32")),
                "medium": (colors.HexColor("#EF8F00"), colors.HexColor("#8D5300")),
                "high": (colors.HexColor("#7F1010"), colors.HexColor("#3E0000")),
                "unknown": (colors.white, colors.HexColor("#5F6B7A"))}


def _style(name: str, size: float, leading: float, font: str = REGULAR, colour=INK, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, textColor=colour, **kw)


# One type scale: 30 / 18 / 12.5 / 9.5 / 8 / 7.
TITLE = _style("title", 30, 36, BOLD, NAVY, spaceAfter=10)
SUBTITLE = _style("subtitle", 14, 19, REGULAR, MUTED, spaceAfter=4)
H1 = _style("h1", 18, 23, BOLD, NAVY, spaceBefore=4, spaceAfter=8, keepWithNext=1)
H2 = _style("h2", 12.5, 16, BOLD, NAVY, spaceBefore=10, spaceAfter=5, keepWithNext=1)
BODY = _style("body", 9.5, 13.5, spaceAfter=5)
BULLET = _style("bullet", 9.5, 13.5, leftIndent=12, bulletIndent=2, spaceAfter=3, bulletFontName=REGULAR)
SMALL = _style("small", 8, 10.5, colour=MUTED)
CELL = _style("cell", 8, 10)
CELL_BOLD = _style("cell-bold", 8, 10, BOLD)
CELL_RIGHT = _style("cell-right", 8, 10, alignment=TA_RIGHT)
CELL_CENTRE = _style("cell-centre", 8, 10, BOLD, alignment=TA_CENTER)
HEAD = _style("head", 7.5, 9.5, BOLD, colors.white)
HEAD_RIGHT = _style("head-right", 7.5, 9.5, BOLD, colors.white, alignment=TA_RIGHT)
TILE_VALUE = _style("tile-value", 16, 19, BOLD, NAVY, alignment=TA_LEFT)
FOOTER_SIZE = 7.5


def table_style(rows: int) -> list:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # plain-string cells too: never an unembedded base font
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for row in range(2, rows, 2):
        commands.append(("BACKGROUND", (0, row), (-1, row), ZEBRA))
    return commands
