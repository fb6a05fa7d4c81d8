"""Fonts per run of text, shaping, right-to-left order, and text made safe for reportlab's markup.

reportlab has no font fallback: every run of text — pmodesk's own words as well as the user's — is
set in the first bundled font whose cmap has its characters (``runs``), so a glyph is never missing
(``missing`` checks that with the fonts' own cmaps). Thai and Devanagari runs are shaped with
HarfBuzz (uharfbuzz, through reportlab's shaping support, one run per font so a word mixing scripts
is shaped in each script's own font). Arabic is given its joined forms with arabic-reshaper
(presentation forms, which Noto Sans Arabic carries) and right-to-left text is reordered with
python-bidi, one line at a time *after* the line is broken in logical order (``broken_lines``), so a
wrapped right-to-left paragraph reads top to bottom. User text is always escaped before it reaches
paragraph markup: unescaped markup has allowed code execution (CVE-2023-33733) and file or URL
fetches through ``<img src>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from pmodesk.resources import font_path

# Nothing in a board pack is fetched: no URL, no file named in the text.
rl_config.trustedSchemes = []
rl_config.trustedHosts = []
# Our chart shapes are well-formed: skip reportlab's per-attribute validation (a third of a large pack's
# time). Read when reportlab.graphics.shapes is first imported, so set before anything imports it.
rl_config.shapeChecking = 0


@dataclass(frozen=True)
class Face:
    regular: str  # reportlab font name
    bold: str
    regular_file: str
    bold_file: str | None
    shaped: bool = False  # complex script: shaped with HarfBuzz


# In fallback order: the first face whose cmap has a character sets it.
FACES = (
    Face("PMSans", "PMSans-Bold", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    Face("PMArabic", "PMArabic-Bold", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    Face("PMHebrew", "PMHebrew-Bold", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    Face("PMThai", "PMThai-Bold", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", shaped=True),
    Face("PMDeva", "PMDeva-Bold", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", shaped=True),
    Face("PMCJK", "PMCJK", "DroidSansFallbackFull.ttf", None),
    Face("PMHangul", "PMHangul-Bold", "NanumSquareR.ttf", "NanumSquareB.ttf"),
    Face("PMSymbols", "PMSymbols", "Symbola.ttf", None),
)
REGULAR, BOLD = FACES[0].regular, FACES[0].bold
SHAPED_NAMES = frozenset(n for f in FACES if f.shaped for n in (f.regular, f.bold))
_BOLD_OF = {f.regular: f.bold for f in FACES}
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_STRONG_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_STRONG_LTR = re.compile("[A-Za-z\u00c0-\u058f\u0900-\u1fff\u2c00-\ufaff]")
# Characters that never need a font of their own: they join the run around them.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_NEUTRAL = frozenset(" \u00a0\u200b\u200c\u200d")
# Text a private-use glyph code stands for (shaped ligatures and conjuncts), per font face:
# written into the PDF's ToUnicode map so copying and searching give the letters back.
_PRIVATE_TEXT: dict[tuple[str, int], str] = {}


@cache
def register() -> dict[str, frozenset[int]]:
    """Register the bundled fonts once; return each regular face's character coverage."""
    coverage = {}
    for face in FACES:
        font = TTFont(face.regular, str(font_path(face.regular_file)))
        pdfmetrics.registerFont(font)
        coverage[face.regular] = frozenset(font.face.charToGlyph)
        if face.bold_file:
            pdfmetrics.registerFont(TTFont(face.bold, str(font_path(face.bold_file))))
        pdfmetrics.registerFontFamily(face.regular, normal=face.regular, bold=face.bold, italic=face.regular,
                                      boldItalic=face.bold)
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    _install_shaping()
    # reportlab.graphics starts every drawing in Helvetica, which is never embedded: start in ours.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return coverage


def coverage_of(font_name: str) -> frozenset[int]:
    """The characters a registered face (regular or bold) has, from its own cmap."""
    register()
    return _coverage(font_name)


