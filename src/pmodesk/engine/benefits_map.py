"""An initiative's benefits map: outputs → outcomes → benefits → strategic objectives (DESIGN.md
sections 2 and 4, the benefit dependency chain). Plain data, drawn by the window and the board pack."""

from __future__ import annotations

from dataclasses import dataclass

from pmodesk.domain.model import PortfolioData

COLUMNS = ("Outputs", "Outcomes", "Benefits", "Strategic objectives")


@dataclass(frozen=True)
class MapNode:
    column: int
    key: tuple[str, int]
    code: str
    title: str


def benefits_map(data: PortfolioData, initiative_id: int) -> tuple[list[MapNode], list[tuple[tuple, tuple]]]:
    """The nodes (by column) and links of one initiative's benefit dependency chain."""
    outputs = sorted((o for o in data.outputs if o.initiative_id == initiative_id), key=lambda o: o.code)
    outcomes = sorted((o for o in data.outcomes if o.initiative_id == initiative_id), key=lambda o: o.code)
    benefits = sorted((b for b in data.benefits if b.initiative_id == initiative_id), key=lambda b: b.code)
    linked = {link.objective_id for link in data.objective_links if link.initiative_id == initiative_id}
    objectives = sorted((o for o in data.objectives if o.id in linked), key=lambda o: o.code)
    nodes = ([MapNode(0, ("output", o.id), o.code, o.title) for o in outputs]
             + [MapNode(1, ("outcome", o.id), o.code, o.title) for o in outcomes]
             + [MapNode(2, ("benefit", b.id), b.code, ("dis-benefit: " if b.dis_benefit else "") + b.title)
                for b in benefits]
             + [MapNode(3, ("objective", o.id), o.code, o.title + ("" if o.active else " (retired)"))
                for o in objectives])
    links = []
    for outcome in outcomes:
        links += [(("output", o), ("outcome", outcome.id)) for o in outcome.output_ids]
    for b in benefits:
        if b.outcome_id is not None:
            links.append((("outcome", b.outcome_id), ("benefit", b.id)))
        links += [(("output", o), ("benefit", b.id)) for o in b.output_ids]
        links += [(("benefit", b.id), ("objective", o.id)) for o in objectives]
    known = {n.key for n in nodes}
    return nodes, [(a, b) for a, b in links if a in known and b in known]
