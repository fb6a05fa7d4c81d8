"""What the window shows in the few milliseconds between an edit and its new figures.

The edited records are already read back from the store; their figures are being recomputed. So
that the edited cell shows its new value at once, the previous figures are shown with the edited
initiatives' and benefits' records swapped in. It carries no prepared portfolio, so it can never be
mistaken for a computed result (``engine.portfolio.recompute`` refuses it).
"""

from __future__ import annotations

from dataclasses import replace

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import PortfolioResult


def provisional(previous: PortfolioResult, data: PortfolioData, initiative_ids) -> PortfolioResult:
    changed = set(initiative_ids)
    initiatives = {i.id: i for i in data.initiatives if i.id in changed}
    benefits = {b.id: b for b in data.benefits if b.initiative_id in changed}
    rows = []
    for r in previous.initiatives:
        if r.initiative.id not in changed:
            rows.append(r)
        elif r.initiative.id in initiatives:
            rows.append(replace(r, initiative=initiatives[r.initiative.id]))
    benefit_rows = []
    for b in previous.benefits:
        if b.initiative.id not in changed and b.benefit.id not in benefits:
            benefit_rows.append(b)
        elif b.benefit.id in benefits:
            record = benefits[b.benefit.id]
            owner = initiatives.get(record.initiative_id)
            if owner is not None:
                benefit_rows.append(replace(b, benefit=record, initiative=owner))
    return replace(previous, initiatives=tuple(rows), benefits=tuple(benefit_rows), prepared=None)
