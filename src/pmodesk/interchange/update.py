"""``pmodesk import --update``: bring an existing portfolio in step with a register, by code.

The source's rows are laid over the portfolio's own rows (exported and read back the same way): a
row whose key exists keeps every field the source does not name, a new key is a new row, and
nothing absent from the source is touched. The merged portfolio then goes through the one
validator of a fresh import, so references may resolve to what the portfolio already holds and
required fields apply to new rows only. What differs from the portfolio becomes a plan of audited
edits, applied in one transaction (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields as dataclass_fields, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from pmodesk.domain import model
from pmodesk.interchange import fields
from pmodesk.interchange.document import InvalidInput, RawDocument, parse, to_document
from pmodesk.interchange.rows import NOT_A_VALUE, Problems, Row
from pmodesk.store.tables import DATE, SPECS

# The lists in the order their records are written (references first); the PortfolioData attribute
# each list's records are in.
ORDER = ("objectives", "initiatives", "initiative_objectives", "planned_spend", "cost_actuals", "outputs",
         "outcomes", "benefits", "trajectory", "measurements", "pivot_rules", "decisions", "scenarios",
         "scenario_overrides", "kpis", "commentary")
DATA_ATTRIBUTE = {"initiative_objectives": "objective_links"}
LINK_LISTS = {"outcome_outputs": "outcomes", "benefit_outputs": "benefits"}


@dataclass(frozen=True)
class NewRecord:
    """A reference to a record the plan adds (its id is known once it is written)."""

    entity: str
    merged_id: Any


@dataclass
class Operation:
    list_name: str
    entity: str
    record: Any  # the merged record; references are file ids or NewRecord
    existing: Any | None  # the portfolio's record, None when the operation adds one
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    merged_id: Any = None


@dataclass
class Plan:
    """What an import would do: records added and changed per list, every change, the warnings."""

    operations: list[Operation]
    portfolio_changes: dict[str, tuple[Any, Any]]
    warnings: list[str]
    data: model.PortfolioData

    def created(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for op in self.operations:
            if op.existing is None:
                counts[op.list_name] = counts.get(op.list_name, 0) + 1
        return counts

    def updated(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for op in self.operations:
            if op.existing is not None and op.changes:
                counts[op.list_name] = counts.get(op.list_name, 0) + 1
        if self.portfolio_changes:
            counts["portfolio"] = 1
        return counts

    def change_lines(self) -> list[str]:
        lines = [f"portfolio: {name} {_shown(old)} → {_shown(new)}" for name, (old, new) in
                 self.portfolio_changes.items()]
        for op in self.operations:
            if op.existing is not None:
                for name, (old, new) in op.changes.items():
                    lines.append(f"{op.list_name} {_label(op.existing)}: {name} {_shown(old)} → {_shown(new)}")
        return lines


def _label(record: Any) -> str:
    for name in ("code", "name", "metric"):
        if hasattr(record, name):
            return str(getattr(record, name))
    return f"#{getattr(record, 'id', '')}"


def _shown(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, NewRecord):
        return "(new)"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------------------------------------- keys
def _row_key(list_name: str, row: Row, problems: Problems) -> tuple | None:
    """The row's key as plain text, read on a scratch copy so the real row reports its own problems."""
    scratch = Row(row.where, row.number, row.values, problems, row.prefix, row.aliases, row.fixed, row.formats,
                  row.sheet)
    out = []
    for name in fields.KEYS[list_name]:
        spec = fields.field(list_name, name)
        if spec is not None and spec.kind == DATE:
            value = scratch.date(name, spreadsheet=True)
            out.append(value.isoformat() if value else None)
        elif spec is not None and isinstance(spec.kind, type) and issubclass(spec.kind, Enum):
            value = scratch.enum(name, spec.kind)
            out.append(value.value if value else None)
        else:
            out.append(scratch.code(name, required=False))
    return None if all(v is None for v in out) else tuple(out)


