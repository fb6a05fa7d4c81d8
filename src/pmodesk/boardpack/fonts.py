"""Fonts per run of text, and user text made safe for reportlab's paragraph markup.

reportlab has no font fallback: each run of text is set in the first bundled font whose cmap has
its characters. Right-to-left text (Arabic, Hebrew) is reordered with the Unicode bidi algorithm
and Arabic letters are given their joined forms (Arabic presentation forms, which Noto Sans Arabic
carries), so the PDF reads correctly without a shaping engine. User text is always escaped before
it reaches paragraph markup: unescaped markup has allowed code execution (CVE-2023-33733) and
file or URL fetches through ``<img src>``.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from pmodesk.resources import resources_dir

# Nothing in a board pack is fetched: no URL, no file named in the text.
rl_config.trustedSchemes = []
rl_config.trustedHosts = []

REGULAR = "PMSans"
BOLD = "PMSans-Bold"
_FACES = [  # (regular name, bold name, regular file, bold file), in fallback order
    ("PMSans", "PMSans-Bold", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("PMArabic", "PMArabic-Bold", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("PMHebrew", "PMHebrew-Bold", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    ("PMCJK", "PMCJK", "DroidSansFallbackFull.ttf", None),
    ("PMSymbols", "PMSymbols", "Symbola.ttf", None),
]
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


@cache
def register() -> dict[str, frozenset[int]]:
    """Register the bundled fonts once; return each regular face's character coverage."""
    folder = resources_dir() / "fonts"
    coverage = {}
    for regular, bold, regular_file, bold_file in _FACES:
        font = TTFont(regular, str(folder / regular_file))
        pdfmetrics.registerFont(font)
        coverage[regular] = frozenset(font.face.charToGlyph)
        if bold_file:
            pdfmetrics.registerFont(TTFont(bold, str(folder / bold_file)))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # reportlab.graphics starts every drawing in Helvetica, which is never embedded: start in ours.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return coverage


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF (emoji) written as UTF-16 surrogate
    pairs as the PDF specification requires; reportlab writes 5 hex digits and copying or searching
    the PDF then yields the wrong character."""
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


def visual(text: str) -> str:
    """Right-to-left runs reordered for display (and Arabic joined); other text unchanged."""
    if not _RTL.search(text):
        return text
    from bidi.algorithm import get_display

    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return get_display(text)


def _face_for(char: str, coverage: dict[str, frozenset[int]]) -> str:
    code = ord(char)
    for regular, *_ in _FACES:
        if code in coverage[regular]:
            return regular
    return REGULAR


def markup(text: str | None, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, reordered if right-to-left, one font per run."""
    if text is None:
        return ""
    coverage = register()
    shown = visual(str(text))
    runs: list[tuple[str, list[str]]] = []
    for char in shown:
        face = REGULAR if char in " \t\n" or ord(char) < 0x80 else _face_for(char, coverage)
        if runs and runs[-1][0] == face:
            runs[-1][1].append(char)
        else:
            runs.append((face, [char]))
    parts = []
    bold_names = {regular: bold_name for regular, bold_name, *_ in _FACES}
    for face, chars in runs:
        body = escape("".join(chars)).replace("\n", "<br/>")
        name = bold_names[face] if bold else face
        parts.append(body if face == REGULAR and not bold else f'<font face="{name}">{body}</font>')
    return "".join(parts)


_SYMBOLS = re.compile("([←-⇿−])")


def symbols(own_markup: str) -> str:
    """pmodesk's own markup with arrows and the minus sign set in the symbol font (Noto Sans lacks them)."""
    return _SYMBOLS.sub(r'<font face="PMSymbols">\1</font>', own_markup)


def plain(text: str | None) -> str:
    """Text for reportlab.graphics strings (no markup): reordered if right-to-left."""
    return "" if text is None else visual(str(text))
