"""Fixtures of the team-mode tests that show the window."""

from __future__ import annotations

import pytest


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window with its own settings file, closed (and its server connection with it) at the end."""
    from PySide6.QtCore import QSettings, QStandardPaths

    from pmodesk.ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_file()
