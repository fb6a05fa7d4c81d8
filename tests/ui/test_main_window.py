"""The desktop window: open, refuse, read-only, remember, edit with undo/redo, decide, export."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from helpers import sha256
from pmodesk.store import Store
from pmodesk.store.lock import lock_path
from pmodesk.ui.models import BCOL_TARGET, COL_CODE, COL_INVESTMENT, COL_RAG, COL_STAGE


def _row(model, code):
    return next(r for r in range(model.rowCount()) if model.data(model.index(r, COL_CODE)) == code)


def test_opens_the_demo_and_shows_the_portfolio(window, demo_file, output_dir, qtbot):
    assert window.open_file(demo_file)
    assert window.windowTitle() == f"Transformation Portfolio 2024–2027 — {demo_file.name} — pmodesk"
    model = window.portfolio_view.model
    assert model.rowCount() == 9
    row = _row(model, "DIG-01")
    assert model.data(model.index(row, COL_INVESTMENT)) == "GBP 2,400,000.00"
    assert model.data(model.index(row, COL_STAGE)) == "sustainment"
    assert model.data(model.index(row, COL_RAG)) == "Green"
    assert model.data(model.index(row, COL_RAG), Qt.ItemDataRole.BackgroundRole) is not None
    assert window.current_as_of() == date(2026, 10, 31)  # the demo's fixed as-of date
    assert window.portfolio_view.tiles["realisation_vs_plan_pct"].value.text().endswith("%")
    assert window.banner.isHidden()
    window.resize(1280, 800)
    qtbot.waitExposed(window)
    window.grab().save(str(output_dir / "main-window-portfolio.png"))
    window.show_initiative(window.data.initiatives[1].id)
    qtbot.wait(100)  # let the layout settle, as it does on screen before anyone looks
    window.grab().save(str(output_dir / "main-window-initiative.png"))


def test_sorting_and_filtering(window, demo_file):
    window.open_file(demo_file)
    view = window.portfolio_view
    view.table.sortByColumn(COL_INVESTMENT, Qt.SortOrder.DescendingOrder)
    proxy = view.proxy
    assert proxy.data(proxy.index(0, COL_CODE)) == "DIG-01"
    assert proxy.data(proxy.index(proxy.rowCount() - 1, COL_CODE)) == "ESG-08"
    view.rag.setCurrentIndex(view.rag.findData("red"))
    assert sorted(proxy.data(proxy.index(r, COL_CODE)) for r in range(proxy.rowCount())) == ["CX-02", "LOY-07"]
    view.rag.setCurrentIndex(0)
    view.stage.setCurrentIndex(view.stage.findData("sustainment"))
    assert proxy.rowCount() == 2


def test_as_of_date_recomputes_every_figure(window, demo_file):
    window.open_file(demo_file)
    before = window.portfolio_view.tiles["benefits_realised_pct"].value.text()
    window.as_of.setDate(QDate(2025, 12, 31))
    assert window.result.as_of == date(2025, 12, 31)
    assert window.portfolio_view.tiles["benefits_realised_pct"].value.text() != before


def test_refused_file_shows_the_reason_and_is_unchanged(window, tmp_path, monkeypatch):
    junk = tmp_path / "not-a-portfolio.pmodesk"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not a portfolio" * 20)
    before = sha256(junk)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    assert not window.open_file(junk)
    assert len(shown) == 1 and "not a pmodesk portfolio file" in shown[0]
    assert sha256(junk) == before
    assert window.store is None and window.windowTitle() == "pmodesk"


def test_locked_file_is_read_only_with_a_banner_and_blocks_edits(window, demo_file, output_dir, monkeypatch):
    lock_path(demo_file).write_text(json.dumps({
        "app": "pmodesk", "host": "finance-laptop-07", "user": "mgarcia", "pid": 4242,
        "since": "2026-11-23T08:05:00+00:00", "token": "t"}))
    assert window.open_file(demo_file)
    assert window.store.read_only and window.windowTitle().endswith("[read-only] — pmodesk")
    assert not window.banner.isHidden() and "mgarcia on finance-laptop-07" in window.banner.text()
    window.grab().save(str(output_dir / "main-window-read-only.png"))
    before = sha256(demo_file)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    benefits = window.initiative_view.benefits
    assert not (benefits.flags(benefits.index(0, BCOL_TARGET)) & Qt.ItemFlag.ItemIsEditable)
    window.edit_benefit(window.data.benefits[0], "target_value", Decimal("1"))
    assert warned and "being edited by mgarcia" in warned[0]
    assert window.undo_stack.count() == 0 and sha256(demo_file) == before


def test_last_file_reopens_and_first_start_opens_the_demo(window, demo_file, settings):
    from pmodesk.ui.app import first_file

    first = first_file(settings)
    assert first.name == "demo.pmodesk" and first.exists()
    window.open_file(demo_file)
    assert first_file(settings) == demo_file.resolve()
    assert str(demo_file.resolve()) in window.recent_files()
    window.close_file()
    assert window.store is None and not lock_path(demo_file).exists()


def _stored_target(path, code):
    with Store.open(path, read_only=True) as store:
        return next(b.target_value for b in store.load().benefits if b.code == code)


def test_edit_a_benefit_target_then_undo_and_redo(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    dig = next(i for i in window.data.initiatives if i.code == "DIG-01")
    window.show_initiative(dig.id)
    model = window.initiative_view.benefits
    row = next(r for r in range(model.rowCount()) if model.benefit_result(r).benefit.code == "DIG-01-B2")
    index = model.index(row, BCOL_TARGET)
    assert model.data(index) == "265.00"
    assert model.setData(index, "250")
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Change DIG-01-B2 target value"
    assert _stored_target(demo_file, "DIG-01-B2") == Decimal("250")
    assert model.data(model.index(row, BCOL_TARGET)) == "250"
    window.undo_stack.undo()
    assert _stored_target(demo_file, "DIG-01-B2") == Decimal("265.00")
    assert model.data(model.index(row, BCOL_TARGET)) == "265.00"
    window.undo_stack.redo()
    assert _stored_target(demo_file, "DIG-01-B2") == Decimal("250")
    assert model.data(model.index(row, BCOL_TARGET)) == "250"
    with Store.open(demo_file, read_only=True) as store:
        fields = [(e.field, e.old_value, e.new_value) for e in store.audit_entries()]
    assert fields == [("target_value", "265.00", "250"), ("target_value", "250", "265.00"),
                      ("target_value", "265.00", "250")]
    assert len(asked) == 1 and "Move the trajectory's last point" in asked[0]


def test_an_invalid_edit_explains_itself_and_changes_nothing(window, demo_file, monkeypatch):
    window.open_file(demo_file)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    window.tabs.setCurrentWidget(window.initiative_view)
    model = window.initiative_view.benefits
    benefit = model.benefit_result(0).benefit
    before = sha256(demo_file)
    assert not model.setData(model.index(0, BCOL_TARGET), str(benefit.baseline_value))
    assert not model.setData(model.index(0, BCOL_TARGET), "lots")
    assert "must differ from the baseline" in warned[0] and "not a number" in warned[1]
    assert window.undo_stack.count() == 0 and sha256(demo_file) == before


def test_record_a_decision_from_a_triggered_rule(window, demo_file, monkeypatch):
    from pmodesk.ui.register_view import RecordDialog

    def accept(dialog):
        dialog._accept()
        return 1

    monkeypatch.setattr(RecordDialog, "exec", accept)
    window.open_file(demo_file)
    pay = next(i for i in window.data.initiatives if i.code == "PAY-06")
    window.show_initiative(pay.id)
    view = window.initiative_view
    assert view.record.isEnabled()
    before = len(window.data.decisions)
    view.rules.setCurrentRow(0)
    view.record.click()
    assert len(window.data.decisions) == before + 1
    decision = max(window.data.decisions, key=lambda d: d.id)
    assert decision.kind.value == "pivot rule trigger" and decision.rule_id is not None
    assert decision.raised_on == date(2026, 10, 31) and "R1" in decision.summary
    window.undo_stack.undo()
    assert len(window.data.decisions) == before


def test_board_pack_export_from_the_dialog(window, demo_file, tmp_path, qtbot, monkeypatch):
    from pmodesk.ui.boardpack_dialog import BoardPackDialog

    window.open_file(demo_file)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    out = tmp_path / "pack.pdf"
    dialog = BoardPackDialog(window.data, window.current_as_of(), demo_file.name, window, destination=str(out))
    qtbot.addWidget(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    progress = []
    dialog.start()
    dialog.worker.progress.connect(lambda f, m: progress.append(f))
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60000)
    dialog.wait()
    assert out.read_bytes().startswith(b"%PDF") and dialog.pages > 10


def test_board_pack_cancel_leaves_nothing(window, demo_file, tmp_path, qtbot):
    from pmodesk.ui.boardpack_dialog import BoardPackDialog

    window.open_file(demo_file)
    out = tmp_path / "cancelled.pdf"
    dialog = BoardPackDialog(window.data, window.current_as_of(), demo_file.name, window, destination=str(out))
    qtbot.addWidget(dialog)
    dialog.start()
    dialog.cancel()
    dialog.wait()
    qtbot.waitUntil(lambda: "nothing was written" in dialog.status.text() or dialog.result_path is not None,
                    timeout=60000)
    if dialog.result_path is None:  # cancelled in time: nothing at the destination, no temporary left
        assert not out.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cancelled")] == []


def test_objectives_and_trade_off_views(window, demo_file, output_dir):
    window.open_file(demo_file)
    window.tabs.setCurrentWidget(window.trade_off_view)
    window.tabs.setCurrentWidget(window.alignment_view)
    model = window.alignment_view.model
    rows = {model.data(model.index(r, 0)).split(" — ")[0]: r for r in range(model.rowCount())}
    assert set(rows) == {i.code for i in window.data.initiatives}
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "OBJ-BRANCH (retired)" in headers
    pay = rows["PAY-06"]
    background = Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(pay, 0), background).color().name() == "#fdecea"  # unaligned: highlighted
    assert model.data(model.index(rows["DIG-01"], 0), background) is None
    assert sorted(window.trade_off_view.codes) == ["CX-02", "DATA-03", "DIG-01", "ESG-08", "FCM-05", "PAY-06", "REG-09"]
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.alignment_view)
    window.grab().save(str(output_dir / "main-window-objectives.png"))
    window.tabs.setCurrentWidget(window.trade_off_view)
    window.grab().save(str(output_dir / "main-window-trade-off.png"))


def test_scenario_view_compares_with_the_current_plan(window, demo_file, output_dir):
    window.open_file(demo_file)
    window.tabs.setCurrentWidget(window.scenario_view)
    view = window.scenario_view
    assert view.chooser.currentText() == "Stop PAY-06, defer DATA-03, trim CX-02"
    assert view.comparison["difference"]["remaining_cost"] == "-120000.00"
    labels = [view.model.data(view.model.index(r, 0)) for r in range(view.model.rowCount())]
    assert "Forecast portfolio ROI" in labels and "Remaining cost" in labels
    assert "CX-02: budget" in view.overrides.text()
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(view)
    window.grab().save(str(output_dir / "main-window-scenarios.png"))


def test_scenarios_new_copy_rename_delete_with_undo(window, demo_file, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window.open_file(demo_file)
    names = iter(["Lean", "Lean copy", "Lean renamed"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(names), True))
    view = window.scenario_view
    window.tabs.setCurrentWidget(view)
    view.buttons["New"].click()
    assert "Lean" in {s.name for s in window.data.scenarios}
    view.chooser.setCurrentIndex(view.chooser.findText("Stop PAY-06, defer DATA-03, trim CX-02"))
    view.buttons["Copy"].click()
    copy = next(s for s in window.data.scenarios if s.name == "Lean copy")
    assert len([o for o in window.data.scenario_overrides if o.scenario_id == copy.id]) == 3
    view.chooser.setCurrentIndex(view.chooser.findText("Lean copy"))
    view.buttons["Rename"].click()
    assert "Lean renamed" in {s.name for s in window.data.scenarios}
    view.chooser.setCurrentIndex(view.chooser.findText("Lean renamed"))
    view.buttons["Delete"].click()
    assert "Lean renamed" not in {s.name for s in window.data.scenarios}
    window.undo_stack.undo()  # the delete
    renamed = next(s for s in window.data.scenarios if s.name == "Lean renamed")
    assert len([o for o in window.data.scenario_overrides if o.scenario_id == renamed.id]) == 3
    for _ in range(3):
        window.undo_stack.undo()
    assert {s.name for s in window.data.scenarios} == {"Stop PAY-06, defer DATA-03, trim CX-02"}


def test_override_dialog_validates_and_builds(window, demo_file, monkeypatch):
    from pmodesk.ui.scenario_dialogs import OverrideDialog

    window.open_file(demo_file)
    scenario = window.data.scenarios[0]
    existing = {o.initiative_id: o for o in window.data.scenario_overrides if o.scenario_id == scenario.id}
    dialog = OverrideDialog(window.data.initiatives, "GBP", existing, scenario.id, window)
    cx = next(i for i in window.data.initiatives if i.code == "CX-02")
    dialog.initiative.setCurrentIndex(dialog.initiative.findData(cx.id))
    assert dialog.budget.text() == "-120000.00"  # the existing override is shown
    dialog.budget.setText("-50000.005")
    with pytest.raises(ValueError, match="more decimals"):
        dialog.build()
    dialog.budget.setText("-50000")
    check, _ = dialog.pause_from
    check.setChecked(True)  # a pause needs both dates
    with pytest.raises(ValueError, match="both dates"):
        dialog.build()
    check.setChecked(False)
    built = dialog.build()
    assert built.budget_change == Decimal("-50000.00") and built.id == existing[cx.id].id


def test_optimise_dialog_and_save_as_scenario(window, demo_file):
    from pmodesk.commands import optimised_scenario
    from pmodesk.ui.scenario_dialogs import OptimiseDialog

    window.open_file(demo_file)
    dialog = OptimiseDialog(window.result, Decimal(0), window)
    dialog.budget.setText("800000")
    dialog.run()
    assert dialog.choice is not None and dialog.save.isEnabled()
    assert "Selected:" in dialog.answer.text() and dialog.choice.cost <= 80000000
    window.tabs.setCurrentWidget(window.scenario_view)
    window.push(optimised_scenario(window.result, dialog.choice, "Best for 800k"))
    saved = next(s for s in window.data.scenarios if s.name == "Best for 800k")
    assert window.scenario_view.chooser.findData(saved.id) >= 0
    keep = dialog.items.findItems("FCM-05", Qt.MatchFlag.MatchExactly)[0]
    keep.setCheckState(Qt.CheckState.Checked)
    dialog.budget.setText("1000")
    dialog.run()
    assert dialog.choice is None and "cost more than the budget" in dialog.answer.text()


def test_window_state_and_column_widths_are_remembered(window, demo_file, settings, qtbot):
    from pmodesk.ui.main_window import MainWindow

    window.open_file(demo_file)
    header = window.portfolio_view.table.horizontalHeader()
    header.resizeSection(COL_CODE, 177)
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.open_file(demo_file)
    assert again.portfolio_view.table.horizontalHeader().sectionSize(COL_CODE) == 177


def test_large_portfolios_recompute_in_the_background(window, demo_file, qtbot, monkeypatch):
    from pmodesk.ui import main_window

    window.open_file(demo_file)
    monkeypatch.setattr(main_window, "BACKGROUND_FROM_MEASUREMENTS", 0)
    window.as_of.setDate(QDate(2025, 12, 31))
    assert window.result.as_of == date(2026, 10, 31)  # not yet: the answer comes from a thread
    qtbot.waitUntil(lambda: window.result.as_of == date(2025, 12, 31), timeout=10000)
    window.as_of.setDate(QDate(2025, 6, 30))
    window.as_of.setDate(QDate(2025, 9, 30))  # only the newest answer is shown
    qtbot.waitUntil(lambda: window.result.as_of == date(2025, 9, 30), timeout=10000)
    qtbot.wait(300)
    assert window.result.as_of == date(2025, 9, 30)


def test_the_frame_paints_before_the_views_are_built(tmp_path, demo_file, qtbot, output_dir):
    """What the launcher does: the window's frame first (no view, nothing to act on), then the views and
    the file from the event loop."""
    from PySide6.QtCore import QSettings

    from pmodesk.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "frame.ini"), QSettings.Format.IniFormat), views_later=True)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.count() == 9 and not hasattr(window, "portfolio_view")  # the tabs' titles only
    window.grab().save(str(output_dir / "first-paint-frame.png"))  # the window as it first paints
    assert window.heading.text() == "No portfolio open"
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&Help"]  # their items follow
    assert not hasattr(window, "action_export")
    assert window.open_file(demo_file)  # builds the views first
    assert window.tabs.count() == 9 and window.portfolio_view.model.rowCount() > 0
    qtbot.waitUntil(lambda: hasattr(window, "action_export"))  # the menus' items, once the view has painted
    assert window.action_export.isEnabled() and window.action_boardpack.isEnabled()
    assert window.recent_menu.actions() and window.recent_menu.actions()[0].text() == demo_file.name
    window.build_views()  # once only
    assert window.tabs.count() == 9


def test_the_other_views_are_built_after_the_portfolio_view_paints(tmp_path, demo_file, qtbot):
    """The Portfolio view first; the other eight in later turns of the event loop, in the tabs' order (or
    at once when asked for); every tab then holds its own view, wired to the window."""
    from PySide6.QtCore import QSettings

    from pmodesk.ui.main_window import VIEW_NAMES, MainWindow

    window = MainWindow(QSettings(str(tmp_path / "later.ini"), QSettings.Format.IniFormat), views_later=True)
    qtbot.addWidget(window)
    window.show()
    window.build_views()
    assert window.tabs.count() == 9 and "portfolio_view" in window.__dict__
    assert not any(name in window.__dict__ for name in VIEW_NAMES[1:])  # none yet: the Portfolio view paints first
    scenarios = window.scenario_view  # asked for before its turn: built now, in its own tab
    assert window.tabs.widget(VIEW_NAMES.index("scenario_view")) is scenarios
    qtbot.waitUntil(lambda: all(name in window.__dict__ for name in VIEW_NAMES), timeout=30000)
    assert [window.tabs.widget(i) for i in range(9)] == [getattr(window, name) for name in VIEW_NAMES]
    assert window.tabs.currentWidget() is window.portfolio_view and window.scenario_view is scenarios
    assert window.open_file(demo_file)
    window.show_initiative(window.data.initiatives[0].id)  # wired: the Initiative view shows it
    assert window.tabs.currentWidget() is window.initiative_view
    assert window.initiative_view.current_result().initiative.id == window.data.initiatives[0].id


def test_the_frame_needs_neither_the_views_nor_the_engine():
    """First paint is quick because the window's module imports no view, engine or domain code."""
    import subprocess
    import sys

    probe = ("import sys; import pmodesk.ui.main_window; "
             "print(sorted(m for m in sys.modules if m.startswith(('pmodesk.engine', 'pmodesk.domain', "
             "'pmodesk.ui.portfolio_view', 'pmodesk.ui.initiative_view', 'pyqtgraph'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_launcher_opens_the_file_after_the_frame_has_painted(tmp_path, qtbot):
    """`pmodesk` builds the views and opens the file once the frame is on screen (a timer alone would
    run before the first paint); a window that never paints still gets there, a moment later."""
    from PySide6.QtCore import QEvent, QObject, QSettings

    from pmodesk.ui.main_window import MainWindow

    happened: list[str] = []

    class Seen(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                happened.append("paint")
            return False

    window = MainWindow(QSettings(str(tmp_path / "launch.ini"), QSettings.Format.IniFormat), views_later=True)
    qtbot.addWidget(window)
    seen = Seen()
    window.heading.installEventFilter(seen)
    window.show()
    window.when_painted(window.heading, lambda: happened.append("open"))
    qtbot.waitUntil(lambda: "open" in happened, timeout=5000)
    assert happened.index("paint") < happened.index("open") and happened.count("open") == 1
    hidden = MainWindow(QSettings(str(tmp_path / "hidden.ini"), QSettings.Format.IniFormat), views_later=True)
    qtbot.addWidget(hidden)
    hidden.when_painted(hidden.heading, lambda: happened.append("hidden"))  # never shown, never painted
    qtbot.waitUntil(lambda: "hidden" in happened, timeout=5000)
    qtbot.wait(200)
    assert happened.count("hidden") == 1 and happened.count("open") == 1


def test_the_widget_with_the_keyboard_focus_has_a_ring_round_it(window, demo_file, output_dir, qtbot):
    """A visible focus ring, inside the focused widget's edges, moving with the focus; no style sheet on the
    window (every widget in it would polish and paint through Qt's style-sheet style)."""
    from PySide6.QtGui import QColor

    from pmodesk.ui.focus_ring import COLOUR

    window.open_file(demo_file)
    window.resize(1280, 800)
    window.activateWindow()
    qtbot.waitActive(window)
    table = window.portfolio_view.table
    table.setFocus()
    qtbot.waitUntil(lambda: window._focus_ring.widget() is table)
    assert window.styleSheet() == ""  # every widget would polish and paint through Qt's style-sheet style
    window.grab().save(str(output_dir / "focus-ring-health-table.png"))
    image = window.grab().toImage()
    corner = table.mapTo(window, table.rect().topLeft())
    ring = QColor(COLOUR)
    x, y = corner.x() + table.width() // 2, corner.y()  # the table's top edge
    assert image.pixelColor(x, y) == ring
    window.grab().save(str(output_dir / "focus-ring-health-table.png"))
    stage = window.portfolio_view.stage
    stage.setFocus()
    qtbot.waitUntil(lambda: window._focus_ring.widget() is stage)
    image = window.grab().toImage()
    assert image.pixelColor(x, y) != ring  # the ring moved with the focus
    corner = stage.mapTo(window, stage.rect().topLeft())
    assert image.pixelColor(corner.x() + stage.width() // 2, corner.y() + 1) == ring
    window.resize(1000, 700)  # the ring follows the focused widget's size
    qtbot.waitUntil(lambda: window._focus_ring._ring.size() == stage.size())
