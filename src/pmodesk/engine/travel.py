"""Direction of travel between two quarters: one decision of better, worse or steady for every view.

A module of its own, importing only the standard library: the window's tiles use it before the engine
is imported.
"""

from __future__ import annotations

from dataclasses import dataclass


# A change smaller than this (percentage points, or days for cycle time) is "steady".
STEADY_WITHIN = 0.5


@dataclass(frozen=True)
class Travel:
    """Direction of travel of a measure between two quarters, as every view words it."""

    sense: str | None  # "better", "worse", "steady"; None when either figure is none
    change: float | None

    @property
    def arrow(self) -> str:
        if self.sense is None or self.change is None:
            return "—"
        return "→" if self.sense == "steady" else ("↑" if self.change > 0 else "↓")

    @property
    def label(self) -> str:
        """``↑ better``, ``↓ worse``, ``→ steady`` or ``—``."""
        return "—" if self.sense is None else f"{self.arrow} {self.sense}"


def travel(now: float | None, before: float | None, higher_is_better: bool) -> Travel:
    """The one decision of better, worse or steady: the board pack's tables, tiles and narrative
    all call this, so what the narrative says and what the table shows never disagree."""
    if now is None or before is None:
        return Travel(None, None)
    change = now - before
    if abs(change) < STEADY_WITHIN:
        return Travel("steady", change)
    return Travel("better" if (change > 0) == higher_is_better else "worse", change)
