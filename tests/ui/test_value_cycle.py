"""The monthly value cycle in the window: actuals in one sitting, decisions required without
duplicates, the decision log with follow-up, charts true at the as-of date, scenarios that fund,
and the trust fixes (redo by its keys, read-only, one formatter, per-file view settings)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from helpers import sha256
from pmodesk.store import Store
from pmodesk.store.lock import lock_path
from pmodesk.ui.actuals_view import ACOL_CHECK, ACOL_NEW


def _accept_forms(monkeypatch):
    from pmodesk.ui.register_view import RecordDialog

    def accept(dialog):
        dialog._accept()
        return 1 if dialog.result_record is not None else 0

    monkeypatch.setattr(RecordDialog, "exec", accept)


def _stored(path):
    with Store.open(path, read_only=True) as store:
        return store.load()


# ----------------------------------------------------------------------------- record actuals
def test_a_month_of_actuals_pasted_recorded_and_undone_as_one_step(window, demo_file, output_dir):
    window.open_file(demo_file)
    view = window.actuals_view
    window.tabs.setCurrentWidget(view)
    model = view.model
    due = model.rowCount()
    assert due >= 3
    codes = [model.rows[r].benefit.code for r in range(due)]
    assert all(model.rows[r].initiative.stage.active for r in range(due))
    before = len(_stored(demo_file).measurements)
    # a column copied from a spreadsheet: the third cell is not a number
    QGuiApplication.clipboard().setText("1,234.5\n17\nabc\n")
    view.table.setCurrentIndex(model.index(0, ACOL_NEW))
    view.table.setFocus()
    from PySide6.QtTest import QTest

    QTest.keySequence(view.table, "Ctrl+V")
    assert model.data(model.index(0, ACOL_NEW)) == "1,234.5" and model.values[0] == Decimal("1234.5")
    assert model.values[1] == Decimal("17")
    assert "not a number" in model.data(model.index(2, ACOL_CHECK))
    assert model.data(model.index(2, ACOL_NEW), Qt.ItemDataRole.BackgroundRole) is not None
    assert not view.record.isEnabled() and "1 cell needs attention" in view.status.text()
    window.resize(1280, 800)
    window.grab().save(str(output_dir / "view-record-actuals-with-a-problem.png"))
    assert model.setData(model.index(2, ACOL_NEW), "12,5")  # a decimal comma
    assert model.values[2] == Decimal("12.5") and view.record.isEnabled()
    assert view.record.text() == "&Record 3 measurements"
    view.source.setText("Finance month-end pack")
    view.record.click()
    stored = _stored(demo_file)
    assert len(stored.measurements) == before + 3
    added = {(m.benefit_id, m.value, m.source) for m in stored.measurements if m.date == date(2026, 10, 31)}
    ids = {b.code: b.id for b in stored.benefits}
    assert (ids[codes[0]], Decimal("1234.5"), "Finance month-end pack") in added
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText().startswith("Record 3 measurements")
    assert view.model.rowCount() == due - 3  # the three are no longer due at D
    window.undo_stack.undo()
    assert len(_stored(demo_file).measurements) == before and view.model.rowCount() == due
    window.undo_stack.redo()
    assert len(_stored(demo_file).measurements) == before + 3


def test_an_existing_value_on_the_date_is_explained_per_cell(window, demo_file):
    window.open_file(demo_file)
    view = window.actuals_view
    window.tabs.setCurrentWidget(view)
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.rows[r].last_date is not None)
    last = model.rows[row].last_date
    view.day.setDate(QDate(last.year, last.month, last.day))  # the day it was last measured
    model.setData(model.index(row, ACOL_NEW), "999999")
    assert "already has" in model.problems[row] and not view.record.isEnabled()
    assert "already has" in model.data(model.index(row, ACOL_NEW), Qt.ItemDataRole.ToolTipRole)
    model.setData(model.index(row, ACOL_NEW), str(model.rows[row].last_value))  # the same value: skipped, said so
    assert row not in model.problems and "skipped" in model.notes[row]


def test_measurement_csv_import_previews_then_adds_as_one_edit(window, demo_file, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from pmodesk.ui.measurements_dialog import MeasurementsImportDialog

    window.open_file(demo_file)
    window.tabs.setCurrentWidget(window.actuals_view)
    code = window.actuals_view.model.rows[0].benefit.code
    csv = tmp_path / "actuals.csv"
    csv.write_text(f"benefit,date,value,source\n{code},2026-10-31,42,ops export\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("benefit,date,value\nNOPE,2026-10-31,1\n", encoding="utf-8")
    shown = MeasurementsImportDialog(bad, window.data)
    assert shown.command is None and "unknown benefit code" in shown.problems[0]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv), ""))
    monkeypatch.setattr(MeasurementsImportDialog, "exec", lambda self: 1)
    before = len(window.data.measurements)
    window.action_import_measurements.trigger()
    assert len(window.data.measurements) == before + 1
    window.undo_stack.undo()
    assert len(window.data.measurements) == before


# ----------------------------------------------------------------------------- decisions
def test_decisions_required_most_severe_first_and_never_twice(window, demo_file, monkeypatch):
    _accept_forms(monkeypatch)
    window.open_file(demo_file)
    view = window.decisions_view
    window.tabs.setCurrentWidget(view)
    model = view.model
    order = [(model.row(r).initiative.code, model.row(r).rule.code, model.row(r).rule.action.value)
             for r in range(model.rowCount())]
    assert order == [("PAY-06", "R1", "terminate"), ("CX-02", "R1", "pivot"), ("CX-02", "R2", "escalate"),
                     ("PAY-06", "R2", "review")]
    evidence = model.data(model.index(0, 3))
    assert evidence.startswith("realisation vs plan") or "%" in evidence or "months" in evidence
    assert "terminate if" in model.data(model.index(0, 5)) and "agreed" in model.data(model.index(0, 5))
    assert "At stake" in view.detail.toPlainText() and "GBP " in view.detail.toPlainText()
    row = next(r for r in range(model.rowCount()) if view.existing(model.row(r)) is None)
    view.table.selectRow(row)
    assert view.record.text() == "&Record decision…"
    before = len(window.data.decisions)
    view.record.click()
    assert len(window.data.decisions) == before + 1
    recorded = max(window.data.decisions, key=lambda d: d.id)
    assert recorded.kind.value == "pivot rule trigger" and recorded.raised_on == date(2026, 10, 31)
    # the same trigger again: the decision recorded is shown, nothing new is created
    window.tabs.setCurrentWidget(view)
    view.table.selectRow(row)
    assert view.record.text() == "Show &decision"
    assert model.data(model.index(row, 4)).startswith("open since 2026-10-31")
    view.record.click()
    assert len(window.data.decisions) == before + 1
    assert window.tabs.currentWidget() is window.decision_log_view
    assert window.decision_log_view.current().id == recorded.id
    # and from the initiative's own list of triggered rules
    window.record_decision(model.row(row))
    assert len(window.data.decisions) == before + 1


def test_initiative_json_lists_its_own_triggered_rules_most_severe_first(demo_file):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "pmodesk", "metrics", str(demo_file), "--json"],
                         capture_output=True, text=True, check=True).stdout
    pay = next(i for i in json.loads(out)["initiatives"] if i["code"] == "PAY-06")
    assert [r["action"] for r in pay["triggered_rules"]] == ["terminate", "review"]


def test_decision_log_filters_and_follow_up(window, demo_file, output_dir):
    from pmodesk.engine.cycle import follow_up
    from pmodesk.engine.portfolio import compute

    window.open_file(demo_file)
    view = window.decision_log_view
    window.tabs.setCurrentWidget(view)
    total = len(window.data.decisions)
    assert view.model.rowCount() == total
    view.state.setCurrentIndex(view.state.findData("open"))
    assert all(view.model.row(r).decided_on is None for r in range(view.model.rowCount()))
    open_count = view.model.rowCount()
    view.state.setCurrentIndex(view.state.findData("decided"))
    assert view.model.rowCount() == total - open_count
    view.escalated.setCurrentIndex(view.escalated.findData(True))
    assert all(view.model.row(r).escalated for r in range(view.model.rowCount()))
    view.escalated.setCurrentIndex(0)
    view.state.setCurrentIndex(0)
    quarter = view.quarter.itemData(1)
    view.quarter.setCurrentIndex(1)
    assert 0 < view.model.rowCount() < total and quarter.startswith("FY")
    view.quarter.setCurrentIndex(0)
    # follow-up: the figures at the decision date are the engine's figures at that date
    decided = [d for d in window.data.decisions if d.decided_on and d.decided_on < date(2026, 10, 31)]
    decision = max(decided, key=lambda d: d.decided_on)
    f = follow_up(window.result, decision)
    code = next(i.code for i in window.data.initiatives if i.id == decision.initiative_id)
    then = compute(window.data, decision.decided_on).initiative(code)
    assert f.at_decision.realisation_vs_plan_pct == then.realisation_vs_plan_pct
    assert f.at_decision.forecast_attainment_pct == then.forecast_attainment_pct
    assert f.now.realisation_vs_plan_pct == window.result.initiative(code).realisation_vs_plan_pct
    assert f.verdict in ("improving", "worsening", "unchanged", "no evidence yet")
    assert view.show_decision(decision.id)
    row = view.table.currentIndex().row()
    assert "→" in view.model.data(view.model.index(row, 8)) or then.realisation_vs_plan_pct is None
    assert view.model.data(view.model.index(row, 10)) == f.verdict
    assert "Follow-up since" in view.detail.toPlainText()
    window.resize(1280, 800)
    window.grab().save(str(output_dir / "view-decision-log.png"))
    # the same follow-up on the initiative's page
    window.show_initiative(decision.initiative_id)
    texts = [window.initiative_view.decision_model.data(window.initiative_view.decision_model.index(r, 4))
             for r in range(window.initiative_view.decision_model.rowCount())]
    assert any(f.verdict in t for t in texts)


# ----------------------------------------------------------------------------- charts
def test_chart_draws_nothing_after_the_as_of_date(window, demo_file):
    window.open_file(demo_file)
    dig = next(i for i in window.data.initiatives if i.code == "DIG-01")
    benefit = next(b for b in window.data.benefits if b.initiative_id == dig.id and b.has_baseline)
    dates = sorted(m.date for m in window.data.measurements if m.benefit_id == benefit.id)
    middle = dates[len(dates) // 2]
    window.as_of.setDate(QDate(middle.year, middle.month, middle.day))
    window.show_initiative(dig.id)
    view = window.initiative_view
    row = next(r for r in range(view.benefits.rowCount()) if view.benefits.benefit_result(r).benefit.id == benefit.id)
    view.benefit_table.selectRow(row)
    chart = view.chart
    drawn = chart.drawn_actual_days()
    assert drawn and max(drawn) <= middle.toordinal()
    assert len(drawn) == sum(1 for d in dates if d <= middle and d >= benefit.baseline_date)
    assert len(drawn) < len(dates)  # later measurements exist in the file but are not drawn
    xs, _ = chart.forecast.getData()
    if xs is not None and len(xs):
        from datetime import datetime, timezone

        assert datetime.fromtimestamp(xs[0], tz=timezone.utc).date() == middle  # the forecast starts at D


def test_trade_off_labels_every_bubble_and_a_click_opens_the_initiative(window, demo_file, qtbot, output_dir):
    window.open_file(demo_file)
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.trade_off_view)
    qtbot.wait(100)
    view = window.trade_off_view
    view._place_labels()
    assert sorted(view.shown_labels()) == sorted(view.codes)
    window.grab().save(str(output_dir / "view-trade-off-labelled.png"))
    chosen = []
    view.initiative_chosen.connect(chosen.append)
    points = view.scatter.points()
    view._clicked(view.scatter, [points[0]])
    assert chosen == [points[0].data()]


def test_label_placement_avoids_overlaps():
    from pmodesk.ui.labels import place_labels

    bubbles = [(100, 100, 10), (104, 100, 10), (300, 50, 5)]
    placed = place_labels(bubbles, [(40, 12)] * 3, 400, 200)
    boxes = [(p.x, p.y, p.x + 40, p.y + 12) for p in placed if p.shown]
    assert len(boxes) == 3
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


# ----------------------------------------------------------------------------- scenarios
def test_fund_from_in_the_override_form_and_side_by_side(window, demo_file, monkeypatch):
    from pmodesk.commands import SetOverride
    from pmodesk.ui.scenario_dialogs import OverrideDialog

    window.open_file(demo_file)
    view = window.scenario_view
    window.tabs.setCurrentWidget(view)
    scenario = window.data.scenarios[0]
    esg = next(i for i in window.data.initiatives if i.code == "ESG-08")
    dig = next(i for i in window.data.initiatives if i.code == "DIG-01")
    existing = {o.initiative_id: o for o in window.data.scenario_overrides if o.scenario_id == scenario.id}
    dialog = OverrideDialog(window.data.initiatives, "GBP", existing, scenario.id, window)
    dialog.initiative.setCurrentIndex(dialog.initiative.findData(dig.id))
    assert not dialog.fund[0].isEnabled()  # only a proposed initiative can be funded
    dialog.initiative.setCurrentIndex(dialog.initiative.findData(esg.id))
    assert dialog.fund[0].isEnabled()
    dialog.fund[0].setChecked(True)
    dialog.fund[1].setDate(QDate(2026, 10, 1))
    override = dialog.build()
    assert override.fund_from == date(2026, 10, 1)
    assert view.comparison["difference"]["remaining_cost"] == "-120000.00"  # the demo's scenario: CX-02 trimmed
    window.push(SetOverride(None, override))
    assert "ESG-08: fund from 2026-10-01" in view.overrides.text()
    # funded from before D: its remaining planned spend (GBP 450,000) now counts in the scenario's totals
    assert view.comparison["difference"]["remaining_cost"] == "330000.00"
    # money in the comparison looks like money everywhere else
    assert view.cell("Remaining cost", 1).startswith("GBP ") and "," in view.cell("Remaining cost", 1)


def test_new_scenarios_are_selected_and_shown_side_by_side(window, demo_file, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window.open_file(demo_file)
    view = window.scenario_view
    window.tabs.setCurrentWidget(view)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Lean", True))
    view.buttons["New"].click()
    assert view.chooser.currentText() == "Lean"
    assert len(view.comparisons) == 2  # the demo's scenario and the new one, side by side
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
    assert headers[:2] == ["Measure", "Current plan"] and "Lean" in headers
    assert "Stop PAY-06, defer DATA-03, trim CX-02" in headers


def test_optimiser_scenario_funds_the_selected_proposed_and_stops_only_what_has_something_left(window, demo_file):
    from pmodesk.commands import optimised_scenario
    from pmodesk.engine.optimiser import Choice

    window.open_file(demo_file)
    result = window.result
    codes = [r.initiative.code for r in result.initiatives if r.active or not r.funded]
    selected = ("ESG-08", "DIG-01")
    choice = Choice(selected=selected, excluded=tuple(c for c in codes if c not in selected), value=0, cost=0,
                    budget=0)
    window.push(optimised_scenario(result, choice, "Best"))
    saved = next(s for s in window.data.scenarios if s.name == "Best")
    overrides = {next(i.code for i in window.data.initiatives if i.id == o.initiative_id): o
                 for o in window.data.scenario_overrides if o.scenario_id == saved.id}
    assert overrides["ESG-08"].fund_from is not None and overrides["ESG-08"].stop_from is None
    assert "REG-09" not in overrides  # nothing left to spend or gain: not stopped
    assert overrides["CX-02"].stop_from == result.as_of + timedelta(days=1)


# ----------------------------------------------------------------------------- trust
def test_redo_by_its_key_sequence(window, demo_file, qtbot):
    from PySide6.QtTest import QTest

    from pmodesk.ui.main_window import redo_shortcuts
    from pmodesk.ui.models import BCOL_TITLE

    sequences = [s.toString() for s in redo_shortcuts()]
    assert len(sequences) == len(set(sequences)) and "Ctrl+Shift+Z" in sequences and "Ctrl+Y" in sequences
    window.open_file(demo_file)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    model = window.initiative_view.benefits
    window.show_initiative(window.data.initiatives[0].id)
    assert model.setData(model.index(0, BCOL_TITLE), "A new title")
    assert window.undo_stack.index() == 1
    QTest.keySequence(window, "Ctrl+Z")
    assert window.undo_stack.index() == 0
    QTest.keySequence(window, "Ctrl+Shift+Z")
    assert window.undo_stack.index() == 1
    QTest.keySequence(window, "Ctrl+Z")
    QTest.keySequence(window, "Ctrl+Y")
    assert window.undo_stack.index() == 1


def test_tabs_by_keyboard(window, demo_file, qtbot):
    from PySide6.QtTest import QTest

    window.open_file(demo_file)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    start = window.tabs.currentIndex()
    QTest.keySequence(window, "Ctrl+PgDown")
    assert window.tabs.currentIndex() == (start + 1) % window.tabs.count()
    QTest.keySequence(window, "Ctrl+PgUp")
    assert window.tabs.currentIndex() == start


def test_read_only_disables_every_editing_control(window, demo_file, output_dir):
    lock_path(demo_file).write_text(json.dumps({
        "app": "pmodesk", "host": "finance-laptop-07", "user": "mgarcia", "pid": 4242,
        "since": "2026-11-23T08:05:00+00:00", "token": "t"}))
    before = sha256(demo_file)
    assert window.open_file(demo_file) and window.store.read_only
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    window.show_initiative(next(i.id for i in window.data.initiatives if i.code == "PAY-06"))
    editing = [b for b in window.findChildren(QAbstractButton) if b.property("edits")]
    assert len(editing) >= 12
    enabled = [b.text() for b in editing if b.isEnabled()]
    assert enabled == [] or all("Show" in t for t in enabled), enabled
    assert not window.action_import_measurements.isEnabled() and not window.action_templates.isEnabled()
    assert not window.actuals_view.model.flags(window.actuals_view.model.index(0, ACOL_NEW)) & Qt.ItemFlag.ItemIsEditable
    assert window.portfolio_view.commentary.text.isReadOnly()
    assert sha256(demo_file) == before


def test_one_formatter_for_money_and_percentages():
    from pmodesk.ui import formatting as fmt

    assert fmt.money(Decimal("2400000"), "GBP") == "GBP 2,400,000.00"
    assert fmt.money(1234.5, "JPY") == "JPY 1,234" and fmt.money(Decimal("1.2345"), "BHD") == "BHD 1.234"
    assert fmt.money(-0.001, "GBP") == "GBP 0.00"
    assert fmt.money_change(Decimal("-120000"), "GBP") == "−GBP 120,000.00"
    assert fmt.pct(87.456) == "87.5%" and fmt.pct(None) == "—"
    assert fmt.parse_number("1,234.5") == Decimal("1234.5") and fmt.parse_number("1.234,5") == Decimal("1234.5")
    assert fmt.parse_number("12,5") == Decimal("12.5") and fmt.parse_number("7%") == Decimal("7")
    assert fmt.parse_money("GBP 1,200", "GBP") == Decimal("1200.00")
    with pytest.raises(ValueError, match="more decimals"):
        fmt.parse_money("1.005", "GBP")
    with pytest.raises(ValueError, match="not a number"):
        fmt.parse_number("lots")


def test_tiles_are_coloured_against_their_targets_with_a_word(window, demo_file):
    from pmodesk.ui.portfolio_view import target_status

    assert target_status(95, 90, True) == "on" and target_status(85, 90, True) == "near"
    assert target_status(50, 90, True) == "off" and target_status(20, 30, False) == "on"
    assert target_status(None, 90, True) is None
    window.open_file(demo_file)
    words = {key: tile.status.text() for key, tile in window.portfolio_view.tiles.items()}
    assert set(words.values()) <= {"On target", "Near target", "Off target", "No target set", "No figure yet"}
    assert any(w != "No target set" for w in words.values())


def test_view_settings_are_remembered_per_file(window, demo_file, demo_master, tmp_path, settings, qtbot):
    import shutil

    from pmodesk.ui.main_window import MainWindow
    from pmodesk.ui.models import COL_CODE

    other = tmp_path / "other.pmodesk"
    shutil.copyfile(demo_master, other)
    window.open_file(demo_file)
    window.portfolio_view.table.horizontalHeader().resizeSection(COL_CODE, 177)
    window.tabs.setCurrentWidget(window.decision_log_view)
    window.open_file(other)  # its own settings: none yet
    window.tabs.setCurrentWidget(window.portfolio_view)
    assert window.portfolio_view.table.horizontalHeader().sectionSize(COL_CODE) != 177
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.open_file(demo_file)
    assert again.tabs.currentWidget() is again.decision_log_view
    again.tabs.setCurrentWidget(again.portfolio_view)  # restored when the view is first filled, not overwritten
    assert again.portfolio_view.table.horizontalHeader().sectionSize(COL_CODE) == 177


def test_target_edit_moves_the_trajectory_end_as_one_undoable_step(window, demo_file, monkeypatch):
    from pmodesk.ui.models import BCOL_TARGET

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.open_file(demo_file)
    dig = next(i for i in window.data.initiatives if i.code == "DIG-01")
    window.show_initiative(dig.id)
    model = window.initiative_view.benefits
    row = next(r for r in range(model.rowCount()) if model.benefit_result(r).benefit.code == "DIG-01-B2")
    benefit = model.benefit_result(row).benefit
    last = max((t for t in window.data.trajectory if t.benefit_id == benefit.id), key=lambda t: t.date)
    assert model.setData(model.index(row, BCOL_TARGET), "250")
    moved = next(t for t in _stored(demo_file).trajectory if t.id == last.id)
    assert moved.value == Decimal("250") and window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert next(t for t in _stored(demo_file).trajectory if t.id == last.id).value == last.value


def test_help_and_about(window, demo_file, monkeypatch):
    from pmodesk.ui.help import HelpDialog, about_text

    window.open_file(demo_file)
    text = about_text(window.store.path)
    assert "pmodesk" in text and str(demo_file.resolve()) in text and "Licence" in text
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, body: shown.append(body))
    monkeypatch.setattr(HelpDialog, "exec", lambda self: shown.append(self.text.toPlainText()) or 0)
    window.action_help.trigger()
    window.action_about.trigger()
    assert len(shown) == 2 and "Record actuals" in shown[0] and "This portfolio" in shown[1]


def test_pivot_rule_template_copies_review_first_rules(window, demo_file):
    from pmodesk.ui.templates import TemplateDialog

    window.open_file(demo_file)
    dialog = TemplateDialog(window.data, window.current_as_of(), window)
    ticked = dialog.chosen()
    before = len(window.data.pivot_rules)
    command = dialog.build()
    window.push(command)
    added = len(window.data.pivot_rules) - before
    assert added == len(ticked) * 4 and window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert len(window.data.pivot_rules) == before


def test_a_new_pivot_rule_defaults_to_review(window, demo_file):
    from pmodesk.domain.enums import Action
    from pmodesk.ui.register_view import RecordDialog

    window.open_file(demo_file)
    view = window.register_view
    window.tabs.setCurrentWidget(view)
    view.chooser.setCurrentIndex(view.chooser.findData("pivot_rule"))
    blank = view._blank("pivot_rule")
    assert blank.action is Action.REVIEW
    dialog = RecordDialog("pivot_rule", blank, window.data, window)
    labels = [dialog.layout().itemAt(0).layout().itemAt(n, dialog.layout().itemAt(0).layout().ItemRole.LabelRole)
              for n in range(dialog.layout().itemAt(0).layout().rowCount())]
    texts = [item.widget().text() for item in labels if item is not None and item.widget() is not None]
    assert "Recommended action:" in texts and "Agreed on (by approval at the latest):" in texts


def test_commentary_per_initiative_and_overall(window, demo_file):
    window.open_file(demo_file)
    panel = window.portfolio_view.commentary
    panel.text.setPlainText("Board: hold the line on CX-02 until Q1.")
    panel.author.setText("PMO lead")
    panel.save.click()
    stored = _stored(demo_file).commentary
    assert any(c.initiative_id is None and c.text.startswith("Board: hold") and c.meeting_date == date(2026, 10, 31)
               for c in stored)
    cx = next(i for i in window.data.initiatives if i.code == "CX-02")
    window.show_initiative(cx.id)
    own = window.initiative_view.commentary
    assert own.current is not None  # the demo's own words for this meeting are shown
    earlier = own.current.text
    own.text.setPlainText("Pivot agreed; watching the churn measure.")
    own.save.click()
    mine = [c for c in _stored(demo_file).commentary if c.initiative_id == cx.id]
    assert [c.text for c in mine] == ["Pivot agreed; watching the churn measure."]
    window.undo_stack.undo()
    assert [c.text for c in _stored(demo_file).commentary if c.initiative_id == cx.id] == [earlier]
    own.meeting.setDate(QDate(2027, 1, 31))  # another meeting: a new commentary
    assert own.text.toPlainText() == ""
    own.text.setPlainText("January: first effect of the routing pivot.")
    own.save.click()
    assert len([c for c in _stored(demo_file).commentary if c.initiative_id == cx.id]) == 2


# ----------------------------------------------------------------------------- screenshots
VIEWS = ("portfolio_view", "decisions_view", "actuals_view", "decision_log_view", "initiative_view",
         "alignment_view", "trade_off_view", "scenario_view", "register_view")


def _screenshots(window, qtbot, output_dir, suffix):
    window.resize(1400, 860)
    for name in VIEWS:
        window.tabs.setCurrentWidget(getattr(window, name))
        qtbot.wait(80)
        image = window.grab()
        assert not image.isNull() and image.width() >= 1000
        image.save(str(output_dir / f"view-{name.removesuffix('_view')}-{suffix}.png"))
    lower = window.initiative_view.lower_tabs
    window.tabs.setCurrentWidget(window.initiative_view)
    for n, tag in ((1, "benefits-map"), (2, "commentary")):
        lower.setCurrentIndex(n)
        qtbot.wait(50)
        window.grab().save(str(output_dir / f"view-initiative-{tag}-{suffix}.png"))
    lower.setCurrentIndex(0)


def test_screenshots_of_every_view_on_the_demo(window, demo_file, qtbot, output_dir):
    window.open_file(demo_file)
    window.show_initiative(next(i.id for i in window.data.initiatives if i.code == "CX-02"))
    _screenshots(window, qtbot, output_dir, "demo")


def test_screenshots_of_every_view_on_a_large_generated_portfolio(window, tmp_path, qtbot, output_dir):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    large = tmp_path / "large.pmodesk"
    generate(large, initiatives=500, benefits_each=10, measurements_each=3)
    window.open_file(large)  # a large file opens in the background: the window answers meanwhile
    qtbot.waitUntil(lambda: window.store is not None, timeout=60000)
    window.as_of.setDate(QDate(2026, 10, 31))
    qtbot.waitUntil(lambda: window.result is not None and window.result.as_of == date(2026, 10, 31), timeout=60000)
    assert len(window.result.initiatives) == 500
    window.tabs.setCurrentWidget(window.actuals_view)
    qtbot.waitUntil(lambda: window.actuals_view.model.rowCount() > 1000)  # found, then shown, a turn each
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    assert view.model.rowCount() <= 2000 and view.model.canFetchMore()  # lazy: fetched as scrolled
    _screenshots(window, qtbot, output_dir, "large")


def test_long_names_in_several_scripts(window, demo_file, qtbot, output_dir):
    from pmodesk.commands import UpdateField

    window.open_file(demo_file)
    names = {"CX-02": "تحسين تجربة العملاء في جميع القنوات الرقمية والفروع — المرحلة الثانية من البرنامج",
             "DIG-01": "数字化转型计划：客户服务平台、数据湖与自动化流程的全面升级（第二阶段）",
             "PAY-06": "Модернизация платёжной инфраструктуры & <script>переход</script> на ISO 20022 🚀"}
    for code, name in names.items():
        initiative = next(i for i in window.data.initiatives if i.code == code)
        window.push(UpdateField("initiative", initiative.id, "name", initiative.name, name))
    window.show_initiative(next(i.id for i in window.data.initiatives if i.code == "CX-02"))
    _screenshots(window, qtbot, output_dir, "long-names")
    model = window.decisions_view.model
    window.tabs.setCurrentWidget(window.decisions_view)
    assert any(names["PAY-06"] in model.data(model.index(r, 1)) for r in range(model.rowCount()))


def test_open_it_now_falls_back_to_the_folder(tmp_path):
    from pmodesk.ui.desktop import open_or_reveal

    pack = tmp_path / "pack.pdf"
    pack.write_bytes(b"%PDF-1.4")
    asked = []
    no_viewer = lambda url: asked.append(url.toLocalFile()) or url.toLocalFile() == str(tmp_path)  # noqa: E731
    assert open_or_reveal(pack, no_viewer) == "folder" and asked == [str(pack), str(tmp_path)]
    assert open_or_reveal(pack, lambda url: True) == "opened"
    assert open_or_reveal(pack, lambda url: False) == "neither"


def test_decide_an_open_decision_from_the_log_and_add_one(window, demo_file, monkeypatch):
    from pmodesk.domain.enums import DecisionOutcome
    from pmodesk.ui.register_view import RecordDialog

    def decide(dialog):
        if dialog.original.decided_on is None and dialog.original.summary:
            check, edit = dialog.widgets["decided_on"]
            check.setChecked(True)
            edit.setDate(QDate(2026, 10, 30))
            dialog.widgets["outcome"].setCurrentIndex(dialog.widgets["outcome"].findData(DecisionOutcome.CONTINUE))
            dialog.widgets["decided_by"].setText("Executive committee")
        else:
            dialog.widgets["summary"].setText("Gate review of the data platform")
        dialog._accept()
        return 1 if dialog.result_record is not None else 0

    monkeypatch.setattr(RecordDialog, "exec", decide)
    window.open_file(demo_file)
    view = window.decision_log_view
    window.tabs.setCurrentWidget(view)
    view.state.setCurrentIndex(view.state.findData("open"))
    target = view.model.row(0)
    view.table.selectRow(0)
    view.edit.click()
    decided = next(d for d in _stored(demo_file).decisions if d.id == target.id)
    assert decided.outcome is DecisionOutcome.CONTINUE and decided.decided_on == date(2026, 10, 30)
    assert window.undo_stack.undoText() == "Edit decision"
    before = len(window.data.decisions)
    view.add.click()
    assert len(window.data.decisions) == before + 1
    assert any(d.summary == "Gate review of the data platform" for d in window.data.decisions)


def test_sort_order_is_remembered_per_file(window, demo_file, settings, qtbot):
    from pmodesk.ui.main_window import MainWindow
    from pmodesk.ui.models import COL_CODE, COL_INVESTMENT

    window.open_file(demo_file)
    window.portfolio_view.table.sortByColumn(COL_INVESTMENT, Qt.SortOrder.DescendingOrder)
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.open_file(demo_file)
    again.tabs.setCurrentWidget(again.portfolio_view)
    proxy = again.portfolio_view.proxy
    assert proxy.data(proxy.index(0, COL_CODE)) == "DIG-01"  # the largest investment first, as left


def test_the_chart_legend_never_covers_the_data(window, demo_file, qtbot):
    window.open_file(demo_file)
    window.resize(1280, 800)
    window.show_initiative(next(i.id for i in window.data.initiatives if i.code == "CX-02"))
    qtbot.wait(50)
    chart = window.initiative_view.chart
    legend = chart.legend.sceneBoundingRect()
    plot_area = chart.plot_item.vb.sceneBoundingRect()
    assert legend.height() > 0 and not legend.intersects(plot_area)


def test_tiles_say_better_or_worse_as_the_board_pack_does(window, demo_file):
    """The window's tiles and the board pack share one better/worse/steady decision (engine.presentation)."""
    from pmodesk.engine.presentation import travel
    from pmodesk.ui.portfolio_view import TILES

    window.open_file(demo_file)
    view = window.portfolio_view
    result = window.result
    checked = 0
    for key, _title, _unit, higher in TILES:
        moved = travel(getattr(result.metrics, key), getattr(result.previous_quarter, key), higher)
        detail = view.tiles[key].detail.text()
        if moved.sense is None:
            assert "previous quarter" not in detail
        else:
            assert detail.startswith(moved.label), (key, detail)
            checked += 1
    assert checked >= 3
