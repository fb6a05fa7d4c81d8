"""Registers: every entity through one form, each change one undoable, committed edit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox


from pmodesk.store import Store
from pmodesk.ui.register_view import RecordDialog


def _choose(window, title):
    view = window.register_view
    window.tabs.setCurrentWidget(view)  # a tab is brought up to date when it is shown
    view.chooser.setCurrentIndex(view.chooser.findText(title))
    return view


def _fill_and_accept(monkeypatch, fill):
    def fake_exec(dialog):
        fill(dialog)
        dialog._accept()
        return QDialog.DialogCode.Accepted if dialog.result_record is not None else QDialog.DialogCode.Rejected

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)


def test_every_register_lists_its_records(window, demo_file, output_dir):
    window.open_file(demo_file)
    window.resize(1280, 800)
    _choose(window, "Benefits")
    window.grab().save(str(output_dir / "main-window-registers.png"))
    counts = {"Strategic objectives": 5, "Initiatives": 9, "Benefits": 16, "Measurements": 232, "Decisions": 10,
              "Pivot rule history": 1, "Portfolio settings": 1}
    for title, rows in counts.items():
        assert _choose(window, title).model.rowCount() == rows, title
    assert not _choose(window, "Pivot rule history").buttons["Edit"].isEnabled()  # history is never edited


def test_add_an_objective_then_undo(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    view = _choose(window, "Strategic objectives")
    _fill_and_accept(monkeypatch, lambda d: (d.widgets["code"].setText("OBJ-NEW"),
                                            d.widgets["title"].setText("R&D <Beta> 日本語"),
                                            d.widgets["weight"].setText("2")))
    view.buttons["Add"].click()
    added = next(o for o in window.data.objectives if o.code == "OBJ-NEW")
    assert added.title == "R&D <Beta> 日本語" and added.weight == Decimal(2)
    window.undo_stack.undo()
    assert all(o.code != "OBJ-NEW" for o in window.data.objectives)


def test_form_validation_explains_itself(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    benefit = next(b for b in window.data.benefits if b.code == "DIG-01-B1")
    dialog = RecordDialog("benefit", benefit, window.data, window)
    dialog.widgets["target_value"].setText(str(benefit.baseline_value))
    dialog._accept()
    assert dialog.result_record is None and "must differ from the baseline" in warned[-1]
    dialog.widgets["target_value"].setText("5")
    dialog.widgets["title"].setText("")
    dialog._accept()
    assert dialog.result_record is None and "Title is required" in warned[-1]
    cost = window.data.cost_actuals[0]
    dialog = RecordDialog("cost_actual", cost, window.data, window)
    dialog.widgets["amount"].setText("10.001")
    dialog._accept()
    assert "more decimals than GBP" in warned[-1]


def test_changing_an_agreed_rule_records_why(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    view = _choose(window, "Pivot rules")
    rule = next(r for r in window.data.pivot_rules if r.code == "R1" and
                next(i for i in window.data.initiatives if i.id == r.initiative_id).code == "DIG-01")
    view.table.selectRow(view.records.index(rule))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Board asked for an earlier warning", True))
    _fill_and_accept(monkeypatch, lambda d: d.widgets["threshold"].setText("80"))
    view.buttons["Edit"].click()
    changed = next(r for r in window.data.pivot_rules if r.id == rule.id)
    assert changed.threshold == Decimal(80)
    history = [c for c in window.data.rule_changes if c.rule_id == rule.id]
    assert [(c.field, c.old_value, c.new_value, c.reason) for c in history] == [
        ("threshold", "70", "80", "Board asked for an earlier warning")]
    window.undo_stack.undo()
    assert next(r for r in window.data.pivot_rules if r.id == rule.id).threshold == Decimal(70)
    assert not [c for c in window.data.rule_changes if c.rule_id == rule.id]


def test_delete_a_measurement_with_undo_and_refuse_a_referenced_initiative(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    view = _choose(window, "Measurements")
    count = len(window.data.measurements)
    first = view.records[0]
    view.table.selectRow(0)
    view.buttons["Delete"].click()
    assert len(window.data.measurements) == count - 1
    window.undo_stack.undo()
    assert any(m.id == first.id and m.value == first.value for m in window.data.measurements)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    view = _choose(window, "Initiatives")
    view.table.selectRow(0)
    view.buttons["Delete"].click()
    assert "still referred to" in warned[0] and len(window.data.initiatives) == 9


def test_portfolio_settings_edit_reaches_the_file(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    view = _choose(window, "Portfolio settings")
    view.table.selectRow(0)
    _fill_and_accept(monkeypatch, lambda d: d.widgets["fiscal_year_start_month"].setValue(1))
    view.buttons["Edit"].click()
    with Store.open(demo_file, read_only=True) as store:
        assert store.load().portfolio.fiscal_year_start_month == 1
    assert window.result.metrics.quarter[0] == date(2026, 10, 1)
    window.undo_stack.undo()
    with Store.open(demo_file, read_only=True) as store:
        assert store.load().portfolio.fiscal_year_start_month == 4


@pytest.mark.parametrize("title", ["Initiatives", "Benefits", "Decisions", "Trajectory", "KPI baselines and targets"])
def test_every_form_opens_on_an_existing_record_and_rebuilds_it_unchanged(window, demo_file, title):
    window.open_file(demo_file)
    view = _choose(window, title)
    record = view.records[0]
    dialog = RecordDialog(view.entity(), record, window.data, window)
    assert dialog.build() == record


def test_registers_edit_in_place_through_commands(window, demo_file, monkeypatch):
    from PySide6.QtCore import Qt

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    window.open_file(demo_file)
    view = _choose(window, "Initiatives")
    model = view.model
    column = model.names.index("owner")
    row = next(r for r in range(model.rowCount()) if model.row(r).code == "CX-02")
    assert model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(row, column), "Dana Whitfield")
    with Store.open(demo_file, read_only=True) as store:
        assert next(i for i in store.load().initiatives if i.code == "CX-02").owner == "Dana Whitfield"
    assert window.undo_stack.undoText() == "Change initiative named owner"
    likelihood = model.names.index("risk_likelihood")
    assert not model.setData(model.index(row, likelihood), "9")  # the domain's rule, in words
    assert warned and "between 1 and 5" in warned[-1]
    window.undo_stack.undo()
    with Store.open(demo_file, read_only=True) as store:
        assert next(i for i in store.load().initiatives if i.code == "CX-02").owner != "Dana Whitfield"
    view = _choose(window, "Pivot rules")  # changed only through the form, which asks why
    assert not view.model.flags(view.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    view = _choose(window, "Measurements")
    value = view.model.names.index("value")
    assert not view.model.setData(view.model.index(0, value), "lots") and "not a number" in warned[-1]


def test_a_register_keeps_the_users_sort_after_an_edit(window, demo_file):
    from PySide6.QtCore import Qt

    window.open_file(demo_file)
    view = _choose(window, "Initiatives")
    model = view.model
    code = model.names.index("code")
    assert view.table.horizontalHeader().sortIndicatorSection() == -1  # as listed until the user sorts
    view.table.sortByColumn(code, Qt.SortOrder.DescendingOrder)
    assert model.row(0).code == "REG-09"
    owner = model.names.index("owner")
    assert model.setData(model.index(3, owner), "Someone else")  # the edit reloads the register
    assert [model.row(r).code for r in range(3)] == ["REG-09", "PAY-06", "LOY-07"]
