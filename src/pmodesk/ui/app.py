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


_fonts_left: list | None = None  # the bundled fonts not yet made known to Qt (None: not listed yet)
FONTS_A_TURN = 4  # adding a font takes Qt most of a millisecond: a few a turn of the event loop


def register_bundled_fonts(at_most: int | None = None) -> bool:
    """Make the bundled fonts (Noto, Droid Sans Fallback for CJK, Symbola) known to Qt, so names in any
    script show as typed even where the system has no font for them: ``at_most`` of those not known yet
    (every one when None). Done after the first paint, a few a turn. True once every one is known."""
    global _fonts_left
    if _fonts_left is None:
        try:
            from pmodesk.resources import resources_dir

            _fonts_left = sorted((resources_dir() / "fonts").glob("*.ttf"))
        except FileNotFoundError:
            _fonts_left = []
    from PySide6.QtGui import QFontDatabase

    for _ in range(len(_fonts_left) if at_most is None else min(at_most, len(_fonts_left))):
        QFontDatabase.addApplicationFont(str(_fonts_left.pop(0)))
    return not _fonts_left


def font_steps() -> list:
    """Steps (``ui.turns``) that make the bundled fonts known, :data:`FONTS_A_TURN` a step."""
    register_bundled_fonts(0)  # lists them
    return [lambda: register_bundled_fonts(FONTS_A_TURN) and None] * -(-len(_fonts_left) // FONTS_A_TURN)


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
