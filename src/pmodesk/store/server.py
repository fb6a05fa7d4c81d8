"""The store on a PostgreSQL server (DESIGN.md section 16): the same tables, one schema per portfolio.

A server portfolio is one PostgreSQL schema holding the file's tables — built from the same
declarations (:mod:`pmodesk.store.tables`) through SQLAlchemy Core, with the keys, uniqueness,
defaults and cascades of the frozen file schema — plus ``pmodesk_schema``, whose one row is the
schema version (the file's ``user_version``). Money stays integer minor units (``bigint``) and
measure values stay decimal text, so the numbers are the file's exactly.

On top of the file's columns every server row carries ``row_version``, ``row_changed_by`` (the database
user) and ``row_changed_at``, kept by a trigger: an edit of a row whose version has moved on since this
store loaded it is a :class:`Conflict` naming who changed it and when, never a silent overwrite.
Statement-level triggers ``NOTIFY pmodesk_<portfolio>`` so open windows can hear of others' changes.

Access is the database's: :func:`setup_sql` makes the readers and editors roles; a write the server
refuses is reported as :class:`~pmodesk.store.errors.ReadOnly`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from pmodesk.domain import model
from pmodesk.domain.money import MoneyError, minor_unit
from pmodesk.store.changes import Changes
from pmodesk.store.errors import FileRefused, InvalidEdit, NotSaved, ReadOnly, StoreError
from pmodesk.store.location import ServerLocation
from pmodesk.store.opening import OpenStatus
from pmodesk.store.schema import CURRENT_VERSION
from pmodesk.store.server_schema import (
    VERSION_TABLE,
    create_tables,
    grant_sql,
    migrate,
    quoted,
    reset_sequences,
    role_names,
    roles_for_here,
    roles_serve_elsewhere,
    server_metadata,
    setup_sql,
    stored_version,
)
from pmodesk.store.store import Edit, Store, _utc_now
from pmodesk.store.tables import SPECS, FieldError

Clock = Callable[[], datetime]


class Conflict(StoreError):
    """Someone else changed the row since it was loaded here (exit 5); nothing was saved.

    Reload to see their change, or call :meth:`ServerStore.overwrite_after` and repeat the edit.
    """

    exit_code = 5

    def __init__(self, message: str, entity: str, key: Any, version: int, changed_by: str, changed_at: datetime):
        super().__init__(message)
        self.entity, self.key, self.version = entity, key, version
        self.changed_by, self.changed_at = changed_by, changed_at


# ------------------------------------------------------------------------------- the tables
def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", error)
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    return (lines[0] if lines else type(orig).__name__).rstrip(".")


PASSWORD_NEEDED = ("no password supplied", "password authentication failed")


def _connect_error(error: BaseException, where: ServerLocation) -> FileRefused:
    detail = _first_line(error)
    detail = detail.split(": FATAL:", 1)[-1].replace("FATAL:", "").strip()
    # "password": the server asks for a password libpq did not have (or had wrong); the window may ask for it.
    why = "password" if any(p in detail for p in PASSWORD_NEEDED) else "unreachable"
    if "no password supplied" in detail:
        detail = "the server asks for a password and libpq found none (in ~/.pgpass, PGPASSWORD or a service file)"
    return FileRefused(f"The server portfolio {where.label} cannot be opened: {detail}.", why)


def _edit_error(error: DBAPIError, store: "ServerStore") -> StoreError:
    import psycopg
    from psycopg import errors

    orig = error.orig
    detail = _first_line(error)
    if isinstance(orig, errors.InsufficientPrivilege):
        return ReadOnly(f"Not saved: the server refused the change because {store.user} may only read "
                        f"{store.location.label}.")
    if isinstance(orig, errors.UniqueViolation):
        return InvalidEdit("Not saved: that would duplicate an existing entry.")
    if isinstance(orig, errors.ForeignKeyViolation):
        return InvalidEdit("Not saved: that refers to something that does not exist or is still in use.")
    if isinstance(orig, (errors.IntegrityError, errors.DataError)):
        return InvalidEdit(f"Not saved: the value breaks a rule of the portfolio ({detail}).")
    if isinstance(orig, (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable)):
        return NotSaved("Not saved: someone else was changing the same records; try again.")
    if isinstance(orig, psycopg.OperationalError) or error.connection_invalidated:
        return NotSaved(f"Not saved: the connection to the server was lost ({detail}); the change was not made "
                        "and every earlier change is kept.")
    return NotSaved(f"Not saved: {detail}; the portfolio is unchanged.")


# ------------------------------------------------------------------------------- the store
class ServerStore(Store):
    """An open server portfolio with the public surface of :class:`Store`."""

    def __init__(self, location: ServerLocation, engine: Engine, status: OpenStatus, clock: Clock, user: str,
                 pinned: Connection | None = None, password: str | None = None):
        import threading

        self.location = location
        self._password = password  # only in memory, only for libpq's password parameter; never stored or shown
        self.path = Path(location.label)
        self.status = status
        self.user = user
        self._clock = clock
        self._mutex = threading.RLock()
        self._raw = None
        self._lock = None
        self._root_engine = engine
        self.engine = engine.execution_options(schema_translate_map={None: location.portfolio})
        self._pinned = pinned  # during create: every edit joins the one creating transaction
        # (entity, key) -> row_version as last loaded here, for rows whose version is not 1; None: not loaded.
        self._seen: dict[tuple[str, Any], int] | None = None
        self._own_pids: set[int] = set()  # server processes of our own edits: their notifications are ours
        self._changes = Changes()  # what committed edits touched, until a window takes it
        self.currency = self._read_currency()

    # ----------------------------------------------------------------------------- opening
    @staticmethod
    def _engine(location: ServerLocation, password: str | None = None) -> Engine:
        import psycopg

        params = location.conninfo()
        if password is not None:
            params["password"] = password
        params.setdefault("connect_timeout", "10")
        params.setdefault("application_name", "pmodesk")
        engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(**params),
                               pool_pre_ping=True, pool_size=2, max_overflow=4,
                               isolation_level="REPEATABLE READ")
        return engine

    @classmethod
    def _connected(cls, location: ServerLocation, password: str | None = None) -> tuple[Engine, str]:
        engine = cls._engine(location, password)
        try:
            with engine.connect() as connection:
                user = connection.execute(text("SELECT session_user")).scalar_one()
        except DBAPIError as error:
            engine.dispose()
            raise _connect_error(error, location) from None
        return engine, user

    @classmethod
    def open(cls, location: ServerLocation, *, read_only: bool = False, clock: Clock = _utc_now,
             password: str | None = None) -> "ServerStore":
        """Open a server portfolio; raise :class:`FileRefused` (exit 3) for a fault or a missing portfolio.

        ``password`` is for a window that asked its user once: it goes to libpq's password parameter only.
        """
        engine, user = cls._connected(location, password)
        try:
            name = location.portfolio
            with engine.connect() as connection:
                version = stored_version(connection, location)
                if version is None:
                    raise FileRefused(f"There is no portfolio {location.label} (no pmodesk portfolio in schema "
                                      f"{name!r}).", "not-found")
                if version > CURRENT_VERSION:
                    raise FileRefused(
                        f"The server portfolio {location.label} was written by a newer pmodesk (schema version "
                        f"{version}); this pmodesk reads schema versions up to {CURRENT_VERSION}.", "newer-version")
                if version < 1:
                    raise FileRefused(f"The server portfolio {location.label} carries no pmodesk schema version.",
                                      "damaged")
                owner, may_migrate = connection.execute(text(
                    "SELECT tableowner, pg_has_role(tableowner, 'USAGE') FROM pg_tables "
                    "WHERE schemaname = :s AND tablename = :t"), {"s": name, "t": VERSION_TABLE}).one()
                if version < CURRENT_VERSION and (read_only or not may_migrate):
                    raise FileRefused(
                        f"The server portfolio {location.label} has schema version {version} and this pmodesk needs "
                        f"{CURRENT_VERSION}: its owner ({owner}) must open it once to upgrade it.", "older-version")
            migrated_from = None
            if version < CURRENT_VERSION:
                with engine.connect().execution_options(isolation_level="READ COMMITTED") as connection, \
                        connection.begin():
                    migrated_from = migrate(connection, location)
            with engine.connect() as connection:
                may_edit = connection.execute(
                    text("SELECT has_table_privilege(:t, 'UPDATE')"), {"t": f"{quoted(name)}.initiative"}).scalar_one()
        except DBAPIError as error:
            engine.dispose()
            raise _connect_error(error, location) from None
        except BaseException:
            engine.dispose()
            raise
        status = OpenStatus(path=Path(location.label), read_only=read_only, migrated_from=migrated_from)
        if not read_only and not may_edit:
            status.read_only = True
            status.read_only_reason = f"{user} may only read {location.label}: the server gives {user} read-only rights"
        try:
            return cls(location, engine, status, clock, user, password=password)
        except DBAPIError as error:
            engine.dispose()
            raise _connect_error(error, location) from None

    @classmethod
    def create(cls, location: ServerLocation, portfolio: model.Portfolio, *, replace_existing: bool = False,
               clock: Clock = _utc_now, populate: Callable[["ServerStore"], None] | None = None,
               password: str | None = None) -> "ServerStore":
        """Create the portfolio's tables and fill them in one transaction: all or nothing.

        A schema that exists but holds no portfolio (as ``server-setup`` leaves it) is used as it is.
        """
        minor_unit(portfolio.currency)
        engine, user = cls._connected(location, password)
        name = location.portfolio
        try:
            with engine.connect().execution_options(isolation_level="READ COMMITTED") as connection:
                try:
                    with connection.begin():
                        create_tables(connection, location, replace_existing)
                        connection.execute(text(f"INSERT INTO {quoted(name)}.{VERSION_TABLE} (id, version) "
                                                f"VALUES (1, {CURRENT_VERSION:d})"))
                        store = cls(location, engine, OpenStatus(path=Path(location.label)), clock, user,
                                    pinned=connection)
                        store.currency = portfolio.currency
                        with store.edit(audit=False) as edit:
                            edit.insert(replace(portfolio, id=1))
                        if populate is not None:
                            populate(store)
                        reset_sequences(connection, name)
                        if roles_for_here(connection, name):  # never another database's roles
                            for statement in grant_sql(name):
                                connection.execute(text(statement))
                except DBAPIError as error:
                    raise _edit_error(error, store if "store" in locals() else _Named(location, user)) from None
                except (FieldError, MoneyError) as error:
                    raise InvalidEdit(f"Not saved: {error}.") from None
        finally:
            engine.dispose()
        return cls.open(location, clock=clock, password=password)

    def close(self) -> None:
        with self._mutex:
            if self._root_engine is not None and self._pinned is None:
                self._root_engine.dispose()
            self._root_engine = None

    def _read_currency(self) -> str:
        portfolio = SPECS["portfolio"].table
        with self.reading() as connection:
            row = connection.execute(select(portfolio.c.currency).where(portfolio.c.id == 1)).first()
        return row[0] if row else "GBP"

    # ----------------------------------------------------------------------------- reading
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot (one REPEATABLE READ, read-only transaction) for a group of reads."""
        if self._pinned is not None:
            yield self._pinned
            return
        with self._mutex:
            try:
                with self.engine.connect().execution_options(postgresql_readonly=True) as connection, \
                        connection.begin():
                    yield connection
            except DBAPIError as error:
                raise NotSaved(f"{self.location.label} could not be read: {_first_line(error)}.") from None

    def load(self) -> model.PortfolioData:
        from pmodesk.store.loader import load_portfolio

        collecting = gc.isenabled()
        gc.disable()
        try:
            with self.reading() as connection:
                data = load_portfolio(connection, self.currency)
                # The versions this snapshot saw, in the same snapshot: only rows ever changed (most are 1).
                seen: dict[tuple[str, Any], int] = {}
                for spec in SPECS.values():
                    if spec.name == "audit_entry":
                        continue
                    table = server_metadata().tables[spec.name]
                    keys = [table.c[k] for k in spec.key]
                    for row in connection.execute(select(*keys, table.c.row_version).where(table.c.row_version != 1)):
                        key = row[0] if len(keys) == 1 else tuple(row[:-1])
                        seen[(spec.name, key)] = row[-1]
            self._seen = seen
            return data
        except FileRefused as error:
            raise FileRefused(f"The server portfolio {self.location.label} holds a damaged value: {error}.",
                              error.why) from None
        finally:
            if collecting:
                gc.enable()

    def _reloaded(self, connection: Connection, reloaded) -> None:
        """The row versions of the rows read again, from the same snapshot (see :meth:`load`)."""
        if self._seen is None:
            return
        tables = server_metadata().tables
        for entity, replaced, where in reloaded.touched:
            spec = SPECS[entity]
            for record in replaced:
                key = tuple(getattr(record, k) for k in spec.key)
                self._seen.pop((entity, key[0] if len(key) == 1 else key), None)
            table = tables[entity]
            keys = [table.c[k] for k in spec.key]
            for row in connection.execute(select(*keys, table.c.row_version)
                                          .where(*where(tables.__getitem__), table.c.row_version != 1)):
                self._seen[(entity, row[0] if len(keys) == 1 else tuple(row[:-1]))] = row[-1]

    def schema_version(self) -> int:
        with self.reading() as connection:
            return stored_version(connection, self.location)

    def integrity_problems(self) -> list[str]:
        """None to report: the server enforces keys and references itself (it is trusted, section 16)."""
        return []

    def check_damage(self) -> None:
        """Nothing to check: damage to a server's storage is the server's to find (section 16)."""

    def _read_error(self, error: BaseException) -> StoreError:
        return NotSaved(f"{self.location.label} could not be read: {_first_line(error)}.")

    def audit_users(self) -> dict[int, str]:
        """The database user who made each audit entry, by entry id.

        Entries brought in when the portfolio was created (a copy of a file's audit trail) were written in
        the creating transaction, whose time is the version row's ``created_at``: they name no user, since
        whoever made them is not known to the server.
        """
        table = server_metadata().tables["audit_entry"]
        version = server_metadata().tables[VERSION_TABLE]
        created = select(version.c.created_at).where(version.c.id == 1).scalar_subquery()
        with self.reading() as connection:
            return dict(connection.execute(select(table.c.id, table.c.row_changed_by)
                                           .where(table.c.row_changed_at != created)).all())

    def editors_since(self, after_id: int) -> tuple[int, list[str]]:
        """The newest audit entry id and the database users (other than this store's) who made entries after
        ``after_id``: who changed the portfolio since a window last looked."""
        table = server_metadata().tables["audit_entry"]
        with self.reading() as connection:
            newest = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            users = connection.execute(select(table.c.row_changed_by).distinct()
                                       .where(table.c.id > after_id, table.c.row_changed_by != self.user)
                                       .order_by(table.c.row_changed_by)).scalars().all()
        return newest, list(users)

    # ----------------------------------------------------------------------------- editing
    @contextmanager
    def edit(self, *, audit: bool = True) -> Iterator["ServerEdit"]:
        """One committed transaction on the server; a conflict or a refusal saves nothing."""
        if self.read_only:
            raise ReadOnly(self.read_only_message())
        with self._mutex:
            if self._pinned is not None:
                yield ServerEdit(self, self._pinned, audit)
                return
            try:
                with self.engine.connect().execution_options(isolation_level="READ COMMITTED") as connection, \
                        connection.begin():
                    edit = ServerEdit(self, connection, audit)
                    yield edit
                self._changes.merge(edit.changes)
            except DBAPIError as error:
                raise _edit_error(error, self) from None
            except (FieldError, MoneyError) as error:
                raise InvalidEdit(f"Not saved: {error}.") from None
            if self._seen is not None:
                if edit.forget_versions:
                    self._seen = None
                else:
                    self._seen.update(edit.versions)

    def read_only_message(self) -> str:
        reason = self.status.read_only_reason
        return f"Not saved: {self.location.label} is open read-only" + (f" ({reason})." if reason else ".")

    def overwrite_after(self, conflict: Conflict) -> None:
        """Accept the other person's version as the one seen, so repeating the edit overwrites their change."""
        if self._seen is not None:
            self._seen[(conflict.entity, conflict.key)] = conflict.version

    def watch_changes(self) -> "ChangeWatcher":
        """A listener for other people's changes to this portfolio (LISTEN/NOTIFY)."""
        return ChangeWatcher(self)

    def save_copy(self, destination: str | Path) -> Path:
        from pmodesk.store.location import copy_open

        copy_open(self, destination, replace=True)  # like the file's: the caller chose to replace what is there
        return Path(destination)


