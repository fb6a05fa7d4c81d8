"""The frozen schema of every released version, and the allowlist built from it.

The DDL lives in ``schema/v1.sql`` and the numbered migrations ``schema/m000N.sql``; the exact set
of schema objects a version-N file must hold is what those frozen texts create in an empty
in-memory database, never what the ORM would generate today (DESIGN.md section 3).
"""

from __future__ import annotations

import sqlite3
from functools import cache
from importlib import resources

APPLICATION_ID = 0x504D4F44  # "PMOD"
CURRENT_VERSION = 3
OLDEST_MIGRATABLE_VERSION = 1

SchemaObject = tuple[str, str, str, str | None]  # type, name, tbl_name, sql


def _read(name: str) -> str:
    return resources.files("pmodesk.store").joinpath("schema", name).read_text(encoding="utf-8")


def base_ddl() -> str:
    return _read("v1.sql")


def migration_ddl(to_version: int) -> str:
    """The SQL that takes a file from ``to_version - 1`` to ``to_version``."""
    return _read(f"m{to_version:04d}.sql")


def ddl_up_to(version: int) -> list[str]:
    """Scripts that build an empty version-``version`` schema, in order."""
    return [base_ddl()] + [migration_ddl(v) for v in range(2, version + 1)]


def statements(script: str) -> list[str]:
    """Split a frozen DDL script into statements, keeping each statement's text exactly."""
    found, current = [], []
    for line in script.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            found.append("\n".join(current).strip())
            current = []
    return found


def read_schema(conn: sqlite3.Connection) -> set[SchemaObject]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    return {(t, n, tn, sql) for t, n, tn, sql in rows}


@cache
def expected_schema(version: int) -> frozenset[SchemaObject]:
    conn = sqlite3.connect(":memory:")
    try:
        for script in ddl_up_to(version):
            for statement in statements(script):
                conn.execute(statement)
        return frozenset(read_schema(conn))
    finally:
        conn.close()


def schema_differences(actual: set[SchemaObject], version: int) -> list[str]:
    """Human descriptions of every object that differs from the frozen schema of ``version``."""
    expected = expected_schema(version)
    expected_by_name = {obj[1]: obj for obj in expected}
    problems = []
    for obj in sorted(actual - expected, key=lambda o: o[1]):
        kind, name = obj[0], obj[1]
        if name in expected_by_name:
            problems.append(f"{kind} {name!r} has a changed definition")
        else:
            problems.append(f"unexpected {kind} {name!r}")
    actual_names = {obj[1] for obj in actual}
    for obj in sorted(expected, key=lambda o: o[1]):
        if obj[1] not in actual_names:
            problems.append(f"missing {obj[0]} {obj[1]!r}")
    return problems
