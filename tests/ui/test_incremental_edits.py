"""Edits in the window recompute only what they touched (issue 16 item 3).

A generated portfolio of a few dozen initiatives in a real file, edited through the window's own
widgets and commands: after every kind of edit, and after undo and redo, the window's figures are
exactly a fresh ``compute(store.load(), as_of)`` and its data a fresh whole read, while the window
itself never reads the whole file again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from pmodesk.commands import InsertRecord, UpdateRecord, record_measurements
from pmodesk.domain import model
from pmodesk.domain.enums import DecisionKind
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json
from pmodesk.store import Store
from pmodesk.ui.models import BCOL_TARGET

from helpers import GENERATED_AS_OF as AS_OF, generated_file


@pytest.fixture(scope="module")
def generated_master(tmp_path_factory) -> Path:
    return generated_file(tmp_path_factory.mktemp("generated"), 36, 3, 12)


@pytest.fixture
def generated(generated_master, tmp_path) -> Path:
    path = tmp_path / "generated.pmodesk"
    path.write_bytes(generated_master.read_bytes())
    return path


@pytest.fixture
def whole_loads(monkeypatch):
    """Every Store.load call, by the store it was made on."""
    calls = []
    original = Store.load

    def counted(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(Store, "load", counted)
    return calls


def _settle(window, qtbot) -> None:
    qtbot.waitUntil(lambda: window._working is None and window.result is not None
                    and window.result.prepared is not None, timeout=20000)


def _agrees_with_a_fresh_computation(window, path: Path) -> None:
    from pmodesk.ui.register_view import records_of

    with Store.open(path, read_only=True) as store:
        fresh = store.load()
    assert window.data == fresh
    assert metrics_json(window.result) == metrics_json(compute(fresh, window.current_as_of()))
    if window.tabs.currentWidget() is window.register_view:  # the register on screen lists the records now
        view = window.register_view
        assert view.records == records_of(fresh, view.entity())


def _in_register(window, entity: str, record_id, field: str, text: str) -> None:
    """Type ``text`` over one cell of a register, as a person does."""
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.chooser.setCurrentIndex(view.chooser.findData(entity))
    row = view.model.find(lambda r: r.id == record_id)
    assert row >= 0
    assert view.model.setData(view.model.index(row, view.model.names.index(field)), text)


def _edits(window):
    """Each kind of edit, made through the window (a callable each, run in turn)."""
    data = lambda: window.data  # noqa: E731 - the data as it is when each edit is made

    def benefit_target():
        benefit = data().benefits[4]
        window.show_initiative(benefit.initiative_id)
        benefits = window.initiative_view.benefits
        row = next(r for r in range(benefits.rowCount()) if benefits.benefit_result(r).benefit.id == benefit.id)
        assert benefits.setData(benefits.index(row, BCOL_TARGET), "260")
        assert benefits.data(benefits.index(row, BCOL_TARGET)) == "260"  # the edited cell at once

    def measurement_value():
        m = data().measurements[40]
        _in_register(window, "measurement", m.id, "value", str(m.value + 7))

    def new_measurements():
        window.push(record_measurements([model.Measurement(b.id, date(2026, 10, 30), Decimal("171"))
                                         for b in data().benefits[6:8]]))

    def trajectory_point():
        point = data().trajectory[9]
        _in_register(window, "trajectory_point", point.id, "value", "140")

    def pivot_rule():
        rule = data().pivot_rules[3]
        window.push(UpdateRecord("pivot_rule", rule.id, {"threshold": rule.threshold}, {"threshold": Decimal(95)},
                                 label="Edit pivot rule", reason="The board asked for more", changed_by="PMO"))

    def planned_spend():
        spend = data().planned_spend[100]
        _in_register(window, "planned_spend", spend.id, "amount", "40000")

    def cost_actual():
        cost = data().cost_actuals[50]
        _in_register(window, "cost_actual", cost.id, "amount", "1.23")

    def objective_link():
        window.tabs.setCurrentWidget(window.register_view)
        view = window.register_view
        view.chooser.setCurrentIndex(view.chooser.findData("initiative_objective"))
        view.table.selectRow(2)
        view.buttons["Delete"].click()

    def decision():
        window.push(InsertRecord(model.Decision(data().initiatives[5].id, DecisionKind.ESCALATION, AS_OF,
                                                "Escalated in a test", escalated=True), label="Add decision"))

    def initiative():
        initiative = data().initiatives[7]
        _in_register(window, "initiative", initiative.id, "forecast_go_live", "2026-03-01")

    return [benefit_target, measurement_value, new_measurements, trajectory_point, pivot_rule, planned_spend,
            cost_actual, objective_link, decision, initiative]


@pytest.mark.parametrize("background", [False, True], ids=["at-once", "worker-thread"])
def test_every_kind_of_edit_and_its_undo_and_redo_gives_the_whole_computations_figures(
        window, generated, qtbot, monkeypatch, whole_loads, background):
    from pmodesk.ui import main_window

    if background:  # the large-portfolio path: the edited cell at once, the figures from a thread
        monkeypatch.setattr(main_window, "BACKGROUND_FROM_MEASUREMENTS", 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(window, "explain", lambda message: pytest.fail(message))
    assert window.open_file(generated)
    window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    _settle(window, qtbot)
    loads = sum(1 for s in whole_loads if s is window.store)
    assert loads == 1 and window.loads == 0  # the read that opened it
    edits = _edits(window)
    for edit in edits:
        edit()
        if background:
            assert window._working is not None  # the figures are still on their way
        _settle(window, qtbot)
        _agrees_with_a_fresh_computation(window, generated)
    assert window.undo_stack.count() == len(edits)
    for _ in edits:
        window.undo_stack.undo()
        _settle(window, qtbot)
        _agrees_with_a_fresh_computation(window, generated)
    for _ in edits:
        window.undo_stack.redo()
        _settle(window, qtbot)
        _agrees_with_a_fresh_computation(window, generated)
    # Thirty edits, undos and redos, and the window never read the whole file again.
    assert sum(1 for s in whole_loads if s is window.store) == loads and window.loads == 0


def test_an_edit_to_an_objective_reads_everything_again(window, generated, qtbot, whole_loads):
    assert window.open_file(generated)
    objective = window.data.objectives[0]
    _in_register(window, "objective", objective.id, "title", "A retitled objective")
    _settle(window, qtbot)
    assert sum(1 for s in whole_loads if s is window.store) == 2
    _agrees_with_a_fresh_computation(window, generated)


def test_when_the_quick_way_fails_the_window_computes_everything_instead(window, generated, qtbot, monkeypatch):
    from pmodesk.engine import portfolio

    def broken(*args):
        raise ValueError("a fault in the incremental path")

    monkeypatch.setattr(portfolio, "recompute", broken)  # the window looks it up in the engine at each edit
    assert window.open_file(generated)
    measurement = window.data.measurements[5]
    _in_register(window, "measurement", measurement.id, "value", str(measurement.value + 11))
    _settle(window, qtbot)
    assert window.loads == 1
    _agrees_with_a_fresh_computation(window, generated)


def test_a_new_as_of_date_while_an_edits_figures_are_on_their_way(window, generated, qtbot, monkeypatch):
    """The edit is in the window's data at once: a recomputation at another date includes it."""
    from pmodesk.commands import UpdateField
    from pmodesk.ui import main_window

    monkeypatch.setattr(main_window, "BACKGROUND_FROM_MEASUREMENTS", 0)
    assert window.open_file(generated)
    window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    _settle(window, qtbot)
    for tab in (window.portfolio_view, window.initiative_view):
        window.tabs.setCurrentWidget(tab)
        measurement = window.data.measurements[17 if tab is window.portfolio_view else 29]
        window.push(UpdateField("measurement", measurement.id, "value", measurement.value, measurement.value + 9))
        assert window._working is not None
        window.as_of.setDate(QDate(2026, 8, 31))
        _settle(window, qtbot)
        assert window.result.as_of == date(2026, 8, 31)
        _agrees_with_a_fresh_computation(window, generated)
        window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
        _settle(window, qtbot)


def test_a_read_only_window_reads_the_file_again_for_a_new_as_of_date(window, generated, qtbot):
    """Someone else holds the file and edits it: a new as-of date shows their latest figures."""
    from pmodesk.commands import UpdateField

    with Store.open(generated) as holder:  # this process holds the edit lock: the window opens read-only
        assert window.open_file(generated) and window.store.read_only
        measurement = window.data.measurements[3]
        UpdateField("measurement", measurement.id, "value", measurement.value, measurement.value + 5).apply(holder)
        window.as_of.setDate(QDate(2026, 9, 30))
        _settle(window, qtbot)
        _agrees_with_a_fresh_computation(window, generated)
