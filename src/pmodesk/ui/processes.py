"""One long-lived child process for the window's heaviest figures (value at risk, the frontier).

A worker thread that computes for a second shares the interpreter lock with the UI thread: every call
from Qt into Python then waits its turn (the convoy effect), so the window stutters although the work
is "in the background". A child process has an interpreter of its own. It is started with "spawn" (a
fresh interpreter that imports only the headless engine, never Qt) when a large file opens, and lives
until the window closes. If it cannot start or dies, the work runs in the calling worker thread
instead: only slower, so nobody is told.

Nothing here imports Qt: the child imports this module's package only to find the functions it runs.
"""

from __future__ import annotations

import threading
from typing import Callable

_lock = threading.Lock()
_pool = None  # concurrent.futures.ProcessPoolExecutor, made on first use
_failed = False  # the child could not start or died: work stays in this process from now on
_helpers: list[threading.Thread] = []  # the pool's own threads (they live as long as the pool)
_exit_registered: list[bool] = []
ran_in_child = 0  # how many pieces of work the child did (for tests: the child really ran them)


def _modules(names: tuple[str, ...]) -> tuple[str, ...]:
    """Import ``names`` (in the child, ahead of the first figure); the Qt modules loaded there, if any."""
    import importlib
    import sys

    for name in names:
        importlib.import_module(name)
    return tuple(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")))


WARM = ("pmodesk.engine.risk", "pmodesk.engine.frontier")
NICENESS = 10  # the child's: on a busy machine the window's own process gets the processor first


def _niceness() -> int | None:
    """The child's scheduling priority: NICENESS below the window's (None where there is no such thing)."""
    import os

    try:
        return min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
    except (AttributeError, OSError):
        return None


def _second_place(niceness: int | None, pid: int | None = None) -> None:
    """A lower scheduling priority for the child (``pid``; None: this process), so that its start-up and a
    second of drawing runs do not take the processor from the window, whose paints they slowed down.
    Set from both sides (the window as soon as the child exists, the child first thing): the same value."""
    import os

    if niceness is None:
        return
    try:
        os.setpriority(os.PRIO_PROCESS, pid or 0, niceness)
    except (AttributeError, OSError):  # not on this system, or the child is gone: only a little slower
        pass


def _child_start(niceness: int | None) -> None:
    """First thing in the child: its lower priority, and glibc told to hand large freed blocks back (the
    child idles between figures, holding nothing but its imports)."""
    from pmodesk.ui import workers

    _second_place(niceness)
    workers.keep_large_blocks_returnable()
    _leave_with_the_window()


def _leave_with_the_window() -> None:
    """In the child: end the moment the window's process ends, however it ends (closed, crashed, killed).
    A pool's child would otherwise wait for work forever, holding its memory, after a window that could
    not shut it down."""
    import multiprocessing
    import os
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="pmodesk-child-watch", daemon=True).start()


def _then_give_back(function: Callable, *args):
    """``function(*args)`` in the child, then the memory its arrays used handed back to the system."""
    from pmodesk.ui import workers

    try:
        return function(*args)
    finally:
        workers.give_back_memory()


def _executor():
    global _pool
    with _lock:
        if _pool is None and not _failed:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_child_start, initargs=(_niceness(),))
            if not _exit_registered:
                import atexit

                atexit.register(shutdown)  # a window never closed: let the child go before the interpreter does
                _exit_registered.append(True)
        return _pool


def _note_helpers(pool) -> None:
    """Remember the pool's threads (its manager and its queue's feeder), started by its first submit."""
    with _lock:
        for thread in (getattr(pool, "_executor_manager_thread", None),
                       getattr(getattr(pool, "_call_queue", None), "_thread", None)):
            if isinstance(thread, threading.Thread) and thread not in _helpers:
                _helpers.append(thread)


def _give_up(pool) -> None:
    global _pool, _failed
    with _lock:
        _failed = True
        if _pool is pool:
            _pool = None
    try:
        pool.shutdown(wait=False, cancel_futures=True)
    except Exception:  # noqa: BLE001 - a broken pool may refuse even this; nothing is left to do
        pass


def _lower_priority(pool) -> None:
    """The child's priority lowered from here as soon as it exists, so that even its interpreter's
    start-up (before ``_second_place`` runs in it) does not take the processor from the window."""
    niceness = _niceness()
    for pid in list(getattr(pool, "_processes", None) or ()):  # the pool's children, by process id
        _second_place(niceness, pid)


def start() -> None:
    """Start the child now (it imports the engine meanwhile), so the first figure does not wait for it.
    Call from a worker thread: starting a process takes a few milliseconds."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _executor()
    if pool is None:
        return
    try:
        pool.submit(_modules, WARM)
    except (OSError, BrokenProcessPool, RuntimeError):  # RuntimeError: shut down meanwhile
        _give_up(pool)
        return
    _note_helpers(pool)
    _lower_priority(pool)


def run(function: Callable, *args):
    """``function(*args)`` in the child process, waiting for the answer; in this thread when the child
    cannot run it. ``function`` and ``args`` must be picklable and ``function`` headless. Call from a
    worker thread, never from the UI thread (it waits). An exception ``function`` raises is raised here."""
    global ran_in_child
    from concurrent.futures.process import BrokenProcessPool

    pool = _executor()
    if pool is not None:
        try:
            future = pool.submit(_then_give_back, function, *args)
        except (OSError, BrokenProcessPool, RuntimeError):
            _give_up(pool)
        else:
            _note_helpers(pool)
            _lower_priority(pool)
            try:
                answer = future.result()
            except (OSError, BrokenProcessPool):
                _give_up(pool)
            else:
                ran_in_child += 1
                return answer
    return function(*args)


def shutdown() -> None:
    """Let the child finish what it is doing and exit (the window is closing); nothing waits for it."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def helper_threads() -> int:
    """How many of the pool's own threads are alive (they come and go with the pool, not with work)."""
    with _lock:
        _helpers[:] = [t for t in _helpers if t.is_alive()]
        return len(_helpers)