def _record_keys(data: model.PortfolioData) -> dict[str, dict[tuple, Any]]:
    """For each list, the portfolio's records by the key a source row would give."""
    initiative = {i.id: i.code for i in data.initiatives}
    objective = {o.id: o.code for o in data.objectives}
    benefit = {b.id: b.code for b in data.benefits}
    scenario = {s.id: s.name for s in data.scenarios}

    def first(records, key) -> dict[tuple, Any]:
        out: dict[tuple, Any] = {}
        for record in records:
            out.setdefault(key(record), record)
        return out

    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    keys = {
        "kpis": first(data.kpis, lambda k: (k.metric,)),
        "objectives": first(data.objectives, lambda o: (o.code,)),
        "initiatives": first(data.initiatives, lambda i: (i.code,)),
        "initiative_objectives": first(data.objective_links,
                                       lambda link: (initiative[link.initiative_id], objective[link.objective_id])),
        "planned_spend": first(data.planned_spend, lambda s: (initiative[s.initiative_id], iso(s.period_end))),
        "cost_actuals": first(data.cost_actuals, lambda s: (initiative[s.initiative_id], iso(s.period_end))),
        "outputs": first(data.outputs, lambda o: (o.code,)),
        "outcomes": first(data.outcomes, lambda o: (o.code,)),
        "benefits": first(data.benefits, lambda b: (b.code,)),
        "trajectory": first(data.trajectory, lambda t: (benefit[t.benefit_id], iso(t.date))),
        "measurements": first(data.measurements, lambda m: (benefit[m.benefit_id], iso(m.date))),
        "pivot_rules": first(data.pivot_rules, lambda r: (initiative[r.initiative_id], r.code)),
        "decisions": first(data.decisions, lambda d: (initiative[d.initiative_id], d.kind.value, iso(d.raised_on))),
        "scenarios": first(data.scenarios, lambda s: (s.name,)),
        "scenario_overrides": first(data.scenario_overrides,
                                    lambda o: (scenario[o.scenario_id], initiative[o.initiative_id])),
    }
    if hasattr(data, "commentary"):
        keys["commentary"] = first(getattr(data, "commentary"), lambda c: (
            iso(c.meeting_date), initiative.get(c.initiative_id) if c.initiative_id else None, c.author))
    return keys


# ------------------------------------------------------------------------------------------ merge
def _canonical(list_name: str, row: Row) -> set[str]:
    """The declared fields this row gives a value for."""
    names = fields.SHEETS.get(list_name, fields.PORTFOLIO_FIELDS)
    return {name for name in names if _given(row, name)}


def _field_of(row: Row, key: str) -> str:
    for name, alias in row.aliases.items():
        if alias == key:
            return name
    return key


def _given(row: Row, name: str) -> bool:
    """Whether the row gives a value for the field: an empty cell, null or ``n/a`` gives none."""
    if name in row.fixed:
        return row.fixed[name] is not None
    value = row.values.get(row.aliases.get(name, name))
    return not (value is None or (isinstance(value, str) and value.strip().lower() in ("",) + NOT_A_VALUE))


def _merged_row(list_name: str, existing: Row, source: Row) -> Row:
    """An existing row with the fields the source gives a value for replaced: an update never clears."""
    names = fields.SHEETS.get(list_name, fields.PORTFOLIO_FIELDS)
    given = {name for name in names if _given(source, name)}
    values = {}
    for name in names:
        if name not in given and existing.has(name):
            values[source.aliases.get(name, name)] = existing.fixed.get(
                name, existing.values.get(existing.aliases.get(name, name)))
    values.update({key: value for key, value in source.values.items()
                   if key not in values or _given(source, _field_of(source, key))})
    return Row(source.where, source.number, values, source.problems, source.prefix, source.aliases, source.fixed,
               source.formats, source.sheet)


def plan_update(existing: model.PortfolioData, source: RawDocument) -> Plan:
    """Check the source laid over ``existing``; the plan of edits, or InvalidInput listing every problem."""
    from pmodesk.interchange.json_format import from_object

    base = from_object(to_document(existing), "portfolio")
    problems = source.problems
    scratch = Problems(date_order=problems.date_order, epoch=problems.epoch)
    merged = RawDocument(portfolio=None, problems=problems)
    merged.lists = {name: [] for name in base.lists}
    origins: dict[str, list[Any]] = {}
    record_keys = _record_keys(existing)

    # the portfolio: optional, and never a new currency
    named_portfolio: set[str] = set()
    if source.portfolio is not None:
        named_portfolio = _canonical("portfolio", source.portfolio)
        merged.portfolio = _merged_row("portfolio", base.portfolio, source.portfolio)
        currency = source.portfolio.text("currency") if "currency" in named_portfolio else None
        if currency is not None and currency.strip().upper() != existing.portfolio.currency:
            source.portfolio.error("currency", f"an update cannot change the currency ({existing.portfolio.currency}"
                                               f" to {currency.strip()})")
    else:
        merged.portfolio = base.portfolio

    for list_name in base.lists:
        base_rows = base.lists[list_name]
        source_rows = source.lists.get(list_name, [])
        by_key: dict[tuple, int] = {}
        rows: list[Row] = []
        origin: list[Any] = []
        known = record_keys.get(list_name, {})
        for row in base_rows:
            key = _row_key(list_name, row, scratch)
            if key is not None:
                by_key.setdefault(key, len(rows))
            rows.append(row)
            origin.append(known.get(key) if key is not None else None)
        taken: set[int] = set()
        for row in source_rows:
            key = _row_key(list_name, row, scratch)
            index = by_key.get(key) if key is not None else None
            if index is not None and index not in taken:
                taken.add(index)
                rows[index] = _merged_row(list_name, rows[index], row)
            else:
                rows.append(row)
                origin.append(None)
        merged.lists[list_name] = rows
        origins[list_name] = origin
    try:
        data, warnings = parse(merged)
    except InvalidInput:
        raise
    return _plan(existing, data, origins, named_portfolio, warnings)


