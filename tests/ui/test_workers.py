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