def server_setup(location: ServerLocation) -> list[str]:
    """Run :func:`setup_sql` in one transaction; return the statements run."""
    from psycopg import errors

    engine, user = ServerStore._connected(location)
    try:
        with engine.connect().execution_options(isolation_level="READ COMMITTED") as connection:
            try:
                with connection.begin():
                    other = roles_serve_elsewhere(connection, location.portfolio)
                    if other is not None:
                        readers, editors = role_names(location.portfolio)
                        raise FileRefused(
                            f"The roles {readers} and {editors} already serve portfolio {location.portfolio} in "
                            f"database {other} on this server, and role names are server-wide: choose another "
                            "portfolio name; nothing was changed.", "name-taken")
                    exists = stored_version(connection, location) is not None
                    here = connection.execute(text("SELECT current_database()")).scalar_one()
                    done = setup_sql(location.portfolio, here, with_tables=exists)
                    for statement in done:
                        connection.execute(text(statement))
            except DBAPIError as error:
                if isinstance(error.orig, errors.InsufficientPrivilege):
                    raise ReadOnly(f"{user} may not set up {location.label} ({_first_line(error)}); nothing was "
                                   "changed: ask a database administrator to run the SQL of --print-sql.") from None
                raise _connect_error(error, location) from None
    finally:
        engine.dispose()
    return done


