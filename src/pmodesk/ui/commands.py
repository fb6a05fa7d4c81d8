"""QUndoCommand adapters over :mod:`pmodesk.commands`: the undo stack's text and state, nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QUndoCommand

from pmodesk.store.errors import StoreError

if TYPE_CHECKING:
    from pmodesk.store import Store


class StoreCommand(QUndoCommand):
    """Runs a core command against the store; on failure the error is reported and nothing changes."""

    def __init__(self, store: "Store", command, on_change: Callable[[], None], on_error: Callable[[str], None]):
        super().__init__(command.text)
        self.store, self.command, self.on_change, self.on_error = store, command, on_change, on_error
        self.failed = False

    def redo(self) -> None:
        try:
            self.command.apply(self.store)
        except StoreError as error:
            self.failed = True
            self.setObsolete(True)
            self.on_error(str(error))
            return
        self.on_change()

    def undo(self) -> None:
        try:
            self.command.revert(self.store)
        except StoreError as error:
            self.on_error(str(error))
            return
        self.on_change()
