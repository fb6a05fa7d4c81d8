"""The board pack read back as a real PDF: pdfinfo, pdftotext, pdffonts, and pages as PNG to look at."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata

import pytest

from helpers import run_cli
from pmodesk.store import Store

USER_TEXT = 'R&D <Beta> "Ünïcødé" 日本語 😀'
ARABIC, HEBREW = "العربية", "עברית"


def _text(pdf, first=None, last=None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _info(pdf) -> dict:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture(scope="module")
def demo_pack(demo_master, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack") / "board.pdf"
    result = run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31", "--meeting-date", "2026-11-12")
    assert result.returncode == 0, result.stderr
    return out


def test_every_page_has_its_footer(demo_pack, demo_master):
    pages = int(_info(demo_pack)["Pages"])
    assert pages >= 12
    for page in range(1, pages + 1):
        text = _text(demo_pack, page)
        assert f"Page {page} of {pages}" in text
        assert "As of 2026-10-31" in text and demo_master.name in text and "CONFIDENTIAL" in text


def test_contents(demo_pack, demo_master):
    text = _text(demo_pack)
    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    for initiative in data.initiatives:
        assert initiative.code in text
    for heading in ("Executive summary", "Decisions required", "Portfolio value health", "Realisation trend",
                    "Cost, value and risk", "Decision log since", "Appendix: definitions"):
        assert heading in text
    assert "12 November 2026" in text  # meeting date on the cover
    assert "Terminate" in text and "PAY-06" in text
    assert re.search(r"Green|Amber|Red", text)  # RAG as a word, not colour alone
    assert "OLS of improvement fraction" in text  # the forecast method is stated


def test_a4_and_letter(demo_master, tmp_path):
    letter = tmp_path / "letter.pdf"
    assert run_cli("boardpack", demo_master, "-o", letter, "--paper", "letter").returncode == 0
    assert "612 x 792" in _info(letter)["Page size"]


def test_a4_page_size(demo_pack):
    assert "595.276 x 841.89" in _info(demo_pack)["Page size"]


def test_every_font_is_embedded(demo_pack):
    out = subprocess.run(["pdffonts", str(demo_pack)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), out


def test_user_text_renders_as_typed(tmp_path):
    document = {
        "portfolio": {"name": f"Portfolio {USER_TEXT}", "currency": "EUR", "client": f"{ARABIC} {HEBREW}"},
        "initiatives": [{"code": "X-1", "name": USER_TEXT, "stage": "delivery",
                         "description": '<img src="/etc/passwd"/> <para>R&D</para> <font face="x">'},
                        {"code": "X-2", "name": f"{ARABIC} — {HEBREW}", "stage": "delivery"}],
    }
    source = tmp_path / "odd.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "odd.pmodesk"
    assert run_cli("import", source, path).returncode == 0
    pdf = tmp_path / "odd.pdf"
    result = run_cli("boardpack", path, "-o", pdf, "--as-of", "2026-06-30")
    assert result.returncode == 0, result.stderr
    text = _text(pdf)
    assert USER_TEXT in text
    assert '<img src="/etc/passwd"/> <para>R&D</para>' in text  # markup in user text is text, never obeyed
    assert "root:" not in text
    normalised = unicodedata.normalize("NFKC", text)
    assert ARABIC in normalised or ARABIC[::-1] in normalised  # shaped forms map back to the letters
    assert HEBREW in normalised or HEBREW[::-1] in normalised
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    for face in ("NotoSansArabic", "NotoSansHebrew", "DroidSansFallback", "Symbola"):
        assert face in fonts


def test_pages_render_to_png_for_a_person_to_look_at(demo_pack, output_dir):
    for old in output_dir.glob("boardpack-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(demo_pack), str(output_dir / "boardpack")], check=True)
    rendered = sorted(output_dir.glob("boardpack-*.png"))
    assert len(rendered) == int(_info(demo_pack)["Pages"])
    assert all(p.stat().st_size > 5000 for p in rendered)  # not blank


def test_output_must_be_a_pdf_in_an_existing_folder(demo_master, tmp_path):
    assert run_cli("boardpack", demo_master, "-o", tmp_path / "x.txt").returncode == 2
    assert run_cli("boardpack", demo_master, "-o", tmp_path / "missing" / "x.pdf").returncode == 2


def test_cancelled_pack_leaves_nothing(demo_master, tmp_path):
    from datetime import date

    from pmodesk.boardpack.document import Cancelled, build_board_pack, default_options

    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    seen = []
    with pytest.raises(Cancelled):
        build_board_pack(data, tmp_path / "x.pdf", default_options(data, date(2026, 10, 31)),
                         progress=lambda f, m: seen.append(f), cancelled=lambda: len(seen) >= 3)
    assert list(tmp_path.iterdir()) == []
    assert seen == sorted(seen)


def test_same_input_same_bytes(demo_master, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31")
    assert first.read_bytes() == second.read_bytes()


def test_scenario_comparison_page(demo_master, tmp_path):
    pdf = tmp_path / "with-scenario.pdf"
    result = run_cli("boardpack", demo_master, "-o", pdf, "--as-of", "2026-10-31", "--scenario",
                     "Stop PAY-06, defer DATA-03, trim CX-02")
    assert result.returncode == 0, result.stderr
    text = _text(pdf)
    assert "Scenario: Stop PAY-06, defer DATA-03, trim CX-02" in text
    assert "With scenario" in text and "CX-02: budget change −£120,000" in text  # a true minus sign
    assert run_cli("boardpack", demo_master, "-o", pdf, "--scenario", "Nope").returncode == 2
