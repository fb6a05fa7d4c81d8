"""A ring round the widget with the keyboard focus, so that a person using the keyboard sees where it is.

A style sheet on the window (``QTableView:focus { border: 2px solid … }``) did this before, but a style
sheet on a window makes every widget in it polish and paint through Qt's style-sheet style: each tab's
first show and each paint took a third longer. Here one small frame, with a style sheet of its own only,
is laid over the focused widget (inside its edges, as the border was: a table filling its tab leaves no
room outside) and follows its size.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QComboBox, QFrame, QGraphicsView, QLineEdit, QListWidget, QPushButton,
    QTableView, QWidget,
)

COLOUR = "#2B6CB0"
WIDTH = 2  # pixels
RINGED = (QTableView, QListWidget, QLineEdit, QComboBox, QAbstractSpinBox, QPushButton, QGraphicsView)


class FocusRing(QObject):
    """Rings the focused widget of ``window`` (of the kinds in :data:`RINGED`)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self._ring: QFrame | None = None
        self._target: QWidget | None = None
        application = QApplication.instance()
        application.focusChanged.connect(self._focus_changed)
        self.destroyed.connect(lambda: application.focusChanged.disconnect(self._focus_changed))

    def widget(self) -> QWidget | None:
        """The widget ringed now, if any."""
        return self._target if self._target is not None and shiboken6.isValid(self._target) else None

    def _frame(self) -> QFrame:
        if self._ring is None or not shiboken6.isValid(self._ring):  # gone with the widget it was laid over
            ring = self._ring = QFrame()
            ring.setObjectName("focusRing")
            ring.setStyleSheet(f"QFrame#focusRing {{ border: {WIDTH}px solid {COLOUR}; background: transparent; }}")
            ring.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            ring.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return self._ring

    def _focus_changed(self, _old, new) -> None:
        if new is not None and isinstance(new.parentWidget(), (QComboBox, QAbstractSpinBox)):
            new = new.parentWidget()  # the box, not the line edit inside it
        target = new if isinstance(new, RINGED) and new.window() is self._window else None
        if target is self.widget():
            return
        if self.widget() is not None:
            self._target.removeEventFilter(self)
        self._target = target
        ring = self._frame()
        if target is None:
            ring.hide()
            return
        ring.setParent(target)
        ring.setGeometry(target.rect())
        ring.show()
        ring.raise_()
        target.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self._target and self._ring is not None:
            self._ring.setGeometry(watched.rect())
        return False
