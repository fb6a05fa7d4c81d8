"""What committed edits changed, by the initiative that owns each row.

Every :class:`~pmodesk.store.store.Edit` notes the rows it inserts, updates and deletes here; the
store gathers the notes of committed edits until someone takes them (:meth:`Store.take_changes`).
An open window uses them to re-read only the touched initiatives' rows (:meth:`Store.reload`) and
to recompute only those initiatives (``engine.portfolio.recompute``) instead of reading the whole
portfolio again. Rows that belong to no initiative, or whose change reaches many initiatives (the
portfolio row, objectives, scenarios, KPIs, bulk inserts, a currency change, a deleted initiative,
output or outcome), mark the change as ``everything``: the whole portfolio is read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

# Entities whose rows carry their initiative as ``initiative_id``.
OWNED = frozenset({"initiative_objective", "planned_spend", "cost_actual", "benefit", "pivot_rule", "decision",
                   "output", "outcome", "commentary"})
# Entities owned through another row: entity -> (the owner kind, the column naming it).
THROUGH = {"trajectory_point": ("benefits", "benefit_id"), "measurement": ("benefits", "benefit_id"),
           "benefit_output": ("benefits", "benefit_id"), "pivot_rule_change": ("rules", "rule_id"),
           "outcome_output": ("outcomes", "outcome_id")}
# A change to one of these reaches every initiative (alignment, scenarios, the settings of every figure).
EVERYTHING = frozenset({"portfolio", "kpi", "objective", "scenario", "scenario_override"})
# Deleting one of these cascades to rows of other kinds that may belong elsewhere (scenario
# overrides of a deleted initiative; links and benefits' outcome of a deleted output or outcome).
DELETE_EVERYTHING = frozenset({"initiative", "output", "outcome"})


@dataclass
class Changes:
    """The owners of the rows committed edits touched since the changes were last taken."""

    initiatives: set[int] = field(default_factory=set)
    benefits: set[int] = field(default_factory=set)  # rows of these benefits (their initiative is looked up)
    rules: set[int] = field(default_factory=set)  # pivot rule history of these rules
    outcomes: set[int] = field(default_factory=set)  # output links of these outcomes
    portfolio_commentary: bool = False  # commentary on the whole portfolio (no initiative)
    decisions: bool = False  # every decision: a deleted rule's decisions lose their link (ON DELETE SET NULL)
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not (self.initiatives or self.benefits or self.rules or self.outcomes or self.portfolio_commentary
                    or self.decisions or self.everything)

    def merge(self, other: "Changes") -> None:
        self.initiatives |= other.initiatives
        self.benefits |= other.benefits
        self.rules |= other.rules
        self.outcomes |= other.outcomes
        self.portfolio_commentary |= other.portfolio_commentary
        self.decisions |= other.decisions
        self.everything |= other.everything

    def note(self, action: str, entity: str, key: Any, old: Mapping[str, Any] | None,
             new: Mapping[str, Any] | None) -> None:
        """One row inserted (``old`` None), updated (both: the row before, the changed columns) or
        deleted (``new`` None)."""
        if entity == "audit_entry" or self.everything:
            return
        if entity in EVERYTHING or (action == "delete" and entity in DELETE_EVERYTHING):
            self.everything = True
            return
        rows = [row for row in (old, new) if row is not None]
        if entity == "initiative":
            self.initiatives.add(key)
            return
        if entity == "pivot_rule" and action == "delete":
            self.decisions = True
        if entity in OWNED:
            for row in rows:
                if "initiative_id" not in row:
                    continue
                owner = row["initiative_id"]
                if owner is None:
                    self.portfolio_commentary = True
                else:
                    self.initiatives.add(owner)
            return
        through = THROUGH.get(entity)
        if through is None:  # an entity this module does not know: read everything again
            self.everything = True
            return
        kind, column = through
        for row in rows:
            if row.get(column) is not None:
                getattr(self, kind).add(row[column])


@dataclass(frozen=True)
class Reloaded:
    """A portfolio read again after edits (:meth:`Store.reload`)."""

    data: Any  # the PortfolioData, as a whole read would now give it
    initiative_ids: frozenset[int] | None  # the initiatives whose rows were read again; None: everything was
    # (entity, the rows of the previous data that were replaced, the rows' selection as a function of a
    # table lookup): what a server store needs to refresh its row versions.
    touched: tuple = field(default=(), repr=False, compare=False)

