"""The server portfolio's schema: tables, triggers, roles and upgrades (DESIGN.md section 16).

The tables are the file's declarations (:mod:`pmodesk.store.tables`) built through SQLAlchemy Core,
with the keys, uniqueness, defaults, references and checks read from the frozen file schema (the
date checks rewritten for PostgreSQL), plus per row ``row_version``, ``row_changed_by`` and
``row_changed_at`` kept by a trigger, and the ``pmodesk_schema`` version row.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Connection

from pmodesk.store.errors import TargetExists
from pmodesk.store.location import ServerLocation
from pmodesk.store.schema import CURRENT_VERSION, ddl_up_to, statements
from pmodesk.store.tables import BOOL, INT, MONEY, SPECS

VERSION_TABLE = "pmodesk_schema"

@cache
def _file_schema() -> dict[str, dict[str, Any]]:
    """Keys, not-nulls, defaults, foreign keys, uniqueness and indexes of the frozen file schema."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in ddl_up_to(CURRENT_VERSION):
            for statement in statements(script):
                conn.execute(statement)
        found = {}
        for name in SPECS:
            columns = {r[1]: {"notnull": bool(r[3]), "default": r[4], "pk": r[5]}
                       for r in conn.execute(f"PRAGMA table_info({name})")}
            foreign: dict[int, dict] = {}
            for number, _, parent, column, target, _, on_delete, _ in conn.execute(
                    f"PRAGMA foreign_key_list({name})"):
                entry = foreign.setdefault(number, {"parent": parent, "columns": [], "targets": [], "on_delete": on_delete})
                entry["columns"].append(column)
                entry["targets"].append(target)
            unique, indexes = [], []
            for _, index, is_unique, origin, _ in conn.execute(f"PRAGMA index_list({name})"):
                cols = [r[2] for r in conn.execute(f"PRAGMA index_info({index})")]
                if origin == "u":
                    unique.append(cols)
                elif origin == "c":
                    indexes.append((index, cols))
            sql = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (name,)).fetchone()[0]
            found[name] = {"columns": columns, "foreign": list(foreign.values()), "unique": unique,
                           "indexes": indexes, "checks": [_portable_check(c) for c in _checks(sql)]}
        return found
    finally:
        conn.close()


