"""The window on a server portfolio: opens it, says when it is read-only, and shows others' changes."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from pmodesk.store.location import copy_portfolio, open_location  # noqa: E402
from pmodesk.store.server import role_names  # noqa: E402


def test_window_shows_other_peoples_changes_and_a_readers_banner(window, qtbot, demo_master, pg_server,
                                                                 output_dir):
    url = pg_server.url("window_demo")
    copy_portfolio(demo_master, url)
    assert window.open_file(url)
    assert "window_demo in database pmodesk" in window.windowTitle() and "[read-only]" not in window.windowTitle()
    window._server_changes.timer.setInterval(100)
    first = window.data.initiatives[0]
    with open_location(url) as colleague:
        colleague.update("initiative", first.id, name="Renamed by a colleague")
    qtbot.waitUntil(lambda: window.data.initiatives[0].name == "Renamed by a colleague", timeout=15000)
    assert "changes made by others" in window.statusBar().currentMessage()
    window.grab().save(str(output_dir / "team-window-updated.png"))

    from pmodesk.store.location import parse_location
    from pmodesk.store.server import server_setup

    server_setup(parse_location(url))
    readers, _ = role_names("window_demo")
    pg_server.execute(f"DO $$ BEGIN CREATE ROLE erin LOGIN IN ROLE {readers}; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    assert window.open_file(pg_server.url("window_demo", user="erin"))
    assert "[read-only]" in window.windowTitle()
    assert "erin may only read" in window.banner.text() and window.banner.isVisible()
    window.grab().save(str(output_dir / "team-window-reader.png"))


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_conflicting_edit_in_the_window_overwrites_or_reloads(window, qtbot, demo_master, pg_server, monkeypatch,
                                                              overwrite):
    from pmodesk.ui import commands

    url = pg_server.url(f"window_conflict_{int(overwrite)}")
    copy_portfolio(demo_master, url)
    assert window.open_file(url)
    window._server_changes.timer.stop()  # the colleague's change has not been heard yet
    benefit = window.data.benefits[0]
    with open_location(url) as colleague:
        colleague.load()
        colleague.update("benefit", benefit.id, title="The colleague's title")
    asked, warned = [], []
    monkeypatch.setattr(commands, "ask_overwrite", lambda message: asked.append(message) or overwrite)
    monkeypatch.setattr(window, "explain", warned.append)
    window.edit_benefit(benefit, "title", "My title")
    assert asked and "changed by pmodesk_admin" in asked[0]
    expected = "My title" if overwrite else "The colleague's title"
    qtbot.waitUntil(lambda: window.data.benefits[0].title == expected, timeout=15000)
    with open_location(url, read_only=True) as check:
        assert check.load().benefits[0].title == expected
    assert bool(warned) is not overwrite


def test_other_peoples_changes_keep_the_users_place(window, qtbot, demo_master, pg_server, output_dir):
    """A colleague changes a record the user is not on: the window reloads, and the user's selected
    row (by record), current column and scroll are as they were."""
    from PySide6.QtCore import QItemSelectionModel

    from pmodesk.ui.keep_place import record_key
    from pmodesk.ui.models import COL_CODE, COL_STAGE

    url = pg_server.url("window_place")
    copy_portfolio(demo_master, url)
    assert window.open_file(url)
    window.resize(900, 300)  # small enough for the health table to scroll
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.portfolio_view.table.verticalScrollBar().maximum() > 0, timeout=5000)
    window._server_changes.timer.setInterval(100)
    view = window.portfolio_view
    table, proxy = view.table, view.proxy
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0
    row = proxy.rowCount() - 2
    table.selectionModel().setCurrentIndex(proxy.index(row, COL_STAGE),
                                           QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)
    bar.setValue(bar.maximum())
    scrolled = bar.value()
    chosen = view.model.row_result(proxy.mapToSource(table.currentIndex()).row()).initiative
    other = view.model.row_result(proxy.mapToSource(proxy.index(proxy.rowCount() - 1, 0)).row()).initiative
    with open_location(url) as colleague:
        colleague.update("initiative", other.id, code="AAA-00")  # sorts first: every row moves down one
    qtbot.waitUntil(lambda: any(i.code == "AAA-00" for i in window.data.initiatives), timeout=15000)
    assert "changes made by others" in window.statusBar().currentMessage()
    assert proxy.data(proxy.index(0, COL_CODE)) == "AAA-00"
    current = table.currentIndex()
    assert record_key(view.model.row_result(proxy.mapToSource(current).row())) == ("Initiative", chosen.id)
    assert current.column() == COL_STAGE and current.row() != row  # the same record, on another row now
    assert [proxy.mapToSource(i).row() for i in table.selectionModel().selectedRows()] == \
        [proxy.mapToSource(current).row()]
    assert bar.value() == scrolled
    window.grab().save(str(output_dir / "team-window-kept-place.png"))


def test_own_edits_on_a_server_are_read_back_incrementally(window, qtbot, demo_master, pg_server):
    """An edit, its undo and redo on a server portfolio read back only what they touched (no whole
    read), and the window's data and figures are then exactly a fresh whole read's."""
    from pmodesk.commands import UpdateField
    from pmodesk.engine.portfolio import compute
    from pmodesk.engine.presentation import metrics_json

    url = pg_server.url("window_incremental")
    copy_portfolio(demo_master, url)
    assert window.open_file(url)
    window._server_changes.timer.stop()  # only our own edits here
    loads = window.loads
    measurement = window.data.measurements[10]
    window.push(UpdateField("measurement", measurement.id, "value", measurement.value, measurement.value + 3))
    for step in ("edit", "undo", "redo"):
        if step == "undo":
            window.undo_stack.undo()
        elif step == "redo":
            window.undo_stack.redo()
        with open_location(url, read_only=True) as check:
            fresh = check.load()
        assert window.data == fresh, step
        assert metrics_json(window.result) == metrics_json(compute(fresh, window.current_as_of())), step
    assert window.loads == loads
