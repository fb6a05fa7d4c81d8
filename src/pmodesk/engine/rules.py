"""Pivot rules (DESIGN.md section 8): which agreed rules trigger at the as-of date."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date

from pmodesk.domain.calendar import add_months
from pmodesk.domain.enums import Action, AppliesFrom, Comparator, DecisionKind
from pmodesk.domain.model import Decision, Initiative, PivotRule

_COMPARE = {Comparator.LT: operator.lt, Comparator.LE: operator.le, Comparator.GT: operator.gt,
            Comparator.GE: operator.ge}


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One active rule of an active initiative at D: triggered, not triggered or not evaluable."""

    initiative: Initiative
    rule: PivotRule
    applies_from: date | None  # None: the anchor date is missing
    observed: float | int | None
    triggered: bool

    @property
    def evaluable(self) -> bool:
        return self.applies_from is not None and self.observed is not None

    def as_json(self) -> dict:
        return {"initiative": self.initiative.code, "rule": self.rule.code, "metric": self.rule.metric.value,
                "observed": self.observed, "comparator": self.rule.comparator.value,
                "threshold": _number(self.rule.threshold), "action": self.rule.action.value}


def _number(value):
    as_int = int(value)
    return as_int if value == as_int else float(value)


def applies_from(rule: PivotRule, initiative: Initiative) -> date | None:
    anchor = initiative.approval_date if rule.applies_from is AppliesFrom.APPROVAL else initiative.go_live
    return None if anchor is None else add_months(anchor, rule.applies_from_months)


def evaluate(rule: PivotRule, initiative: Initiative, metrics: dict[str, float | int | None],
             as_of: date) -> RuleResult | None:
    """The rule's state at D, or ``None`` while D has not reached its "applies from" point."""
    start = applies_from(rule, initiative)
    if start is not None and as_of < start:
        return None
    observed = metrics.get(rule.metric.value)
    if start is None or observed is None:
        return RuleResult(initiative, rule, start, observed, False)
    triggered = _COMPARE[rule.comparator](round(observed, 9), float(rule.threshold))  # see portfolio.comparable
    return RuleResult(initiative, rule, start, observed, triggered)


def decision_order(result: RuleResult) -> tuple:
    """terminate > pause > pivot > escalate > review, then initiative code, then rule code."""
    return (result.rule.action.severity_rank, result.initiative.code, result.rule.code)


def decision_from_trigger(result: RuleResult, raised_on: date) -> Decision:
    """Turn a triggered rule into a decision-log entry in one step, linked to the rule."""
    rule = result.rule
    observed = result.observed
    shown = f"{observed:.1f}" if isinstance(observed, float) else str(observed)
    summary = (f"Pivot rule {rule.code} triggered: {rule.metric.value} is {shown} "
               f"({rule.comparator.value} {rule.threshold}); recommended action: {rule.action.value}")
    return Decision(initiative_id=result.initiative.id, kind=DecisionKind.PIVOT_RULE_TRIGGER, raised_on=raised_on,
                    summary=summary, escalated=rule.action in (Action.ESCALATE, Action.TERMINATE, Action.PAUSE),
                    rule_id=rule.id)
