"""The exact portfolio optimiser (DESIGN.md section 9, settled in sections 15 and 17).

Choose, among active and proposed initiatives, the set with the largest Σ expected remaining value
(optionally risk-weighted) whose Σ remaining cost fits the budget, and whose remaining planned spend in
each capped fiscal year fits that year's budget (section 17), honouring must-keep and must-stop. Everything is in exact integer minor units. The search is a depth-first branch and
bound whose bound is the fractional-knapsack relaxation, floored exactly in integers, so it never
discards a set that could be better: the answer is optimal, not greedy. Among equally valuable sets
it returns the cheaper, then the one whose sorted codes come first.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from pmodesk.domain.money import minor_unit, round_money, to_minor
from pmodesk.engine.portfolio import InitiativeResult, PortfolioResult

METHOD = "exact branch and bound over integer minor units (fractional-knapsack bound); ties: cheaper, then codes"
METHOD_BY_YEAR = ("exact branch and bound over integer minor units with a budget per fiscal year (bound: the "
                  "tightest fractional relaxation of each budget and of an integer mix of them); ties: cheaper, "
                  "then codes")


@dataclass(frozen=True)
class Candidate:
    code: str
    value: int  # objective contribution in minor units (risk-weighted when λ > 0)
    cost: int  # remaining cost in minor units
    spend: tuple[tuple[int, int], ...] = ()  # (fiscal year, minor units) of planned spend after D, by year

    def spend_in(self, year: int) -> int:
        return next((amount for y, amount in self.spend if y == year), 0)


@dataclass(frozen=True)
class Choice:
    selected: tuple[str, ...]
    excluded: tuple[str, ...]
    value: int
    cost: int
    budget: int | None
    method: str = METHOD
    budget_by_year: tuple[tuple[int, int], ...] = ()  # (fiscal year, cap in minor units), by year
    spend_by_year: tuple[tuple[int, int], ...] = ()  # the selected set's spend in each capped year


class KeepsOverBudget(Exception):
    """The must-keep initiatives alone break the budget or a fiscal year's budget (exit 1).

    ``args[0]`` is their remaining cost; ``breaks`` lists (year or None for the whole budget, the
    must-keeps' spend, the cap) for every budget they break.
    """

    def __init__(self, kept_cost: int, breaks: list[tuple[int | None, int, int]] | None = None):
        super().__init__(kept_cost)
        self.breaks = breaks if breaks is not None else []


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year containing ``day``, labelled by the calendar year in which it ends (section 17):
    with an April start, 2026-04-01 … 2027-03-31 is 2027."""
    return day.year if start_month == 1 or day.month < start_month else day.year + 1


def with_spend_by_year(pool: list[Candidate], result: PortfolioResult) -> list[Candidate]:
    """The candidates with their remaining planned spend (period end after D) per fiscal year."""
    prepared = result.prepared
    start = prepared.data.portfolio.fiscal_year_start_month
    ids = {i.code: i.id for i in prepared.initiatives}
    out = []
    for c in pool:
        years: dict[int, int] = defaultdict(int)
        for period_end, amount in prepared.spend[ids[c.code]]:
            if period_end > result.as_of:
                years[fiscal_year(period_end, start)] += to_minor(amount, result.currency)
        out.append(replace(c, spend=tuple(sorted(years.items()))))
    return out


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


def optimise(pool: list[Candidate], budget: int | None, keep: set[str] = frozenset(), stop: set[str] = frozenset(),
             budget_by_year: Mapping[int, int] | None = None) -> Choice:
    """The best set for ``budget`` (None: no overall budget) and the per-year caps ``budget_by_year``.

    Per-year caps need the candidates' ``spend`` (:func:`with_spend_by_year`); years without a cap
    are free. At least one budget must be given.
    """
    check_choices(pool, set(keep), set(stop))
    caps = dict(sorted((budget_by_year or {}).items()))
    if budget is None and not caps:
        raise ValueError("give a budget, a budget per fiscal year, or both")
    if not caps:
        return _one_budget(pool, budget, keep, stop)
    return _by_year(pool, budget, caps, keep, stop)


def _one_budget(pool: list[Candidate], budget: int, keep, stop) -> Choice:
    kept = [c for c in pool if c.code in keep]
    kept_cost = sum(c.cost for c in kept)
    if kept_cost > budget:
        raise KeepsOverBudget(kept_cost, [(None, kept_cost, budget)])
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


def _by_year(pool: list[Candidate], budget: int | None, caps: dict[int, int], keep, stop) -> Choice:
    """Several budgets at once: the overall one (if any) on remaining cost, one per capped year."""
    labels: list[int | None] = ([None] if budget is not None else []) + list(caps)
    limits = ([budget] if budget is not None else []) + list(caps.values())

    def weights(c: Candidate) -> tuple[int, ...]:
        return tuple(c.cost if label is None else c.spend_in(label) for label in labels)

    kept = [c for c in pool if c.code in keep]
    used = [sum(w) for w in zip(*(weights(c) for c in kept))] if kept else [0] * len(labels)
    breaks = [(label, spent, limit) for label, spent, limit in zip(labels, used, limits) if spent > limit]
    if breaks:
        raise KeepsOverBudget(sum(c.cost for c in kept), breaks)
    room = [limit - spent for limit, spent in zip(limits, used)]
    free = [c for c in pool if c.code not in keep and c.code not in stop]
    # Free value that uses no budget at all is always taken; worthless items are never chosen.
    forced = [c for c in free if c.value > 0 and c.cost <= 0 and all(w <= 0 for w in weights(c))]
    room = [r - sum(weights(c)[j] for c in forced) for j, r in enumerate(room)]
    forced_codes = {c.code for c in forced}
    open_items = [c for c in free if c.value > 0 and c.code not in forced_codes]
    chosen = _multi_branch_and_bound(open_items, [weights(c) for c in open_items], room)
    selected = sorted({c.code for c in kept} | forced_codes | chosen)
    by_code = {c.code: c for c in pool}
    return Choice(
        selected=tuple(selected),
        excluded=tuple(sorted(c.code for c in pool if c.code not in selected)),
        value=sum(by_code[code].value for code in selected),
        cost=sum(by_code[code].cost for code in selected),
        budget=budget,
        method=METHOD_BY_YEAR,
        budget_by_year=tuple(caps.items()),
        spend_by_year=tuple((year, sum(by_code[code].spend_in(year) for code in selected)) for year in caps),
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
    # A second bound, by count: no more than ⌊room / cheapest remaining cost⌋ of the remaining items
    # fit, and they are worth at most the same number of the most valuable ones. Where costs are
    # alike (a budget just short of a whole number of initiatives) the fractional bound is weak and
    # this one is tight.
    suffix_min_cost = [0] * (n + 1)
    top_values: list[list[int]] = [[0]] * (n + 1)  # top_values[i][k]: Σ of the k largest values from i on
    if n:
        suffix_min_cost[n - 1] = costs[n - 1]
        for i in range(n - 2, -1, -1):
            suffix_min_cost[i] = min(costs[i], suffix_min_cost[i + 1])
        if n <= 600:  # n²/2 sums; beyond that the fractional bound alone still gives the exact answer
            ranked: list[int] = []
            for i in range(n - 1, -1, -1):
                bisect.insort(ranked, -values[i])
                running, sums = 0, [0]
                for v in ranked:
                    running -= v
                    sums.append(running)
                top_values[i] = sums
    best: list = [None]
    taken: list[str] = []

    def bound(i: int, room: int) -> int:
        if i < n and len(top_values[i]) > 1:
            by_count = top_values[i][min(n - i, room // suffix_min_cost[i])]
        else:
            by_count = suffix_value[i]
        total = 0
        while i < n and costs[i] <= room:
            room -= costs[i]
            total += values[i]
            i += 1
        if i < n and room > 0:
            total += (room * values[i]) // costs[i]  # floor of the fractional part: exact for integer values
        return min(total, by_count)

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


def _multi_branch_and_bound(items: list[Candidate], weights: list[tuple[int, ...]], room: list[int]) -> frozenset[str]:
    """Exact 0/1 knapsack under several budgets, with the section-15 tie-breaks; all values > 0.

    A weight may be negative (a negative planned spend frees budget), so feasibility is checked at
    the leaves and a branch is cut only when even every remaining negative weight cannot restore a
    budget. The bound at a node is the smallest over the budgets of that budget's own fractional
    relaxation, each an upper bound on what the remaining items can add.
    """
    n, m = len(items), len(room)
    if n == 0:
        return frozenset()
    surrogate = _surrogate_multipliers([c.value for c in items], weights, room)
    if surrogate:
        # One more budget implied by the others (a non-negative integer mix of them, so every sum
        # stays exact): it bounds and cuts like the real ones, and is far tighter than any one alone.
        weights = [row + (sum(mu * x for mu, x in zip(surrogate, row)),) for row in weights]
        room = list(room) + [sum(mu * r for mu, r in zip(surrogate, room))]
        m += 1
    # Valuable items per unit of the combined (else the overall) budget first; ties in code order.
    def key(k: int):
        size = weights[k][-1] if surrogate else items[k].cost
        return (-(items[k].value / size) if size > 0 else float("-inf"), items[k].code)

    order = sorted(range(n), key=key)
    codes = [items[k].code for k in order]
    values = [items[k].value for k in order]
    costs = [items[k].cost for k in order]
    w = [weights[k] for k in order]
    suffix_value = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix_value[i] = suffix_value[i + 1] + values[i]
    # Per budget: Σ of the negative weights still to come (what can be freed), the value of the items
    # still to come that use none of it, and the positive-weight items by value per unit of weight.
    freeable = [[0] * (n + 1) for _ in range(m)]
    weightless_value = [[0] * (n + 1) for _ in range(m)]
    ratio_order = []
    for j in range(m):
        for i in range(n - 1, -1, -1):
            freeable[j][i] = freeable[j][i + 1] + max(0, -w[i][j])
            weightless_value[j][i] = weightless_value[j][i + 1] + (values[i] if w[i][j] <= 0 else 0)
        ratio_order.append(sorted((i for i in range(n) if w[i][j] > 0), key=lambda i, j=j: (-values[i] / w[i][j], i)))

    def bound(i: int, rooms: list[int]) -> int:
        best_bound = suffix_value[i]
        for j in range(m):
            capacity = rooms[j] + freeable[j][i]
            total = weightless_value[j][i]
            for k in ratio_order[j]:
                if k < i:
                    continue
                if w[k][j] <= capacity:
                    capacity -= w[k][j]
                    total += values[k]
                else:
                    total += (capacity * values[k]) // w[k][j]  # floor of the fractional part
                    break
                if total >= best_bound:
                    break
            best_bound = min(best_bound, total)
        return best_bound

    best: list = [None]
    taken: list[str] = []

    def search(i: int, rooms: list[int], value: int, cost: int) -> None:
        if any(rooms[j] + freeable[j][i] < 0 for j in range(m)):
            return  # no choice of the remaining items can bring this budget back within its cap
        if i == n:
            found = frozenset(taken)
            if _better(value, cost, found, best[0]):
                best[0] = (value, cost, found)
            return
        if best[0] is not None and value + bound(i, rooms) < best[0][0]:
            return
        taken.append(codes[i])
        search(i + 1, [r - x for r, x in zip(rooms, w[i])], value + values[i], cost + costs[i])
        taken.pop()
        search(i + 1, rooms, value, cost)

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n + 100))
    try:
        search(0, list(room), 0, 0)
    finally:
        sys.setrecursionlimit(limit)
    return best[0][2] if best[0] is not None else frozenset()


def _surrogate_multipliers(values: list[int], weights: list[tuple[int, ...]], room: list[int]) -> list[int] | None:
    """Integer weights for combining the budgets into one, from the root LP relaxation's dual prices.

    Any non-negative mix of the budgets is a valid budget, so the multipliers only decide how tight
    the bound is, never whether the answer is right; floats are used only to choose them.
    """
    if len(room) < 2:
        return None
    try:
        import numpy as np
        from scipy.optimize import linprog

        a = np.array(weights, dtype=float)
        solved = linprog(-np.array(values, dtype=float), A_ub=a.T, b_ub=np.array(room, dtype=float),
                         bounds=(0, 1), method="highs")
        if solved.status != 0:
            return None
        prices = np.maximum(-np.asarray(solved.ineqlin.marginals, dtype=float), 0.0)
    except Exception:  # the bound is an optimisation; without it the search is slower, never wrong
        return None
    top = float(prices.max()) if len(prices) else 0.0
    if not top > 0:
        return None
    multipliers = [int(round(p / top * 1_000_000)) for p in prices]
    return multipliers if any(multipliers) else None
