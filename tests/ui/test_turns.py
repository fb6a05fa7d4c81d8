"""Work split into turns of the event loop (ui.turns): one step per turn, in order, after the paint of
what the last step changed; a newer start drops the older steps; the window's pending work counts them."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QWidget

from pmodesk.ui import turns, workers
from pmodesk.ui.turns import Steps


def test_one_step_per_turn_in_order(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    steps = Steps(owner)
    ran: list[str] = []
    steps.start(lambda: ran.append("a"), lambda: ran.append("b"), lambda: ran.append("c"))
    assert ran == [] and steps.pending() and workers.pending() >= 1  # nothing in the caller's turn
    QApplication.processEvents()
    assert ran == ["a"]  # the first in the next turn, alone
    qtbot.waitUntil(lambda: ran == ["a", "b", "c"], timeout=2000)
    assert not steps.pending() and turns.pending() == 0


def test_the_next_step_waits_for_the_paint_of_what_a_step_changed(qtbot):
    window = QWidget()
    label = QLabel("before", window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    painted: list[str] = []
    steps = Steps(window)
    events: list[str] = []

    def change():
        label.setText("after")
        events.append("changed")
        return label

    original = label.paintEvent

    def paint(event):
        events.append("painted")
        painted.append(label.text())
        original(event)

    label.paintEvent = paint
    steps.start(change, lambda: events.append("next"))
    qtbot.waitUntil(lambda: "next" in events, timeout=2000)
    assert events.index("changed") < events.index("painted") < events.index("next")
    assert painted[0] == "after"


def test_a_newer_start_or_a_cancel_drops_the_older_steps(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    steps = Steps(owner)
    ran: list[str] = []
    steps.start(lambda: ran.append("old 1"), lambda: ran.append("old 2"))
    steps.start(lambda: ran.append("new"))
    qtbot.waitUntil(lambda: not steps.pending(), timeout=2000)
    QApplication.processEvents()
    assert ran == ["new"]
    steps.start(lambda: ran.append("dropped"))
    steps.cancel()
    qtbot.wait(100)
    assert ran == ["new"] and turns.pending() == 0


def test_a_failing_step_does_not_stop_the_others(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    steps = Steps(owner)
    ran: list[str] = []

    def fails():
        raise ValueError("a step that fails")

    with qtbot.captureExceptions() as exceptions:
        steps.start(fails, lambda: ran.append("after"))
        qtbot.waitUntil(lambda: ran == ["after"], timeout=2000)
    assert [type(e[1]) for e in exceptions] == [ValueError] and turns.pending() == 0
