"""What ``pmodesk check`` (and the UI's check panel) reports: integrity, invalid records, gaps."""

from __future__ import annotations

from pmodesk.domain import validation
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.governance import governance_gaps
from pmodesk.store import Store


def record_problems(data: PortfolioData) -> list[tuple[str, str]]:
    """Records that break an input rule the file's constraints cannot express (DESIGN.md s. 15)."""
    found: list[tuple[str, str]] = []
    initiatives = {i.id: i for i in data.initiatives}
    benefits = {b.id: b for b in data.benefits}
    for initiative in data.initiatives:
        found += [(initiative.code, f"{f}: {p}") for f, p in validation.initiative_problems(initiative)]
    for benefit in data.benefits:
        found += [(benefit.code, f"{f}: {p}") for f, p in validation.benefit_problems(benefit)]
    for point in data.trajectory:
        benefit = benefits[point.benefit_id]
        found += [(benefit.code, f"trajectory {point.date.isoformat()} {f}: {p}")
                  for f, p in validation.trajectory_problems(benefit, point.date, point.value)]
    scenarios = {s.id: s for s in data.scenarios}
    for override in data.scenario_overrides:
        label = f"{scenarios[override.scenario_id].name} / {initiatives[override.initiative_id].code}"
        found += [(label, f"{f}: {p}") for f, p in validation.override_problems(
            override, initiatives[override.initiative_id])]
    return found


def findings(store: Store) -> list[tuple[str, str]]:
    name = store.path.name
    found = [(name, problem) for problem in store.integrity_problems()]
    data = store.load()
    return found + record_problems(data) + governance_gaps(data)
