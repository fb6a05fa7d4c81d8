"""Read a whole portfolio into the domain's frozen records with one select per table.

The value engine computes from what this returns and never queries per benefit (DESIGN.md
section 11). Converters are chosen once per column, not once per value.
"""

from __future__ import annotations

import bisect
import gc
import operator
from collections import defaultdict
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import chain, compress
from typing import Any, Callable

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from pmodesk.domain import model
from pmodesk.domain.money import minor_unit
from pmodesk.store.changes import Reloaded
from pmodesk.store.errors import FileRefused
from pmodesk.store.specs import BOOL, BY_ATTRIBUTE, DATE, DATETIME, DECIMAL, INT, MONEY, OUTPUT_LINKS, SPECS, TEXT


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


def _records(connection: Connection, entity: str, currency: str, extra: dict[int, dict] | None = None,
             where: tuple = ()) -> tuple:
    spec = SPECS[entity]
    record = spec.record
    # Columns in the record's field order, so each row becomes the record's positional arguments;
    # ``id`` goes last as a keyword (link fields such as ``output_ids`` sit between).
    order = [f.name for f in fields(record) if f.name in spec.fields and f.name != "id"]
    has_id = "id" in spec.fields
    columns = order + (["id"] if has_id else [])
    statement = select(*[spec.table.c[c] for c in columns]).where(*where).order_by(*[spec.table.c[k] for k in spec.key])
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


def _links(connection: Connection, entity: str, owner: str, where: tuple = ()) -> dict[int, dict]:
    table = SPECS[entity].table
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner_id, output_id in connection.execute(
        select(table.c[owner], table.c.output_id).where(*where).order_by(table.c[owner], table.c.output_id)
    ):
        grouped[owner_id].append(output_id)
    return {k: {"output_ids": tuple(v)} for k, v in grouped.items()}


def load_portfolio(connection: Connection, currency: str) -> model.PortfolioData:
    portfolio = _records(connection, "portfolio", currency)
    if not portfolio:
        raise ValueError("the portfolio row is missing")
    tables = {}
    for attribute, spec in BY_ATTRIBUTE.items():
        links = OUTPUT_LINKS.get(attribute)
        tables[attribute] = portfolio[0] if attribute == "portfolio" else _records(
            connection, spec.name, currency, None if links is None else _links(connection, *links))
    return model.PortfolioData(**tables)


def _key(entity: str) -> Callable[[Any], Any]:
    """The order :func:`_records` reads an entity in (its key columns), as a function of a record."""
    return operator.attrgetter(*SPECS[entity].key)  # one column: its value; several: a tuple


def _owners(records: tuple, column: str, key: Callable[[Any], Any], cache: dict, name: str) -> dict:
    """Each owner's row keys in ``records`` (by ``column``), made once per loaded portfolio and kept
    up to date by each reload, so a reload finds an initiative's rows without scanning them all."""
    index = cache.get(name)
    if index is None:
        collecting = gc.isenabled()
        gc.disable()  # many small lists, no cycles: the collector would only rescan the records
        try:
            index = defaultdict(list)
            for owner, wanted in zip(map(operator.attrgetter(column), records), map(key, records)):
                index[owner].append(wanted)
        finally:
            if collecting:
                gc.enable()
        index = cache[name] = dict(index)
    return index


def _spliced(old: tuple, dropped_keys: list, fresh: tuple, key: Callable[[Any], Any]) -> tuple[tuple, list]:
    """``old`` (in key order) without the rows of ``dropped_keys``, with ``fresh`` (in key order) put
    in key order; and the rows dropped. Positions are found by bisection and the rows copied slice by
    slice, so a quarter of a million measurements cost no Python loop per row."""
    drops = set()
    for wanted in dropped_keys:
        at = bisect.bisect_left(old, wanted, key=key)
        if at < len(old) and key(old[at]) == wanted:
            drops.add(at)
    inserts: dict[int, list] = defaultdict(list)
    for record in fresh:
        wanted = key(record)
        at = bisect.bisect_left(old, wanted, key=key)
        if at < len(old) and key(old[at]) == wanted:
            drops.add(at)  # the same row read again: the fresh one replaces it
        inserts[at].append(record)
    if not drops and not inserts:
        return old, []
    pieces, cursor = [], 0
    for at in sorted(drops | inserts.keys()):
        pieces.append(old[cursor:at])
        pieces.append(inserts.get(at, ()))
        cursor = at + 1 if at in drops else at
    pieces.append(old[cursor:])
    return tuple(chain.from_iterable(pieces)), [old[at] for at in sorted(drops)]


def prepare_reload(data: model.PortfolioData) -> None:
    """Make the owner indexes :func:`load_changed` needs ahead of the first edit (in a worker thread,
    say), so that the first edit is as quick as the next."""
    for attribute, column in _OWNED_BY.items():
        _owners(getattr(data, attribute), column, _key(BY_ATTRIBUTE[attribute].name), data._index,
                f"owners:{attribute}")


# PortfolioData attribute -> the column naming the owner its rows are read again by
_OWNED_BY = {
    "initiatives": "id", "objective_links": "initiative_id", "planned_spend": "initiative_id",
    "cost_actuals": "initiative_id", "outputs": "initiative_id", "outcomes": "initiative_id",
    "benefits": "initiative_id", "trajectory": "benefit_id", "measurements": "benefit_id",
    "pivot_rules": "initiative_id", "rule_changes": "rule_id", "decisions": "initiative_id",
    "commentary": "initiative_id",
}