@dataclass(frozen=True)
class Heard:
    """What one :meth:`ChangeWatcher.poll` found."""

    changed: frozenset[str] = frozenset()  # tables other people changed
    lost: str | None = None  # the connection is down (one sentence); polling again retries
    reconnected: bool = False  # back after a loss: changes may have been missed, so reload

    @property
    def reload(self) -> bool:
        return bool(self.changed) or self.reconnected


class ChangeWatcher:
    """Hears ``NOTIFY pmodesk_<portfolio>`` from other people's edits on its own connection.

    Poll it from a timer (it never blocks); after a lost connection each poll tries to reconnect.
    """

    def __init__(self, store: ServerStore):
        self.store = store
        self.channel = f"pmodesk_{store.location.portfolio}"
        self._conn = None
        self._was_lost = False
        try:
            self._connect()
        except Exception:  # noqa: BLE001 - the first poll reports the fault and retries
            self.close()
            self._was_lost = True

    def _connect(self) -> None:
        import psycopg

        params = self.store.location.conninfo()
        if self.store._password is not None:
            params["password"] = self.store._password
        params.setdefault("connect_timeout", "5")
        params.setdefault("application_name", "pmodesk (changes)")
        self._conn = psycopg.connect(**params, autocommit=True)
        self._conn.execute(f"LISTEN {quoted(self.channel)}")

    def poll(self) -> Heard:
        import psycopg

        reconnected = False
        try:
            if self._conn is None or self._conn.closed:
                self._connect()
                reconnected, self._was_lost = self._was_lost, False
            own = self.store._own_pids
            changed = {n.payload for n in self._conn.notifies(timeout=0.0) if n.pid not in own}
            # A connection that died quietly shows up only when used: ask the server something.
            self._conn.execute("SELECT 1")
        except psycopg.Error as error:
            self.close()
            self._was_lost = True
            return Heard(lost=f"The connection to the server was lost ({_first_line(error)}); pmodesk keeps "
                              "trying to reconnect.")
        return Heard(frozenset(changed), reconnected=reconnected)

    def start_over(self) -> None:
        """The reload after a poll failed: the next poll reconnects and asks for a reload again."""
        self.close()
        self._was_lost = True

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not raise
                pass
            self._conn = None


