"""Workbooks made by people and scripts, not by pmodesk: read as the user sees them, or refused by name.

Every workbook here is written with openpyxl the way Excel users and scripts leave them: title rows
above the header, headers in their own words, percentage formats, formulas without saved values,
money typed as text, ``n/a``, UK dates.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from helpers import run_cli
from pmodesk.store import Store


def _load(path):
    with Store.open(path, read_only=True) as store:
        return store.load()


def register(path, *, formula: bool = False, stage_missing_rows: int = 0, drop_stage_column: bool = False,
             go_live: str = "31/03/2027", money: str = "£1,200,000.50"):
    """A PMO's register: a capitalised portfolio sheet, title rows, people's headers and values."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Portfolio "
    sheet.append(["Acme transformation — settings"])
    sheet.append(["Name", "Acme transformation"])
    sheet.append(["Currency", "GBP"])
    sheet.append(["Fiscal year start month", 4])

    initiatives = book.create_sheet("Initiatives")
    initiatives.append(["Initiative register — March 2027"])
    initiatives.append([])
    headers = ["Code", "Name", "Stage", "Planned investment", "Planned go live", "Delivery RAG", "Approval date"]
    if drop_stage_column:
        headers.remove("Stage")
    initiatives.append(headers)

    def add(values):
        if drop_stage_column:
            del values[2]
        initiatives.append(values)

    add(["PAY-01", "Payments", "Delivery", money, go_live, "n/a", None])
    add(["HR-02", "People", "proposed", 250000, "2027-06-30", "Green", None])
    approval = initiatives.cell(row=5, column=len(headers))
    approval.value = 1  # serial day 1 in a General cell
    if formula:
        initiatives.cell(row=5, column=headers.index("Planned investment") + 1).value = "=200000+50000"
    for n in range(stage_missing_rows):
        add([f"X-{n:02d}", f"Extra {n}", None, None, None, None, None])

    benefits = book.create_sheet("benefits")
    benefits.append(["Code", "Initiative", "Title", "Measure", "Direction", "Target value", "Target date",
                     "Attribution pct", "Confidence_pct", "Annual value"])
    benefits.append(["B1", "PAY-01", "Faster payments", "days to pay", "lower", 3, "2028-03-31", 0.8, "75%",
                     "GBP 120,000"])
    benefits["H2"].number_format = "0%"
    book.save(path)
    return path


def test_a_register_as_people_type_it_imports_as_they_see_it(tmp_path):
    source = register(tmp_path / "register.xlsx")
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", source, target, "--date-order", "dmy")
    assert result.returncode == 0, result.stderr
    data = _load(target)
    pay = next(i for i in data.initiatives if i.code == "PAY-01")
    hr = next(i for i in data.initiatives if i.code == "HR-02")
    assert data.portfolio.name == "Acme transformation" and data.portfolio.fiscal_year_start_month == 4
    assert pay.planned_investment == Decimal("1200000.50")
    assert pay.planned_go_live == date(2027, 3, 31)
    assert pay.stage.value == "delivery" and pay.delivery_rag is None
    assert hr.approval_date == date(1900, 1, 1)  # openpyxl's conversion: serial 1 is 1900-01-01
    benefit = data.benefits[0]
    assert benefit.attribution_pct == Decimal(80)  # 0.8 shown as 80% is 80, not 0.8
    assert benefit.confidence_pct == Decimal(75)
    assert benefit.annual_value == Decimal(120000)
    err = result.stderr
    assert "'£1,200,000.50' read as 1200000.50" in err
    assert "'n/a' read as empty" in err
    assert "0.8 shown as a percentage read as 80" in err
    assert "'GBP 120,000' read as 120000" in err
    assert "the number 1 read as the spreadsheet date 1900-01-01" in err
    assert "Traceback" not in err