def load_changed(connection: Connection, currency: str, previous: model.PortfolioData, changes) -> Reloaded:
    """``previous`` with the rows of the initiatives ``changes`` touched read again (through their
    indexes; only the kinds of rows the edits touched) and every other row kept as it was: what
    :func:`load_portfolio` would now return, provided ``previous`` was what it returned before those
    changes.

    ``changes`` must not be ``everything`` (read the whole portfolio then).
    """
    benefit, rule, outcome = (SPECS[name].table for name in ("benefit", "pivot_rule", "outcome"))
    ids = set(changes.initiatives)
    for kind, table, records in (("benefits", benefit, previous.benefits), ("rules", rule, previous.pivot_rules),
                                 ("outcomes", outcome, previous.outcomes)):
        wanted = getattr(changes, kind)
        if wanted:
            ids |= {r.initiative_id for r in records if r.id in wanted}
            ids |= set(connection.execute(select(table.c.initiative_id).where(table.c.id.in_(sorted(wanted)))).scalars())
    ids_list = sorted(ids)
    old_benefits = {b.id for b in previous.benefits if b.initiative_id in ids}
    old_rules = {r.id for r in previous.pivot_rules if r.initiative_id in ids}

    def owned_by(entity: str):
        return lambda t: (t(entity).c.initiative_id.in_(ids_list),)

    def through(entity: str, column: str, owner: str):
        return lambda t: (t(entity).c[column].in_(select(t(owner).c.id).where(t(owner).c.initiative_id.in_(ids_list))),)

    # (PortfolioData attribute, entity, the column naming a row's owner, the owners read again (None:
    # all), the rows to read as a function of a table lookup)
    plan: list[tuple[str, str, str, set | None, Callable]] = []
    if ids:
        plan += [
            ("initiatives", "initiative", "id", ids, lambda t: (t("initiative").c.id.in_(ids_list),)),
            ("objective_links", "initiative_objective", "initiative_id", ids, owned_by("initiative_objective")),
            ("planned_spend", "planned_spend", "initiative_id", ids, owned_by("planned_spend")),
            ("cost_actuals", "cost_actual", "initiative_id", ids, owned_by("cost_actual")),
            ("outputs", "output", "initiative_id", ids, owned_by("output")),
            ("outcomes", "outcome", "initiative_id", ids, owned_by("outcome")),
            ("benefits", "benefit", "initiative_id", ids, owned_by("benefit")),
            ("trajectory", "trajectory_point", "benefit_id", old_benefits,
             through("trajectory_point", "benefit_id", "benefit")),
            ("measurements", "measurement", "benefit_id", old_benefits, through("measurement", "benefit_id", "benefit")),
            ("pivot_rules", "pivot_rule", "initiative_id", ids, owned_by("pivot_rule")),
            ("rule_changes", "pivot_rule_change", "rule_id", old_rules,
             through("pivot_rule_change", "rule_id", "pivot_rule")),
        ]
    if changes.decisions:
        plan.append(("decisions", "decision", "initiative_id", None, lambda t: ()))
    elif ids:
        plan.append(("decisions", "decision", "initiative_id", ids, owned_by("decision")))
    if ids or changes.portfolio_commentary:
        whole = changes.portfolio_commentary

        def commentary_where(t):
            column = t("commentary").c.initiative_id
            return (or_(column.in_(ids_list), column.is_(None)) if whole else column.in_(ids_list),)

        plan.append(("commentary", "commentary", "initiative_id", ids | {None} if whole else ids, commentary_where))
    if changes.entities:  # only the kinds of rows the edits touched (and what their deletes cascaded to)
        kinds = changes.entities | ({"decision"} if changes.decisions else set())
        plan = [item for item in plan if item[1] in kinds]
    lookup = lambda name: SPECS[name].table  # noqa: E731
    replaced: dict[str, tuple] = {}
    cache = previous._index
    index: dict = {}  # the new data's owner indexes (its other lookups are made afresh on use)
    touched = []
    for attribute, entity, column, owners, where in plan:
        extra = None
        if entity == "benefit":
            extra = _links(connection, "benefit_output", "benefit_id",
                           through("benefit_output", "benefit_id", "benefit")(lookup))
        elif entity == "outcome":
            extra = _links(connection, "outcome_output", "outcome_id",
                           through("outcome_output", "outcome_id", "outcome")(lookup))
        fresh = _records(connection, entity, currency, extra, where(lookup))
        old = getattr(previous, attribute)
        key = _key(entity)
        name = f"owners:{attribute}"
        by_owner = _owners(old, column, key, cache, name)
        if owners is None:
            dropped = [key(r) for r in old]
        else:
            dropped = [k for owner in owners for k in by_owner.get(owner, ())]
        replaced[attribute], removed = _spliced(old, sorted(dropped), fresh, key)
        kept_owners = dict(by_owner) if owners is not None else {}
        for owner in (owners if owners is not None else ()):
            kept_owners.pop(owner, None)
        added: dict[Any, list] = defaultdict(list)
        for record in fresh:
            added[getattr(record, column)].append(key(record))
        for owner, keys in added.items():  # new lists: the previous data's index is left as it was
            kept_owners[owner] = [*kept_owners.get(owner, ()), *keys]
        index[name] = kept_owners
        touched.append((entity, tuple(removed), where))
    for name, owners_index in cache.items():  # the owner indexes of tables no edit touched stay right
        if name.startswith("owners:") and name not in index:
            index[name] = owners_index
    data = replace(previous, **replaced, _index=index)
    return Reloaded(data, frozenset(ids), tuple(touched))
