"""What a board would stumble on, read back from real files: every script, split amounts, "None", the
minus sign, glyph coverage, right-to-left line order, bookmarks, metadata, file mode, the PowerPoint
pack and its LibreOffice conversion, and pages saved as PNG for a person to look at."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from helpers import run_cli
from pmodesk.store import Store

sys.path.insert(0, str(Path(__file__).parent))
import scripts  # noqa: E402

AS_OF = "2026-06-30"


def _text(pdf, first=None, last=None, layout=True) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else [])
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _info(pdf) -> dict:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.fixture(scope="module")
def scripts_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scripts")
    source = folder / "scripts.json"
    source.write_text(json.dumps(scripts.document(), ensure_ascii=False), encoding="utf-8")
    path = folder / "a portfolio file whose name is far too long to print whole in a footer of the pack.pmodesk"
    result = run_cli("import", source, path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def scripts_pdf(scripts_file) -> Path:
    out = scripts_file.parent / "scripts.pdf"
    result = run_cli("boardpack", scripts_file, "-o", out, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def demo_pdf(demo_master, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "board.pdf"
    result = run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31", "--meeting-date", "2026-11-12")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def demo_pptx(demo_master, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides") / "board.pptx"
    result = run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31", "--meeting-date", "2026-11-12")
    assert result.returncode == 0, result.stderr
    assert "slides" in result.stdout
    return out


# ----------------------------------------------------------------------------------- every script
def _letters(text: str) -> str:
    """Letters only, compatibility-normalised (Arabic presentation forms back to letters)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c).startswith("L"))


@pytest.mark.parametrize("script", ["latin", "korean", "chinese", "thai"])
def test_names_read_back_as_typed(scripts_pdf, script):
    name = scripts.NAMES[script]
    text = _text(scripts_pdf, layout=False)
    flat = re.sub(r"\s+", "", text)
    if script == "thai":  # a shaped Thai run reads back as its letters, combining marks in any order
        assert all(word in flat for word in ("โครงการปรับปรุงระบบจัดซื้อจัดจ้าง", "การเรียกเก็บเงิน"))
    else:
        assert re.sub(r"\s+", "", name) in flat


@pytest.mark.parametrize("script", ["arabic", "hebrew"])
def test_right_to_left_names_are_present(scripts_pdf, script):
    letters = _letters(_text(scripts_pdf, layout=False))
    name = _letters(scripts.NAMES[script])
    assert name in letters or name[::-1] in letters or all(
        _letters(w) in letters or _letters(w)[::-1] in letters for w in scripts.NAMES[script].split())


def test_devanagari_is_shaped_and_keeps_its_letters(scripts_pdf):
    """Conjuncts and reordered vowel signs are glyphs of their own: the consonants read back in order."""
    def consonants(words):  # per word, in any order: a reph or an i-sign is drawn out of logical order
        return [sorted(c for c in w if "\u0915" <= c <= "\u0939") for w in words]

    text = _text(scripts_pdf, layout=False)
    line = next(line for line in text.splitlines() if line.startswith("DEV-6 — "))
    assert consonants(line.split()[2:]) == consonants(scripts.NAMES["devanagari"].split())


def test_right_to_left_paragraphs_wrap_in_reading_order(scripts_pdf):
    """The first word of a wrapped Hebrew description is on its first line, the last on its last."""
    text = _text(scripts_pdf, layout=False)
    lines = [line for line in text.splitlines() if "התוכנית מחליפה" in line or "ראשית" in line or "אחרית" in line]
    first = next(n for n, line in enumerate(lines) if "ראשית" in line)
    last = next(n for n, line in enumerate(lines) if "אחרית" in line)
    assert first < last


def test_every_printed_glyph_exists_in_its_font(scripts_file):
    """fontTools reads each bundled font's cmap; every character of every string the pack prints is in
    the font chosen for it."""
    from fontTools.ttLib import TTFont

    from pmodesk.boardpack import fonts
    from pmodesk.boardpack.build import PackOptions, build_pack
    from pmodesk.engine.portfolio import compute
    from pmodesk.resources import font_path

    with Store.open(scripts_file, read_only=True) as store:
        data = store.load()
    as_of = date.fromisoformat(AS_OF)
    pack = build_pack(data, compute(data, as_of), PackOptions(as_of, as_of, date(2026, 1, 1), file_name="x"))
    cmaps = {}
    for face in fonts.FACES:
        for name, file in ((face.regular, face.regular_file), (face.bold, face.bold_file or face.regular_file)):
            cmaps[name] = set(TTFont(font_path(file), lazy=True).getBestCmap())
    strings = _strings(pack)
    assert len(strings) > 100
    missing = set()
    for value in strings:
        for bold in (False, True):
            for font, part in fonts.runs(fonts.visual(value), bold):
                missing |= {(font, c) for c in part if ord(c) not in cmaps[font] and c not in "\n"}
    assert not missing
    assert "\u2212" in "".join(strings)  # the minus sign is printed, and (above) found in its font


