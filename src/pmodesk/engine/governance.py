"""Governance gaps (DESIGN.md sections 7 and 15): what a board would call a control failure."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pmodesk.domain.model import PortfolioData


def aligned_initiative_ids(data: PortfolioData) -> set[int]:
    """Initiatives with a link of weight above 0 (no weight counts as 1) to an active objective."""
    active_objectives = {o.id for o in data.objectives if o.active}
    return {
        link.initiative_id
        for link in data.objective_links
        if link.objective_id in active_objectives and (link.weight is None or link.weight > Decimal(0))
    }


def initiative_flags(data: PortfolioData) -> dict[int, list[str]]:
    """``no_objective``, ``no_pivot_rules``, ``rule_agreed_after_approval`` for active initiatives."""
    aligned = aligned_initiative_ids(data)
    rules_by_initiative = defaultdict(list)
    for rule in data.pivot_rules:
        if rule.active:
            rules_by_initiative[rule.initiative_id].append(rule)
    flags: dict[int, list[str]] = {}
    for initiative in data.initiatives:
        found: list[str] = []
        if initiative.stage.active:
            if initiative.id not in aligned:
                found.append("no_objective")
            rules = rules_by_initiative[initiative.id]
            if not rules:
                found.append("no_pivot_rules")
            if initiative.approval_date is not None and any(r.agreed_on > initiative.approval_date for r in rules):
                found.append("rule_agreed_after_approval")
        flags[initiative.id] = found
    return flags


_WORDING = {
    "no_objective": "active initiative not linked to an active strategic objective",
    "no_pivot_rules": "active initiative without an active pivot rule",
    "rule_agreed_after_approval": "a pivot rule was agreed after the initiative's approval",
    "no_owner": "benefit without a named owner",
    "no_baseline": "benefit without a baseline (value and date)",
}


def governance_gaps(data: PortfolioData) -> list[tuple[str, str]]:
    """Every gap as ``(code, finding)``: initiatives first, then benefits, each in code order."""
    gaps: list[tuple[str, str]] = []
    flags = initiative_flags(data)
    for initiative in sorted(data.initiatives, key=lambda i: i.code):
        for flag in flags[initiative.id]:
            if flag == "rule_agreed_after_approval":
                late = sorted(r.code for r in data.pivot_rules
                              if r.initiative_id == initiative.id and r.active and r.agreed_on > initiative.approval_date)
                gaps.append((initiative.code, f"pivot rule {', '.join(late)} agreed after approval on "
                                              f"{initiative.approval_date.isoformat()}"))
            else:
                gaps.append((initiative.code, _WORDING[flag]))
    for benefit in sorted(data.benefits, key=lambda b: b.code):
        if not (benefit.owner or "").strip():
            gaps.append((benefit.code, _WORDING["no_owner"]))
        if not benefit.has_baseline:
            gaps.append((benefit.code, _WORDING["no_baseline"]))
    return gaps