def _plan(existing: model.PortfolioData, data: model.PortfolioData, origins: dict[str, list[Any]],
          named_portfolio: set[str], warnings: list[str]) -> Plan:
    ids: dict[str, dict[Any, Any]] = {}  # entity -> merged id -> file id or NewRecord
    operations: list[Operation] = []
    existing_links = {(link.initiative_id, link.objective_id): link for link in existing.objective_links}

    def mapped(entity: str, merged_id: Any) -> Any:
        if merged_id is None:
            return None
        return ids.get(entity, {}).get(merged_id, NewRecord(entity, merged_id))

    for list_name in ORDER:
        entity = fields.LIST_ENTITIES.get(list_name)
        attribute = DATA_ATTRIBUTE.get(list_name, list_name)
        if entity not in SPECS or not hasattr(data, attribute):
            continue
        spec = SPECS[entity]
        references = {f.column: fields.LIST_ENTITIES[f.refers_to] for f in fields.LISTS[list_name]
                      if f.refers_to is not None}
        origin = origins.get(list_name, [])
        for record in getattr(data, attribute):
            translated = {column: mapped(target, getattr(record, column)) for column, target in references.items()}
            if hasattr(record, "output_ids"):
                translated["output_ids"] = tuple(sorted((mapped("output", o) for o in record.output_ids),
                                                        key=lambda v: (isinstance(v, NewRecord), str(v))))
            if list_name == "initiative_objectives":
                key = (translated["initiative_id"], translated["objective_id"])
                old = existing_links.get(key)
                merged_id = None
            else:
                merged_id = record.id
                index = record.id - 1
                old = origin[index] if 0 <= index < len(origin) else None
                translated["id"] = old.id if old is not None else None
            new = replace(record, **translated)
            if old is not None:
                if merged_id is not None:
                    ids.setdefault(entity, {})[merged_id] = old.id
                changes = {}
                for column in spec.fields:
                    if column == "id" or column in fields.NOT_INTERCHANGED or f"{entity}.{column}" in \
                            fields.NOT_INTERCHANGED:
                        continue
                    before, after = getattr(old, column), getattr(new, column)
                    if before != after:
                        changes[column] = (before, after)
                if hasattr(new, "output_ids"):
                    before = tuple(sorted(old.output_ids))
                    after = tuple(sorted(set(before) | set(new.output_ids), key=str))
                    if set(after) != set(before):
                        changes["output_ids"] = (before, after)
                operations.append(Operation(list_name, entity, new, old, changes, merged_id))
            else:
                operations.append(Operation(list_name, entity, new, None, {}, merged_id))
    portfolio_changes = {}
    for name in named_portfolio - {"currency"}:
        before = getattr(existing.portfolio, name)
        after = getattr(data.portfolio, name)
        if before != after:
            portfolio_changes[name] = (before, after)
    if "as_of_date" in portfolio_changes or ("as_of_date" in named_portfolio
                                             and existing.portfolio.as_of_mode != data.portfolio.as_of_mode):
        portfolio_changes["as_of_mode"] = (existing.portfolio.as_of_mode, data.portfolio.as_of_mode)
    return Plan(operations, portfolio_changes, warnings, data)


# ------------------------------------------------------------------------------------------ apply
def apply_plan(store, plan: Plan) -> None:
    """Write the plan as audited edits in one transaction."""
    written: dict[NewRecord, int] = {}

    def resolve(value: Any) -> Any:
        if isinstance(value, NewRecord):
            return written[value]
        if isinstance(value, tuple):
            return tuple(resolve(v) for v in value)
        return value

    with store.edit() as edit:
        if plan.portfolio_changes:
            edit.update("portfolio", 1, **{k: new for k, (_, new) in plan.portfolio_changes.items()})
        for op in plan.operations:
            if op.existing is None:
                values = {f.name: resolve(getattr(op.record, f.name)) for f in dataclass_fields(op.record)}
                if "id" in values:
                    values["id"] = None
                new_id = edit.insert(type(op.record)(**values))
                if op.merged_id is not None:
                    written[NewRecord(op.entity, op.merged_id)] = new_id
                continue
            changes = {k: resolve(new) for k, (_, new) in op.changes.items() if k != "output_ids"}
            spec = SPECS[op.entity]
            key = tuple(getattr(op.existing, k) for k in spec.key)
            if changes:
                edit.update(op.entity, key if len(key) > 1 else key[0], **changes)
            if "output_ids" in op.changes:
                edit.set_outputs(op.entity, op.existing.id, resolve(op.changes["output_ids"][1]))


def plan_create(data: model.PortfolioData, warnings: list[str]) -> Plan:
    """A fresh import as a plan: every record is new (for ``--dry-run``'s counts)."""
    operations = []
    for list_name in ORDER:
        attribute = DATA_ATTRIBUTE.get(list_name, list_name)
        for record in getattr(data, attribute, ()):
            operations.append(Operation(list_name, fields.LIST_ENTITIES[list_name], record, None))
    return Plan(operations, {}, warnings, data)


__all__ = ["Plan", "apply_plan", "plan_create", "plan_update"]