def _strings(node) -> list[str]:
    from dataclasses import fields, is_dataclass

    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [s for item in node for s in _strings(item)]
    if is_dataclass(node):
        return [s for f in fields(node) for s in _strings(getattr(node, f.name))]
    return []


def test_complex_script_fonts_are_embedded(scripts_pdf):
    fonts = subprocess.run(["pdffonts", str(scripts_pdf)], capture_output=True, text=True, check=True).stdout
    for face in ("NotoSansThai", "NotoSansDevanagari", "NanumSquare", "NotoSansArabic", "NotoSansHebrew",
                 "DroidSansFallback"):
        assert face in fonts
    assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in fonts.splitlines()[2:])


# ----------------------------------------------------------------------------------- numbers
def test_large_amounts_never_split_and_state_their_unit(scripts_pdf):
    text = _text(scripts_pdf)
    assert "468.0" in text and "(£m)" in text  # the 468-million programme, in millions, unit in the header
    assert not re.search(r"£[\d,]*,\s*$", text, re.MULTILINE)  # no amount broken at a thousands separator
    assert not re.search(r"^\s*\d{1,3}\s*$", text, re.MULTILINE) or "Page" in text
    for line in text.splitlines():
        assert not re.search(r"\d,\d{0,2}$", line.rstrip()), line


def test_no_none_and_a_true_minus_sign(demo_pdf, scripts_pdf):
    for pdf in (demo_pdf, scripts_pdf):
        text = _text(pdf)
        assert not re.search(r"\bNone\b", text)
        assert "Value RAG" in text
    appendix = _text(demo_pdf)
    assert "(Σ realised value − Σ actual cost) ÷ Σ actual cost" in appendix
    assert "−65%" in appendix  # the portfolio ROI tile, with U+2212


def test_narrative_and_table_agree_on_direction(demo_master):
    """The summary's sentence and its table call the same function: the same words for the same change."""
    from pmodesk.boardpack.build import PackOptions, build_pack
    from pmodesk.boardpack.model import Table
    from pmodesk.engine.portfolio import compute

    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    as_of = date(2026, 10, 31)
    pack = build_pack(data, compute(data, as_of), PackOptions(as_of, as_of, date(2026, 7, 1)))
    summary = next(s for s in pack.sections if s.title == "Executive summary")
    table = next(b for b in summary.blocks if isinstance(b, Table))
    row = next(r for r in table.rows if r[0].plain == "Realisation vs plan")
    sense = row[3].plain.split()[-1]
    sentence = next(b.plain for b in summary.blocks if getattr(b, "plain", "").startswith("The funded portfolio"))
    assert sense in ("better", "worse", "steady")
    assert sense in sentence


def test_travel_is_one_decision():
    from pmodesk.engine.presentation import travel

    assert travel(80.0, 70.0, True).label == "↑ better"
    assert travel(80.0, 70.0, False).label == "↑ worse"
    assert travel(70.0, 70.4, True).label == "→ steady"
    assert travel(None, 70.0, True).label == "—"


def test_tick_labels_read_at_every_magnitude():
    from pmodesk.boardpack.charts import nice_step, tick_text

    for span, expected in ((40000, "40,000"), (4e8, "400,000,000"), (1.0, "1.0"), (0.004, "0.004")):
        step = nice_step(span)
        labels = [tick_text(k * step, step) for k in range(6)]
        assert len(set(labels)) == 6, labels  # never "£0 £0 £1"
        assert all("e" not in label for label in labels)
    assert tick_text(40000, 10000) == "40,000"
    assert tick_text(-2.5, 2.5) == "−2.5"


