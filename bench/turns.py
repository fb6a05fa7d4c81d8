"""What ran in each long UI-thread turn of one action on the large file (offscreen), for finding what
makes ``bench/window.py actions`` report a stretch over 16 ms. Never run by a test; read by a person.

    .venv/bin/python bench/turns.py open                  # opening the file, until it is open for editing
    .venv/bin/python bench/turns.py tab Trade             # the first show of the tab whose title holds "Trade"
    .venv/bin/python bench/turns.py revisit Trade         # the same tab shown again after another
    .venv/bin/python bench/turns.py initiative            # another initiative chosen on the Initiative tab
    .venv/bin/python bench/turns.py filter                # the Measurements register's Find box, a key at a time
    ... [module.Class.method ...]                         # also time these (modules under pmodesk.ui)

PMODESK_TURNS_PROFILE=module.Class.method (one of those timed) also prints a profile of each of its calls.
PMODESK_TURNS_ENTRIES=1 also times every call from Qt into Python on the UI thread.
PMODESK_TURNS_EVENTS=1 also times every event delivered (outermost only), by receiver's class and event type.
PMODESK_TURNS_PROFILE_LONGEST=1 profiles every turn and prints the profile of the longest.
PMODESK_TURNS_WORKER_CALLS=1 prints every call into C of 3 ms or more in another thread (most hold the lock).

Each turn of the event loop (one ``processEvents()``, as the bench counts them) longer than
``PMODESK_TURNS_OVER_MS`` (default 12) is printed with its length, how much work was pending in workers or
later turns when it began, and the time spent in each timed function and chart paint within it. A turn
much longer than the work named in it is the UI thread waiting for the interpreter lock (a worker
running Python meanwhile) or Qt's own layout and painting.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))
LARGE = Path(__file__).resolve().parent.parent / "build" / "bench-large.pmodesk"
_log: list[tuple[str, float]] = []


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name)
    profiled = os.environ.get("PMODESK_TURNS_PROFILE") == label  # also print where its time went

    @functools.wraps(original)
    def run(*args, **kwargs):
        start = time.perf_counter()
        if profiled:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
        try:
            return original(*args, **kwargs)
        finally:
            _log.append((label, (time.perf_counter() - start) * 1000))
            if profiled:
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(14)

    setattr(owner, name, run)


def _entries():
    """A profile function for the UI thread: logs each Python call made by Qt within a turn (whose caller
    is the ``processEvents`` of ``run`` below), with its time including everything it called."""
    began: dict[int, float] = {}
    perf_counter = time.perf_counter

    def outermost(frame) -> bool:
        caller = frame.f_back
        return caller is not None and caller.f_code.co_name == "run" and caller.f_code.co_filename == __file__

    def profile(frame, event, arg):
        if event == "call" and outermost(frame):
            began[id(frame)] = perf_counter()
        elif event == "return" and id(frame) in began:
            code = frame.f_code
            _log.append((f"{code.co_qualname} ({Path(code.co_filename).stem})",
                         (perf_counter() - began.pop(id(frame))) * 1000))

    return profile


def _timed_application():
    """A QApplication whose every outermost event delivery is timed: receiver's class, event type."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    class Timed(QApplication):
        depth = 0

        def notify(self, receiver, event):  # noqa: N802 - Qt's name
            if Timed.depth:
                if event.type() != QEvent.Type.Paint:
                    return super().notify(receiver, event)
                start = time.perf_counter()  # each widget painted within a window's paint, too
                try:
                    return super().notify(receiver, event)
                finally:
                    _log.append((f"  paint {type(receiver).__name__} {receiver.objectName() or ''}".rstrip(),
                                 (time.perf_counter() - start) * 1000))
            Timed.depth += 1
            start = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                Timed.depth -= 1
                kind = event.type().name if hasattr(event.type(), "name") else str(event.type())
                _log.append((f"{type(receiver).__name__} {kind}", (time.perf_counter() - start) * 1000))

    return Timed


