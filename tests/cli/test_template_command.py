"""``pmodesk template``: the workbook a user fills in, and that imports first time once filled in."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from helpers import run_cli
from pmodesk.interchange import fields
from pmodesk.store import Store


def test_the_template_has_every_list_validation_formats_and_a_readme(tmp_path):
    path = tmp_path / "register.xlsx"
    result = run_cli("template", path)
    assert result.returncode == 0, result.stderr
    book = load_workbook(path)
    for list_name, names in fields.SHEETS.items():
        sheet = book[list_name]
        assert tuple(c.value for c in sheet[1]) == names
        assert sheet.freeze_panes == "A2"
    initiatives = book["initiatives"]
    stage_column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[fields.SHEETS["initiatives"].index("stage")]
    validations = {str(v.sqref): v for v in initiatives.data_validations.dataValidation}
    stage = validations[f"{stage_column}2:{stage_column}1001"]
    assert stage.type == "list" and stage.formula1.startswith("=lists!")
    listed = [c.value for c in book["lists"][stage.formula1.split("!")[1].split(":")[0].replace("$", "")[0]]][1:]
    assert [v for v in listed if v] == ["proposed", "approved", "delivery", "transition", "sustainment", "closed",
                                        "paused", "terminated"]
    go_live = fields.SHEETS["initiatives"].index("planned_go_live") + 1
    assert initiatives.cell(row=2, column=go_live).number_format == "yyyy-mm-dd"
    readme = [tuple(c.value for c in row) for row in book["README"].iter_rows()]
    stage_line = next(r for r in readme if r[:2] == ("initiatives", "stage"))
    assert stage_line[2] == "required" and "delivery" in stage_line[5]
    attribution = next(r for r in readme if r[:2] == ("benefits", "attribution_pct"))
    assert attribution[3] == "percent 0-100" and attribution[6] == 80


def test_the_template_filled_in_imports_first_time(tmp_path):
    path = tmp_path / "register.xlsx"
    assert run_cli("template", path).returncode == 0
    book = load_workbook(path)
    portfolio = book["portfolio"]
    for row in portfolio.iter_rows(min_row=2):
        if row[0].value == "name":
            row[1].value = "Acme"
        elif row[0].value == "currency":
            row[1].value = "GBP"

    def fill(sheet_name, values):
        sheet = book[sheet_name]
        names = [c.value for c in sheet[1]]
        row = next(r for r in range(2, 1002) if sheet.cell(row=r, column=1).value is None)
        for name, value in values.items():
            sheet.cell(row=row, column=names.index(name) + 1, value=value)

    fill("initiatives", {"code": "PAY-01", "name": "Payments", "stage": "delivery", "planned_investment": 1200000.5})
    fill("benefits", {"code": "B1", "initiative": "PAY-01", "title": "Faster", "measure": "days",
                      "direction": "lower", "target_value": 3, "target_date": "2028-03-31", "attribution_pct": 80})
    book.save(path)
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", path, target)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    with Store.open(target, read_only=True) as store:
        data = store.load()
    assert data.initiatives[0].planned_investment == Decimal("1200000.50")
    assert data.benefits[0].attribution_pct == 80


def test_template_wants_an_xlsx_name(tmp_path):
    result = run_cli("template", tmp_path / "register.csv")
    assert result.returncode == 2 and not (tmp_path / "register.csv").exists()
