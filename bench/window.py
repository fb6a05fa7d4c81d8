"""Window timings for ``make bench``, each in its own process (offscreen).

``empty``, ``first-paint`` and ``demo`` show a window and exit once it has painted (``demo``: with the demo's
figures on screen): the parent times the whole process, imports included, so they compare like for like. ``scroll`` measures UI-thread time per scroll
step of the health table on the large portfolio.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(mode: str, path: str | None = None) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    if mode == "empty":
        window = QMainWindow()
        window.show()
        app.processEvents()
        return
    from pmodesk.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    if mode == "first-paint":  # what `pmodesk` does: paint, then open the file from the event loop
        return
    window.open_file(path)
    deadline = time.monotonic() + 120
    while window.result is None and time.monotonic() < deadline:  # a large file is computed in a thread
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    if mode == "scroll":
        scroll = window.portfolio_view.table.verticalScrollBar()
        costs = []
        for step in range(0, scroll.maximum() + 1, max(1, scroll.maximum() // 50)):
            start = time.perf_counter()
            scroll.setValue(step)
            app.processEvents()
            costs.append(time.perf_counter() - start)
        print(f"{max(costs) * 1000:.2f} {len(costs)} {window.portfolio_view.model.rowCount()}")
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