def main(kind: str, *rest: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import window as bench

    app = (_timed_application() if os.environ.get("PMODESK_TURNS_EVENTS") else QApplication)(sys.argv[:1])
    import pyqtgraph as pg

    from pmodesk.ui import turns, workers
    from pmodesk.ui.main_window import MainWindow

    timed(pg.GraphicsView, "paintEvent", "chart paint")
    original_next = turns.Steps._next

    def named_step(self):  # each step logged under its own name
        step = self._steps[0] if self._steps else None
        name = getattr(step, "__qualname__", None) or repr(step)
        start = time.perf_counter()
        try:
            return original_next(self)
        finally:
            _log.append((f"step {name}", (time.perf_counter() - start) * 1000))

    turns.Steps._next = named_step
    for dotted in (r for r in rest if "." in r):
        *path, attribute = dotted.split(".")
        owner = importlib.import_module("pmodesk.ui." + path[0])
        for part in path[1:]:
            owner = getattr(owner, part)
        timed(owner, attribute, dotted)
    import gc
    import threading

    collecting: dict[int, float] = {}

    def collections(phase, info):  # the cyclic garbage collector's runs on the UI thread
        if threading.current_thread() is not threading.main_thread():
            return
        if phase == "start":
            collecting[0] = time.perf_counter()
        elif 0 in collecting:
            _log.append((f"garbage collection (generation {info['generation']})",
                         (time.perf_counter() - collecting.pop(0)) * 1000))

    gc.callbacks.append(collections)
    long_calls: list[str] = []
    if os.environ.get("PMODESK_TURNS_WORKER_CALLS"):  # C calls of 3 ms or more in other threads
        began: dict[int, float] = {}

        def watch_calls(frame, event, arg):
            ident = threading.get_ident()
            if event == "c_call":
                began[ident] = time.perf_counter()
            elif event in ("c_return", "c_exception") and ident in began:
                took = (time.perf_counter() - began.pop(ident)) * 1000
                if took >= 3:
                    long_calls.append(f"{took:6.1f} ms {getattr(arg, '__qualname__', arg)} "
                                      f"at {Path(frame.f_code.co_filename).name}:{frame.f_lineno}")

        threading.setprofile(watch_calls)
    if os.environ.get("PMODESK_TURNS_ENTRIES"):  # every entry from Qt into Python on the UI thread, timed
        sys.setprofile(_entries())
    os.environ.setdefault("PMODESK_CACHE_DIR", tempfile.mkdtemp())  # no figures kept from an earlier run
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "turns.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, views_later=True)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.build_views()
    ui = bench.UiThread(app)
    over = float(os.environ.get("PMODESK_TURNS_OVER_MS", "12"))
    turns_seen: list[tuple[str, float, int, list]] = []

    import cProfile

    profile_turns = bool(os.environ.get("PMODESK_TURNS_PROFILE_LONGEST"))
    longest: list = [0.0, None]

    def run(action) -> None:
        _log.clear()
        start = time.perf_counter()
        action()
        turns_seen.append(("action", (time.perf_counter() - start) * 1000, workers.pending(), list(_log)))
        idle, deadline = 0, time.monotonic() + 120
        while idle < 5 and time.monotonic() < deadline:
            _log.clear()
            pending = workers.pending()
            profile = cProfile.Profile() if profile_turns else None
            start, cpu = time.perf_counter(), time.thread_time()
            if profile is not None:
                profile.enable()
            app.processEvents()
            if profile is not None:
                profile.disable()
            took = (time.perf_counter() - start) * 1000
            if profile is not None and took > longest[0]:
                longest[:] = [took, profile]
            _log.append(("(UI thread's own CPU time)", (time.thread_time() - cpu) * 1000))
            turns_seen.append(("turn", took, pending, list(_log)))
            idle = 0 if ui.busy() else idle + 1
            time.sleep(0.002)

    def opened() -> None:
        window.open_file(LARGE)
        bench.wait_for_figures(window, app)
        ui.settle()

    def tab_index(text: str) -> int:
        return next(i for i in range(window.tabs.count()) if text in window.tabs.tabText(i))

    if kind == "open":
        run(lambda: window.open_file(LARGE))
    else:
        opened()
    if kind in ("tab", "revisit"):
        wanted = tab_index(rest[0])
        for index in range(wanted if kind == "tab" else 0):  # the tabs before it, as the bench shows them
            window.tabs.setCurrentIndex(index)
            ui.settle()
        if kind == "revisit":
            window.tabs.setCurrentIndex(wanted)
            ui.settle()
            time.sleep(1.5)  # its figures computed
            ui.settle()
            window.tabs.setCurrentIndex(0)
            ui.settle()
        run(lambda: window.tabs.setCurrentIndex(wanted))
    elif kind == "initiative":
        window.tabs.setCurrentWidget(window.initiative_view)
        ui.settle()
        run(lambda: window.initiative_view.chooser.setCurrentIndex(50))
    elif kind == "filter":
        registers = window.register_view
        window.tabs.setCurrentWidget(registers)
        ui.settle()
        registers.chooser.setCurrentIndex(registers.chooser.findData("measurement"))
        ui.settle()
        for text in ("B0", "B00", "B001"):
            run(lambda t=text: registers.find.setText(t))
    for what, took, pending, entries in turns_seen:
        if took <= over:
            continue
        total, count = defaultdict(float), defaultdict(int)
        for label, ms in entries:
            total[label] += ms
            count[label] += 1
        named = ", ".join(f"{label} {total[label]:.1f}" + (f" ×{count[label]}" if count[label] > 1 else "")
                          for label in total)
        print(f"{what} {took:6.1f} ms (pending {pending}): {named}")
    for line in long_calls:
        print("worker's C call", line)
    if longest[1] is not None:
        import pstats

        print(f"the longest turn, {longest[0]:.1f} ms (profiled):")
        pstats.Stats(longest[1]).sort_stats("cumulative").print_stats(25)
    window.close()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("open", "tab", "revisit", "initiative", "filter"):
        sys.exit(__doc__)
    main(*sys.argv[1:])
