"""The frozen schema, the table specs and the domain agree; the schema reads clearly."""

from __future__ import annotations

import sqlite3
from dataclasses import fields

from pmodesk.store.schema import CURRENT_VERSION, ddl_up_to, statements
from pmodesk.store.tables import SPECS


def _frozen() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for script in ddl_up_to(CURRENT_VERSION):
        for statement in statements(script):
            conn.execute(statement)
    return conn


def test_every_table_has_a_spec_with_exactly_its_columns():
    conn = _frozen()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert tables == set(SPECS)
    for name, spec in SPECS.items():
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        assert columns == list(spec.fields), name
        key = tuple(r[1] for r in sorted(conn.execute(f"PRAGMA table_info({name})"), key=lambda r: r[5]) if r[5])
        assert key == spec.key, name


def test_every_spec_field_is_a_field_of_its_record():
    for spec in SPECS.values():
        if spec.record is None:
            continue
        names = {f.name for f in fields(spec.record)}
        assert set(spec.fields) <= names, spec.name


def test_money_columns_are_integers_and_measures_text():
    conn = _frozen()
    types = {(t, r[1]): r[2] for t in SPECS for r in conn.execute(f"PRAGMA table_info({t})")}
    for spec in SPECS.values():
        for column, kind in spec.fields.items():
            if kind == "money":
                assert types[(spec.name, column)] == "INTEGER", (spec.name, column)
            if kind in ("decimal", "date", "datetime"):
                assert types[(spec.name, column)] == "TEXT", (spec.name, column)
