"""The store: the one way into a portfolio file.

``Store.open`` checks and opens a file (see :mod:`pmodesk.store.opening`), holds its edit lock and
migrates an older schema after a backup. Every edit (``insert``, ``update``, ``delete`` or a block
under ``edit()``) is one committed transaction carrying an audit entry per changed field.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from pmodesk.atomic import atomic_destination, fsync_directory, usual_mode
from pmodesk.domain import model
from pmodesk.domain.money import MoneyError, minor_unit
from pmodesk.store import journal, opening
from pmodesk.store.changes import Changes, Reloaded
from pmodesk.store.errors import (
    DocumentReplaced,
    FileRefused,
    InvalidEdit,
    NotSaved,
    ReadOnly,
    StoreError,
    TargetExists,
)
from pmodesk.store.lock import EditLock
from pmodesk.store.schema import APPLICATION_ID, CURRENT_VERSION, ddl_up_to, migration_ddl, statements
from pmodesk.store.tables import SPECS, TABLES, FieldError, display, from_db, to_db

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _sql_error(error: BaseException, path: Path) -> StoreError:
    """Translate a database error raised during an edit into what the user is told."""
    orig = getattr(error, "orig", error)
    text = str(orig)
    if opening.is_busy(orig):
        return opening.in_use(path, "saved")
    if isinstance(orig, sqlite3.IntegrityError):
        if "UNIQUE" in text:
            return InvalidEdit(f"Not saved: that would duplicate an existing entry ({text.split(':', 1)[-1].strip()}).")
        if "FOREIGN KEY" in text:
            return InvalidEdit("Not saved: that refers to something that does not exist or is still in use.")
        return InvalidEdit(f"Not saved: the value breaks a rule of the file ({text}).")
    if isinstance(orig, sqlite3.OperationalError) and "readonly" in text:
        return ReadOnly("Not saved: the file is open read-only.")
    return NotSaved(f"Not saved: {opening.failure_cause(orig)}; {path.name} is unchanged.")


class Store:
    """An open portfolio file. Use :meth:`open` or :meth:`create`; close it (or use ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, status: opening.OpenStatus,
                 lock: EditLock | None, clock: Clock):
        self.path = path
        self.status = status
        self._raw = conn
        self._lock = lock
        self._clock = clock
        self._mutex = threading.RLock()
        self._changes = Changes()  # what committed edits touched, until a window takes it
        # A descriptor of our own on the file, to read its header at the start of each write
        # transaction (opening and closing one then would drop SQLite's locks of this process).
        self._fd: int | None = None
        self._identity: tuple | None = None
        if not status.read_only:
            self._fd = os.open(path, os.O_RDONLY)
            self._identity = self._current_identity()
        self.engine: Engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

        @event.listens_for(self.engine, "begin")
        def _begin(connection: Connection) -> None:
            # Edits take the write lock up front so they never fail half-way on a busy file;
            # reads start a deferred transaction: a consistent snapshot that blocks nobody.
            writing = connection.get_execution_options().get("pmodesk_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        self.currency = self._read_currency()

    # ----------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, clock: Clock = _utc_now) -> "Store":
        """Open an existing portfolio file; raise :class:`FileRefused` (file untouched) if unsafe.

        If another process holds the edit lock, the file opens read-only and ``status`` says who; a
        read-only file or folder opens read-only too. The lock and the journal belong to the file
        itself: a symbolic link is followed first, and a hard link finds the lock of its other name.
        """
        path = opening.resolved(Path(path))
        header = opening.read_header(path)
        opening.refuse_wal(path, header)
        status = opening.OpenStatus(path=path, read_only=read_only)
        if not read_only:
            reason = opening.unwritable_reason(path)
            if reason is not None:
                status.read_only, status.read_only_reason = True, reason
        # The journal is judged before this process touches the lock: a crashed session's lock
        # record is part of the evidence.
        prior = EditLock(path)
        prior_holder = prior.read_holder()
        verdict = journal.examine(path, header.raw, prior_holder,
                                  prior_holder is not None and prior.is_stale(prior_holder))
        lock: EditLock | None = None
        if not status.read_only:
            lock = EditLock(path)
            try:
                holder = lock.acquire()
            except OSError as error:
                holder, lock = None, None
                status.read_only = True
                status.read_only_reason = f"the folder cannot be written ({error.strerror or error})"
            if holder is not None:
                lock = None
                status.read_only, status.lock_holder = True, holder
        conn: sqlite3.Connection | None = None
        try:
            if verdict is journal.Verdict.OURS and status.read_only:
                conn, version = cls._recover_privately(path)
                status.recovered_privately = True
            else:
                if verdict is journal.Verdict.OURS:
                    status.recovery_copy = journal.keep_copies(path).resolve()
                status.recovered = not status.read_only and verdict in (journal.Verdict.OURS,
                                                                        journal.Verdict.UNFINISHED)
                conn, version = cls._checked_connection(path, header.user_version, status.read_only,
                                                        recover=verdict is journal.Verdict.OURS)
            if version < CURRENT_VERSION:
                conn = cls._migrate(path, conn, version, status)
            if not status.read_only:
                opening.set_durability(conn)
        except BaseException:
            if conn is not None:
                conn.close()
            if lock is not None:
                lock.release()
            raise
        return cls(path, conn, status, lock, clock)

    @staticmethod
    def _checked_connection(path: Path, version: int, read_only: bool, *,
                            recover: bool = False) -> tuple[sqlite3.Connection, int]:
        conn = opening.connect_or_refuse(path, read_only=read_only)
        try:
            if recover:
                # The first read plays our own journal back (judged ours by journal.examine); the
                # header is read again because the rollback may restore an older schema version.
                try:
                    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                except sqlite3.DatabaseError as error:
                    if opening.is_busy(error):
                        raise opening.in_use(path) from None
                    raise FileRefused(f"{path.name} could not be recovered after an unexpected exit "
                                      f"({opening.failure_cause(error)}).", "damaged") from None
                version = opening.read_header(path).user_version
            opening.verify(conn, path, version)
        except BaseException:
            conn.close()
            raise
        return conn, version

    @staticmethod
    def _recover_privately(path: Path) -> tuple[sqlite3.Connection, int]:
        """Play our own hot journal on a private copy, leaving the folder exactly as it was found.

        Read-only commands and windows show the recovered file; the next read-write open recovers
        the file itself (with its byte copies first).
        """
        with tempfile.TemporaryDirectory(prefix="pmodesk-recovery-") as folder:
            copy = Path(folder) / path.name
            try:
                shutil.copyfile(path, copy)
                shutil.copyfile(journal.journal_path(path), journal.journal_path(copy))
            except OSError as error:
                raise FileRefused(f"{path.name} needs recovery after an unexpected exit and could not be copied "
                                  f"to recover it privately ({opening.failure_cause(error)}).", "unreadable") from None
            version = opening.read_header(copy).user_version
            conn, version = Store._checked_connection(copy, version, False, recover=True)
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            try:
                conn.backup(memory)
            finally:
                conn.close()
            opening.harden(memory)
        return memory, version

    @staticmethod
    def _migrate(path: Path, conn: sqlite3.Connection, version: int,
                 status: opening.OpenStatus) -> sqlite3.Connection:
        """Bring a file up to the current schema, one atomic step per version.

        Writable: a byte copy of the original is written beside it first. Read-only: the file is
        migrated in a private in-memory copy and the original is never written.
        """
        if status.read_only:
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.backup(memory)
            conn.close()
            opening.harden(memory)
            conn = memory
        else:
            backup = path.with_name(f"{path.stem}.v{version}-backup{path.suffix}")
            n = 1
            while backup.exists():
                n += 1
                backup = path.with_name(f"{path.stem}.v{version}-backup-{n}{path.suffix}")
            _copy_atomically(path, backup)
            status.backup_path = backup.resolve()
        for target in range(version + 1, CURRENT_VERSION + 1):
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in statements(migration_ddl(target)):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target:d}")
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                conn.execute("ROLLBACK") if conn.in_transaction else None
                raise NotSaved(f"{path.name} could not be upgraded ({error}); the file is unchanged.") from None
        status.migrated_from = version
        return conn

    @classmethod
    def create(cls, path: str | Path, portfolio: model.Portfolio, *, replace_existing: bool = False,
               clock: Clock = _utc_now, populate: Callable[["Store"], None] | None = None) -> "Store":
        """Write a new portfolio file atomically: built in a temporary file, then renamed into place.

        ``populate`` may fill the new store before it is moved into place, so a half-written
        portfolio is never left at ``path``.
        """
        path = Path(path)
        minor_unit(portfolio.currency)  # refuse a currency without a minor unit up front
        if path.exists() and not replace_existing:
            raise TargetExists(f"{path.name} already exists; it was not replaced.")
        if path.exists():
            holder = EditLock(path).read_holder()
            if holder is not None and not EditLock(path).is_stale(holder):
                raise TargetExists(f"{path.name} is being edited by {holder.describe()}; it was not replaced.")
            leftover = journal.journal_path(path.resolve())
            try:
                hot = leftover.read_bytes()[:1] not in (b"", b"\0")
            except OSError:
                hot = False
            if hot:
                # The new file would find the old file's journal beside it and be refused.
                raise TargetExists(f"{path.name} was not replaced because an unfinished edit left {leftover.name} "
                                   f"beside it; open {path.name} once so it is recovered, then replace it.")
        directory = path.resolve().parent
        try:
            fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=directory)
        except OSError as error:
            raise NotSaved(f"{path.name} cannot be written: {error.strerror or error}.") from None
        temp = Path(temp_name)
        try:
            os.close(fd)
            temp.unlink()
            conn = sqlite3.connect(temp.as_uri() + "?mode=rwc", uri=True, isolation_level=None)
            try:
                opening.harden(conn)
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("BEGIN IMMEDIATE")
                for script in ddl_up_to(CURRENT_VERSION):
                    for statement in statements(script):
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
                conn.execute(f"PRAGMA user_version = {CURRENT_VERSION:d}")
                conn.execute("COMMIT")
            finally:
                conn.close()
            status = opening.OpenStatus(path=temp)
            store = cls(temp, opening.connect(temp, read_only=False), status, None, clock)
            store.currency = portfolio.currency
            try:
                with store.edit(audit=False) as edit:
                    edit.insert(replace(portfolio, id=1))
                if populate is not None:
                    populate(store)
            finally:
                store.close()
            os.chmod(temp, usual_mode(path))  # a replaced portfolio keeps its mode
            fsync_directory(directory)
            temp.replace(path)
            fsync_directory(directory)
        except sqlite3.DatabaseError as error:
            raise NotSaved(f"{path.name} could not be written ({error}).") from None
        except OSError as error:
            raise NotSaved(f"{path.name} could not be written: {error.strerror or error}.") from None
        finally:
            temp.unlink(missing_ok=True)
            temp.with_name(temp.name + "-journal").unlink(missing_ok=True)
        return cls.open(path, clock=clock)

    def close(self) -> None:
        with self._mutex:
            if self._raw is None:
                return
            self.engine.dispose()
            self._raw.close()
            self._raw = None
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self.status.read_only

    def _read_currency(self) -> str:
        try:
            row = self._raw.execute("SELECT currency FROM portfolio WHERE id = 1").fetchone()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            self.close()
            raise self._read_error(error) from None
        return row[0] if row else "GBP"

    # ----------------------------------------------------------------------------- reading
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot for a group of reads."""
        with self._mutex, self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def reading_records(self) -> Iterator[Connection]:
        """:meth:`reading` for reading many records: hundreds of thousands of small immutable records
        and no cycles among them, so the cyclic garbage collector rests (it would rescan them over and
        over while they are being built), and a damaged or unreadable portfolio is one StoreError."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            with self.reading() as connection:
                yield connection
        except FileRefused as error:
            raise FileRefused(f"{self.path.name} is damaged: {error}.", error.why) from None
        except (sqlite3.DatabaseError, DBAPIError, UnicodeDecodeError) as error:
            raise self._read_error(error) from None
        finally:
            if collecting:
                gc.enable()

    def load(self) -> model.PortfolioData:
        from pmodesk.store.loader import load_portfolio

        with self.reading_records() as connection:
            return load_portfolio(connection, self.currency)

    def take_changes(self) -> Changes:
        """What the edits committed through this store touched since the last call (and forget it)."""
        with self._mutex:
            changes, self._changes = self._changes, Changes()
        return changes

    def reload(self, previous: model.PortfolioData, changes: Changes) -> Reloaded:
        """The portfolio after ``changes``, reading only the rows of the initiatives they touched.

        ``previous`` must be what :meth:`load` (or this method) gave before those changes; the answer
        equals what :meth:`load` would give now. Changes that reach every initiative (``everything``)
        read the whole portfolio.
        """
        from pmodesk.store.loader import load_changed

        if changes.everything:
            return Reloaded(self.load(), None)
        with self.reading_records() as connection:
            reloaded = load_changed(connection, self.currency, previous, changes)
            self._reloaded(connection, reloaded)
        return reloaded

    def _reloaded(self, connection: Connection, reloaded: Reloaded) -> None:
        """Called inside :meth:`reload`'s snapshot (a server store notes the row versions it saw)."""

    def _read_error(self, error: BaseException) -> StoreError:
        """A database error met while reading, as one sentence: in use, oversized, not UTF-8, damaged."""
        orig = getattr(error, "orig", error)
        name = self.path.name
        if opening.is_busy(orig):
            return opening.in_use(self.path, "read")
        text = str(orig)
        if "too big" in text or getattr(orig, "sqlite_errorcode", 0) == 18:
            return FileRefused(f"{name} was refused because it contains oversized data (a text or value larger "
                               f"than {opening.MAX_VALUE_BYTES // 1_000_000} MB).", "damaged")
        if "UTF-8" in text or "utf-8" in text:
            return FileRefused(f"{name} is damaged: it holds text that is not valid UTF-8.", "damaged")
        return FileRefused(f"{name} is damaged: {opening.one_line(text)}.", "damaged")

    def audit_entries(self) -> list[model.AuditEntry]:
        spec = SPECS["audit_entry"]
        try:
            with self.reading() as connection:
                rows = connection.execute(select(spec.table).order_by(spec.table.c.id)).all()
        except (sqlite3.DatabaseError, DBAPIError, UnicodeDecodeError) as error:
            raise self._read_error(error) from None
        return [model.AuditEntry(**{c: from_db(k, r._mapping[c], self.currency) for c, k in spec.fields.items()})
                for r in rows]

    def schema_version(self) -> int:
        return self._raw.execute("PRAGMA user_version").fetchone()[0]

    def integrity_problems(self) -> list[str]:
        """``PRAGMA integrity_check`` and foreign-key check findings; empty when the file is sound."""
        with self._mutex:
            try:
                result = [r[0] for r in self._raw.execute("PRAGMA integrity_check").fetchall()]
                problems = [] if result == ["ok"] else result
                for table, rowid, parent, _ in self._raw.execute("PRAGMA foreign_key_check").fetchall():
                    problems.append(f"{table} row {rowid} refers to a missing {parent}")
            except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
                raise self._read_error(error) from None
        return problems

    def check_damage(self) -> None:
        """The full ``integrity_check`` (which sees damage ``quick_check`` misses, such as an index
        that disagrees with its table); raise :class:`FileRefused` when the file is damaged."""
        with self._mutex:
            try:
                result = [r[0] for r in self._raw.execute("PRAGMA integrity_check(20)").fetchall()]
            except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
                raise self._read_error(error) from None
        if result != ["ok"]:
            more = f" and {len(result) - 1} more" if len(result) > 1 else ""
            raise FileRefused(f"{self.path.name} is damaged: the full database check found "
                              f"{opening.one_line(result[0])}{more}.",
                              "damaged")

    # ----------------------------------------------------------------------------- editing
    @contextmanager
    def edit(self, *, audit: bool = True) -> Iterator["Edit"]:
        """One committed transaction: everything inside is saved together or not at all.

        A failed write (disk full, an I/O error) is rolled back on the same connection before it is
        reported, so the file keeps its content and size and no hot journal is left behind.
        """
        if self.read_only:
            raise ReadOnly(self.read_only_message())
        with self._mutex:
            try:
                with self.engine.connect().execution_options(pmodesk_write=True) as connection:
                    with connection.begin():
                        self._check_identity()
                        edit = Edit(self, connection, audit)
                        yield edit
                self._changes.merge(edit.changes)
                if self._fd is not None:  # committed: our own write changed size and header
                    self._identity = self._current_identity()
            except DBAPIError as error:
                self._roll_back()
                raise _sql_error(error, self.path) from None
            except (FieldError, MoneyError) as error:
                self._roll_back()
                raise InvalidEdit(f"Not saved: {error}.") from None
            except BaseException:
                self._roll_back()
                raise

    def _roll_back(self) -> None:
        # SQLite may keep a transaction open after a failed COMMIT (disk full): end it here, on the
        # same connection, so that its journal is played back now rather than left hot.
        if self._raw is None:
            return
        if self._raw.in_transaction:
            try:
                self._raw.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        # After an I/O error SQLite's pager stays in its error state and keeps the journal; the next
        # read on this connection plays it back and deletes it. Do that now, not at the next edit or
        # in another process.
        try:
            self._raw.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.Error:
            pass

    def _current_identity(self) -> tuple:
        stat = os.stat(self.path)
        return stat.st_dev, stat.st_ino, stat.st_size, os.pread(self._fd, 100, 0)

    def _check_identity(self) -> None:
        """Refuse to write if the file is no longer the one we opened and last saved.

        A sync client or ``cp`` may replace the file (new inode) or overwrite it in place (same
        inode, other size or header) while it is open; writing then would put our pages into
        another document. Called inside the write transaction, so no SQLite writer can change the
        file between this check and our writes.
        """
        if self._fd is None:
            return
        try:
            now = self._current_identity()
        except OSError:
            now = None
        if now != self._identity:
            raise DocumentReplaced(
                f"Not saved: {self.path.name} was replaced or changed by another program while it was open, "
                "so nothing was written to it; close it and open it again to see the file as it is now.")

    def read_only_message(self) -> str:
        if self.status.lock_holder is not None:
            return f"Not saved: {self.path.name} is being edited by {self.status.lock_holder.describe()}."
        return f"Not saved: {self.path.name} is open read-only."

    def insert(self, record: Any) -> int:
        with self.edit() as e:
            return e.insert(record)

    def update(self, entity: str, key: Any, **changes: Any) -> None:
        with self.edit() as e:
            e.update(entity, key, **changes)

    def delete(self, entity: str, key: Any) -> None:
        with self.edit() as e:
            e.delete(entity, key)

    # ----------------------------------------------------------------------------- copies
    def save_copy(self, destination: str | Path) -> Path:
        """Write a consistent copy through SQLite's backup API, to a temporary file then renamed."""
        destination = Path(destination)
        if destination.resolve() == self.path.resolve():
            raise TargetExists("A copy cannot replace the open file itself.")
        try:
            with atomic_destination(destination) as temp:
                temp.unlink()
                target = sqlite3.connect(temp, isolation_level=None)
                try:
                    with self._mutex:
                        self._raw.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
        except (OSError, sqlite3.DatabaseError) as error:
            raise NotSaved(f"The copy could not be written ({error}); nothing was left at {destination}.") from None
        return destination


