"""QUndoCommand adapters over :mod:`pmodesk.commands`: the undo stack's text and state, nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QUndoCommand

from pmodesk.store.errors import StoreError

if TYPE_CHECKING:
    from pmodesk.store import Store


class StoreCommand(QUndoCommand):
    """Runs a core command against the store; on failure the error is reported and nothing changes.

    ``on_change(full=False)`` follows every committed apply or revert (the window reads back what
    the store noted as changed); ``full=True`` asks for the whole portfolio to be read again, when
    someone else's change is to be shown.
    """

    def __init__(self, store: "Store", command, on_change: Callable[..., None], on_error: Callable[[str], None]):
        super().__init__(command.text)
        self.store, self.command, self.on_change, self.on_error = store, command, on_change, on_error
        self.failed = False
        self.reload_after_conflict = False

    def redo(self) -> None:
        try:
            self.command.apply(self.store)
        except StoreError as error:
            if self._overwrote(error):
                self.on_change(full=True)  # their other changes are not known here: read everything
                return
            self.failed = True
            self.setObsolete(True)
            self.on_error(str(error))
            if self.reload_after_conflict:
                self.on_change(full=True)  # the user kept the other person's change: show it
            return
        self.on_change()

    def _overwrote(self, error: StoreError) -> bool:
        """On a server, someone else changed the record first: the user chooses to overwrite their
        change (the edit is repeated) or to keep it (the window reloads to show it)."""
        if not hasattr(self.store, "overwrite_after"):
            return False
        from pmodesk.store.server import Conflict

        if not isinstance(error, Conflict):
            return False
        if not ask_overwrite(str(error)):
            self.reload_after_conflict = True
            return False
        self.store.overwrite_after(error)
        try:
            self.command.apply(self.store)
        except StoreError:
            return False
        return True

    def undo(self) -> None:
        try:
            self.command.revert(self.store)
        except StoreError as error:
            self.on_error(str(error))
            return
        self.on_change()


def ask_overwrite(message: str) -> bool:
    """Ask whether to overwrite another person's change (tests answer by monkeypatching this)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    answer = QMessageBox.question(QApplication.activeWindow(), "pmodesk",
                                  f"{message}\n\nOverwrite their change with yours? (No keeps theirs and reloads.)",
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
