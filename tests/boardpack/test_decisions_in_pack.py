"""The board pack's efficient frontier (a page with its sentence) and "value at risk" panel on the dashboard,
read back from the real PDF and PowerPoint (DESIGN.md section 17)."""

from __future__ import annotations

import subprocess

import pytest

from helpers import run_cli
from pmodesk.engine.frontier import portfolio_frontier
from pmodesk.engine.portfolio import compute
from pmodesk.engine.risk import value_at_risk
from pmodesk.store import Store


def _text(pdf, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def figures(demo_master):
    from datetime import date

    with Store.open(demo_master, read_only=True) as store:
        data = store.load()
    result = compute(data, date(2026, 10, 31))
    return data, result


@pytest.fixture(scope="module")
def pack(demo_master, tmp_path_factory):
    folder = tmp_path_factory.mktemp("decisions")
    pdf, pptx = folder / "board.pdf", folder / "board.pptx"
    for out in (pdf, pptx):
        done = run_cli("boardpack", demo_master, "-o", out, "--as-of", "2026-10-31")
        assert done.returncode == 0, done.stderr
    return pdf, pptx


def test_value_at_risk_panel_on_the_one_page_dashboard(pack, figures, output_dir):
    pdf, _ = pack
    dashboard = _text(pdf, 3)
    assert dashboard.lstrip().startswith("Dashboard") and "Value at risk (funded portfolio)" in dashboard
    assert "Dashboard (continued)" not in _text(pdf, 4)
    var = value_at_risk(figures[1])
    for q in (var.forecast_value.p10, var.forecast_value.p50, var.forecast_value.p90):
        assert f"£{round(q):,}" in dashboard
    assert "Monte Carlo runs (seed" in dashboard and "Student's t" in dashboard
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "3", "-l", "3", str(pdf), str(output_dir / "boardpack-var")],
                   check=True)


def test_frontier_page_with_its_sentence(pack, figures, output_dir):
    pdf, _ = pack
    text = _text(pdf)
    assert "Efficient frontier" in text and "What each budget buys" in text and "Current plan" in text
    page = next(n for n in range(1, 40) if _text(pdf, n).lstrip().startswith("Efficient frontier"))
    words = " ".join(_text(pdf, page).split())
    assert "exact optimum" in words and "current plan" in words.lower()
    _, payload = portfolio_frontier(figures[1], figures[0].portfolio.risk_weight)
    on_frontier = payload["value_gap"] == "0.00" and payload["cost_gap"] == "0.00"
    assert ("it is on the frontier" in words) == on_frontier
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(output_dir / "boardpack-frontier")], check=True)


def test_powerpoint_carries_the_frontier_chart_and_the_panel(pack, figures):
    from pptx import Presentation

    _, pptx = pack
    slides = Presentation(str(pptx)).slides
    charts = [shape.chart for slide in slides for shape in slide.shapes if shape.has_chart]
    frontier = next(c for c in charts if c.has_title and c.chart_title.text_frame.text == "What each budget buys")
    names = [s.name for s in frontier.plots[0].series]
    assert names == ["Best set for the budget (exact)", "Current plan"]
    _, payload = portfolio_frontier(figures[1], figures[0].portfolio.risk_weight)
    current = frontier.plots[0].series[1]
    assert len(list(current.values)) == 1
    texts = " ".join(shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame)
    tables = " ".join(cell.text for slide in slides for shape in slide.shapes if shape.has_table
                      for row in shape.table.rows for cell in row.cells)
    assert "Value at risk (funded portfolio)" in tables and "Efficient frontier" in texts
