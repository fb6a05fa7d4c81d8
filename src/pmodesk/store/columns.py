"""The store's fast read for the figures: a whole portfolio with its measurements as columns.

``pmodesk metrics`` reads every row of a large portfolio once and computes from it. Building one
frozen ``Measurement`` record per row (a quarter of a million of them) and importing SQLAlchemy
cost more than the figures themselves, so this read goes through the store's own checks
(:mod:`pmodesk.store.opening`: the header, WAL, the schema allowlist, ``quick_check``) on a
read-only connection, reads the measurements as three columns (benefit id, day ordinal, value as a
float) and every other table into the same records :meth:`Store.load` gives.

It is an addition, never a replacement: :meth:`Store.load` stays the one reference read and the
scripting surface. Whenever this read cannot vouch for giving exactly what ``Store.load`` would
give (a location that is not a plain file, an older schema that needs migrating, any stored value
of an unexpected type or form), :func:`read_for_figures` returns ``None`` and the caller reads
through ``Store.open(...).load()``, which then accepts or refuses the file itself. A test holds the
reads equal; the columns and their kinds come from :data:`pmodesk.store.specs.SPECS`.
"""

from __future__ import annotations

import gc
import operator
import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from pmodesk.domain import model
from pmodesk.domain.money import minor_unit
from pmodesk.store import opening
from pmodesk.store.schema import CURRENT_VERSION
from pmodesk.store.specs import BOOL, BY_ATTRIBUTE, DATE, DATETIME, DECIMAL, INT, MONEY, OUTPUT_LINKS, TEXT

# PortfolioData field -> (table, record, key columns, {column: kind}) for every table Store.load reads
# but the measurements (read as columns): the store's one declaration (pmodesk.store.specs).
TABLES: dict[str, tuple[str, type, tuple[str, ...], dict[str, Any]]] = {
    attribute: (spec.name, spec.record, spec.key, spec.fields)
    for attribute, spec in BY_ATTRIBUTE.items() if attribute != "measurements"
}
LINKS = OUTPUT_LINKS


class Unusual(Exception):
    """A stored value this read does not vouch for: read through ``Store.load`` instead."""


@dataclass(frozen=True, slots=True)
class MeasurementColumns:
    """Every measurement as columns, normally in (benefit id, date) order.

    ``values`` are the floats ``float(Decimal(text))`` that the value engine computes with. The
    engine does not rely on the order: it sorts columns that are not strictly in (benefit, date)
    order exactly as the reference's ``sorted`` (date, value) pairs are.
    """

    benefit_ids: list[int]
    days: list[int]  # date.toordinal()
    values: list[float]

    def __len__(self) -> int:
        return len(self.days)


def read_for_figures(location: str | Path) -> "tuple[model.PortfolioData, MeasurementColumns, DatedAmountColumns] | None":
    """The portfolio without its measurement, planned spend and cost actual records; its
    measurements as columns; its planned spend and cost actuals grouped by initiative.

    Raises :class:`FileRefused` exactly as ``Store.open(location, read_only=True)`` does for a file
    it refuses; returns ``None`` where only the store's full read can answer (see the module).
    """
    if not isinstance(location, Path) and "://" in str(location):
        return None  # a server location: the store's own read
    path = opening.resolved(Path(location))
    header = opening.read_header(path)
    opening.refuse_wal(path, header)
    if header.user_version != CURRENT_VERSION:
        return None  # an older file is migrated in memory by Store.open
    if path.with_name(path.name + "-journal").exists():
        return None  # a journal beside the file: Store.open judges it (and recovers privately)
    conn = opening.connect_or_refuse(path, read_only=True)
    collecting = gc.isenabled()
    gc.disable()  # many small records, no cycles: as Store.load, keep the collector from rescanning them
    try:
        opening.verify(conn, path, header.user_version)
        try:
            conn.execute("BEGIN")  # one consistent snapshot for every table (closing ends it)
            return _read(conn)
        except (Unusual, ValueError, TypeError, ArithmeticError, KeyError, sqlite3.DatabaseError):
            return None  # Store.open and Store.load decide (a busy file included)
    finally:
        conn.close()
        if collecting:
            gc.enable()


