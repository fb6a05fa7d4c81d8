"""The few things the board must know, in plain English, generated from the figures alone.

Deterministic: the same figures always give the same sentences; nothing is fetched or sampled.
"""

from __future__ import annotations

from pmodesk.boardpack.format import pct
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.engine.presentation import travel


NAMED = 8  # a sentence names at most this many; the rest are counted


def _names(codes: list[str]) -> str:
    if len(codes) <= 1:
        return "".join(codes)
    if len(codes) > NAMED:
        return ", ".join(codes[:NAMED]) + f" and {len(codes) - NAMED} more"
    return ", ".join(codes[:-1]) + " and " + codes[-1]


def _pct(value: float | None) -> str:
    return pct(value)


def narrative(result: PortfolioResult, kpi_targets: dict[str, float]) -> list[str]:
    m, prev = result.metrics, result.previous_quarter
    lines = []
    rvp = m.realisation_vs_plan_pct
    if rvp is not None:
        target = kpi_targets.get("realisation_vs_plan_pct")
        against = f" against a target of {target:.0f}%" if target is not None else ""
        trend = ""
        moved = travel(rvp, prev.realisation_vs_plan_pct, higher_is_better=True)
        if moved.sense == "steady":
            trend = " (steady on last quarter)"
        elif moved.sense is not None:
            trend = (f" ({'up' if moved.change > 0 else 'down'} {abs(moved.change):.1f} points on last quarter: "
                     f"{moved.sense})")
        lines.append(f"The funded portfolio has realised {_pct(rvp)} of the value planned to date{against}{trend}.")
    previous_rag = {r.initiative.code: r.value_rag for r in result.previous_initiatives}
    red = [r.initiative.code for r in result.initiatives if r.funded and r.value_rag == "red"]
    newly_red = [c for c in red if previous_rag.get(c) != "red"]
    if newly_red:
        lines.append(f"{_names(newly_red)} moved to red on value since last quarter.")
    still_red = [c for c in red if c not in newly_red]
    if still_red:
        lines.append(f"{_names(still_red)} {'remains' if len(still_red) == 1 else 'remain'} red on value.")
    if result.decisions_required:
        first = result.decisions_required[0]
        count = len(result.decisions_required)
        lines.append(f"{count} pivot rule{'s' if count != 1 else ''} triggered; the most severe recommends "
                     f"to {first.rule.action.value} {first.initiative.code} (rule {first.rule.code}).")
    eroding = sorted({b.benefit.code for b in result.benefits if "erosion" in b.flags})
    if eroding:
        lines.append(f"Value is eroding after go-live on {_names(eroding)}.")
    stale = sorted({b.benefit.code for b in result.benefits if "stale" in b.flags})
    if stale:
        lines.append(f"{len(stale)} benefit{'s have' if len(stale) != 1 else ' has'} no recent measurement "
                     f"({_names(stale)}).")
    if m.portfolio_roi_pct is not None and m.forecast_portfolio_roi_pct is not None:
        lines.append(f"Portfolio ROI to date is {_pct(m.portfolio_roi_pct)}; forecast to the end of tracking "
                     f"{_pct(m.forecast_portfolio_roi_pct)}.")
    if not lines:
        lines.append("No initiative needs the board's attention on the figures at this date.")
    return lines
