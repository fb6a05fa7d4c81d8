"""The window on a server portfolio: opens it, says when it is read-only, and shows others' changes."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from pmodesk.store.location import copy_portfolio, open_location  # noqa: E402
from pmodesk.store.server import role_names  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, QStandardPaths

    from pmodesk.ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_file()


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
