"""``--update`` refreshes a portfolio from the monthly register; ``--map`` reads someone else's layout."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from helpers import run_cli, sha256
from pmodesk.store import Store

BASE = {
    "portfolio": {"name": "Acme", "currency": "GBP"},
    "objectives": [{"code": "O1", "title": "Grow"}],
    "initiatives": [{"code": "PAY-01", "name": "Payments", "stage": "delivery", "planned_investment": "1000000.00",
                     "owner": "Ana", "objectives": [{"code": "O1"}]},
                    {"code": "HR-02", "name": "People", "stage": "proposed", "owner": "Bo"}],
    "benefits": [{"code": "B1", "initiative": "PAY-01", "title": "Faster", "measure": "days", "direction": "lower",
                  "baseline_value": 10, "baseline_date": "2026-01-01", "target_value": 4, "target_date": "2027-01-01",
                  "owner": "Cy", "annual_value": "50000"}],
    "measurements": [{"benefit": "B1", "date": "2026-02-01", "value": 9}],
}


def _portfolio(tmp_path):
    source = tmp_path / "base.json"
    source.write_text(json.dumps(BASE))
    target = tmp_path / "acme.pmodesk"
    assert run_cli("import", source, target).returncode == 0
    return target


def _load(path):
    with Store.open(path, read_only=True) as store:
        return store.load(), store.audit_entries()


def _benefits_only(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Benefits"
    sheet.append(["Code", "Initiative", "Title", "Measure", "Direction", "Target value", "Target date", "Owner"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_update_changes_only_what_the_source_names_and_audits_each_change(tmp_path):
    target = _portfolio(tmp_path)
    before, audit_before = _load(target)
    source = tmp_path / "monthly.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "benefits"
    sheet.append(["code", "target_value", "owner"])  # an existing code needs only itself and what changes
    sheet.append(["B1", 3, "Dee"])
    sheet.append(["B2", 5, "Eve"])  # a new code needs its required fields...
    new_benefits = book.create_sheet("measurements")
    new_benefits.append(["benefit", "date", "value"])
    new_benefits.append(["B1", "2026-03-01", 8])
    book.save(source)
    result = run_cli("import", source, target, "--update")
    assert result.returncode == 4  # ...which B2 lacks: nothing is written
    assert "benefits, 3, initiative: is required" in result.stderr
    assert _load(target)[0] == before

    sheet.delete_rows(3)
    sheet.append(["B2", 5, "Eve"])
    book.save(source)
    _benefits_only(source, [["B1", None, None, None, None, 3, None, "Dee"],
                            ["B2", "HR-02", "Fewer leavers", "leavers", "lower", 5, "2028-01-01", "Eve"]])
    result = run_cli("import", source, target, "--update", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Would add: 1 benefits." in result.stdout and "Would update: 1 benefits (2 fields changed)." in result.stdout
    assert "benefits B1: target_value 4 → 3" in result.stdout and "benefits B1: owner Cy → Dee" in result.stdout
    assert _load(target)[0] == before

    digest = sha256(target)
    result = run_cli("import", source, target, "--update")
    assert result.returncode == 0, result.stderr
    assert sha256(target) != digest
    after, audit = _load(target)
    b1 = next(b for b in after.benefits if b.code == "B1")
    b2 = next(b for b in after.benefits if b.code == "B2")
    assert b1.target_value == 3 and b1.owner == "Dee"
    # everything the source did not name is as it was; nothing was deleted
    old_b1 = next(b for b in before.benefits if b.code == "B1")
    assert (b1.title, b1.baseline_value, b1.annual_value, b1.initiative_id) == \
        (old_b1.title, old_b1.baseline_value, old_b1.annual_value, old_b1.initiative_id)
    assert b2.initiative_id == next(i.id for i in after.initiatives if i.code == "HR-02")
    assert after.initiatives == before.initiatives and after.measurements == before.measurements
    assert after.objective_links == before.objective_links
    new_entries = audit[len(audit_before):]
    changed = {(e.entity, e.field, e.old_value, e.new_value) for e in new_entries if e.action == "update"}
    assert ("benefit", "target_value", "4", "3") in changed and ("benefit", "owner", "Cy", "Dee") in changed
    assert any(e.action == "insert" and e.entity == "benefit" for e in new_entries)
    assert len({e.at for e in new_entries}) == 1  # one transaction


def test_update_cannot_change_the_currency_and_refuses_it_by_name(tmp_path):
    target = _portfolio(tmp_path)
    digest = sha256(target)
    source = tmp_path / "u.json"
    source.write_text(json.dumps({"portfolio": {"currency": "EUR"}, "initiatives": [{"code": "PAY-01",
                                                                                     "stage": "transition"}]}))
    result = run_cli("import", source, target, "--update")
    assert result.returncode == 4
    assert "portfolio, 1, currency: an update cannot change the currency (GBP to EUR)" in result.stderr
    assert sha256(target) == digest


def test_update_from_json_with_only_initiatives(tmp_path):
    target = _portfolio(tmp_path)
    source = tmp_path / "u.json"
    source.write_text(json.dumps({"initiatives": [{"code": "PAY-01", "stage": "transition",
                                                   "forecast_go_live": "2026-09-30"},
                                                  {"code": "NEW-03", "name": "New", "stage": "proposed",
                                                   "objectives": [{"code": "O1", "weight": 2}]}]}))
    result = run_cli("import", source, target, "--update")
    assert result.returncode == 0, result.stderr
    data, _ = _load(target)
    pay = next(i for i in data.initiatives if i.code == "PAY-01")
    assert pay.stage.value == "transition" and pay.forecast_go_live == date(2026, 9, 30) and pay.owner == "Ana"
    new = next(i for i in data.initiatives if i.code == "NEW-03")
    assert any(link.initiative_id == new.id and link.weight == 2 for link in data.objective_links)
    assert len(data.benefits) == 1 and len(data.measurements) == 1


FOREIGN_MAP = {
    "format": "pmodesk-map",
    "date_order": "dmy",
    "portfolio": {"name": "Acme transformation", "currency": "GBP"},
    "initiatives": {
        "sheet": "Project register", "header_row": 4,
        "columns": {"Project ID": "code", "Project": "name", "Phase": "stage", "Budget (£m)": "planned_investment",
                    "Go-live": "planned_go_live", "RAG": "delivery_rag"},
        "values": {"stage": {"In delivery": "delivery", "Pipeline": "proposed"},
                   "delivery_rag": {"Amber/Green": "amber", "Green": "green"}},
        "scale": {"planned_investment": 1000000},
    },
}


def _foreign(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Project register"
    sheet.append(["Group PMO"])
    sheet.append(["Monthly project register"])
    sheet.append([])
    sheet.append(["Project ID", "Project", "Phase", "Budget (£m)", "Go-live", "RAG", "Sponsor notes"])
    sheet.append(["P-001", "Payments", "In delivery", 1.25, "31/03/2027", "Amber/Green", "on track"])
    sheet.append(["P-002", "Data platform", "Pipeline", "0.4", None, "Green", None])
    book.save(path)
    return path


def test_a_mapping_reads_someone_elses_layout(tmp_path):
    source = _foreign(tmp_path / "register.xlsx")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(FOREIGN_MAP))
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", source, target, "--map", mapping)
    assert result.returncode == 0, result.stderr
    assert "Sponsor notes: unknown column, ignored" in result.stderr
    data, _ = _load(target)
    assert data.portfolio.name == "Acme transformation" and data.portfolio.currency == "GBP"
    p1, p2 = sorted(data.initiatives, key=lambda i: i.code)
    assert (p1.stage.value, p1.planned_investment, p1.planned_go_live, p1.delivery_rag.value) == \
        ("delivery", Decimal("1250000.00"), date(2027, 3, 31), "amber")
    assert (p2.stage.value, p2.planned_investment) == ("proposed", Decimal("400000.00"))

    without = run_cli("import", source, tmp_path / "b.pmodesk")
    assert without.returncode == 4 and "--map" in without.stderr and len(without.stderr.splitlines()) <= 4


def test_a_bad_mapping_lists_every_problem(tmp_path):
    source = _foreign(tmp_path / "register.xlsx")
    mapping = tmp_path / "map.json"
    bad = json.loads(json.dumps(FOREIGN_MAP))
    bad["initiatives"]["columns"]["Phase"] = "phase"
    bad["initiatives"]["scale"] = {"name": 10}
    bad["projects"] = {}
    mapping.write_text(json.dumps(bad))
    result = run_cli("import", source, tmp_path / "a.pmodesk", "--map", mapping)
    assert result.returncode == 4
    assert "map.json, 1, initiatives.columns.Phase: 'phase' is not a field of initiatives" in result.stderr
    assert "map.json, 1, initiatives.scale.name: is not a money or number field" in result.stderr
    assert "map.json, 1, projects: is not a list" in result.stderr


def test_the_readme_mapping_example_is_a_valid_mapping():
    import re
    from pathlib import Path

    from pmodesk.interchange.mapping import load_map

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = re.search(r"```json\n(\{\n  \"format\": \"pmodesk-map\".*?)```", readme, re.S)
    assert block, "README shows a mapping"
    path = Path(__file__).parent / "output-readme-map.json"
    try:
        path.write_text(block.group(1))
        options = load_map(path)
    finally:
        path.unlink(missing_ok=True)
    initiatives = options.lists["initiatives"]
    assert initiatives.columns["Comments"] is None and initiatives.scale["planned_investment"] == 1000000
    assert options.date_order == "dmy" and options.portfolio["currency"] == "GBP"


def test_measurements_dry_run_writes_nothing(tmp_path):
    target = _portfolio(tmp_path)
    digest = sha256(target)
    csv = tmp_path / "actuals.csv"
    csv.write_text("benefit,date,value\nB1,01/03/2026,8\nB1,2026-02-01,9\n")
    result = run_cli("measurements", "import", target, csv, "--dry-run", "--date-order", "dmy")
    assert result.returncode == 0, result.stderr
    assert "Would add 1 measurement, skip 1 already present." in result.stdout
    assert sha256(target) == digest
    result = run_cli("measurements", "import", target, csv, "--dry-run")
    assert result.returncode == 4 and "--date-order" in result.stderr and "The import would fail" in result.stderr
    assert sha256(target) == digest
