"""Opening a portfolio file safely: the only SQLite-specific part of the store.

Every file opened is untrusted (DESIGN.md section 3). Before SQLite sees it, the 100-byte header
is checked by hand; the connection is made through a ``file:`` URI with ``mode=rw``/``mode=ro``
(a mistyped path never creates a file); ``trusted_schema`` is off, an authorizer refuses any
statement run from inside a trigger or view, lengths are limited, and ``sqlite_schema`` is compared
with the frozen schema before any application query. A refused file is left byte-for-byte as it was.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmodesk.store.errors import FileRefused, InUse
if TYPE_CHECKING:  # only named in annotations: the read path need not import the lock (uuid, socket)
    from pmodesk.store.lock import LockInfo
from pmodesk.store.schema import (
    APPLICATION_ID,
    CURRENT_VERSION,
    OLDEST_MIGRATABLE_VERSION,
    read_schema,
    schema_differences,
)

SQLITE_MAGIC = b"SQLite format 3\x00"

# How long to wait for another program's lock on the file (an open transaction, a virus scanner)
# before saying the file is in use: long enough for a passing reader, short enough to answer soon.
BUSY_SECONDS = 3.0
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL, _SQLITE_IOERR, _SQLITE_TOOBIG = 5, 6, 13, 10, 18


@dataclass
class OpenStatus:
    """What the UI shows about an opened file (read-only banner, migration, recovery)."""

    path: Path
    read_only: bool = False
    lock_holder: LockInfo | None = None
    read_only_reason: str | None = None
    migrated_from: int | None = None
    backup_path: Path | None = None
    recovered: bool = False
    recovered_privately: bool = False  # read-only: shown as recovered, the file itself left as found
    recovery_copy: Path | None = None  # the byte copy taken before our own journal was played
    notes: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out = []
        if self.lock_holder is not None:
            out.append(f"Read-only: {self.path.name} is being edited by {self.lock_holder.describe()}.")
        elif self.read_only and self.read_only_reason:
            out.append(f"Read-only: {self.read_only_reason}.")
        if self.recovered:
            kept = f" A copy of the file as the crash left it is at {self.recovery_copy}." if self.recovery_copy else ""
            out.append("The file was recovered after an unexpected exit; the edit in flight was not kept." + kept)
        if self.recovered_privately:
            out.append("The file was left by an unexpected exit; it is shown as recovered, and the file itself "
                       "will be recovered when it is next opened for editing.")
        if self.migrated_from is not None:
            where = f" A copy of the original is at {self.backup_path}." if self.backup_path else ""
            out.append(f"The file was upgraded from schema version {self.migrated_from} to {CURRENT_VERSION}.{where}")
        return out + self.notes


@dataclass(frozen=True)
class Header:
    page_size: int
    journal_is_wal: bool
    user_version: int
    application_id: int
    raw: bytes = b""


def resolved(path: Path) -> Path:
    """The file itself behind any symbolic links: its lock, journal and identity are the file's."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        raise FileRefused(f"{path.name} cannot be opened: its path cannot be resolved (a loop of links?).",
                          "not-found") from None