@cache
def _coverage(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF (emoji) written as UTF-16 surrogate
    pairs as the PDF specification requires, and shaped glyphs (private codes) mapped back to the
    letters they stand for."""
    face = fontname.split("+", 1)[-1]

    def utf16(code: int) -> str:
        text = _PRIVATE_TEXT.get((face, code)) if 0xE000 <= code <= 0xF8FF else None
        if text is None:
            text = chr(code)
        return text.encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


# ----------------------------------------------------------------------------------- shaping
def _install_shaping() -> None:
    """reportlab shapes a whole word with its first fragment's font; a word that mixes scripts
    ("ERP-ระบบ") would then be shaped in the wrong font. Shape each font's run on its own, and only
    the complex-script faces (Latin needs no shaping, and skipping it keeps big packs fast)."""
    import reportlab.platypus.paragraph as paragraph_module

    original = ttfonts.shapeFragWord
    if getattr(paragraph_module.shapeFragWord, "pmodesk", False):
        return

    def shape_fragment_word(word, *args, **kwargs):
        if isinstance(word, ttfonts.ShapedFragWord) or not any(
                getattr(f, "fontName", None) in SHAPED_NAMES for f, _ in word[1:]):
            return word
        groups: list[list] = []
        for fragment in word[1:]:
            if groups and getattr(groups[-1][-1][0], "fontName", None) == getattr(fragment[0], "fontName", None):
                groups[-1].append(fragment)
            else:
                groups.append([fragment])
        shaped_class, total, fragments = None, 0.0, []
        for group in groups:
            width = sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in group
                        if not hasattr(f, "cbDefn"))
            # a word wrapped again, or split across lines after shaping, keeps the glyphs it was given
            already = any(isinstance(s, ttfonts.ShapedStr) or _PRIVATE_USE.search(s) for _, s in group)
            if group[0][0].fontName in SHAPED_NAMES and not hasattr(group[0][0], "cbDefn") and not already:
                result = original(word.__class__([width, *group]))  # keeps "a space follows"
                if result.__class__ is not list:
                    shaped_class = shaped_class or result.__class__
                    _remember_private(group, result)
                total += result[0]
                fragments += result[1:]
            else:
                total += width
                fragments += group
        return (shaped_class or word.__class__)([total, *fragments])

    shape_fragment_word.pmodesk = True
    paragraph_module.shapeFragWord = shape_fragment_word


def _remember_private(source_group: list, shaped: list) -> None:
    """Record which letters each private-use glyph code of a shaped run stands for: the letters of
    its cluster that the cluster's other (ordinary) glyphs do not already stand for."""
    text = "".join(s for _, s in source_group)
    glyphs = []  # (face, character, cluster)
    for fragment, string in shaped[1:]:
        data = getattr(string, "__shapeData__", None)
        if not data:
            continue
        face = pdfmetrics.getFont(fragment.fontName).face.name
        face = face.decode("latin-1") if isinstance(face, bytes) else face
        glyphs += [(face, char, d.cluster) for char, d in zip(string, data)]
    starts = sorted({cluster for _, _, cluster in glyphs})
    for cluster in starts:
        later = [c for c in starts if c > cluster]
        letters = list(text[cluster:later[0] if later else len(text)])
        members = [(face, c) for face, c, k in glyphs if k == cluster]
        private = [(face, c) for face, c in members if 0xE000 <= ord(c) <= 0xF8FF]
        if not private:
            continue
        for face, other in members:  # letters the ordinary glyphs and known glyphs already stand for
            known = other if (face, ord(other)) not in dict.fromkeys((f, ord(c)) for f, c in private) else \
                _PRIVATE_TEXT.get((face, ord(other)), "")
            for letter in known:
                if letter in letters:
                    letters.remove(letter)
        for face, char in private:
            if (face, ord(char)) not in _PRIVATE_TEXT:
                _PRIVATE_TEXT[(face, ord(char))] = "".join(letters) or "\u200d"
                letters = []


def shaped_string(text: str, font_name: str, size: float) -> str:
    """A run of one face ready for ``canvas.drawString`` (charts, footers): shaped when complex."""
    if font_name not in SHAPED_NAMES:
        return text
    from reportlab.lib.abag import ABag

    fragment = ABag(fontName=font_name, fontSize=size)
    result = ttfonts.shapeFragWord([pdfmetrics.stringWidth(text, font_name, size), (fragment, text)], force=True)
    _remember_private([(fragment, text)], result)
    return result[1][1]


# ----------------------------------------------------------------------------------- runs
def face_for(char: str, coverage: dict[str, frozenset[int]] | None = None) -> str:
    coverage = coverage or register()
    code = ord(char)
    if code < 0x80:
        return REGULAR
    for face in FACES:
        if code in coverage[face.regular]:
            return face.regular
    return REGULAR


@lru_cache(maxsize=65536)
def runs(text: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
    """``text`` (already in display order) as (font name, text) runs, one font per run."""
    coverage = register()
    out: list[list] = []
    for char in text:
        if char in _NEUTRAL and out:
            out[-1][1].append(char)
            continue
        face = face_for(char, coverage)
        if out and out[-1][0] == face:
            out[-1][1].append(char)
        else:
            out.append([face, [char]])
    return tuple((_BOLD_OF[face] if bold else face, "".join(chars)) for face, chars in out)


def is_rtl(text: str) -> bool:
    """True when the paragraph's first strong character is right-to-left (its base direction)."""
    rtl, ltr = _STRONG_RTL.search(text), _STRONG_LTR.search(text)
    return rtl is not None and (ltr is None or rtl.start() < ltr.start())


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


@lru_cache(maxsize=16384)
def visual(text: str) -> str:
    """One line in display order: right-to-left runs reordered (and Arabic joined); else unchanged."""
    if not _RTL.search(text):
        return text
    from bidi.algorithm import get_display

    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return get_display(text)


def width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line (logical order) as it will be drawn."""
    return sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(visual(text), bold))


def broken_lines(text: str, available: float, size: float, bold: bool = False) -> list[str]:
    """Text broken into lines in logical order — at spaces, and in Thai and its neighbours between words
    (``breaks.segments``) — then each line put in display order (right-to-left runs reordered), so that
    the first line of the paragraph is printed first."""
    from pmodesk.boardpack.breaks import segments

    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for piece in segments(paragraph):
            if current and width(current + piece.rstrip(" "), size, bold) > available:
                lines.append(current.rstrip(" "))
                current = piece
            else:
                current += piece
        lines.append(current.rstrip(" ") if current.strip(" ") else current)
    return [visual(line) for line in lines]


def markup_runs(display_text: str, bold: bool = False) -> str:
    """Paragraph markup for text already in display order: escaped, one ``<font>`` per run."""
    parts = []
    for font, part in runs(display_text, bold):
        body = escape(part).replace("\n", "<br/>")
        parts.append(body if font == REGULAR else f'<font face="{font}">{body}</font>')
    return "".join(parts)


def markup(text: str | None, bold: bool = False) -> str:
    """Paragraph markup for one line of user or pmodesk text (unwrapped right-to-left order)."""
    if text is None:
        return ""
    return markup_runs("\n".join(visual(line) for line in str(text).split("\n")), bold)


def missing(text: str, bold: bool = False) -> list[str]:
    """Characters of ``text`` that the font chosen for them does not have (should always be empty)."""
    register()
    out = []
    for font, part in runs(visual(text), bold):
        have = coverage_of(font)
        out += [c for c in part if ord(c) not in have and c not in "\n\t"]
    return out
