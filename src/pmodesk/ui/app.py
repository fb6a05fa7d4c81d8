"""The QApplication and which file to open first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication



def first_file(settings: QSettings) -> Path:
    """The last file opened, else a copy of the demo in the user's data folder (written if needed)."""
    last = settings.value("files/last")
    if last and Path(last).exists():
        return Path(last)
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    demo = folder / "demo.pmodesk"
    if not demo.exists():
        from pmodesk.demo import write_demo

        write_demo(demo).close()
    return demo


_FONTS_REGISTERED = False


def register_bundled_fonts() -> None:
    """Make the bundled fonts (Noto, Droid Sans Fallback for CJK, Symbola) known to Qt, so names in any
    script show as typed even where the system has no font for them. Done once, after the first paint."""
    global _FONTS_REGISTERED
    if _FONTS_REGISTERED:
        return
    _FONTS_REGISTERED = True
    from PySide6.QtGui import QFontDatabase

    try:
        from pmodesk.resources import resources_dir

        fonts = sorted((resources_dir() / "fonts").glob("*.ttf"))
    except FileNotFoundError:
        return
    for font in fonts:
        QFontDatabase.addApplicationFont(str(font))


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("pmodesk")
    app.setApplicationName("pmodesk")
    import pmodesk

    app.setApplicationVersion(pmodesk.__version__)
    try:
        from PySide6.QtGui import QIcon

        from pmodesk.resources import resources_dir

        app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "pmodesk-256.png")))
    except FileNotFoundError:
        pass
    return app


def run(file: str | None) -> int:
    app = application()
    from pmodesk.ui.main_window import MainWindow

    window = MainWindow(views_later=True)
    window.show()

    def start() -> None:
        window.build_views()
        window.open_file(file if file else first_file(window.settings))

    # The window's frame paints first; its views are built and the file opens in the next turn of the
    # event loop (a timer alone would run before the first paint).
    window.when_painted(window.heading, start)
    from PySide6.QtCore import QTimer

    quit_after = os.environ.get("PMODESK_QUIT_AFTER_MS")  # smoke tests of installed bundles: open, then leave
    if quit_after:
        QTimer.singleShot(int(quit_after), app.quit)
    code = app.exec()
    from pmodesk.ui import workers

    workers.wait_idle(5.0)  # a large file's read or figures still under way end before the interpreter does
    return code
