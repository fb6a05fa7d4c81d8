"""Window timings for ``make bench``, each in its own process (offscreen).

``empty``, ``first-paint``, ``demo`` and ``large`` show a window and exit once it has painted (``demo`` and
``large``: with that file's figures on screen): the parent times the whole process, imports included, so
they compare like for like. ``large`` shows the figures the window kept in its figure cache
(``PMODESK_CACHE_DIR``) if a launch before it kept them, else the file's own; ``large-prime`` is that
earlier launch: it opens the file, waits for the full open, and exits once the figures are kept. ``actions`` opens the large portfolio and drives every action a person takes
(scrolling, sorting, filtering, switching tabs, opening registers and initiatives), printing one JSON line:
the worst UI-thread time of each action and the resident memory.

UI-thread time is measured honestly: the action itself is timed, then the event loop is run until every
background worker has delivered and the loop is idle, timing each ``processEvents()`` — the longest single
stretch the UI thread could not answer the person is the action's cost.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def resident_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc/self/status."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def children_resident_mb() -> tuple[float, float, int]:
    """(current, peak) resident memory in MB of this process's child processes (the value-at-risk child
    and multiprocessing's resource tracker), summed, and how many there are: the window's whole footprint
    is this plus :func:`resident_mb`."""
    me, now, peak, count = str(os.getpid()), 0.0, 0.0, 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                values = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if values.get("PPid", "").strip() == me:
            count += 1
            now += int(values.get("VmRSS", "0 kB").split()[0]) / 1024
            peak += int(values.get("VmHWM", "0 kB").split()[0]) / 1024
    return now, peak, count


class UiThread:
    """Runs actions and the event loop, recording the longest UI-thread stretch of each."""

    def __init__(self, app):
        self.app = app
        self.threads = threading.active_count()
        self.worst: dict[str, float] = {}
        self.where: dict[str, str] = {}

    def busy(self) -> bool:
        from pmodesk.ui import workers

        return workers.pending() > 0 or threading.active_count() > self.threads + workers.started()

    def settle(self, name: str | None = None, timeout: float = 120.0) -> float:
        worst, idle, deadline = 0.0, 0, time.monotonic() + timeout
        while idle < 5 and time.monotonic() < deadline:
            start = time.perf_counter()
            self.app.processEvents()
            worst = max(worst, time.perf_counter() - start)
            idle = 0 if self.busy() else idle + 1
            time.sleep(0.002)
        if name is not None:
            self.worst[name] = max(self.worst.get(name, 0.0), worst)
        return worst

    def act(self, name: str, action, detail: str = "") -> None:
        start = time.perf_counter()
        action()
        took = time.perf_counter() - start
        before = self.worst.get(name, 0.0)
        self.worst[name] = max(before, took)
        settled = self.settle(name)
        if detail and self.worst[name] > before:
            self.where[name] = detail.replace("&", "")  # which tab or register was the worst
        if os.environ.get("PMODESK_BENCH_VERBOSE") and max(took, settled) > 0.016:
            print(f"{name} {detail}: action {took * 1000:.0f} ms, then {settled * 1000:.0f} ms", file=sys.stderr)


def wait_for_figures(window, app, timeout: float = 120.0, opened: bool = True) -> None:
    """Until the health table shows the file's figures (and, when ``opened``, the file is open for editing)."""
    deadline = time.monotonic() + timeout
    while ((opened and window.result is None) or window.portfolio_view.model.rowCount() == 0) \
            and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()


