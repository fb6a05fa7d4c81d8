"""Each initiative's board-pack page shows its benefits map — outputs → outcomes → benefits → strategic
objectives (issue 15 item 7, DESIGN.md sections 2, 4 and 10) — as a vector diagram in the PDF and as a
four-column list in the PowerPoint, read back from the files the ``pmodesk boardpack`` command wrote."""

from __future__ import annotations

import subprocess

import pytest

from helpers import run_cli
from pmodesk.engine.benefits_map import benefits_map
from pmodesk.store import Store


def _text(pdf, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pack(demo_master, tmp_path_factory):
    folder = tmp_path_factory.mktemp("benefits-map")
    pdf, pptx = folder / "board.pdf", folder / "board.pptx"
    for out in (pdf, pptx):
        done = run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31")
        assert done.returncode == 0, done.stderr
    return pdf, pptx


@pytest.fixture(scope="module")
def maps(demo_master):
    """Each initiative's chain by code, from the same function the window draws."""
    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    return {i.code: benefits_map(data, i.id) for i in data.initiatives}


def _page_of(pdf, title: str) -> int:
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    return next(n for n in range(1, pages + 1) if _text(pdf, n).lstrip().startswith(title))


def test_initiative_page_draws_its_benefits_map(pack, maps, output_dir):
    pdf, _ = pack
    nodes, links = maps["CX-02"]
    assert {n.column for n in nodes} == {0, 1, 2, 3} and links, "the demo initiative has a full chain"
    page = _page_of(pdf, "CX-02 — ")
    text = _text(pdf, page)
    start, end = text.index("Benefits map"), text.index("\nBenefits\n")
    drawn = text[start:end]
    for heading in ("Outputs", "Outcomes", "Benefits", "Strategic objectives"):
        assert heading in drawn
    for node in nodes:  # every output, outcome, benefit and objective code, inside the map
        assert node.code in drawn, node.code
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(output_dir / "pack-benefits-map")], check=True)


def test_every_initiative_page_has_a_map_with_its_outputs_and_outcomes(pack, maps):
    pdf, _ = pack
    whole = _text(pdf)
    assert whole.count("Benefits map") == len(maps)
    for code, (nodes, _) in maps.items():
        for node in nodes:
            if node.column in (0, 1):
                assert node.code in whole, (code, node.code)


def test_powerpoint_lists_the_map_with_its_links(pack, maps):
    from pptx import Presentation

    _, pptx = pack
    tables = [shape.table for slide in Presentation(str(pptx)).slides for shape in slide.shapes if shape.has_table]
    heads = ["Outputs", "Outcomes", "Benefits", "Strategic objectives"]
    lists = [t for t in tables if [c.text for c in t.rows[0].cells] == heads]
    assert len(lists) == len(maps)
    nodes, links = maps["CX-02"]
    table = next(t for t in lists if "CX-02-O1" in t.rows[1].cells[0].text)
    for node in nodes:
        assert node.code in table.rows[1].cells[node.column].text
    benefit = next(n for n in nodes if n.column == 2)
    outcome = next(a for a, b in links if b == benefit.key and a[0] == "outcome")
    outcome_code = next(n.code for n in nodes if n.key == outcome)
    assert f"← {outcome_code}" in table.rows[1].cells[2].text
