"""Export then import gives back the same portfolio; money and text survive exactly."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from helpers import run_cli, sha256
from pmodesk.domain import model
from pmodesk.domain.enums import Stage
from pmodesk.interchange.document import to_document
from pmodesk.interchange.files import export_portfolio, import_portfolio
from pmodesk.store import Store

AMOUNTS = ["1234567.89", "0.10", "-0.01", "12345678901234.56", "-1234567890123456.78"]
TEXT = 'R&D <Beta> "Ünïcødé" 日本語 العربية 😀'
FORMULAS = ["=SUM(A1:A9)", "+44 20 7946 0000", "-minus", "@cmd", "\tTabbed", "\rReturn"]


def _load(path):
    from pmodesk.store.location import open_location

    with open_location(path, read_only=True) as store:
        return store.load()


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_demo_round_trip_keeps_every_entity_and_field(demo_location, tmp_path, suffix):
    demo_file = demo_location  # a file, or the demo copied to the server
    exported = tmp_path / f"demo{suffix}"
    assert run_cli("export", demo_file, exported).returncode == 0
    target = tmp_path / "back.pmodesk"
    result = run_cli("import", exported, target)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    original, again = _load(demo_file), _load(target)
    assert to_document(again) == to_document(original)
    for name in ("kpis", "objectives", "initiatives", "objective_links", "planned_spend", "cost_actuals", "outputs",
                 "outcomes", "benefits", "trajectory", "measurements", "pivot_rules", "decisions", "scenarios",
                 "scenario_overrides", "commentary"):
        assert len(getattr(again, name)) == len(getattr(original, name)), name
    assert len(original.commentary) == 3 and any(c.initiative_id is None for c in again.commentary)


def _awkward(tmp_path) -> model.PortfolioData:
    data = model.PortfolioData(
        portfolio=model.Portfolio(name=TEXT, currency="GBP", client="=HYPERLINK(\"http://x\")"),
        initiatives=(model.Initiative("I-1", TEXT, Stage.DELIVERY, description="\n".join(FORMULAS), id=1),
                     *(model.Initiative(f"F-{n}", text, Stage.PROPOSED, id=n + 2) for n, text in enumerate(FORMULAS))),
        cost_actuals=tuple(model.CostActual(1, date(2026, 1, 31), Decimal(a), id=n + 1) for n, a in enumerate(AMOUNTS)),
    )
    return data


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_money_and_text_survive_exactly(tmp_path, suffix):
    data = _awkward(tmp_path)
    source = tmp_path / "awkward.pmodesk"
    from pmodesk.interchange.files import populate_from

    Store.create(source, model.Portfolio(name=TEXT, currency="GBP"), populate=populate_from(data)).close()
    exported = tmp_path / f"awkward{suffix}"
    export_portfolio(_load(source), exported)
    import_portfolio(exported, tmp_path / "back.pmodesk")
    again = _load(tmp_path / "back.pmodesk")
    assert sorted(c.amount for c in again.cost_actuals) == sorted(Decimal(a) for a in AMOUNTS)
    assert again.portfolio.name == TEXT and again.portfolio.client == data.portfolio.client
    assert sorted(i.name for i in again.initiatives) == sorted([TEXT, *FORMULAS])
    assert next(i for i in again.initiatives if i.code == "I-1").description == "\n".join(FORMULAS)


def test_workbook_neutralises_formulas_and_keeps_numbers_as_numbers(demo_file, tmp_path):
    from openpyxl import load_workbook

    data = _awkward(tmp_path)
    exported = tmp_path / "awkward.xlsx"
    export_portfolio(data, exported)
    workbook = load_workbook(exported)
    names = [row[1].value for row in workbook["initiatives"].iter_rows(min_row=2)]
    for text in FORMULAS[:-1]:
        assert "'" + text in names
    assert "'_x000d_Return" in names  # CR kept through OOXML's escape (XML would turn it into LF)
    assert all(cell.data_type != "f" for row in workbook["initiatives"].iter_rows() for cell in row)
    amounts = [row[2].value for row in workbook["cost_actuals"].iter_rows(min_row=2)]
    assert 1234567.89 in amounts and 0.1 in amounts and -0.01 in amounts  # numbers below 10^13
    assert "'-1234567890123456.78" in amounts  # larger amounts are text, exact (and neutralised)


def test_json_money_is_decimal_strings(demo_file, tmp_path):
    exported = tmp_path / "demo.json"
    run_cli("export", demo_file, exported)
    document = json.loads(exported.read_text())
    assert document["format"] == "pmodesk-portfolio" and document["version"] == 1
    assert all(isinstance(i["planned_investment"], str) for i in document["initiatives"])
    assert document["initiatives"][0]["planned_investment"].endswith(".00")


def test_import_refuses_an_existing_target_without_replace(demo_file, tmp_path):
    exported = tmp_path / "demo.json"
    run_cli("export", demo_file, exported)
    target = tmp_path / "existing.pmodesk"
    run_cli("new", target, "--name", "Keep me")
    before = sha256(target)
    result = run_cli("import", exported, target)
    assert result.returncode == 5 and sha256(target) == before
    assert run_cli("import", exported, target, "--replace").returncode == 0
    assert _load(target).portfolio.name.startswith("Transformation")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.json", "demo.pmodesk", "existing.pmodesk"]


def test_unknown_extension_is_a_usage_error(demo_file, tmp_path):
    assert run_cli("export", demo_file, tmp_path / "demo.csv").returncode == 2
    odd = tmp_path / "demo.txt"
    odd.write_text("{}")
    assert run_cli("import", odd, tmp_path / "x.pmodesk").returncode == 2