def test_bubble_labels_never_collide():
    from pmodesk.boardpack.charts import bubble_chart, label_width
    from pmodesk.boardpack.fonts import register
    from pmodesk.boardpack.model import Bubble, BubbleChart

    register()
    bubbles = tuple(Bubble(f"INIT-{n:03d}", float(n % 37) * 1e5, float(n % 23) * 2e5, n % 26, "medium")
                    for n in range(500))
    drawing = bubble_chart(BubbleChart("t", "x", "y", 1e6, bubbles), 500, 250)
    from reportlab.graphics.shapes import Group

    boxes = []
    for item in drawing.contents:
        s = item.contents[0] if isinstance(item, Group) and item.contents else item
        if getattr(s, "text", "").startswith("INIT-"):
            w = label_width(s.text, 6.5, True)
            x0 = {"start": s.x, "end": s.x - w, "middle": s.x - w / 2}[getattr(s, "textAnchor", "start")]
            boxes.append((x0, s.y, x0 + w, s.y + 6.5))
    assert 0 < len(boxes) <= 25
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_dates_are_written_without_platform_codes():
    from pmodesk.boardpack.format import long_date, short_date

    assert long_date(date(2026, 11, 2)) == "2 November 2026"
    assert short_date(date(2026, 1, 9)) == "9 Jan 2026"
    source = "".join(p.read_text() for p in Path(__file__).parents[2].joinpath("src/pmodesk/boardpack").glob("*.py"))
    assert "%-d" not in source


# ----------------------------------------------------------------------------------- navigation
def test_bookmarks_contents_and_metadata(demo_pdf):
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(demo_pdf)], capture_output=True,
                         text=True, check=True).stdout
    outline = xml[xml.index("<outline"):]
    for title in ("Dashboard", "Executive summary", "Decisions required", "Portfolio value health", "Initiatives",
                  "PAY-06 — Real-time payments hub", "Strategic alignment", "Decision papers", "Decision log",
                  "Definitions"):
        assert title in outline, title
    info = _info(demo_pdf)
    assert info["Title"].endswith("— board pack")
    assert info["Author"] == "Harbourside Building Society"
    assert "12 November 2026" in info["Subject"]
    assert "2026" in info["CreationDate"] and "Oct 31" in info["CreationDate"]
    contents = _text(demo_pdf, 2)
    assert "Contents" in contents and re.search(r"Dashboard\s*\.*\s*3", contents)


def test_first_page_after_the_cover_is_the_dashboard(demo_pdf):
    page = _text(demo_pdf, 3)
    assert "Dashboard" in page
    for must in ("Benefits realised", "Target", "Value RAG of funded initiatives", "Previous",
                 "Decisions asked of the board", "Terminate", "Real-time payments hub", "What the board needs"):
        assert must in page, must


def test_alignment_and_decision_papers(demo_pdf):
    text = _text(demo_pdf)
    alignment = text[text.index("Strategic alignment\n"):]
    assert "OBJ-CTI" in alignment and "Owner: " in alignment and "Unaligned active initiatives" in alignment
    papers = text[text.rindex("Decision papers"):]
    for must in ("Rule as agreed", "Agreed on", "Evidence", "against a threshold", "Recommended action",
                 "At stake", "Remaining cost", "expected remaining value", "Decision recorded"):
        assert must in papers, must


def test_continuation_pages_repeat_the_initiative(demo_pdf):
    pages = int(_info(demo_pdf)["Pages"])
    continued = [n for n in range(1, pages + 1) if "(continued)" in _text(demo_pdf, n)]
    heads = {n: _text(demo_pdf, n).strip().splitlines()[0] for n in range(1, pages + 1)}
    assert any("—" in heads[n] for n in continued)  # an initiative's paper goes on over pages
    for n in continued:
        assert heads[n].endswith(" (continued)"), heads[n]
        title = heads[n].removesuffix(" (continued)")  # the title of the page it goes on from
        assert any(heads[k] == title for k in range(1, n)), heads[n]


def test_footer_location_is_shortened_in_the_middle(scripts_pdf, scripts_file):
    text = _text(scripts_pdf, 1)
    assert "a portfolio file whose" in text and "…" in text and ".pmodesk" in text
    assert "STRICTLY CONFIDENTIAL — BOARD MEMBERS ONLY — NOT FOR ONWARD DISTRIBUTION" in text


def test_written_with_the_users_umask(demo_master, tmp_path):
    out = tmp_path / "mode.pdf"
    subprocess.run([sys.executable, "-m", "pmodesk", "boardpack", str(demo_master), "-o", str(out)],
                   check=True, capture_output=True, preexec_fn=lambda: os.umask(0o022))
    assert out.stat().st_mode & 0o777 == 0o644
    out2 = tmp_path / "mode2.pdf"
    subprocess.run([sys.executable, "-m", "pmodesk", "boardpack", str(demo_master), "-o", str(out2)],
                   check=True, capture_output=True, preexec_fn=lambda: os.umask(0o077))
    assert out2.stat().st_mode & 0o777 == 0o600


