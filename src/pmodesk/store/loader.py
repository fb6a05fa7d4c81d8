"""Read a whole portfolio into the domain's frozen records with one select per table.

The value engine computes from what this returns and never queries per benefit (DESIGN.md
section 11). Converters are chosen once per column, not once per value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pmodesk.domain import model
from pmodesk.domain.money import minor_unit
from pmodesk.store.errors import FileRefused
from pmodesk.store.tables import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, SPECS, TEXT


def _converter(kind: Any, currency: str) -> Callable[[Any], Any] | None:
    """A function turning a stored (non-null) value into the domain value; None: keep as stored."""
    if kind == MONEY:
        digits = minor_unit(currency)
        quantum = Decimal(1).scaleb(-digits)

        def money(v: Any) -> Decimal:
            # Money is stored as INTEGER minor units: a REAL 1234.5, a text or a blob here was not
            # written by pmodesk, and turning it into a whole number would change a figure.
            if v.__class__ is not int:
                raise ValueError(f"{v!r} is not a whole number of minor units")
            return Decimal(v).scaleb(-digits).quantize(quantum)

        return money
    if kind == INT:
        return _INT
    if kind == TEXT:
        return _TEXT
    if kind == DECIMAL:
        return _shared(_decimal)
    if kind == DATE:
        return _shared(date.fromisoformat)
    if kind == DATETIME:
        return _shared(datetime.fromisoformat)
    if kind == BOOL:
        return _flag
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return {m.value: m for m in kind}.__getitem__
    return None


def _shared(convert: Callable[[str], Any]) -> Callable[[Any], Any]:
    """``convert``, giving one shared (immutable) value for each distinct stored text: a quarter of a
    million measurements fall on a few thousand dates, were entered at a few moments and repeat many
    values, and one object each instead of one per row keeps tens of megabytes out of memory (and a
    dictionary look-up is quicker than parsing again). The cache lives as long as one column's read."""
    seen: dict[Any, Any] = {}

    def shared(v: Any) -> Any:
        try:
            return seen[v]
        except KeyError:
            value = seen[v] = convert(v)
            return value
        except TypeError:  # not hashable: a value no pmodesk wrote; ``convert`` says why
            return convert(v)

    return shared


# Checked inline by the row builder, with no call per value: these columns are the most numerous.
_TEXT = object()
_INT = object()


def _whole(v: Any) -> int:
    if v.__class__ is not int:
        raise ValueError(f"{v!r} is not a whole number")
    return v


def _flag(v: Any) -> bool:
    if v.__class__ is not int or v not in (0, 1):
        raise ValueError(f"{v!r} is not true or false")
    return v == 1


def _not_text(v: Any) -> str:
    raise ValueError(f"{v!r} is not text")


def _decimal(text: Any) -> Decimal:
    value = Decimal(text) if isinstance(text, str) else None
    if value is None or not value.is_finite():
        raise ValueError(f"{text!r} is not a decimal number")
    return value


def _records(connection: Connection, entity: str, currency: str, extra: dict[int, dict] | None = None) -> tuple:
    spec = SPECS[entity]
    record = spec.record
    # Columns in the record's field order, so each row becomes the record's positional arguments;
    # ``id`` goes last as a keyword (link fields such as ``output_ids`` sit between).
    order = [f.name for f in fields(record) if f.name in spec.fields and f.name != "id"]
    has_id = "id" in spec.fields
    columns = order + (["id"] if has_id else [])
    statement = select(*[spec.table.c[c] for c in columns]).order_by(*[spec.table.c[k] for k in spec.key])
    result = connection.execute(statement)
    rows = result.cursor.fetchall()  # plain tuples: this runs for every measurement of the portfolio
    result.close()
    build = _row_builder(record, [_converter(spec.fields[c], currency) for c in order], has_id)
    try:
        records = tuple(map(build, rows))
    except (ValueError, TypeError, ArithmeticError, KeyError) as error:
        # A file that passed the schema check can still hold values no pmodesk wrote.
        article = "an" if entity[0] in "aeiou" else "a"
        raise FileRefused(f"{article} {entity.replace('_', ' ')} holds an invalid value ({error})", "damaged") from None
    if extra:  # link lists (an outcome's or benefit's outputs): few rows, added afterwards
        records = tuple(replace(r, **extra[r.id]) if r.id in extra else r for r in records)
    return records


def _row_builder(record: type, converters: list, has_id: bool) -> Callable[[tuple], Any]:
    """A function from one fetched row to one record, specialised for the table.

    Generated once per load (as ``collections.namedtuple`` does) so that the per-row work for a
    quarter of a million measurements is one call with no generic loop over columns.
    """
    names = {f"c{i}": f for i, f in enumerate(converters) if f is not None and f is not _TEXT and f is not _INT}
    arguments = []
    for i, converter in enumerate(converters):
        if converter is _TEXT:
            arguments.append(f"(r[{i}] if r[{i}].__class__ is str or r[{i}] is None else bad(r[{i}]))")
        elif converter is _INT:
            arguments.append(f"(r[{i}] if r[{i}].__class__ is int or r[{i}] is None else bad_id(r[{i}]))")
        elif converter is not None:
            arguments.append(f"(None if r[{i}] is None else c{i}(r[{i}]))")
        else:
            arguments.append(f"r[{i}]")
    if has_id:
        last = len(converters)
        arguments.append(f"id=(r[{last}] if r[{last}].__class__ is int else bad_id(r[{last}]))")
    source = f"def build(r):\n    return R({', '.join(arguments)})\n"
    namespace = {"R": record, "bad": _not_text, "bad_id": _whole, **names}
    exec(source, namespace)  # noqa: S102 - the source is built above from column positions only
    return namespace["build"]


def _links(connection: Connection, entity: str, owner: str) -> dict[int, dict]:
    table = SPECS[entity].table
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner_id, output_id in connection.execute(
        select(table.c[owner], table.c.output_id).order_by(table.c[owner], table.c.output_id)
    ):
        grouped[owner_id].append(output_id)
    return {k: {"output_ids": tuple(v)} for k, v in grouped.items()}


def load_portfolio(connection: Connection, currency: str) -> model.PortfolioData:
    portfolio = _records(connection, "portfolio", currency)
    if not portfolio:
        raise ValueError("the portfolio row is missing")
    return model.PortfolioData(
        portfolio=portfolio[0],
        kpis=_records(connection, "kpi", currency),
        objectives=_records(connection, "objective", currency),
        initiatives=_records(connection, "initiative", currency),
        objective_links=_records(connection, "initiative_objective", currency),
        planned_spend=_records(connection, "planned_spend", currency),
        cost_actuals=_records(connection, "cost_actual", currency),
        outputs=_records(connection, "output", currency),
        outcomes=_records(connection, "outcome", currency, _links(connection, "outcome_output", "outcome_id")),
        benefits=_records(connection, "benefit", currency, _links(connection, "benefit_output", "benefit_id")),
        trajectory=_records(connection, "trajectory_point", currency),
        measurements=_records(connection, "measurement", currency),
        pivot_rules=_records(connection, "pivot_rule", currency),
        rule_changes=_records(connection, "pivot_rule_change", currency),
        decisions=_records(connection, "decision", currency),
        scenarios=_records(connection, "scenario", currency),
        scenario_overrides=_records(connection, "scenario_override", currency),
        commentary=_records(connection, "commentary", currency),
    )