def test_uk_text_dates_need_a_date_order_and_the_error_names_it(tmp_path):
    source = register(tmp_path / "register.xlsx")
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", source, target)
    assert result.returncode == 4
    assert "Initiatives, 4, Planned go live: '31/03/2027'" in result.stderr
    assert "--date-order dmy" in result.stderr
    assert not target.exists()


def test_a_formula_without_a_saved_value_is_an_error_naming_sheet_row_and_cell(tmp_path):
    source = register(tmp_path / "register.xlsx", formula=True)
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", source, target, "--date-order", "dmy")
    assert result.returncode == 4
    assert ("Initiatives, 5, Planned investment: formula with no saved value in cell D5: open and save the workbook "
            "in Excel or LibreOffice, or type the value") in result.stderr
    assert not target.exists()


def test_a_formula_with_its_saved_value_is_read_from_that_value(tmp_path):
    source = register(tmp_path / "register.xlsx", formula=True)
    # What Excel writes after a recalculation: the formula and its cached value side by side.
    patched = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                text, count = re.subn(r"<f>200000\+50000</f><v\s*/>|<f>200000\+50000</f><v></v>|<f>200000\+50000</f>",
                                      "<f>200000+50000</f><v>250000</v>", text)
                assert count == 1
                data = text.encode()
            new.writestr(item, data)
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", patched, target, "--date-order", "dmy")
    assert result.returncode == 0, result.stderr
    hr = next(i for i in _load(target).initiatives if i.code == "HR-02")
    assert hr.planned_investment == Decimal(250000)


def test_a_missing_required_column_is_one_problem_and_repeats_are_grouped(tmp_path):
    source = register(tmp_path / "no-stage.xlsx", drop_stage_column=True)
    result = run_cli("import", source, tmp_path / "a.pmodesk", "--date-order", "dmy")
    assert result.returncode == 4
    assert "Initiatives, 3, stage: the required column is missing" in result.stderr
    assert result.stderr.count("stage") == 1, result.stderr

    source = register(tmp_path / "empty-stage.xlsx", stage_missing_rows=244)
    result = run_cli("import", source, tmp_path / "b.pmodesk", "--date-order", "dmy")
    assert result.returncode == 4
    lines = result.stderr.splitlines()
    assert "Initiatives, rows 6–249 (244 rows), Stage: is required" in lines
    assert len(lines) < 10, result.stderr
    assert "Nothing was imported: 244 problems found." in lines


def test_money_in_another_currency_is_refused_by_name(tmp_path):
    source = register(tmp_path / "register.xlsx", money="€1,200,000")
    result = run_cli("import", source, tmp_path / "a.pmodesk", "--date-order", "dmy")
    assert result.returncode == 4
    assert "'€1,200,000' is in €, not the portfolio currency GBP" in result.stderr


def test_a_workbook_that_is_not_a_pmodesk_workbook_is_refused_in_a_few_lines(tmp_path):
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["Project", "Budget", "Status"])
    for n in range(500):
        book.active.append([f"P{n}", n * 1000, "ok"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    result = run_cli("import", path, tmp_path / "a.pmodesk")
    assert result.returncode == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 4, result.stderr
    assert "does not look like a pmodesk workbook" in result.stderr
    assert "pmodesk template" in result.stderr and "--map" in result.stderr


def test_dry_run_reports_counts_and_leaves_no_target(tmp_path):
    source = register(tmp_path / "register.xlsx")
    target = tmp_path / "acme.pmodesk"
    result = run_cli("import", source, target, "--date-order", "dmy", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Would create" in result.stdout and "2 initiatives" in result.stdout and "1 benefits" in result.stdout
    assert "Dry run: nothing was written." in result.stdout
    assert "'n/a' read as empty" in result.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == [source]

    bad = run_cli("import", source, target, "--dry-run")  # no date order: the same problems and exit code
    assert bad.returncode == 4 and "--date-order" in bad.stderr and "The import would fail" in bad.stderr
    assert not target.exists()