def drive(window, app, path: str) -> dict:
    ui = UiThread(app)
    ui.act("open the file (until its figures are on screen)", lambda: window.open_file(path))
    wait_for_figures(window, app)
    ui.settle("open the file (until its figures are on screen)")
    view = window.portfolio_view
    scroll = view.table.verticalScrollBar()
    for step in range(0, scroll.maximum() + 1, max(1, scroll.maximum() // 40)):
        ui.act("health table: scroll", lambda step=step: scroll.setValue(step))
    for column in range(view.model.columnCount()):
        for order in (1, 0):  # descending, then ascending
            ui.act("health table: sort by a column", lambda c=column, o=order: view.table.sortByColumn(
                c, view.table.horizontalHeader().sortIndicatorOrder().__class__(o)), str(column))
    for combo in (view.stage, view.rag, view.objective, view.owner):
        for index in (1, 2, 0):
            if index < combo.count():
                ui.act("health table: filter", lambda c=combo, i=index: c.setCurrentIndex(i))
    for index in range(window.tabs.count()):
        ui.act("switch to a tab", lambda i=index: window.tabs.setCurrentIndex(i), window.tabs.tabText(index))
    memory_after_tabs = resident_mb()
    window.tabs.setCurrentWidget(window.initiative_view)
    ui.settle()
    chooser = window.initiative_view.chooser
    for index in range(0, chooser.count(), max(1, chooser.count() // 10)):
        ui.act("open an initiative", lambda i=index: chooser.setCurrentIndex(i))
    window.tabs.setCurrentWidget(window.portfolio_view)
    ui.settle()
    ui.act("open an initiative", lambda: view.table.doubleClicked.emit(view.proxy.index(3, 1)))
    window.tabs.setCurrentWidget(window.register_view)
    ui.settle()
    registers = window.register_view
    for index in range(registers.chooser.count()):
        ui.act("open a register", lambda i=index: registers.chooser.setCurrentIndex(i), registers.chooser.itemText(index))
    measurements = registers.chooser.findData("measurement")
    ui.act("open a register", lambda: registers.chooser.setCurrentIndex(measurements))
    bar = registers.table.verticalScrollBar()
    for _ in range(8):  # to the end and on: each reaching of the end fetches more rows
        ui.act("Measurements register: scroll", lambda: bar.setValue(bar.maximum()))
    for value in (0, bar.maximum() // 3, bar.maximum() // 2):
        ui.act("Measurements register: scroll", lambda v=value: bar.setValue(v))
    for column in range(registers.model.columnCount()):
        for order in (0, 1):
            ui.act("Measurements register: sort by a column", lambda c=column, o=order: registers.table.sortByColumn(
                c, registers.table.horizontalHeader().sortIndicatorOrder().__class__(o)), str(column))
    for text in ("B0", "B00", "B001", "B0017", "B00179", "2024-07", ""):  # typed a key at a time, then cleared
        ui.act("Measurements register: filter", lambda t=text: registers.find.setText(t), text)
    for index in range(window.tabs.count()):  # every tab once more, after the registers
        ui.act("switch to a tab", lambda i=index: window.tabs.setCurrentIndex(i), window.tabs.tabText(index))
    now, peak = resident_mb()
    child_now, child_peak, children = children_resident_mb()
    shots = os.environ.get("PMODESK_BENCH_SCREENSHOTS")  # a folder: every tab of the large file, to look at
    if shots:
        registers.table.sortByColumn(0, registers.table.horizontalHeader().sortIndicatorOrder().__class__(0))
        ui.settle()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            ui.settle()
            time.sleep(0.2)
            ui.settle()
            name = window.tabs.tabText(index).replace("&", "").replace(" ", "-").lower()
            window.grab().save(os.path.join(shots, f"bench-large-{index + 1}-{name}.png"))
    return {"worst_ms": {name: round(took * 1000, 1) for name, took in ui.worst.items()}, "worst_at": ui.where,
            "rss_mb": round(now, 0), "peak_rss_mb": round(peak, 0), "children": children,
            "children_rss_mb": round(child_now, 0), "children_peak_rss_mb": round(child_peak, 0),
            "rss_after_tabs_mb": round(memory_after_tabs[0], 0), "rows": view.model.rowCount(),
            "measurements": registers.model.rowCount()}


def main(mode: str, path: str | None = None) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    if mode == "empty":
        window = QMainWindow()
        window.show()
        app.processEvents()
        return
    from PySide6.QtCore import QSettings

    from pmodesk.ui.main_window import MainWindow

    folder = os.environ.get("PMODESK_BENCH_FOLDER")  # a new, empty folder of this run's own (bench/run.py)
    if not folder:
        import tempfile

        folder = tempfile.mkdtemp()
    settings = QSettings(os.path.join(folder, "bench.ini"), QSettings.Format.IniFormat)
    # as `pmodesk` does: the frame paints, then the views are built and the file opens from the event loop
    window = MainWindow(settings, views_later=True)  # fresh settings: every run starts on the Portfolio tab
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    if mode == "first-paint":
        return
    window.build_views()
    if mode == "actions":
        print(json.dumps(drive(window, app, path)))
        window.close()
        return
    window.open_file(path)
    wait_for_figures(window, app, opened=mode == "large-prime")  # the health table with its figures on screen
    if mode == "large-prime":  # the figures are kept from the worker, before the full open ends
        from pmodesk.ui import workers

        UiThread(app).settle()
        assert workers.pending() == 0 and any(window.cache_folder.glob("*.json")), "no figures were kept"
    window.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
    # Every mode, the empty window's included, leaves at once: the time measured ends when the window has
    # shown what it was asked for, and a worker still reading the file never meets the interpreter's end.
    sys.stdout.flush()
    os._exit(0)