# ----------------------------------------------------------------------------------- PowerPoint
def test_pptx_reads_back(demo_pptx):
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(str(demo_pptx))
    assert round(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches, 3) == round(16 / 9, 3)
    texts = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        texts.append("\n".join(parts))
    total = len(texts)
    for n, text in enumerate(texts, start=1):
        assert f"Slide {n} of {total}" in text and "As of 2026-10-31" in text and "CONFIDENTIAL" in text
    everything = "\n".join(texts)
    for must in ("Transformation Portfolio", "Dashboard", "Decisions required", "Portfolio value health",
                 "Decision papers", "Strategic alignment", "Real-time payments hub", "Appendix: definitions",
                 "−65%", "Terminate", "Efficient frontier. For 26 budgets", "Value at risk. Forecast value"):
        assert must in everything, must
    assert "None" not in everything.split()
    charts = [shape for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) >= 10  # native charts: trend, trade-off, one per benefit
    initiative_slides = [t for t in texts if t.splitlines() and t.splitlines()[0].startswith("PAY-06 — ")]
    assert initiative_slides


def test_pptx_tables_split_between_rows(scripts_file, tmp_path):
    """A health table too long for one slide continues on the next with its header repeated."""
    from pptx import Presentation

    document = scripts.document()
    for n in range(40):
        document["initiatives"].append({"code": f"EXTRA-{n:02d}", "name": f"Extra initiative {n}", "stage": "delivery"})
    source = tmp_path / "many.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "many.pmodesk"
    assert run_cli("import", source, path).returncode == 0
    out = tmp_path / "many.pptx"
    assert run_cli("boardpack", path, "-o", out, "--as-of", AS_OF).returncode == 0
    prs = Presentation(str(out))
    health = []
    for slide in prs.slides:
        title = next((s.text_frame.text for s in slide.shapes if s.has_text_frame), "")
        if title.startswith("Portfolio value health"):
            health += [s.table for s in slide.shapes if s.has_table]
    assert len(health) >= 2
    codes = []
    for table in health:
        assert table.cell(0, 0).text == "Initiative"
        codes += [table.cell(r, 0).text.split("\n")[0] for r in range(1, len(table.rows))]
    assert len(codes) == len(set(codes)) == 47  # every row once, none cut in two


