"""Background work for the window: two long-lived daemon threads fed from one queue.

Heavy work (opening a large file, the frontier and value at risk, sorting a long register) runs here
and hands its answer back to the UI thread through a Qt signal; the caller keeps a generation number so
that only the newest answer is shown. Starting a new thread for each piece of work would make the UI
thread wait for the new thread to get the interpreter lock (milliseconds while another worker runs);
putting work on a queue does not wait.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import Callable

WORKERS = 2
# The UI thread takes the interpreter lock for every call from Qt into Python; while a worker computes,
# each take waits up to the switch interval. 1 ms keeps a paint of a few thousand cells within a frame.
SWITCH_INTERVAL = 0.001

_queue: "queue.SimpleQueue[Callable[[], None]]" = queue.SimpleQueue()
_threads: list[threading.Thread] = []
_lock = threading.Lock()
_pending = 0


_on_idle: list[Callable[[], None]] = []


def _run() -> None:
    global _pending
    while True:
        work = _queue.get()
        try:
            work()
        except Exception:  # noqa: BLE001 - each piece of work reports its own errors; a worker never dies
            pass
        finally:
            with _lock:
                _pending -= 1
                idle = list(_on_idle) if _pending == 0 else []
                if idle:
                    _on_idle.clear()
            for callback in idle:
                try:
                    callback()
                except Exception:  # noqa: BLE001 - a window closed meanwhile: nobody is waiting
                    pass


def dispose(*objects) -> None:
    """Have a worker drop the last references to ``objects`` (a large portfolio's figures: freeing their
    tens of thousands of objects held the UI thread for milliseconds), a part at a time: freed at once,
    they are one long step of the interpreter, which the UI thread would wait for. The caller keeps none."""
    held = [objects]
    del objects
    submit(lambda: _release(held.pop()))


RELEASE_DEPTH = 3  # containers and records opened this deep; what lies below is freed with its owner


def _parts(item) -> list:
    """What ``item`` holds: a container's items, a record's fields."""
    if isinstance(item, (list, tuple, set, frozenset)):
        return list(item)
    if isinstance(item, dict):
        return list(item.values())
    fields = getattr(type(item), "__dataclass_fields__", None)
    if fields is not None:
        return [getattr(item, name, None) for name in fields]
    return []


def _release(objects) -> None:
    """Drop ``objects`` an owner at a time, its parts (down to :data:`RELEASE_DEPTH`) after it. An object
    still held elsewhere is not freed now: its parts are left alone."""
    stack = [(item, 0) for item in objects]
    del objects
    while stack:
        item, level = stack.pop()
        if level < RELEASE_DEPTH and sys.getrefcount(item) <= 2:  # held by ``item`` and the call alone
            stack.extend((part, level + 1) for part in _parts(item))
        del item  # freed now, unless held elsewhere (its parts, on the stack, come next)


def busy() -> bool:
    """Whether a worker has work queued or running (Python the UI thread would wait for)."""
    return _pending > 0


def when_idle(callback: Callable[[], None]) -> None:
    """Call ``callback`` once no work is queued or running: now, or from the worker that finishes the
    last piece (emit a Qt signal there). A window waiting for the workers polled them with a timer, and
    each poll made the UI thread wait for the interpreter lock."""
    with _lock:
        if _pending > 0:
            if callback not in _on_idle:
                _on_idle.append(callback)
            return
    callback()


def submit(work: Callable[[], None]) -> None:
    """Run ``work`` in a background thread; it must hand its answer back through a Qt signal."""
    global _pending
    with _lock:
        _pending += 1
        if not _threads:
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
            for n in range(WORKERS):
                thread = threading.Thread(target=_run, name=f"pmodesk-worker-{n}", daemon=True)
                _threads.append(thread)
                thread.start()
    _queue.put(work)


def pending() -> int:
    """How many pieces of work are queued or running, here or waiting for their turn of the event loop
    (``ui.turns``: a chart made and filled a step per turn)."""
    turns = sys.modules.get("pmodesk.ui.turns")  # never imported here: this module stays free of Qt
    return _pending + (turns.pending() if turns is not None else 0)


def wait_idle(timeout: float) -> bool:
    """Wait (at most ``timeout`` seconds) until no work is queued or running: the window has closed and
    the interpreter is about to end, which a worker still reading a file must not meet. True when idle."""
    import time

    deadline = time.monotonic() + timeout
    while _pending > 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    return _pending == 0


def started() -> int:
    """How many long-lived background threads there are: the workers (they live as long as the process)
    and the child process's own helper threads (as long as the child)."""
    from pmodesk.ui import processes

    return len(_threads) + processes.helper_threads()


_preloading: set[str] = set()


def preload(module: str) -> None:
    """Import ``module`` in a background worker (pyqtgraph and the charts take a third of a second),
    so that the first chart a person opens on a large file does not wait for it."""
    import importlib

    if module in sys.modules or module in _preloading:
        return
    _preloading.add(module)

    def work() -> None:
        try:
            importlib.import_module(module)
        finally:
            _preloading.discard(module)

    submit(work)


def loading(module: str) -> bool:
    """Whether ``module`` is still being imported by :func:`preload` (using it now would wait)."""
    return module in _preloading


_libc: list = []
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_FROM = 256 * 1024


def _glibc():
    import ctypes

    if not _libc:
        _libc.append(ctypes.CDLL("libc.so.6"))
    return _libc[0]


def keep_large_blocks_returnable() -> bool:
    """Have glibc give every block of 256 KiB or more its own mapping, returned to the system when freed.

    By default glibc raises that threshold each time such a block is freed (up to 32 MiB), after which
    the lists and arrays of a quarter of a million rows (a register sorted, figures recomputed, value at
    risk drawn) come from the heap and stay resident when freed: about 70 MB on the large portfolio.
    Fixing the threshold keeps them returnable. Elsewhere than glibc, nothing. True when it was set."""
    try:
        return bool(_glibc().mallopt(M_MMAP_THRESHOLD, MMAP_FROM))
    except (OSError, AttributeError):
        return False


def give_back_memory() -> None:
    """Hand the memory freed after reading a large file or arranging a long register (the rows SQLite
    returned, the first figures, the sort keys) back to the system with glibc's ``malloc_trim``, so that
    it does not stay resident; elsewhere nothing."""
    try:
        _glibc().malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc
