"""The user's place survives every refill: after an edit, an undo or redo and a new as-of date, the
same records (by id, not row number) are selected, the same column is current, the tables are
scrolled as they were, and the health table keeps its sort and filter; the initiative view keeps the
same initiative open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt

from pmodesk.commands import InsertRecord, UpdateField
from pmodesk.domain import model
from pmodesk.domain.enums import DecisionKind, DecisionOutcome
from pmodesk.ui.keep_place import record_key
from pmodesk.ui.models import COL_REALISED, COL_STAGE

from helpers import GENERATED_AS_OF as AS_OF, generated_file


@pytest.fixture(scope="module")
def generated_master(tmp_path_factory) -> Path:
    return generated_file(tmp_path_factory.mktemp("generated"), 40, 3, 12)


@pytest.fixture
def opened(window, generated_master, tmp_path, qtbot):
    path = tmp_path / "generated.pmodesk"
    path.write_bytes(generated_master.read_bytes())
    window.resize(1000, 560)
    assert window.open_file(path)
    window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    qtbot.waitExposed(window)
    return window


def _keys(table) -> list:
    """The records selected in a table, by identity."""
    model = table.model()
    rows = table.selectionModel().selectedRows()
    source = model.sourceModel() if hasattr(model, "mapToSource") else model
    keys = []
    for index in rows:
        if hasattr(model, "mapToSource"):
            index = model.mapToSource(index)
        getter = next(getattr(source, m) for m in ("row_result", "benefit_result", "row") if hasattr(source, m))
        keys.append(record_key(getter(index.row())))
    return keys


def _current_key(table):
    model = table.model()
    index = table.currentIndex()
    if hasattr(model, "mapToSource"):
        index = model.mapToSource(index)
    source = model.sourceModel() if hasattr(model, "mapToSource") else model
    getter = next(getattr(source, m) for m in ("row_result", "benefit_result", "row") if hasattr(source, m))
    return record_key(getter(index.row())), table.currentIndex().column()


def _choose(table, proxy_row: int, column: int) -> None:
    model = table.model()
    table.selectionModel().setCurrentIndex(model.index(proxy_row, column),
                                           QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)


def _measurement_of(data, initiative_id: int):
    benefits = {b.id for b in data.benefits if b.initiative_id == initiative_id}
    return max((m for m in data.measurements if m.benefit_id in benefits), key=lambda m: m.date)


def test_the_health_table_keeps_its_sort_selection_column_and_scroll(opened, qtbot, output_dir):
    window = opened
    view = window.portfolio_view
    table = view.table
    table.sortByColumn(COL_REALISED, Qt.SortOrder.DescendingOrder)
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0  # forty rows do not fit: the table scrolls
    _choose(table, 25, COL_STAGE)
    bar.setValue(bar.maximum() // 2)
    chosen, scrolled = _keys(table), bar.value()
    assert _current_key(table) == (chosen[0], COL_STAGE)
    initiative_id = chosen[0][1]
    # The chosen initiative's own latest measurement drops: its realised value, and its place in
    # the sorted table, change; the selection follows the initiative, the scroll stays.
    measurement = _measurement_of(window.data, initiative_id)
    before = window.result.initiatives
    window.push(UpdateField("measurement", measurement.id, "value", measurement.value, Decimal(0)))
    assert window.result.initiatives != before
    for step in ("edit", "undo", "redo", "as-of"):
        if step == "undo":
            window.undo_stack.undo()
        elif step == "redo":
            window.undo_stack.redo()
        elif step == "as-of":
            window.as_of.setDate(QDate(2026, 9, 30))
            assert window.result.as_of == date(2026, 9, 30)
        assert _keys(table) == chosen, step
        assert _current_key(table) == (chosen[0], COL_STAGE), step
        assert bar.value() == scrolled, step
        header = table.horizontalHeader()
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (COL_REALISED,
                                                                                Qt.SortOrder.DescendingOrder)
        realised = [view.proxy.data(view.proxy.index(r, COL_REALISED), view.proxy.sortRole())
                    for r in range(view.proxy.rowCount())]
        assert realised == sorted(realised, reverse=True), step
    window.grab().save(str(output_dir / "keep-place-health-table.png"))


def test_the_health_table_keeps_its_filter_and_selection(opened):
    window = opened
    view = window.portfolio_view
    view.stage.setCurrentIndex(view.stage.findData("delivery"))
    shown = view.proxy.rowCount()
    assert 0 < shown < len(window.data.initiatives)
    _choose(view.table, shown - 1, 0)
    chosen = _keys(view.table)
    other = next(i for i in window.data.initiatives if (("Initiative", i.id) not in chosen))
    window.push(UpdateField("initiative", other.id, "name", other.name, "Renamed elsewhere"))
    assert view.stage.currentData() == "delivery" and view.proxy.rowCount() == shown
    assert _keys(view.table) == chosen


def test_a_register_keeps_the_selected_record_and_the_scroll(opened, qtbot):
    window = opened
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    table, registers = view.table, view.model
    table.sortByColumn(registers.names.index("value"), Qt.SortOrder.AscendingOrder)
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    row = table.rowAt(table.viewport().height() // 2)
    column = registers.names.index("value")
    _choose(table, row, column)
    table.horizontalHeader().resizeSection(0, 211)  # the user widened the first column
    chosen, scrolled = _keys(table), bar.value()
    record = registers.row(row)
    assert registers.setData(registers.index(row, column), str(record.value + 1))  # typed over the cell
    for step in ("edit", "undo", "redo"):
        if step == "undo":
            window.undo_stack.undo()
        elif step == "redo":
            window.undo_stack.redo()
        assert _keys(table) == chosen, step
        assert _current_key(table) == (chosen[0], column), step
        assert bar.value() == scrolled, step
        assert table.horizontalHeader().sectionSize(0) == 211, step
    updated = registers.row(table.currentIndex().row())
    assert updated.id == record.id and updated.value == record.value + 1


def test_the_initiative_view_keeps_the_initiative_and_the_benefit(opened):
    window = opened
    initiative = window.data.initiatives[12]
    window.show_initiative(initiative.id)
    view = window.initiative_view
    table, benefits = view.benefit_table, view.benefits
    _choose(table, 2, 1)
    chosen = _keys(table)
    benefit = benefits.benefit_result(2).benefit
    first = benefits.benefit_result(0).benefit
    assert benefits.setData(benefits.index(0, 1), "A new title for the first benefit")
    assert view.chooser.currentData() == initiative.id
    assert _keys(table) == chosen == [("Benefit", benefit.id)]
    assert _current_key(table) == (("Benefit", benefit.id), 1)
    assert benefits.benefit_result(0).benefit.title == "A new title for the first benefit"
    assert benefits.benefit_result(0).benefit.id == first.id
    window.undo_stack.undo()
    assert view.chooser.currentData() == initiative.id and _keys(table) == chosen


def test_the_decision_log_keeps_the_selected_decision(opened):
    window = opened
    for n in range(3):
        window.push(InsertRecord(model.Decision(window.data.initiatives[n].id, DecisionKind.GATE_REVIEW,
                                                date(2026, 10, n + 1), f"Decision {n}"), label="Add decision"))
    window.push(InsertRecord(model.Decision(window.data.initiatives[4].id, DecisionKind.GATE_REVIEW,
                                            date(2026, 9, 1), "Decided already", decided_on=date(2026, 9, 8),
                                            outcome=DecisionOutcome.CONTINUE, decided_by="Board"),
                             label="Add decision"))
    window.tabs.setCurrentWidget(window.decision_log_view)
    log = window.decision_log_view
    log.state.setCurrentIndex(log.state.findData("open"))  # the three open ones
    table = log.table
    assert log.model.rowCount() == 3
    _choose(table, 1, 3)
    chosen = _keys(table)
    other = next(d for d in window.data.decisions if ("Decision", d.id) not in chosen and d.decided_on is None)
    window.push(UpdateField("decision", other.id, "summary", other.summary, "Changed elsewhere"))
    assert log.state.currentData() == "open" and log.model.rowCount() == 3
    assert _keys(table) == chosen
    assert _current_key(table) == (chosen[0], 3)


def test_a_lazy_register_scrolled_past_its_first_batch_is_fetched_back_to_the_place(window, tmp_path, qtbot):
    """The Measurements register shows 2,000 rows at a time; after a refill the user is taken back to
    the record far down the list they were on, and the scroll they had."""
    from pmodesk.ui.models import FETCH_BATCH

    path = generated_file(tmp_path, 30, 4, 25)  # 3,000 measurements
    assert window.open_file(path)
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    table, registers = view.table, view.model
    assert registers.rowCount() == FETCH_BATCH and registers.canFetchMore()
    table.scrollToBottom()
    while registers.canFetchMore():
        registers.fetchMore()
    table.doItemsLayout()
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() - 3)
    row = len(registers.rows()) - 10
    _choose(table, row, registers.names.index("value"))
    chosen, scrolled = _keys(table), bar.value()
    other = registers.row(5)
    window.push(UpdateField("measurement", other.id, "value", other.value, other.value + 1))
    assert registers.rowCount() > FETCH_BATCH  # fetched again as far as the place
    assert _keys(table) == chosen and bar.value() == scrolled


def test_record_actuals_keeps_the_selected_benefit(opened):
    window = opened
    window.as_of.setDate(QDate(2025, 6, 30))  # before the generated initiatives' tracking ends: readings due
    window.tabs.setCurrentWidget(window.actuals_view)
    table = window.actuals_view.table
    assert window.actuals_view.model.rowCount() > 60
    _choose(table, 50, 2)
    benefit = window.actuals_view.model.rows[50].benefit
    other = next(b for b in window.data.benefits if b.initiative_id != benefit.initiative_id)
    window.push(UpdateField("benefit", other.id, "title", other.title, "Retitled elsewhere"))
    current = table.currentIndex()
    assert window.actuals_view.model.rows[current.row()].benefit.id == benefit.id and current.column() == 2


def test_decisions_required_keeps_the_selected_rule(window, demo_file):
    assert window.open_file(demo_file)
    window.tabs.setCurrentWidget(window.decisions_view)
    view = window.decisions_view
    assert view.model.rowCount() >= 2
    _choose(view.table, 1, 0)
    rule = view.model.row(1).rule
    quiet = next(i for i in window.data.initiatives if i.id != rule.initiative_id)
    window.push(UpdateField("initiative", quiet.id, "name", quiet.name, "Renamed elsewhere"))
    assert view.model.row(view.table.currentIndex().row()).rule.id == rule.id
    assert _keys(view.table) == [("PivotRule", rule.id)]