def test_pptx_dashboard_is_one_slide_and_the_briefing_the_next(demo_pptx):
    """On slides the dashboard is the tiles, the value RAG and the decisions asked, on one slide; what
    the board needs to know, the PMO commentary and the value at risk follow on a slide of their own
    (a page holds all of them; a slide would spill)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation(str(demo_pptx))
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    first = titles.index("Dashboard")
    assert titles[first + 1] == "What the board needs to know"
    assert not any(t.startswith("Dashboard (continued)") for t in titles)
    dashboard, briefing = prs.slides[first], prs.slides[first + 1]
    tables = [s for s in dashboard.shapes if s.has_table]
    assert len(tables) == 2  # the value RAG and the decisions asked, side by side
    assert tables[0].left < tables[1].left and abs(tables[0].top - tables[1].top) < Inches(0.1)
    words = "\n".join(s.text_frame.text for s in briefing.shapes if s.has_text_frame)
    assert "•" in words and "pivot rules triggered" in words
    assert any(s.has_table and "Value at risk" in s.table.cell(0, 0).text for s in briefing.shapes)
    for slide in (dashboard, briefing):  # nothing runs into the footer
        assert max(s.top + s.height for s in slide.shapes if s.top < Inches(6.9)) <= Inches(6.86)


def test_libreoffice_converts_the_pptx(demo_pptx, tmp_path, output_dir):
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(demo_pptx)],
                            capture_output=True, text=True, timeout=300)
    converted = tmp_path / "board.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr
    assert int(_info(converted)["Pages"]) >= 20
    assert "Dashboard" in _text(converted)
    for old in output_dir.glob("boardpack-pptx-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(converted), str(output_dir / "boardpack-pptx")], check=True)


# ----------------------------------------------------------------------------------- pages to look at
def test_pages_of_the_scripts_pack_as_png(scripts_pdf, output_dir):
    for old in output_dir.glob("boardpack-scripts-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(scripts_pdf), str(output_dir / "boardpack-scripts")],
                   check=True)
    rendered = sorted(output_dir.glob("boardpack-scripts-*.png"))
    assert len(rendered) == int(_info(scripts_pdf)["Pages"])
    assert all(p.stat().st_size > 5000 for p in rendered)


# ----------------------------------------------------------------------------------- PMO commentary
def test_pmo_commentary_beside_the_generated_narrative(scripts_pdf, scripts_file, tmp_path):
    text = _text(scripts_pdf, layout=False)
    assert "PMO commentary — Amara Okafor (PMO lead)" in text
    assert "The board should weigh the procurement programme" in text
    assert "An older meeting's words" not in text  # only this meeting's commentary is printed
    summary = text[text.index("Executive summary\n"):]
    generated = summary.index("What the board needs to know")
    assert generated < summary.index("PMO commentary")  # beside the generated narrative, marked as the PMO's
    assert "PMO commentary — PMO" in text
    thai = unicodedata.normalize("NFKC", "ความเห็นของสำนักงานบริหารโครงการ")  # sara am reads back decomposed
    assert thai in unicodedata.normalize("NFKC", text)
    out = tmp_path / "c.pptx"
    assert run_cli("boardpack", scripts_file, "-o", out, "--as-of", AS_OF).returncode == 0
    from pptx import Presentation

    slides = "\n".join(s.text_frame.text for slide in Presentation(str(out)).slides for s in slide.shapes
                       if s.has_text_frame)
    assert "PMO commentary — Amara Okafor (PMO lead)" in slides and "PMO commentary — דנה לוי" in slides


def test_generated_narrative_is_deterministic(demo_master, tmp_path):
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    for out in (first, second):
        assert run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31").returncode == 0
    from pptx import Presentation

    def words(path):
        return [s.text_frame.text for slide in Presentation(str(path)).slides for s in slide.shapes if s.has_text_frame]

    assert words(first) == words(second)


def test_first_ten_pages_of_a_500_initiative_pack(tmp_path, output_dir):
    """Large portfolios: the health table runs over many pages with its header and title repeated."""
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from generate import AS_OF as BENCH_AS_OF, generate

    path = tmp_path / "five-hundred.pmodesk"
    generate(path, initiatives=500, benefits_each=1, measurements_each=6)
    out = tmp_path / "five-hundred.pdf"
    result = run_cli("boardpack", path, "-o", out, "--as-of", BENCH_AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    pages = int(_info(out)["Pages"])
    assert pages > 500
    first = _text(out, 1, 10, layout=False)
    assert "Initiatives (500)" in first and "Decisions required (continued)" in first
    assert not re.search(r"\bNone\b", first)
    for old in output_dir.glob("boardpack-500-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "10", "-png", str(out), str(output_dir / "boardpack-500")],
                   check=True)
    assert len(list(output_dir.glob("boardpack-500-*.png"))) == 10


def test_slide_bubble_labels_are_placed_or_dropped():
    from pmodesk.boardpack.model import Bubble, BubbleChart
    from pmodesk.boardpack.slides import _placeable_labels

    crowded = BubbleChart("t", "x", "y", 1.0, tuple(Bubble(f"I{n:03d}", 100.0 + n * 0.001, 100.0, 10, "medium")
                                                     for n in range(50)))
    assert len(_placeable_labels(crowded, 900, 400)) == 1  # fifty bubbles on one spot: one label, not a blob
    spread = BubbleChart("t", "x", "y", 1.0, tuple(Bubble(f"I{n}", float(n % 5), float(n // 5), 5, "low")
                                                   for n in range(10)))
    assert len(_placeable_labels(spread, 900, 400)) == 10


def test_no_heading_is_left_at_the_foot_of_a_page(demo_pdf, scripts_pdf):
    headings = {"Benefits", "Pivot rules", "Recent decisions", "What the board needs to know",
                "Measures against baseline and target", "Value RAG of funded initiatives", "Cost, value and risk",
                "Decisions asked of the board", "Unaligned active initiatives"}
    for pdf in (demo_pdf, scripts_pdf):
        for page in range(1, int(_info(pdf)["Pages"]) + 1):
            lines = [line.strip() for line in _text(pdf, page, layout=False).splitlines() if line.strip()]
            body = [line for line in lines if not line.startswith(("Page ", "As of ")) and "CONFIDENTIAL" not in line]
            assert body and body[-1] not in headings, (pdf.name, page, body[-1])