def read_header(path: Path) -> Header:
    """Check the SQLite header by hand; raise :class:`FileRefused` for anything not ours."""
    name = path.name
    if not path.exists():
        raise FileRefused(f"There is no file {path}.", "not-found")
    if not path.is_file():
        raise FileRefused(f"{path} is not a file.", "not-sqlite")
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as error:
        raise FileRefused(f"{name} cannot be read: {error.strerror or error}.", "unreadable") from None
    if not head:
        raise FileRefused(f"{name} is empty (0 bytes), so it is not a pmodesk portfolio file.", "not-sqlite")
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise FileRefused(f"{name} is not a pmodesk portfolio file (it is not an SQLite database).", "not-sqlite")
    (page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if page_size == 1 else page_size
    write_version, read_version = head[18], head[19]
    (user_version,) = struct.unpack(">i", head[60:64])
    (application_id,) = struct.unpack(">i", head[68:72])
    if page_size < 512 or page_size & (page_size - 1) or write_version not in (1, 2) or read_version not in (1, 2):
        raise FileRefused(f"{name} is damaged: its SQLite header is not valid.", "damaged")
    if application_id != APPLICATION_ID:
        raise FileRefused(f"{name} is an SQLite database but not a pmodesk portfolio file.", "not-pmodesk")
    if user_version > CURRENT_VERSION:
        raise FileRefused(
            f"{name} was written by a newer pmodesk (schema version {user_version}); "
            f"this pmodesk reads schema versions up to {CURRENT_VERSION}.",
            "newer-version",
        )
    if user_version < OLDEST_MIGRATABLE_VERSION:
        raise FileRefused(f"{name} is damaged: it carries no pmodesk schema version.", "damaged")
    return Header(page_size, write_version == 2 or read_version == 2, user_version, application_id, head)


def refuse_wal(path: Path, header: Header) -> None:
    if header.journal_is_wal:
        raise FileRefused(
            f"{path.name} is in write-ahead-log (WAL) mode, which pmodesk never writes; "
            "it was not opened so that no committed data is lost.",
            "wal",
        )
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise FileRefused(
            f"{path.name} has a write-ahead log beside it ({wal.name}) that may hold committed data; "
            "it was not opened so that nothing is lost.",
            "wal",
        )


# Action codes of sqlite3_set_authorizer (sqlite3.h); the sqlite3 module does not name them all.
_SQLITE_ATTACH = 24
_SQLITE_DETACH = 25


def _authorizer(action: int, arg1, arg2, db_name, trigger_or_view) -> int:
    # Nothing pmodesk runs ever fires a trigger or reads through a view: if a statement comes from
    # inside one, the file carries code we did not write. The schema check refuses such files
    # first; this is the second line (Python 3.11 has no setconfig for DEFENSIVE mode).
    if trigger_or_view is not None:
        return sqlite3.SQLITE_DENY
    if action in (_SQLITE_ATTACH, _SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


# No text or blob in a portfolio comes near this; a larger one is refused as oversized data.
MAX_VALUE_BYTES = 4_000_000

_LIMITS = {
    "SQLITE_LIMIT_LENGTH": MAX_VALUE_BYTES,
    "SQLITE_LIMIT_SQL_LENGTH": 1_000_000,
    "SQLITE_LIMIT_COLUMN": 200,
    "SQLITE_LIMIT_EXPR_DEPTH": 200,
    "SQLITE_LIMIT_COMPOUND_SELECT": 50,
    "SQLITE_LIMIT_ATTACHED": 0,
    "SQLITE_LIMIT_TRIGGER_DEPTH": 1,
}


def harden(conn: sqlite3.Connection) -> None:
    conn.set_authorizer(_authorizer)
    if hasattr(conn, "setlimit"):
        for name, value in _LIMITS.items():
            category = getattr(sqlite3, name, None)
            if category is not None:
                conn.setlimit(category, value)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    conn.execute("PRAGMA foreign_keys = ON")


def unwritable_reason(path: Path) -> str | None:
    """Why an edit of ``path`` would fail before any is tried: a read-only file or folder."""
    folder = path.parent
    if not os.access(path, os.W_OK):
        return f"{path.name} is a read-only file"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "the folder cannot be written"
    try:  # a read-only mount answers os.access for root too, but check the file system itself
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"{path.name} is on a read-only drive"
    except (OSError, AttributeError):
        pass
    return None


def is_busy(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "database is locked" in str(error) or "database table is locked" in str(error)


def in_use(path: Path, doing: str = "opened") -> InUse:
    return InUse(f"{path.name} is in use by another program, so it was not {doing}; "
                 "try again once that program has closed it.")


def failure_cause(error: BaseException) -> str:
    """The cause of a failed write, in the user's words ("the disk is full")."""
    code = getattr(error, "sqlite_errorcode", None)
    number = getattr(error, "errno", None)
    if (code is not None and code & 0xFF == _SQLITE_FULL) or number in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full"
    if (code is not None and code & 0xFF == _SQLITE_IOERR) or number == errno.EIO:
        return "the disk reported an input/output error"
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission was denied"
    if code is not None and code & 0xFF == _SQLITE_TOOBIG:
        return "a value is larger than a portfolio file allows"
    return str(getattr(error, "strerror", None) or error)


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS)
    try:
        harden(conn)
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def connect_or_refuse(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """:func:`connect`, a file another program holds being "in use" and any other failure one
    :class:`FileRefused` sentence."""
    try:
        return connect(path, read_only=read_only)
    except sqlite3.DatabaseError as error:
        if is_busy(error):
            raise in_use(path) from None
        raise FileRefused(f"{path.name} cannot be opened: {error}.", "damaged") from None


def verify(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """The schema allowlist, then ``quick_check``; raise :class:`FileRefused` on any difference."""
    name = path.name
    try:
        actual = read_schema(conn)
    except sqlite3.DatabaseError as error:
        if is_busy(error):
            raise in_use(path) from None
        raise FileRefused(f"{name} is damaged: its schema cannot be read ({one_line(str(error))}).",
                          "damaged") from None
    except UnicodeDecodeError:
        raise FileRefused(f"{name} is damaged: its schema holds text that is not valid UTF-8.", "damaged") from None
    problems = schema_differences(actual, version)
    if problems:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        raise FileRefused(
            f"{name} was refused because it holds schema objects pmodesk did not create ({shown}).",
            "hostile",
        )
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        if is_busy(error):
            raise in_use(path) from None
        raise FileRefused(f"{name} is damaged: {one_line(str(error))}.", "damaged") from None
    except UnicodeDecodeError:
        raise FileRefused(f"{name} is damaged: the database check found text that is not valid UTF-8.",
                          "damaged") from None
    if result != ["ok"]:
        raise FileRefused(f"{name} is damaged: the database check failed ({one_line(result[0])}).", "damaged")


def one_line(finding: str) -> str:
    """An SQLite check finding on one line, without its '*** in database main ***' preamble."""
    return " ".join(finding.replace("*** in database main ***", "").split())


def set_durability(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if mode.lower() != "delete":
        raise FileRefused("the file could not be put in rollback-journal mode.", "wal")
    conn.execute("PRAGMA synchronous = FULL")
