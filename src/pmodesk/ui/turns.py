"""Work on the UI thread split into turns of the event loop (issue 16: no stretch over 16 ms).

Making a chart (a pyqtgraph plot is a dozen graphics items) and filling it each take several
milliseconds, and so does painting what they changed. Done one after another in one turn, a tab's
first show kept the window from answering for a tenth of a second; run one step per turn, with a
short gap so that the paint of one step is not done in the same turn as the next step, the window
answers between them.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

GAP_MS = 5  # from the end of a step to the next, when the step changed nothing on screen
QUIET_MS = 15  # from a changed widget's last paint to the next step: a chart paints again a turn or two after
# its first paint (pyqtgraph's scene updates itself once laid out), and that paint is not to share a turn
# with the next step
WAIT_MS = 60  # a step whose widget is not painted (hidden) does not hold the others up longer than this
_waiting: set["Steps"] = set()  # every Steps with steps still to run


def pending() -> int:
    """How many step sequences still have steps to run (work a person started, not yet on screen)."""
    import shiboken6

    _waiting.difference_update([steps for steps in _waiting if not shiboken6.isValid(steps)])  # their view is gone
    return len(_waiting)


class Steps(QObject):
    """Runs steps one per turn, in order. ``start`` drops any steps not yet run (a newer result came).

    A step may return the widget it changed: the next step then waits until that widget has been
    painted and has not painted again for :data:`QUIET_MS` (a paint is posted a turn or two after the
    change; done in the same turn as the next step, the two together would be as long as the work was
    before it was split)."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._steps: list[Callable[[], object]] = []
        self._watched = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)

    def start(self, *steps: Callable[[], object], after: QWidget | None = None) -> None:
        """Run ``steps`` from the next turn on; with ``after`` (a widget just shown), once it is painted."""
        self._unwatch()
        self._timer.stop()
        self._steps = list(steps)
        _waiting.add(self)
        if after is not None and after.window().isVisible() and not after.isHidden():
            self._watch(after)
            self._timer.start(WAIT_MS)
        else:
            self._timer.start(0)

    def pending(self) -> bool:
        return bool(self._steps)

    def then(self, step: Callable[[], object]) -> None:
        """Run ``step`` after the steps still to run (in the next turn when there are none)."""
        if self._steps:
            self._steps.append(step)
        else:
            self.start(step)

    def cancel(self) -> None:
        """Drop the steps not yet run (what they would show is out of date)."""
        self._unwatch()
        self._timer.stop()
        self._steps = []
        _waiting.discard(self)

    def finish(self) -> None:
        """Run every step left now, in this turn (a caller needs the result at once)."""
        self._unwatch()
        self._timer.stop()
        while self._steps:
            self._steps.pop(0)()
        _waiting.discard(self)

    def _next(self) -> None:
        self._unwatch()
        changed = None
        try:
            if self._steps:
                changed = self._steps.pop(0)()
        finally:  # a step that failed does not stop the others
            if not self._steps:
                _waiting.discard(self)
            elif isinstance(changed, QWidget) and changed.window().isVisible() and not changed.isHidden():
                self._watch(changed)
                self._timer.start(WAIT_MS)
            else:
                self._timer.start(GAP_MS)

    def _watch(self, widget: QWidget) -> None:
        target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        self._watched = target
        target.installEventFilter(self)

    def _unwatch(self) -> None:
        if self._watched is not None:
            import shiboken6

            if shiboken6.isValid(self._watched):
                self._watched.removeEventFilter(self)
            self._watched = None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self._watched and event.type() == QEvent.Type.Paint:
            self._timer.start(QUIET_MS)  # painted: the next step once it has not painted again for a while
        return False
