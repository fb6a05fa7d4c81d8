"""What can go wrong when opening or editing a portfolio file, as exceptions the UI and CLI show.

Each carries one clear sentence (``str(error)``) and the command-line exit code of DESIGN.md
section 13, so no caller needs to know the store's internals.
"""

from __future__ import annotations


class StoreError(Exception):
    exit_code = 6


class FileRefused(StoreError):
    """The file was not opened and has not been modified (exit 3)."""

    exit_code = 3

    # why: not-found, not-sqlite, not-pmodesk, newer-version, damaged, hostile, wal
    def __init__(self, message: str, why: str):
        super().__init__(message)
        self.why = why


class TargetExists(StoreError):
    """The target exists and replacing it was not asked for (exit 5)."""

    exit_code = 5


class LockedByOther(StoreError):
    """Another user or process holds the edit lock, so the file is read-only here (exit 5)."""

    exit_code = 5


class InUse(StoreError):
    """Another program holds SQLite's lock on the file (an open transaction, an antivirus): exit 5."""

    exit_code = 5


class DocumentReplaced(StoreError):
    """The file was replaced or overwritten by another program while it was open; nothing was
    written into the other document (exit 5)."""

    exit_code = 5


class ReadOnly(StoreError):
    """An edit was attempted on a file opened read-only (exit 5)."""

    exit_code = 5


class NotSaved(StoreError):
    """An I/O error (disk full, permission denied) stopped an edit; nothing was changed (exit 6)."""

    exit_code = 6


class InvalidEdit(StoreError):
    """The edit breaks a rule of the file (a constraint); nothing was changed (exit 4)."""

    exit_code = 4
