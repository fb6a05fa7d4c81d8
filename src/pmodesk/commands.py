"""Edits as commands: plain objects that apply and revert themselves against the store.

The UI wraps each in a thin ``QUndoCommand`` so the undo stack gives menu text and a clean state;
each ``apply``/``revert`` is one committed transaction with its audit entries (DESIGN.md s. 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pmodesk.domain import model
from pmodesk.domain.enums import Stage
from pmodesk.store import Store


@dataclass
class UpdateField:
    """Change one field of one row from ``old`` to ``new``."""

    entity: str
    key: Any
    field: str
    old: Any
    new: Any
    label: str = ""

    def apply(self, store: Store) -> None:
        store.update(self.entity, self.key, **{self.field: self.new})

    def revert(self, store: Store) -> None:
        store.update(self.entity, self.key, **{self.field: self.old})

    @property
    def text(self) -> str:
        return self.label or f"Change {self.entity.replace('_', ' ')} {self.field.replace('_', ' ')}"


@dataclass
class InsertRecord:
    """Add a record; undo removes it again, redo puts it back with the same id."""

    record: Any
    label: str = ""
    inserted_id: int | None = field(default=None, init=False)

    def apply(self, store: Store) -> None:
        record = self.record if self.inserted_id is None else replace(self.record, id=self.inserted_id)
        self.inserted_id = store.insert(record)

    def revert(self, store: Store) -> None:
        from pmodesk.store.tables import SPECS

        spec = next(s for s in SPECS.values() if s.record is type(self.record))
        store.delete(spec.name, self.inserted_id)

    @property
    def text(self) -> str:
        return self.label or f"Add {type(self.record).__name__.lower()}"


def record_decision(decision: model.Decision) -> InsertRecord:
    return InsertRecord(decision, label="Record decision")


@dataclass
class SaveScenario:
    """A new scenario with its overrides, in one edit; undo removes both."""

    name: str
    overrides: tuple[model.ScenarioOverride, ...] = ()  # their scenario_id is replaced by the new one
    label: str = ""
    new_id: int | None = field(default=None, init=False)

    def apply(self, store: Store) -> None:
        with store.edit() as edit:
            self.new_id = edit.insert(model.Scenario(self.name, id=self.new_id))
            for o in self.overrides:
                edit.insert(replace(o, scenario_id=self.new_id, id=None))

    def revert(self, store: Store) -> None:
        store.delete("scenario", self.new_id)  # its overrides go with it (ON DELETE CASCADE)

    @property
    def text(self) -> str:
        return self.label or f"New scenario {self.name}"


def copy_scenario(data: model.PortfolioData, source_id: int, name: str) -> SaveScenario:
    overrides = tuple(o for o in data.scenario_overrides if o.scenario_id == source_id)
    return SaveScenario(name, overrides, label=f"Copy scenario as {name}")


def optimised_scenario(result, choice, name: str) -> SaveScenario:
    """The optimiser's answer as a scenario (DESIGN.md section 13): the proposed initiatives it selected
    are funded from D; every excluded candidate that still has remaining cost or expected remaining value
    stops the day after D (one with nothing left to spend or gain is left alone)."""
    from datetime import timedelta

    stop = result.as_of + timedelta(days=1)
    overrides = []
    for r in sorted(result.initiatives, key=lambda r: r.initiative.code):
        code = r.initiative.code
        if code in choice.selected and r.initiative.stage == Stage.PROPOSED:
            overrides.append(model.ScenarioOverride(0, r.initiative.id, fund_from=result.as_of))
        elif code in choice.excluded and (r.remaining_cost or r.expected_remaining_value):
            overrides.append(model.ScenarioOverride(0, r.initiative.id, stop_from=stop))
    return SaveScenario(name, tuple(overrides), label=f"Save optimised scenario {name}")


@dataclass
class DeleteScenario:
    """Remove a scenario and its overrides; undo puts both back with their ids."""

    scenario: model.Scenario
    overrides: tuple[model.ScenarioOverride, ...]

    def apply(self, store: Store) -> None:
        store.delete("scenario", self.scenario.id)

    def revert(self, store: Store) -> None:
        with store.edit() as edit:
            edit.insert(self.scenario)
            for o in self.overrides:
                edit.insert(o)

    @property
    def text(self) -> str:
        return f"Delete scenario {self.scenario.name}"


@dataclass
class SetOverride:
    """Create, change or (``new`` None) remove one initiative's override in a scenario."""

    old: model.ScenarioOverride | None
    new: model.ScenarioOverride | None

    def _put(self, store: Store, before, after) -> None:
        with store.edit() as edit:
            if before is not None:
                edit.delete("scenario_override", before.id)
            if after is not None:
                edit.insert(after)

    def apply(self, store: Store) -> None:
        self._put(store, self.old, self.new)

    def revert(self, store: Store) -> None:
        self._put(store, self.new, self.old)

    @property
    def text(self) -> str:
        return "Remove override" if self.new is None else "Set override"


