"""File ▸ Import: the wizard over the same reading and mapping as ``pmodesk import``, driven like a person."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from PySide6.QtWidgets import QDialog, QWizard

from pmodesk.store import Store
from pmodesk.ui.import_wizard import ImportWizard



def _shown(view) -> list[list[str]]:
    """What a table view shows, row by row (as its model gives it to the screen)."""
    model = view.model()
    return [[model.data(model.index(r, c)) or "" for c in range(model.columnCount())] for r in range(model.rowCount())]

def _foreign(path, stage="delivery"):
    book = Workbook()
    sheet = book.active
    sheet.title = "Project register"
    sheet.append(["Group PMO — monthly project register"])
    sheet.append([])
    sheet.append(["Project ID", "Project", "Phase", "Budget (£m)", "Go-live", "Notes"])
    sheet.append(["P-001", "Payments", stage, 1.25, "31/03/2027", "on track"])
    sheet.append(["P-002", "Data platform", "proposed", 0.4, None, None])
    settings = book.create_sheet("Portfolio")
    settings.append(["name", "Acme"])
    settings.append(["currency", "GBP"])
    book.save(path)
    return path


def _map_columns(wizard):
    page = wizard.columns_page
    page.list_name.setCurrentText("initiatives")
    page.sheet.setCurrentText("Project register")
    page.header_row.setValue(3)
    for header, field in (("Project ID", "code"), ("Project", "name"), ("Phase", "stage"),
                          ("Budget (£m)", "planned_investment"), ("Go-live", "planned_go_live")):
        page.set_field(header, field)
    page.set_scale("Budget (£m)", "1000000")


def test_a_foreign_register_through_the_wizard_with_preview_and_saved_mapping(qtbot, tmp_path, output_dir):
    source = _foreign(tmp_path / "register.xlsx")
    wizard = ImportWizard(folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source_page.source.setText(str(source))
    assert wizard.source_page.target.text() == str(tmp_path / "register.pmodesk")
    wizard.source_page.date_order.setCurrentIndex(wizard.source_page.date_order.findData("dmy"))
    assert wizard.source_page.isComplete()
    wizard.next()
    assert wizard.currentId() == ImportWizard.COLUMNS
    page = wizard.columns_page
    page.list_name.setCurrentText("initiatives")
    assert page.sheet.currentText() == "(none)"  # no sheet is called initiatives
    _map_columns(wizard)
    assert _shown(page.sample)[0][0] == "P-001" and len(_shown(page.sample)) == 2
    notes = page.columns.indexWidget(page.columns.model().index(5, 1))
    assert _shown(page.columns)[5][0] == "Notes" and notes.currentText() == "(not imported)"
    wizard.resize(1000, 700)
    wizard.grab().save(str(output_dir / "import-wizard-columns.png"))
    wizard.next()
    assert wizard.currentId() == ImportWizard.PREVIEW
    preview = wizard.preview_page
    assert preview.isComplete(), wizard.errors
    assert "Would create register.pmodesk with: 2 initiatives" in preview.summary.text()
    warnings = [row[4] for row in _shown(preview.problems)]
    assert "unknown column, ignored" in warnings
    wizard.grab().save(str(output_dir / "import-wizard-preview.png"))
    assert not (tmp_path / "register.pmodesk").exists()  # a preview writes nothing

    mapping = tmp_path / "register.map.json"
    wizard.save_mapping(mapping)
    saved = json.loads(mapping.read_text())
    assert saved["date_order"] == "dmy"
    assert saved["initiatives"]["sheet"] == "Project register" and saved["initiatives"]["header_row"] == 3
    assert saved["initiatives"]["columns"]["Phase"] == "stage"
    assert saved["initiatives"]["scale"] == {"planned_investment": 1000000}

    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    with Store.open(tmp_path / "register.pmodesk", read_only=True) as store:
        data = store.load()
    payments = next(i for i in data.initiatives if i.code == "P-001")
    assert payments.planned_investment == Decimal("1250000.00") and payments.planned_go_live == date(2027, 3, 31)

    # next month: the saved mapping does it all again, from the command line
    from helpers import run_cli

    result = run_cli("import", source, tmp_path / "again.pmodesk", "--map", mapping)
    assert result.returncode == 0, result.stderr


def test_the_preview_lists_every_problem_and_import_is_not_offered(qtbot, tmp_path, output_dir):
    source = _foreign(tmp_path / "register.xlsx", stage="In delivery")
    wizard = ImportWizard(folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source_page.source.setText(str(source))
    wizard.next()
    _map_columns(wizard)
    wizard.next()
    preview = wizard.preview_page
    assert not preview.isComplete()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    rows = _shown(preview.problems)
    assert ["error", "Project register", "4", "Phase", "'In delivery' is not one of: proposed, approved, delivery, "
            "transition, sustainment, closed, paused, terminated"] in rows
    assert any(r[0] == "error" and r[3] == "Go-live" and "--date-order" in r[4] for r in rows)
    wizard.resize(1000, 700)
    wizard.grab().save(str(output_dir / "import-wizard-problems.png"))
    wizard.accept()
    assert not (tmp_path / "register.pmodesk").exists()

    # back to the columns: say what "In delivery" means, and how dates are written
    wizard.back()
    wizard.back()
    wizard.source_page.date_order.setCurrentIndex(wizard.source_page.date_order.findData("dmy"))
    wizard.next()
    page = wizard.columns_page
    assert page.sheet.currentText() == "Project register" and page.header_row.value() == 3
    assert [row[1] for row in _shown(page.values)] == ["In delivery"]
    page.set_value("stage", "In delivery", "delivery")
    wizard.resize(1000, 760)
    wizard.grab().save(str(output_dir / "import-wizard-values.png"))
    wizard.next()
    assert preview.isComplete(), wizard.errors
    assert wizard.options.lists["initiatives"].values == {"stage": {"In delivery": "delivery"}}
    wizard.accept()
    with Store.open(tmp_path / "register.pmodesk", read_only=True) as store:
        assert {i.stage.value for i in store.load().initiatives} == {"delivery", "proposed"}


def test_update_the_open_portfolio_and_import_measurements_from_the_window(window, tmp_path, monkeypatch):
    from helpers import run_cli

    base = tmp_path / "base.json"
    base.write_text(json.dumps({
        "portfolio": {"name": "Acme", "currency": "GBP"},
        "initiatives": [{"code": "PAY-01", "name": "Payments", "stage": "delivery"}],
        "benefits": [{"code": "B1", "initiative": "PAY-01", "title": "Faster", "measure": "days",
                      "direction": "lower", "baseline_value": 10, "baseline_date": "2026-01-01", "target_value": 4,
                      "target_date": "2027-01-01"}]}))
    portfolio = tmp_path / "acme.pmodesk"
    assert run_cli("import", base, portfolio).returncode == 0
    window.open_file(portfolio)

    register = tmp_path / "monthly.xlsx"
    book = Workbook()
    book.active.title = "initiatives"
    book.active.append(["code", "stage", "forecast_go_live"])
    book.active.append(["PAY-01", "transition", "2026-09-30"])
    book.save(register)
    csv = tmp_path / "actuals.csv"
    csv.write_text("benefit,date,value,source\nB1,2026-02-01,9,ERP\nB1,2026-03-01,8,ERP\n")

    seen = []

    def drive(wizard):
        wizard.show()
        page = wizard.source_page
        page.source.setText(str(seen_source[0]))
        if page.mode() != "measurements":
            page.into_open.setChecked(True)
        assert page.isComplete()
        for _ in range(2):
            if wizard.currentId() != ImportWizard.PREVIEW:
                wizard.next()
        assert wizard.currentId() == ImportWizard.PREVIEW
        seen.append(wizard.preview_page.summary.text())
        wizard.accept()
        return wizard.result()

    monkeypatch.setattr(ImportWizard, "exec", drive)
    seen_source = [register]
    window.action_import.trigger()
    assert "Would update: 1 initiatives (2 fields changed)" in seen[-1]
    payments = window.data.initiatives[0]
    assert payments.stage.value == "transition" and payments.forecast_go_live == date(2026, 9, 30)
    assert any(e.entity == "initiative" and e.field == "stage" for e in window.store.audit_entries())

    seen_source = [csv]
    window.action_import.trigger()
    assert "Would add 2 measurements" in seen[-1]
    assert len(window.data.measurements) == 2