def _checks(sql: str) -> list[str]:
    """The expression of every ``CHECK (...)`` in a CREATE TABLE statement (balanced parentheses)."""
    found, start = [], 0
    while (at := sql.find("CHECK (", start)) >= 0:
        depth, i = 0, at + len("CHECK ")
        for i in range(at + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            if depth == 0:
                break
        found.append(sql[at + len("CHECK ("):i])
        start = i
    return found


_SQLITE_DATE = re.compile(r"date\((\w+), '\+0 days'\) IS \1")


def _portable_check(check: str) -> str:
    """The file's CHECK in PostgreSQL: only the ISO-date test needs rewriting; the rest is standard SQL."""
    return _SQLITE_DATE.sub(lambda m: f"({m[1]} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' AND to_char(CAST({m[1]} AS date), "
                                      f"'YYYY-MM-DD') = {m[1]})", check)


def _column_type(kind: Any):
    if kind == MONEY:
        return BigInteger  # minor units: a 32-bit integer would stop at about 21 million pounds
    if kind in (INT, BOOL):
        return Integer
    return Text


@cache
def server_metadata() -> MetaData:
    """The server tables: the file's declarations plus the row version columns, unqualified (the
    portfolio's schema is put in at run time by ``schema_translate_map``)."""
    metadata = MetaData()
    frozen = _file_schema()
    for spec in SPECS.values():
        info = frozen[spec.name]
        columns = []
        for column, kind in spec.fields.items():
            c = info["columns"][column]
            default = c["default"]
            columns.append(Column(column, _column_type(kind), nullable=not c["notnull"] and column not in spec.key,
                                  server_default=text(default) if default is not None else None,
                                  autoincrement=spec.key == ("id",) and column == "id" and spec.name != "portfolio"))
        columns += [
            Column("row_version", BigInteger, nullable=False, server_default=text("1")),
            Column("row_changed_by", Text, nullable=False, server_default=text("session_user")),
            Column("row_changed_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
        ]
        constraints: list = [PrimaryKeyConstraint(*spec.key)]
        constraints += [UniqueConstraint(*cols) for cols in info["unique"]]
        constraints += [ForeignKeyConstraint(f["columns"], [f"{f['parent']}.{t}" for t in f["targets"]],
                                             ondelete=None if f["on_delete"] == "NO ACTION" else f["on_delete"])
                        for f in info["foreign"]]
        constraints += [CheckConstraint(check) for check in info["checks"]]
        table = Table(spec.name, metadata, *columns, *constraints)
        for index, cols in info["indexes"]:
            Index(index, *[table.c[c] for c in cols])
    Table(VERSION_TABLE, metadata,
          Column("id", Integer, CheckConstraint("id = 1"), primary_key=True, autoincrement=False),
          Column("version", Integer, nullable=False),
          Column("created_by", Text, nullable=False, server_default=text("session_user")),
          Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")))
    return metadata


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _trigger_sql(schema: str) -> list[str]:
    s = quoted(schema)
    out = [
        f"""CREATE FUNCTION {s}.pmodesk_touch() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.row_version := OLD.row_version + 1;
    NEW.row_changed_by := session_user;
    NEW.row_changed_at := now();
    RETURN NEW;
END $$""",
        f"""CREATE FUNCTION {s}.pmodesk_changed() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    PERFORM pg_notify('pmodesk_' || TG_TABLE_SCHEMA, TG_TABLE_NAME);
    RETURN NULL;
END $$""",
    ]
    for name in SPECS:
        out.append(f"CREATE TRIGGER pmodesk_touch BEFORE UPDATE ON {s}.{quoted(name)} FOR EACH ROW "
                   f"EXECUTE FUNCTION {s}.pmodesk_touch()")
        out.append(f"CREATE TRIGGER pmodesk_changed AFTER INSERT OR UPDATE OR DELETE ON {s}.{quoted(name)} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {s}.pmodesk_changed()")
    return out


# ------------------------------------------------------------------------------- roles
def role_names(portfolio: str) -> tuple[str, str]:
    return f"pmodesk_{portfolio}_readers", f"pmodesk_{portfolio}_editors"


def grant_sql(portfolio: str) -> list[str]:
    """Grants on the portfolio's tables (run by its owner; repeatable)."""
    s = quoted(portfolio)
    readers, editors = (quoted(r) for r in role_names(portfolio))
    tables = ", ".join(f"{s}.{quoted(n)}" for n in SPECS if n != "audit_entry")
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {readers}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {readers}",
        f"GRANT INSERT, UPDATE, DELETE ON {tables} TO {editors}",
        f"GRANT INSERT ON {s}.audit_entry TO {editors}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {editors}",
    ]


ROLE_COMMENT = "pmodesk: portfolio {portfolio} in database {database}"


def role_comment(portfolio: str, database: str) -> str:
    """What ``COMMENT ON ROLE`` records: which database's portfolio the (server-wide) role serves."""
    return ROLE_COMMENT.format(portfolio=portfolio, database=database)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def setup_sql(portfolio: str, database: str, *, with_tables: bool = True) -> list[str]:
    """What ``pmodesk server-setup`` runs: the schema, the two roles and their grants; idempotent.

    Roles are server-wide, so each records in its comment the database it serves (checked by
    :func:`roles_serve_elsewhere` before anything is run). Without ``with_tables`` (no portfolio in the
    schema yet) the table grants are left to the portfolio's creation, which runs :func:`grant_sql`
    when the roles exist and serve its database.
    """
    s = quoted(portfolio)
    readers, editors = role_names(portfolio)
    out = [_guard_sql(portfolio, database), f"CREATE SCHEMA IF NOT EXISTS {s}"]
    for role in (readers, editors):
        out.append(f"DO $$ BEGIN CREATE ROLE {quoted(role)} NOLOGIN; "
                   "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        out.append(f"COMMENT ON ROLE {quoted(role)} IS {_literal(role_comment(portfolio, database))}")
    out += [f"GRANT {quoted(readers)} TO {quoted(editors)}",
            f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT ON TABLES TO {quoted(readers)}"]
    return out + (grant_sql(portfolio) if with_tables else [f"GRANT USAGE ON SCHEMA {s} TO {quoted(readers)}"])


def _guard_sql(portfolio: str, database: str) -> str:
    """The name check of :func:`roles_serve_elsewhere` by the roles' comments, in SQL, so the statements an
    administrator runs from ``--print-sql`` stop too before granting one database's roles on another's."""
    readers, editors = role_names(portfolio)
    mine = role_comment(portfolio, database)
    prefix = ROLE_COMMENT.split("{", 1)[0]
    return (
        "DO $$ DECLARE other text; BEGIN "
        "SELECT substring(shobj_description(oid, 'pg_authid') FROM ' in database (.*)$') INTO other FROM pg_roles "
        f"WHERE rolname IN ({_literal(readers)}, {_literal(editors)}) "
        f"AND shobj_description(oid, 'pg_authid') LIKE {_literal(prefix + '%')} "
        f"AND shobj_description(oid, 'pg_authid') <> {_literal(mine)} LIMIT 1; "
        "IF other IS NOT NULL AND EXISTS (SELECT 1 FROM pg_database WHERE datname = other) THEN "
        f"RAISE EXCEPTION 'The roles of portfolio {portfolio} already serve database %: choose another portfolio "
        "name (role names are server-wide).', other; END IF; END $$")


def roles_serve_elsewhere(connection: Connection, portfolio: str) -> str | None:
    """The other database of this server whose portfolio of the same name the roles already serve, if any.

    Role names are server-wide: ``pmodesk_acme_readers`` granted on ``acme`` in two databases would let a
    reader of one read the other. A role's comment names the database it serves; a role without one
    (set up before comments were written, or by hand) is judged by its grants, which PostgreSQL records
    across databases in ``pg_shdepend``. A database that no longer exists does not count.
    """
    here = connection.execute(text("SELECT current_database()")).scalar_one()
    databases = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
    prefix = ROLE_COMMENT.split("{", 1)[0]
    for role in role_names(portfolio):
        row = connection.execute(text("SELECT oid, shobj_description(oid, 'pg_authid') FROM pg_roles "
                                      "WHERE rolname = :r"), {"r": role}).first()
        if row is None:
            continue
        oid, comment = row
        if comment and comment.startswith(prefix):
            other = comment.rsplit(" in database ", 1)[-1]
            if other != here and other in databases:
                return other
            continue
        elsewhere = connection.execute(text(
            "SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid "
            "WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = :oid AND d.datname <> :here "
            "ORDER BY 1"), {"oid": oid, "here": here}).scalars().first()
        if elsewhere is not None:
            return elsewhere
    return None


def roles_for_here(connection: Connection, portfolio: str) -> bool:
    """Whether both roles exist and serve this database's portfolio (so granting them is safe)."""
    readers, editors = role_names(portfolio)
    count = connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname IN (:r, :e)"),
                               {"r": readers, "e": editors}).scalar_one()
    return count == 2 and roles_serve_elsewhere(connection, portfolio) is None


# ------------------------------------------------------------------------------- errors
def stored_version(connection: Connection, location: ServerLocation) -> int | None:
    name = location.portfolio
    exists = connection.execute(text("SELECT to_regclass(:t)"), {"t": f"{quoted(name)}.{VERSION_TABLE}"}).scalar_one()
    if exists is None:
        return None
    return connection.execute(text(f"SELECT version FROM {quoted(name)}.{VERSION_TABLE} WHERE id = 1")).scalar_one()


def create_tables(connection: Connection, location: ServerLocation, replace_existing: bool) -> None:
    name = location.portfolio
    s = quoted(name)
    if stored_version(connection, location) is not None:
        if not replace_existing:
            raise TargetExists(f"The server portfolio {location.label} already exists; it was not replaced.")
        for table in reversed(server_metadata().sorted_tables):
            connection.execute(text(f"DROP TABLE IF EXISTS {s}.{quoted(table.name)} CASCADE"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {s}.pmodesk_touch() CASCADE"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {s}.pmodesk_changed() CASCADE"))
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {s}"))
    taken = connection.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s "
                                    "ORDER BY table_name"), {"s": name}).scalars().all()
    clash = sorted(set(taken) & set(server_metadata().tables))
    if clash:
        raise TargetExists(f"Schema {name!r} already holds tables pmodesk would create ({', '.join(clash)}) but no "
                           "pmodesk portfolio; nothing was changed.")
    translated = connection.execution_options(schema_translate_map={None: name})
    server_metadata().create_all(translated)
    for statement in _trigger_sql(name):
        connection.execute(text(statement))


def migrate(connection: Connection, location: ServerLocation) -> int:
    """Bring an older server portfolio up to the current schema in one transaction (run by its owner).

    Every schema change so far adds tables or columns, so the step is derived from the declarations:
    each missing table is created (with its triggers), each missing column added with the checks and
    references that name it, and the version row moved on. Returns the version it started from.
    """
    from sqlalchemy.schema import AddConstraint, CreateColumn

    name = location.portfolio
    s = quoted(name)
    version = connection.execute(text(f"SELECT version FROM {s}.{VERSION_TABLE} WHERE id = 1 FOR UPDATE")).scalar_one()
    if version >= CURRENT_VERSION:  # someone else upgraded it a moment ago
        return version
    existing: dict[str, set[str]] = {}
    for table, column in connection.execute(text("SELECT table_name, column_name FROM information_schema.columns "
                                                 "WHERE table_schema = :s"), {"s": name}):
        existing.setdefault(table, set()).add(column)
    translated = connection.execution_options(schema_translate_map={None: name})
    metadata = server_metadata()
    new_tables = [t for t in metadata.sorted_tables if t.name not in existing]
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue
        added = [c for c in table.columns if c.name not in existing[table.name]]
        for column in added:
            ddl = CreateColumn(column).compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE {s}.{quoted(table.name)} ADD COLUMN {ddl}"))
        names = {c.name for c in added}
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                mentioned = set(re.findall(r"\w+", str(constraint.sqltext))) & names
            elif isinstance(constraint, ForeignKeyConstraint):
                mentioned = set(constraint.column_keys) & names
            else:
                mentioned = set()
            if mentioned:
                translated.execute(AddConstraint(constraint))
    metadata.create_all(translated, tables=new_tables)
    for statement in _trigger_sql(name):
        if any(f" ON {s}.{quoted(t.name)} " in statement for t in new_tables):
            connection.execute(text(statement))
    if roles_for_here(connection, name):
        for statement in grant_sql(name):
            connection.execute(text(statement))
    connection.execute(text(f"UPDATE {s}.{VERSION_TABLE} SET version = {CURRENT_VERSION:d} WHERE id = 1"))
    return version


def reset_sequences(connection: Connection, name: str) -> None:
    """Copied rows keep their ids; the id sequences must continue after them."""
    for spec in SPECS.values():
        if spec.key != ("id",) or spec.name == "portfolio":
            continue
        table = f"{quoted(name)}.{quoted(spec.name)}"
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"), {"t": table})