@dataclass
class UpdateRecord:
    """Change several fields of one record in one transaction (a form's OK).

    A pivot rule changed after its initiative's approval keeps its history: ``reason`` is required
    then, and one ``PivotRuleChange`` per changed field is written in the same transaction.
    """

    entity: str
    key: Any
    old: dict[str, Any]
    new: dict[str, Any]
    label: str = ""
    reason: str | None = None
    changed_by: str | None = None
    history_ids: list[int] = field(default_factory=list, init=False)

    def apply(self, store: Store) -> None:
        from datetime import datetime, timezone

        with store.edit() as edit:
            edit.update(self.entity, self.key, **self.new)
            if self.entity == "pivot_rule" and self.reason:
                at = datetime.now(timezone.utc).replace(microsecond=0)
                self.history_ids = [edit.insert(model.PivotRuleChange(
                    self.key, at, name, _text(self.old[name]), _text(self.new[name]), self.reason, self.changed_by))
                    for name in self.new if self.old.get(name) != self.new[name]]

    def revert(self, store: Store) -> None:
        with store.edit() as edit:
            for history_id in self.history_ids:
                edit.delete("pivot_rule_change", history_id)
            edit.update(self.entity, self.key, **self.old)
        self.history_ids = []

    @property
    def text(self) -> str:
        return self.label or f"Edit {self.entity.replace('_', ' ')}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass
class DeleteRecord:
    """Remove a record that nothing else depends on; undo restores it with its id."""

    record: Any
    label: str = ""

    def apply(self, store: Store) -> None:
        from pmodesk.store.tables import SPECS

        spec = next(s for s in SPECS.values() if s.record is type(self.record))
        key = tuple(getattr(self.record, k) for k in spec.key)
        store.delete(spec.name, key if len(key) > 1 else key[0])

    def revert(self, store: Store) -> None:
        store.insert(self.record)

    @property
    def text(self) -> str:
        return self.label or f"Delete {type(self.record).__name__.lower()}"


@dataclass
class InsertRecords:
    """Add several records in one edit (a month's measurements); undo removes them all again.

    Each record gets its own audit entry, all in the one committed transaction.
    """

    records: tuple[Any, ...]
    label: str = ""
    inserted_ids: list[int] = field(default_factory=list, init=False)

    def apply(self, store: Store) -> None:
        with store.edit() as edit:
            records = self.records if not self.inserted_ids else \
                [replace(r, id=i) for r, i in zip(self.records, self.inserted_ids, strict=True)]
            self.inserted_ids = [edit.insert(record) for record in records]

    def revert(self, store: Store) -> None:
        from pmodesk.store.tables import SPECS

        with store.edit() as edit:
            for record, inserted_id in zip(self.records, self.inserted_ids, strict=True):
                spec = next(s for s in SPECS.values() if s.record is type(record))
                edit.delete(spec.name, inserted_id)

    @property
    def text(self) -> str:
        return self.label or f"Add {len(self.records)} records"


def record_measurements(measurements, label: str = "") -> "InsertRecords":
    """A month's actuals: many measurements stored in one transaction, undone as one step."""
    count = len(measurements)
    return InsertRecords(tuple(measurements), label or f"Record {count} measurement{'s' if count != 1 else ''}")


@dataclass
class Batch:
    """Several commands as one edit and one undo step (e.g. a target and its trajectory's end).

    Each part runs in its own transaction; if a later part fails, the earlier ones are reverted, so
    the file ends as it began.
    """

    parts: tuple[Any, ...]
    label: str

    def apply(self, store: Store) -> None:
        done = []
        try:
            for part in self.parts:
                part.apply(store)
                done.append(part)
        except Exception:
            for part in reversed(done):
                part.revert(store)
            raise

    def revert(self, store: Store) -> None:
        for part in reversed(self.parts):
            part.revert(store)

    @property
    def text(self) -> str:
        return self.label


def copy_rule_template(rules: tuple[model.PivotRule, ...], label: str) -> InsertRecords:
    """Pivot rules copied from a template onto initiatives, one undoable edit (DESIGN.md section 15)."""
    return InsertRecords(tuple(rules), label)
