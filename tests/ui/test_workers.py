"""The window's worker threads: waiting for them before the interpreter ends (ui.workers.wait_idle)."""

from __future__ import annotations

import threading

from pmodesk.ui import workers


def test_wait_idle_waits_for_work_under_way_and_no_longer_than_asked():
    release = threading.Event()
    done = []
    workers.submit(lambda: (release.wait(10), done.append(True)))
    assert workers.wait_idle(0.05) is False  # still under way: the wait ends at its timeout
    assert not done
    release.set()
    assert workers.wait_idle(10) is True
    assert done == [True] and workers.pending() == 0


def test_when_idle_calls_back_once_the_last_work_is_done():
    """A window waits for the workers without polling them: the callback comes from the worker that
    finishes the last piece of work, once however often it was asked for, or at once when idle."""
    import threading

    from pmodesk.ui import workers

    calls: list[str] = []
    release = threading.Event()
    workers.submit(lambda: release.wait(10))
    workers.submit(lambda: release.wait(10))
    assert workers.busy()

    def idle() -> None:
        calls.append(threading.current_thread().name)

    workers.when_idle(idle)
    workers.when_idle(idle)  # asked twice: called once
    assert calls == []
    release.set()
    assert workers.wait_idle(10)
    import time

    deadline = time.monotonic() + 10  # the callback runs just after the count reaches nought
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert len(calls) == 1 and calls[0].startswith("pmodesk-worker")
    workers.when_idle(idle)  # nothing queued: at once, here
    assert calls[-1] == threading.current_thread().name and len(calls) == 2


def test_dispose_frees_the_objects_in_a_worker_an_owner_at_a_time():
    """What the window no longer shows is freed by a worker, each owner apart from its parts (a long free
    would be one long step the UI thread waits for), and nothing of it is kept."""
    import gc
    import threading
    import weakref
    from dataclasses import dataclass

    from pmodesk.ui import workers

    freed_by: list[str] = []

    class Leaf:
        def __del__(self):
            freed_by.append(threading.current_thread().name)

    @dataclass(frozen=True, slots=True)
    class Owner:
        leaves: tuple
        by_id: dict

    owners = [Owner(tuple(Leaf() for _ in range(3)), {n: Leaf() for n in range(2)}) for _ in range(50)]
    watched = weakref.ref(owners[0].leaves[0])
    workers.dispose(owners, (owners[1],))
    del owners
    assert workers.wait_idle(10)
    gc.collect()
    assert watched() is None and len(freed_by) == 250
    assert all(name.startswith("pmodesk-worker") for name in freed_by)


def test_dispose_leaves_alone_what_is_still_held_elsewhere(monkeypatch):
    """After an edit the old figures share almost every record with the new: walking them would keep a
    worker busy for seconds and free nothing. Only what nothing else holds is opened."""
    from pmodesk.ui import workers

    opened: list[int] = []
    parts = workers._parts
    monkeypatch.setattr(workers, "_parts", lambda item: opened.append(id(item)) or parts(item))
    shared = [[n] for n in range(1000)]  # still held here
    workers.dispose((shared, [[n] for n in range(3)]))  # the second list is held by nothing else
    assert workers.wait_idle(10)
    assert id(shared) not in opened
    assert len(opened) == 1 + 1 + 3  # the pair, the list nothing else holds and its three lists
