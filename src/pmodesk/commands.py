"""Edits as commands: plain objects that apply and revert themselves against the store.

The UI wraps each in a thin ``QUndoCommand`` so the undo stack gives menu text and a clean state;
each ``apply``/``revert`` is one committed transaction with its audit entries (DESIGN.md s. 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pmodesk.domain import model
from pmodesk.store import Store
from pmodesk.store.tables import SPECS


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
        spec = next(s for s in SPECS.values() if s.record is type(self.record))
        store.delete(spec.name, self.inserted_id)

    @property
    def text(self) -> str:
        return self.label or f"Add {type(self.record).__name__.lower()}"


def record_decision(decision: model.Decision) -> InsertRecord:
    return InsertRecord(decision, label="Record decision")
