"""An open server portfolio hears other people's changes (DESIGN.md section 16: LISTEN/NOTIFY).

Every two seconds the window asks the store's change watcher (it never blocks); when someone else
changed the portfolio the figures are reloaded in place — the undo history of the user's own edits
is kept — and a lost connection is shown in the status bar until it is back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 2000


class ServerChanges(QObject):
    def __init__(self, window, store, interval_ms: int = INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self.watcher = store.watch_changes()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)

    def poll(self) -> None:
        heard = self.watcher.poll()
        bar = self.window.statusBar()
        if heard.lost:
            bar.showMessage(heard.lost)
            return
        if heard.reload:
            from pmodesk.store.errors import StoreError

            try:
                self.window.recompute(reload=True)
            except StoreError as error:  # the server went away again: say so; the next poll retries
                self.watcher.start_over()
                bar.showMessage(str(error))
                return
            bar.showMessage("Reconnected to the server; the portfolio was reloaded." if heard.reconnected
                            else "Updated with changes made by others.", 8000)

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()


def watch(window, store) -> ServerChanges | None:
    """A watcher for a server portfolio; None for a file (its edit lock keeps others out)."""
    return ServerChanges(window, store) if hasattr(store, "watch_changes") else None
