"""An open server portfolio hears other people's changes (DESIGN.md section 16: LISTEN/NOTIFY).

Every two seconds the window asks the store's change watcher (it never blocks); when someone else
changed the portfolio the figures are reloaded in place — the undo history of the user's own edits
is kept — and the status bar names the database users who made the changes (from the audit trail);
a lost connection is shown in the status bar until it is back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 2000


class ServerChanges(QObject):
    def __init__(self, window, store, interval_ms: int = INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self.store = store
        self.watcher = store.watch_changes()
        self.seen_audit_id = 0
        self.seen_audit_id = self._editors()[0]  # changes made before the window opened are not news
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
            self.seen_audit_id, users = self._editors()
            if heard.reconnected:
                bar.showMessage("Reconnected to the server; the portfolio was reloaded.", 8000)
                return
            who = f"{', '.join(users[:-1])} and {users[-1]}" if len(users) > 1 else (users[0] if users else "others")
            bar.showMessage(f"Updated with changes made by {who}.", 8000)

    def _editors(self) -> tuple[int, list[str]]:
        """The newest audit entry and who made the entries since the last look (none if it cannot be read)."""
        from pmodesk.store.errors import StoreError

        try:
            return self.store.editors_since(self.seen_audit_id)
        except StoreError:
            return self.seen_audit_id, []

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()


def watch(window, store) -> ServerChanges | None:
    """A watcher for a server portfolio; None for a file (its edit lock keeps others out)."""
    return ServerChanges(window, store) if hasattr(store, "watch_changes") else None
