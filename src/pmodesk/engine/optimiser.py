"""The exact portfolio optimiser (DESIGN.md section 9, settled in section 15).

Choose, among active and proposed initiatives, the set with the largest Σ expected remaining value
(optionally risk-weighted) whose Σ remaining cost fits the budget, honouring must-keep and
must-stop. Everything is in exact integer minor units. The search is a depth-first branch and
bound whose bound is the fractional-knapsack relaxation, floored exactly in integers, so it never
discards a set that could be better: the answer is optimal, not greedy. Among equally valuable sets
it returns the cheaper, then the one whose sorted codes come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from pmodesk.domain.money import minor_unit, round_money
from pmodesk.engine.portfolio import InitiativeResult

METHOD = "exact branch and bound over integer minor units (fractional-knapsack bound); ties: cheaper, then codes"


@dataclass(frozen=True)
class Candidate:
    code: str
    value: int  # objective contribution in minor units (risk-weighted when λ > 0)
    cost: int  # remaining cost in minor units


@dataclass(frozen=True)
class Choice:
    selected: tuple[str, ...]
    excluded: tuple[str, ...]
    value: int
    cost: int
    budget: int
    method: str = METHOD


class KeepsOverBudget(Exception):
    """The must-keep initiatives alone cost more than the budget (exit 1)."""


class NotACandidate(ValueError):
    """A --keep/--stop code that is not an active or proposed initiative, or both kept and stopped."""


def candidates(results: list[InitiativeResult], currency: str, risk_weight: Decimal) -> list[Candidate]:
    """Active and proposed initiatives with their exact value and cost."""
    digits = minor_unit(currency)
    quantum = Decimal(1).scaleb(-digits)
    out = []
    for result in results:
        if not (result.active or not result.funded):
            continue
        value = round_money(result.expected_remaining_value, currency)
        if risk_weight:
            risk = Decimal(result.risk_score or 0)
            value = (value * (1 - risk_weight * risk / 25)).quantize(quantum, rounding=ROUND_HALF_EVEN)
        out.append(Candidate(result.initiative.code, int(value.scaleb(digits)), int(result.remaining_cost.scaleb(digits))))
    return sorted(out, key=lambda c: c.code)


def check_choices(pool: list[Candidate], keep: set[str], stop: set[str]) -> None:
    codes = {c.code for c in pool}
    both = sorted(keep & stop)
    if both:
        raise NotACandidate(f"{', '.join(both)} cannot be both kept and stopped")
    unknown = sorted((keep | stop) - codes)
    if unknown:
        raise NotACandidate(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not an active or "
                            "proposed initiative of this portfolio")


def optimise(pool: list[Candidate], budget: int, keep: set[str] = frozenset(), stop: set[str] = frozenset()) -> Choice:
    check_choices(pool, set(keep), set(stop))
    kept = [c for c in pool if c.code in keep]
    kept_cost = sum(c.cost for c in kept)
    if kept_cost > budget:
        raise KeepsOverBudget(kept_cost)
    capacity = budget - kept_cost
    free = [c for c in pool if c.code not in keep and c.code not in stop]
    # Items that can never improve the objective are never chosen; free value is always taken.
    forced = [c for c in free if c.cost <= 0 and c.value > 0]
    open_items = [c for c in free if c.value > 0 and 0 < c.cost <= capacity]
    chosen = _branch_and_bound(open_items, capacity - sum(c.cost for c in forced))
    selected = sorted({c.code for c in kept} | {c.code for c in forced} | chosen)
    by_code = {c.code: c for c in pool}
    return Choice(
        selected=tuple(selected),
        excluded=tuple(sorted(c.code for c in pool if c.code not in selected)),
        value=sum(by_code[code].value for code in selected),
        cost=sum(by_code[code].cost for code in selected),
        budget=budget,
    )


def _better(value: int, cost: int, codes: frozenset[str], best: tuple[int, int, frozenset[str]] | None) -> bool:
    if best is None:
        return True
    if value != best[0]:
        return value > best[0]
    if cost != best[1]:
        return cost < best[1]
    difference = codes ^ best[2]
    return bool(difference) and min(difference) in codes  # the set holding the first differing code comes first


def _branch_and_bound(items: list[Candidate], capacity: int) -> frozenset[str]:
    """Exact 0/1 knapsack with the section-15 tie-breaks; items all have value > 0 and cost > 0."""
    if capacity < 0:
        return frozenset()
    # Best value per unit of cost first; equal ratios by code so the search meets ties in code order.
    order = sorted(items, key=lambda c: (-c.value / c.cost, c.code))
    values = [c.value for c in order]
    costs = [c.cost for c in order]
    n = len(order)
    suffix_value = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix_value[i] = suffix_value[i + 1] + values[i]
    best: list = [None]
    taken: list[str] = []

    def bound(i: int, room: int) -> int:
        total = 0
        while i < n and costs[i] <= room:
            room -= costs[i]
            total += values[i]
            i += 1
        if i < n and room > 0:
            total += (room * values[i]) // costs[i]  # floor of the fractional part: exact for integer values
        return total

    def search(i: int, room: int, value: int, cost: int) -> None:
        if i == n:
            codes = frozenset(taken)
            if _better(value, cost, codes, best[0]):
                best[0] = (value, cost, codes)
            return
        if best[0] is not None:
            if value + suffix_value[i] < best[0][0] or value + bound(i, room) < best[0][0]:
                return
        if costs[i] <= room:
            taken.append(order[i].code)
            search(i + 1, room - costs[i], value + values[i], cost + costs[i])
            taken.pop()
        search(i + 1, room, value, cost)

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n + 100))
    try:
        search(0, capacity, 0, 0)
    finally:
        sys.setrecursionlimit(limit)
    return best[0][2] if best[0] is not None else frozenset()