class _Named:
    """Just enough of a store for an error message raised before the store exists."""

    def __init__(self, location: ServerLocation, user: str):
        self.location, self.user = location, user


class ServerEdit(Edit):
    """:class:`Edit` with the row-version check: an update or delete of a row someone else changed
    since this store loaded it raises :class:`Conflict` (the whole transaction is rolled back)."""

    def __init__(self, store: ServerStore, connection: Connection, audit: bool):
        super().__init__(store, connection, audit)
        self.versions: dict[tuple[str, Any], int] = {}
        self.forget_versions = False
        store._own_pids.add(connection.connection.dbapi_connection.info.backend_pid)

    def _check_version(self, entity: str, key: Any) -> bool:
        spec = SPECS[entity]
        table = server_metadata().tables[entity]
        keys = key if isinstance(key, tuple) else (key,)
        where = [table.c[c] == v for c, v in zip(spec.key, keys, strict=True)]
        row = self.connection.execute(select(table.c.row_version, table.c.row_changed_by, table.c.row_changed_at)
                                      .where(*where).with_for_update()).first()
        if row is None:
            return False
        seen = self.store._seen
        if seen is not None:
            expected = self.versions.get((entity, key), seen.get((entity, key), 1))
            if row.row_version != expected:
                when = row.row_changed_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                what = entity.replace("_", " ")
                raise Conflict(f"Not saved: this {what} was changed by {row.row_changed_by} at {when} after you loaded "
                               "it; reload to see their change, or overwrite it.", entity, key, row.row_version,
                               row.row_changed_by, row.row_changed_at)
        return True

    def _note_version(self, entity: str, key: Any) -> None:
        spec = SPECS[entity]
        table = server_metadata().tables[entity]
        keys = key if isinstance(key, tuple) else (key,)
        where = [table.c[c] == v for c, v in zip(spec.key, keys, strict=True)]
        version = self.connection.execute(select(table.c.row_version).where(*where)).scalar()
        if version is not None:
            self.versions[(entity, key)] = version

    def update(self, entity: str, key: Any, **changes: Any) -> None:
        if "currency" in changes and entity == "portfolio":
            self.forget_versions = True  # every money row is rescaled: versions move on everywhere
        if entity != "audit_entry":
            self._check_version(entity, key)
        super().update(entity, key, **changes)
        if entity != "audit_entry":
            self._note_version(entity, key)

    def delete(self, entity: str, key: Any) -> None:
        if entity != "audit_entry":
            self._check_version(entity, key)
        super().delete(entity, key)
