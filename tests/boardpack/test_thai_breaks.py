"""Thai in the PDF breaks between words (ICU's dictionary through boardpack.breaks), never inside one."""

from __future__ import annotations

import re

import pytest
from reportlab.lib.styles import ParagraphStyle

from pmodesk.boardpack import breaks
from pmodesk.boardpack.fonts import REGULAR, broken_lines, register
from pmodesk.boardpack.pdf import BrokenParagraph, para

NAME = "โครงการปรับปรุงระบบจัดซื้อจัดจ้างและการเรียกเก็บเงินทั่วทั้งองค์กร น้ำใจ"
# The name's words, as a Thai reader splits them (independently of ICU).
WORDS = ["โครงการ", "ปรับปรุง", "ระบบ", "จัด", "ซื้อ", "จ้าง", "และ", "การ", "เรียก", "เก็บ", "เงิน", "ทั่ว",
         "ทั้ง", "องค์กร", "น้ำใจ"]
WHOLE_WORDS = re.compile(f"(?:{'|'.join(sorted(WORDS, key=len, reverse=True))})+")


def test_icu_is_found_beside_qt():
    assert breaks.available()


def test_thai_is_cut_into_words_and_latin_at_spaces():
    assert [s.strip() for s in breaks.segments(NAME)] == ["โครงการ", "ปรับปรุง", "ระบบ", "จัด", "ซื้อ", "จัด", "จ้าง",
                                                          "และ", "การ", "เรียก", "เก็บ", "เงิน", "ทั่ว", "ทั้ง",
                                                          "องค์กร", "น้ำใจ"]
    assert breaks.segments("Supply chain  re-platforming") == ("Supply ", "chain  ", "re-platforming")
    assert "".join(breaks.segments(NAME)) == NAME


@pytest.mark.parametrize("available", [40, 60, 90, 130, 200])
def test_every_line_is_whole_words(available):
    register()
    lines = broken_lines(NAME, available, 9)
    assert "".join(lines).replace(" ", "") == NAME.replace(" ", "")
    assert len(lines) >= 2
    for line in lines:
        for part in line.split(" "):
            assert WHOLE_WORDS.fullmatch(part), (available, line)


def test_reportlab_keeps_the_lines_as_broken():
    """The paragraph holds our lines: reportlab does not cut any of them again between letters."""
    register()
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=9, leading=11)
    flowable = para(NAME, style)
    assert isinstance(flowable, BrokenParagraph)
    for available in (60, 130):
        flowable.wrap(available, 1000)
        drawn = flowable._inner.blPara.lines
        assert len(drawn) == len(broken_lines(NAME, available - 1, 9))


@pytest.mark.parametrize("room", range(20, 200, 7))
def test_an_elided_chart_label_keeps_each_letter_with_its_marks(room):
    import unicodedata

    from pmodesk.boardpack.charts import _elided

    register()
    shown = _elided(NAME, 7, room)
    assert shown.endswith("…") and len(shown) < len(NAME)
    kept = shown[:-1].rstrip()
    assert NAME.startswith(kept)
    following = NAME[len(kept)] if len(kept) < len(NAME) else " "
    assert not unicodedata.category(following).startswith("M"), (room, kept)
