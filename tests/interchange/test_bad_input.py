"""Bad input never half-imports: every problem is listed as ``list, row, field: what`` with exit 4."""

from __future__ import annotations

import copy
import json
import os
import time
from datetime import datetime

import pytest

from helpers import run_cli, sha256
from pmodesk.store import Store

VALID = {
    "format": "pmodesk-portfolio", "version": 1,
    "portfolio": {"name": "Acme", "currency": "EUR", "fiscal_year_start_month": 4},
    "objectives": [{"code": "O1", "title": "Grow"}],
    "initiatives": [{"code": "I1", "name": "One", "stage": "delivery", "planned_investment": "1000.00",
                     "planned_go_live": "2026-03-31", "objectives": [{"code": "O1", "weight": 1}],
                     "business_case": {"strategic": "approved"}},
                    {"code": "I2", "name": "Two", "stage": "proposed"}],
    "benefits": [{"code": "B1", "initiative": "I1", "title": "Faster", "measure": "days", "direction": "lower",
                  "baseline_value": 10, "baseline_date": "2026-01-01", "target_value": 4, "target_date": "2027-01-01",
                  "annual_value": "120000", "attribution_pct": 100}],
    "measurements": [{"benefit": "B1", "date": "2026-01-01", "value": "7"}],
    "pivot_rules": [{"code": "R1", "initiative": "I1", "metric": "realisation_vs_plan_pct", "comparator": "<",
                     "threshold": 70, "action": "review", "agreed_on": "2025-12-01"}],
    "decisions": [{"initiative": "I1", "kind": "gate review", "raised_on": "2026-01-05", "summary": "Go", "rule": "R1"}],
}


def _import(tmp_path, document, name="in.json"):
    source = tmp_path / name
    source.write_text(json.dumps(document) if not isinstance(document, str) else document)
    target = tmp_path / "target.pmodesk"
    run_cli("new", target, "--name", "Untouched")
    before = sha256(target)
    result = run_cli("import", source, target, "--replace")
    return result, target, before


def test_the_valid_document_imports(tmp_path):
    result, target, _ = _import(tmp_path, VALID)
    assert result.returncode == 0, result.stderr
    with Store.open(target) as store:
        data = store.load()
    assert data.portfolio.currency == "EUR" and len(data.initiatives) == 2
    assert data.initiatives[0].business_case_strategic.value == "approved"


def test_every_problem_is_listed_and_nothing_is_written(tmp_path):
    bad = copy.deepcopy(VALID)
    bad["portfolio"]["currency"] = "EURO"
    bad["initiatives"].append({"code": "I1", "name": "Duplicate", "stage": "deliverying"})
    bad["initiatives"][0]["planned_go_live"] = "31/03/2026"
    bad["initiatives"][0]["objectives"].append({"code": "O9"})
    bad["benefits"].append({"code": "B2", "initiative": "I9", "title": "Same", "measure": "m", "direction": "higher",
                            "baseline_value": 5, "baseline_date": "2026-01-01", "target_value": 5,
                            "target_date": "2027-01-01", "attribution_pct": -10, "annual_value": "lots"})
    bad["measurements"].append({"benefit": "B1", "date": "2026-02-30", "value": "seven"})
    bad["decisions"][0]["rule"] = "R7"
    result, target, before = _import(tmp_path, bad)
    assert result.returncode == 4
    err = result.stderr
    expected = [
        "portfolio, 1, currency: 'EURO' is not an ISO 4217 currency code",
        "initiatives, 3, code: duplicate code 'I1'",
        "initiatives, 3, stage: 'deliverying' is not one of:",
        "initiatives, 1, planned_go_live: '31/03/2026' is not a date",
        "initiatives, 1, objectives[2].code: unknown objective code 'O9'",
        "benefits, 2, initiative: unknown initiative code 'I9'",
        "benefits, 2, target_value: must differ from the baseline value",
        "benefits, 2, attribution_pct: -10 is below 0",
        "benefits, 2, annual_value: 'lots' is not a number",
        "measurements, 2, date: '2026-02-30' is not a date",
        "measurements, 2, value: 'seven' is not a number",
        "decisions, 1, rule: unknown pivot rule 'R7' for this initiative",
    ]
    for line in expected:
        assert line in err, line
    assert "Nothing was imported" in err and "Traceback" not in err
    assert sha256(target) == before