class Edit:
    """The operations available inside one :meth:`Store.edit` transaction."""

    def __init__(self, store: Store, connection: Connection, audit: bool):
        self.store = store
        self.connection = connection
        self.audit_enabled = audit
        self.at = store._clock()
        self.changes = Changes()  # merged into the store's when the transaction commits

    def _audit(self, action: str, entity: str, entity_id: Any, field: str | None,
               old: str | None, new: str | None) -> None:
        if not self.audit_enabled:
            return
        self.connection.execute(insert(TABLES["audit_entry"]).values(
            at=self.at.isoformat(timespec="seconds"), action=action, entity=entity,
            entity_id=entity_id if isinstance(entity_id, int) else None, field=field,
            old_value=old, new_value=new))

    def _row(self, spec, values: dict[str, Any]) -> dict[str, Any]:
        currency = self.store.currency
        out = {}
        for column, value in values.items():
            if column not in spec.fields:
                raise FieldError(f"{spec.name} has no field {column!r}")
            try:
                out[column] = to_db(spec.fields[column], value, currency)
            except (FieldError, MoneyError) as error:
                raise FieldError(f"{spec.name} {column}: {error}") from None
        return out

    def insert(self, record: Any) -> int:
        """Store a new domain record (its ``id`` ignored unless given) and return its id."""
        spec = next(s for s in SPECS.values() if s.record is type(record))
        values = {f.name: getattr(record, f.name) for f in dataclass_fields(record) if f.name in spec.fields}
        if values.get("id") is None:
            values.pop("id", None)
        if spec.name == "measurement" and values.get("entered_at") is None:
            values["entered_at"] = self.at
        row = self._row(spec, values)
        result = self.connection.execute(insert(spec.table).values(**row))
        new_id = result.inserted_primary_key[0] if spec.key == ("id",) else None
        link_table = {"outcome": "outcome_output", "benefit": "benefit_output"}.get(spec.name)
        if link_table and getattr(record, "output_ids", ()):
            self.set_outputs(spec.name, new_id, record.output_ids, audit=False)
        if spec.name == "portfolio":
            self.store.currency = record.currency
        shown = {c: v for c, v in row.items() if v is not None}
        self.changes.note("insert", spec.name, new_id, None, row)
        self._audit("insert", spec.name, new_id, None, None, _compact(shown))
        return new_id

    def insert_many(self, records: list[Any]) -> None:
        """Store many new records of one kind in one statement (imports, generated portfolios).

        One audit entry records how many rows were added; ids are assigned by the file.
        """
        if not records:
            return
        spec = next(s for s in SPECS.values() if s.record is type(records[0]))
        if any(type(r) is not type(records[0]) or getattr(r, "output_ids", ()) for r in records):
            raise ValueError("insert_many takes records of one kind without output links")
        rows = []
        for record in records:
            values = {c: getattr(record, c) for c in spec.fields if c != "id" or getattr(record, "id") is not None}
            if spec.name == "measurement" and values.get("entered_at") is None:
                values["entered_at"] = self.at
            rows.append(self._row(spec, values))
        self.connection.execute(insert(spec.table), rows)
        self.changes.everything = True
        self._audit("insert", spec.name, None, None, None, f"{len(rows)} rows")

    def update(self, entity: str, key: Any, **changes: Any) -> None:
        """Change fields of one row; one audit entry per field whose value really changes."""
        spec = SPECS[entity]
        if "currency" in changes and entity == "portfolio":
            self._change_currency(changes.pop("currency"))
        if not changes:
            return
        where = self._where(spec, key)
        old = self.connection.execute(select(spec.table).where(*where)).first()
        if old is None:
            raise InvalidEdit(f"Not saved: that {entity.replace('_', ' ')} no longer exists.")
        row = self._row(spec, changes)
        changed = {c: v for c, v in row.items() if old._mapping[c] != v}
        if not changed:
            return
        self.connection.execute(update(spec.table).where(*where).values(**changed))
        self.changes.note("update", entity, key, old._mapping, changed)
        currency = self.store.currency
        for column, value in changed.items():
            kind = spec.fields[column]
            before = display(kind, from_db(kind, old._mapping[column], currency), currency)
            after = display(kind, from_db(kind, value, currency), currency)
            self._audit("update", entity, key, column, before, after)

    def delete(self, entity: str, key: Any) -> None:
        spec = SPECS[entity]
        where = self._where(spec, key)
        old = self.connection.execute(select(spec.table).where(*where)).first()
        if old is None:
            return
        self.connection.execute(delete(spec.table).where(*where))
        self.changes.note("delete", entity, key, old._mapping, None)
        self._audit("delete", entity, key, None, _compact({k: v for k, v in old._mapping.items() if v is not None}), None)

    def set_outputs(self, entity: str, entity_id: int, output_ids: tuple[int, ...], *, audit: bool = True) -> None:
        """Replace the outputs an outcome or benefit depends on (the benefit dependency chain)."""
        table = TABLES[f"{entity}_output"]
        owner = table.c[f"{entity}_id"]
        before = sorted(r[0] for r in self.connection.execute(select(table.c.output_id).where(owner == entity_id)))
        after = sorted(set(output_ids))
        if before == after:
            return
        self.connection.execute(delete(table).where(owner == entity_id))
        if after:
            self.connection.execute(insert(table), [{f"{entity}_id": entity_id, "output_id": o} for o in after])
        self.changes.note("update", f"{entity}_output", None, None, {f"{entity}_id": entity_id})
        if audit:
            self._audit("update", entity, entity_id, "outputs", _compact(before), _compact(after))

    def _where(self, spec, key: Any) -> list:
        keys = key if isinstance(key, tuple) else (key,)
        return [spec.table.c[column] == value for column, value in zip(spec.key, keys, strict=True)]

    def _change_currency(self, currency: str) -> None:
        """Change the portfolio currency, rescaling stored minor units so amounts keep their value."""
        old_digits, new_digits = minor_unit(self.store.currency), minor_unit(currency)
        if currency == self.store.currency:
            return
        money_columns = [(s, c) for s in SPECS.values() for c, k in s.fields.items() if k == "money"]
        if new_digits != old_digits:
            factor = 10 ** abs(new_digits - old_digits)
            for spec, column in money_columns:
                col = spec.table.c[column]
                if new_digits < old_digits:
                    bad = self.connection.execute(select(col).where(col.is_not(None), col % factor != 0)).first()
                    if bad is not None:
                        raise InvalidEdit(f"Not saved: amounts have more decimals than {currency} allows.")
                    self.connection.execute(update(spec.table).where(col.is_not(None)).values({column: col / factor}))
                else:
                    self.connection.execute(update(spec.table).where(col.is_not(None)).values({column: col * factor}))
        old_currency = self.store.currency
        self.changes.everything = True
        self.connection.execute(update(TABLES["portfolio"]).where(TABLES["portfolio"].c.id == 1).values(currency=currency))
        self.store.currency = currency
        self._audit("update", "portfolio", 1, "currency", old_currency, currency)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _copy_atomically(source: Path, destination: Path) -> None:
    temp = destination.with_name(f".{destination.name}.tmp")
    try:
        shutil.copyfile(source, temp)
        shutil.copymode(source, temp)  # a private portfolio's backup stays private
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        temp.replace(destination)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise NotSaved(f"The backup copy {destination.name} could not be written ({error}); nothing was changed.") from None
