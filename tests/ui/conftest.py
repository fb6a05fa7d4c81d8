from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QStandardPaths


@pytest.fixture
def settings(tmp_path):
    QStandardPaths.setTestModeEnabled(True)
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    from pmodesk.ui.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    return win