@pytest.mark.parametrize("content, message", [
    ("", "the file is empty"),
    ("not json at all", "not JSON"),
    ("{\"portfolio\": {", "not valid JSON"),
    ("[1, 2]", "not JSON"),
])
def test_files_that_are_not_a_portfolio(tmp_path, content, message):
    result, target, before = _import(tmp_path, content)
    assert result.returncode == 4 and message in result.stderr
    assert sha256(target) == before


def test_unknown_fields_are_warned_and_ignored(tmp_path):
    extra = copy.deepcopy(VALID)
    extra["initiatives"][0]["colour"] = "blue"
    extra["mood"] = "good"
    result, target, _ = _import(tmp_path, extra)
    assert result.returncode == 0
    assert "warning: initiatives, 1, colour: unknown field, ignored" in result.stderr
    assert "warning: document, 1, mood: unknown field, ignored" in result.stderr


def test_fifty_megabytes_of_junk_is_refused_quickly(tmp_path):
    junk = tmp_path / "junk.json"
    with open(junk, "wb") as handle:
        handle.write(os.urandom(50 * 1024 * 1024))
    target = tmp_path / "t.pmodesk"
    started = time.monotonic()
    result = run_cli("import", junk, target)
    assert result.returncode == 4 and "not JSON" in result.stderr
    assert not target.exists()
    assert time.monotonic() - started < 60  # generous: a failure here means it read and parsed it all
    xlsx = tmp_path / "junk.xlsx"
    junk.rename(xlsx)
    result = run_cli("import", xlsx, target)
    assert result.returncode == 4 and "not an Excel workbook" in result.stderr


def _workbook(tmp_path, mutate) -> object:
    from openpyxl import load_workbook

    from pmodesk.interchange.files import export_portfolio, read_portfolio

    source = tmp_path / "valid.json"
    source.write_text(json.dumps(VALID))
    data, _ = read_portfolio(source)
    path = tmp_path / "book.xlsx"
    export_portfolio(data, path)
    workbook = load_workbook(path)
    mutate(workbook)
    workbook.save(path)
    return path


def test_workbook_dates_as_excel_serials_and_datetimes_are_dates(tmp_path):
    def mutate(workbook):
        sheet = workbook["measurements"]
        sheet["B2"] = 46023  # 2026-01-01 as an Excel serial day
        sheet["B2"].number_format = "General"
        benefits = workbook["benefits"]
        column = [c.value for c in benefits[1]].index("baseline_date") + 1
        benefits.cell(row=2, column=column, value=datetime(2026, 1, 1, 0, 0))

    path = _workbook(tmp_path, mutate)
    target = tmp_path / "t.pmodesk"
    result = run_cli("import", path, target)
    assert result.returncode == 0, result.stderr
    with Store.open(target) as store:
        data = store.load()
    assert data.measurements[0].date.isoformat() == "2026-01-01"
    assert data.benefits[0].baseline_date.isoformat() == "2026-01-01"


def test_workbook_missing_a_required_sheet_and_extra_columns(tmp_path):
    def mutate(workbook):
        del workbook["initiatives"]
        workbook["objectives"]["H1"] = "favourite colour"
        workbook["objectives"]["H2"] = "green"

    path = _workbook(tmp_path, mutate)
    result = run_cli("import", path, tmp_path / "t.pmodesk")
    assert result.returncode == 4
    assert "initiatives, 1, -: the required sheet 'initiatives' is missing" in result.stderr
    assert "warning: objectives, 1, favourite colour: unknown column, ignored" in result.stderr


def test_workbook_row_numbers_are_sheet_rows(tmp_path):
    def mutate(workbook):
        workbook["benefits"]["A3"] = "B1"  # a second benefit row with a duplicate code
        workbook["benefits"]["B3"] = "I1"

    result = run_cli("import", _workbook(tmp_path, mutate), tmp_path / "t.pmodesk")
    assert result.returncode == 4
    assert "benefits, 3, code: duplicate code 'B1'" in result.stderr
    assert "benefits, 3, title: is required" in result.stderr


def test_zip_bomb_is_refused_before_reading(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (600 * 1024 * 1024))
    result = run_cli("import", bomb, tmp_path / "t.pmodesk")
    assert result.returncode == 4 and "would expand" in result.stderr