def _read(conn: sqlite3.Connection) -> tuple[model.PortfolioData, MeasurementColumns, DatedAmountColumns]:
    row = conn.execute("SELECT currency FROM portfolio WHERE id = 1").fetchone()
    currency = row[0] if row else "GBP"  # as Store._read_currency
    if not isinstance(currency, str):
        raise Unusual("currency")
    tables = {}
    for name in TABLES:
        if name in AS_AMOUNTS:
            tables[name] = ()
            continue
        extra = _links(conn, *LINKS[name]) if name in LINKS else None
        tables[name] = _records(conn, name, currency, extra)
    if not tables["portfolio"]:
        raise Unusual("no portfolio row")
    tables["portfolio"] = tables["portfolio"][0]
    amounts = DatedAmountColumns(*(_amounts(conn, AS_AMOUNTS[name], currency) for name in AS_AMOUNTS))
    return model.PortfolioData(**tables), _measurements(conn), amounts


AS_AMOUNTS = {"planned_spend": "planned_spend", "cost_actuals": "cost_actual"}


@dataclass(frozen=True, slots=True)
class DatedAmountColumns:
    """Planned spend and cost actuals as the value engine groups them: per initiative id, its
    (period end, amount) pairs, amounts as the Decimals ``Store.load`` gives."""

    planned_spend: dict[int, list[tuple[date, Decimal]]]
    cost_actuals: dict[int, list[tuple[date, Decimal]]]


def _amounts(conn: sqlite3.Connection, table: str, currency: str) -> dict[int, list[tuple[date, Decimal]]]:
    (odd,) = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE typeof(initiative_id) != 'integer' "
                          "OR typeof(period_end) != 'text' OR typeof(amount) != 'integer'").fetchone()
    if odd:
        raise Unusual(f"a {table} value of another type")  # Store.load refuses it
    grouped = conn.execute(
        f"SELECT initiative_id, COUNT(*), group_concat(period_end, char({ord(SEPARATOR)})), "
        f"group_concat(amount, char({ord(SEPARATOR)})) FROM {table} GROUP BY initiative_id ORDER BY initiative_id"
    ).fetchall()
    texts_of_dates = [d for _, _, dates, _ in grouped for d in dates.split(SEPARATOR)]
    texts_of_amounts = [a for _, _, _, amounts in grouped for a in amounts.split(SEPARATOR)]
    if not len(texts_of_dates) == sum(count for _, count, _, _ in grouped) == len(texts_of_amounts):
        raise Unusual("separator in a stored text")
    days = _distinct(texts_of_dates, DATE, currency)
    money = _distinct(list(map(int, set(texts_of_amounts))), MONEY, currency)
    whole = {text: money[int(text)] for text in set(texts_of_amounts)}
    out: dict[int, list[tuple[date, Decimal]]] = {}
    at = 0
    for initiative_id, count, _, _ in grouped:
        out[initiative_id] = [(days[texts_of_dates[k]], whole[texts_of_amounts[k]]) for k in range(at, at + count)]
        at += count
    return out


SEPARATOR = "\x1f"  # ASCII unit separator: no valid date or decimal text holds one


def _measurements(conn: sqlite3.Connection) -> MeasurementColumns:
    # One row per benefit, its dates and values joined by SQLite: a quarter of a million rows
    # through the sqlite3 module cost more than reading them. The count proves the split: a
    # stored text holding the separator would split into more pieces than there are rows.
    grouped = conn.execute(
        f"SELECT benefit_id, COUNT(*), group_concat(date, char({ord(SEPARATOR)})), "
        f"group_concat(value, char({ord(SEPARATOR)})) FROM measurement GROUP BY benefit_id ORDER BY benefit_id"
    ).fetchall()
    # group_concat would turn a blob or a number into text, which Store.load would refuse.
    (odd,) = conn.execute("SELECT COUNT(*) FROM measurement WHERE typeof(date) != 'text' OR typeof(value) != 'text'"
                          ).fetchone()
    if odd:
        raise Unusual("a measurement date or value that is not text")
    ids: list[int] = []
    dates: list[str] = []
    texts: list[str] = []
    for benefit_id, count, joined_dates, joined_values in grouped:
        if type(benefit_id) is not int or type(joined_dates) is not str or type(joined_values) is not str:
            raise Unusual("measurement")
        ids += [benefit_id] * count
        dates += joined_dates.split(SEPARATOR)
        texts += joined_values.split(SEPARATOR)
    if not len(ids) == len(dates) == len(texts):
        raise Unusual("separator in a stored text")
    # Few distinct dates and values in practice: each is converted once, exactly as Store.load
    # converts it (date.fromisoformat; float(Decimal(text)) with the same finiteness check).
    days = {k: v.toordinal() for k, v in _distinct(dates, DATE, "").items() if k is not None}
    values = {k: float(v) for k, v in _distinct(texts, DECIMAL, "").items() if k is not None}
    # SQLite joins each benefit's rows in the order it reads them (its (benefit_id, date) index);
    # the engine checks the order and sorts if a file ever gives another one.
    return MeasurementColumns(ids, list(map(days.__getitem__, dates)), list(map(values.__getitem__, texts)))


