"""The board pack's decision log shows each decided decision's follow-up (issue 15 item 3, DESIGN.md
sections 8 and 10): realisation vs plan and forecast at the decision date → now, and the verdict, read
back from the real PDF and PowerPoint made by the ``pmodesk boardpack`` command."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from helpers import run_cli
from pmodesk.boardpack.format import pct
from pmodesk.engine.cycle import follow_up
from pmodesk.engine.portfolio import compute
from pmodesk.store import Store

AS_OF = date(2026, 10, 31)


def _text(pdf, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pack(demo_master, tmp_path_factory):
    folder = tmp_path_factory.mktemp("followup")
    pdf, pptx = folder / "board.pdf", folder / "board.pptx"
    for out in (pdf, pptx):
        done = run_cli("boardpack", demo_master, "-o", out, "--as-of", AS_OF.isoformat())
        assert done.returncode == 0, done.stderr
    return pdf, pptx


@pytest.fixture(scope="module")
def followups(demo_master):
    """The engine's own follow-ups of the decisions decided on or before D, by initiative code."""
    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    result = compute(data, AS_OF)
    codes = {i.id: i.code for i in data.initiatives}
    out = {(codes[d.initiative_id], d.raised_on.isoformat()): f for d in data.decisions
           if (f := follow_up(result, d)) is not None}
    assert out, "the demo has decided decisions to follow up"
    return out


def _log_page(pdf) -> int:
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    return next(n for n in range(1, pages + 1) if _text(pdf, n).lstrip().startswith("Decision log since"))


def test_decision_log_shows_the_follow_up_of_a_decided_decision(pack, followups, output_dir):
    pdf, _ = pack
    page = _log_page(pdf)
    log = _text(pdf, page)
    assert "Since the decision" in log
    measured = {code: f for code, f in followups.items()
                if f.at_decision.realisation_vs_plan_pct is not None and f.now.realisation_vs_plan_pct is not None}
    assert measured, "a decided decision with realisation figures at both dates"
    lines = log.splitlines()
    shown = {key: f for key, f in measured.items()
             if any(line.startswith(key[1]) and f" {key[0]} " in line for line in lines)}
    assert shown, "a decided decision with realisation figures is in the log"
    for (code, raised), f in shown.items():
        row = next(n for n, line in enumerate(lines) if line.startswith(raised) and f" {code} " in line)
        # the decided row and the lines under it (the cell's lines), up to the next decision
        block = "\n".join(lines[row:row + 4])
        assert f.verdict in ("improving", "worsening", "unchanged")
        assert f.verdict in block
        # each figure on one line: never wrapped
        assert (f"vs plan {pct(f.at_decision.realisation_vs_plan_pct)} → "
                f"{pct(f.now.realisation_vs_plan_pct)}") in block
        if f.at_decision.forecast_attainment_pct is not None:
            assert (f"forecast {pct(f.at_decision.forecast_attainment_pct)} → "
                    f"{pct(f.now.forecast_attainment_pct)}") in block
    # a pending decision has no follow-up, and the note says what the column means
    words = " ".join(log.split())
    assert "pending" in words and "at the decision date → at the as-of date" in words
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(output_dir / "pack-decision-log")], check=True)


def test_powerpoint_decision_log_carries_the_follow_up(pack, followups):
    from pptx import Presentation

    _, pptx = pack
    tables = [shape.table for slide in Presentation(str(pptx)).slides for shape in slide.shapes if shape.has_table]
    log = next(t for t in tables if t.rows[0].cells[len(t.columns) - 1].text == "Since the decision")
    cells = {(row.cells[1].text, row.cells[0].text): row.cells[len(log.columns) - 1].text for row in list(log.rows)[1:]}
    for key, f in followups.items():
        if key in cells:
            assert cells[key].splitlines()[0] == f.verdict
    assert any(f.verdict in ("improving", "worsening", "unchanged") and key in cells for key, f in followups.items())
    assert any(value == "—" for value in cells.values())  # a pending decision has none