def _distinct(column: list, kind: Any, currency: str) -> dict:
    """Store.load's conversion of each distinct stored value of a column (``None`` stays ``None``),
    refusing (``Unusual``) anything it would not convert in exactly the same way. Empty for the
    kinds Store.load keeps as stored (whole numbers, text), once their types are checked."""
    stored = set(column)
    stored.discard(None)
    types = set(map(type, stored))
    out: dict = {None: None}
    if kind == MONEY:
        if not types <= {int}:
            raise Unusual("money")
        digits = minor_unit(currency)
        quantum = Decimal(1).scaleb(-digits)
        out.update({v: Decimal(v).scaleb(-digits).quantize(quantum) for v in stored})
    elif kind == DECIMAL:
        if not types <= {str}:
            raise Unusual("decimal")
        for v in stored:
            value = out[v] = Decimal(v)
            if not value.is_finite():
                raise Unusual("decimal")
    elif kind == DATE:
        if not types <= {str}:
            raise Unusual("date")
        out.update({v: date.fromisoformat(v) for v in stored})
    elif kind == DATETIME:
        if not types <= {str}:
            raise Unusual("datetime")
        out.update({v: datetime.fromisoformat(v) for v in stored})
    elif kind == BOOL:
        if not types <= {int} or not stored <= {0, 1}:
            raise Unusual("bool")
        out.update({0: False, 1: True})
    elif kind in (INT, TEXT):
        if not types <= ({int} if kind == INT else {str}):
            raise Unusual(kind)
        return {}  # kept as stored, as Store.load keeps them
    else:
        members = {m.value: m for m in kind}
        if not stored <= members.keys():
            raise Unusual("enumeration")
        out.update(members)
    return out


def _records(conn: sqlite3.Connection, name: str, currency: str, extra: dict | None) -> tuple:
    table, record, key, kinds = TABLES[name]
    order = [f.name for f in fields(record) if f.name in kinds and f.name != "id"]
    columns = order + (["id"] if "id" in kinds else [])
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(key)}").fetchall()
    # Each column is checked and converted once per distinct value; one generated function per
    # table (as Store.load has) then builds a record per row with no function call per value.
    namespace: dict[str, Any] = {"R": record}
    arguments = []
    for i, column in enumerate(columns):
        converted = _distinct(list(map(operator.itemgetter(i), rows)), kinds[column], currency)
        if converted:
            namespace[f"c{i}"] = converted
        argument = f"c{i}[r[{i}]]" if converted else f"r[{i}]"
        arguments.append(f"id={argument}" if column == "id" else argument)
    exec(f"def build(r):\n    return R({', '.join(arguments)})\n", namespace)  # noqa: S102 - positions only
    records = tuple(map(namespace["build"], rows))
    if extra:
        records = tuple(replace(r, **extra[r.id]) if r.id in extra else r for r in records)
    return records


def _links(conn: sqlite3.Connection, table: str, owner: str) -> dict[int, dict]:
    grouped: dict[int, list[int]] = {}
    for owner_id, output_id in conn.execute(f"SELECT {owner}, output_id FROM {table} ORDER BY {owner}, output_id"):
        if type(owner_id) is not int or type(output_id) is not int:
            raise Unusual("link")
        grouped.setdefault(owner_id, []).append(output_id)
    return {k: {"output_ids": tuple(v)} for k, v in grouped.items()}
