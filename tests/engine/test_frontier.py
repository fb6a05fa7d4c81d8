"""The efficient frontier (DESIGN.md section 17): every point is the optimiser's own answer."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings, strategies as st

from pmodesk.engine.frontier import budgets, frontier, least_cost_reaching
from pmodesk.engine.optimiser import Candidate, NotACandidate, optimise

# KNAPSACK_01 P01 (John Burkardt's collection): capacity 165, optimum 309 with items 1, 2, 3, 4 and 6.
P01_WEIGHTS = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
P01_PROFITS = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]


def _pool(values, costs):
    return [Candidate(f"I{n:02d}", v, c) for n, (v, c) in enumerate(zip(values, costs), start=1)]


def best_value(pool, budget):
    return max(sum(c.value for c in s) for size in range(len(pool) + 1) for s in combinations(pool, size)
               if sum(c.cost for c in s) <= budget)


def test_greedy_counter_example():
    # One item costing 10 worth 1.10 against ten costing 1 worth 1.00 each (in minor units): at a budget
    # of 10 the optimum is the ten, 10.00 — a greedy by value takes the single item and stops at 1.10.
    pool = [Candidate("BIG", 110, 10)] + [Candidate(f"S{n}", 100, 1) for n in range(10)]
    result = frontier(pool, set(), steps=20)
    values = {p.budget: p.value for p in result.points}
    assert values[10] == 1000 and optimise(pool, 10).selected == tuple(f"S{n}" for n in range(10))
    assert values[19] == 1010 and values[20] == 1110
    assert [values[b] for b in range(10)] == [100 * b for b in range(10)]


def test_p01_points_and_the_current_plan():
    pool = _pool(P01_PROFITS, P01_WEIGHTS)
    chosen = {"I01", "I02", "I03", "I04", "I06"}
    result = frontier(pool, chosen, steps=10)
    assert sum(P01_WEIGHTS) == 537
    assert [p.budget for p in result.points] == sorted({k * 537 // 10 for k in range(11)} | {165})
    point = next(p for p in result.points if p.budget == 165)
    assert point.value == 309 and set(point.selected) == chosen
    for p in result.points:
        assert p.value == best_value(pool, p.budget)
    assert (result.current_cost, result.current_value, result.value_gap, result.cost_gap) == (165, 309, 0, 0)
    # A plan of items 5 and 7 (cost 116, value 127): 116 buys 127 + gap; 127 is reachable for less.
    worse = frontier(pool, {"I05", "I07"}, steps=10)
    assert worse.value_gap == best_value(pool, 116) - 127
    cheapest = min(sum(c.cost for c in s) for size in range(11) for s in combinations(pool, size)
                   if sum(c.value for c in s) >= 127)
    assert worse.cost_gap == 116 - cheapest and worse.cost_gap > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-30, 300), st.integers(0, 200)), max_size=9), st.integers(1, 12),
       st.data())
def test_never_decreases_and_every_point_is_optimise(items, steps, data):
    pool = _pool([v for v, _ in items], [c for _, c in items])
    codes = [c.code for c in pool]
    active = set(data.draw(st.lists(st.sampled_from(codes), max_size=len(codes)))) if codes else set()
    keep = set(data.draw(st.lists(st.sampled_from(codes), max_size=1))) if codes else set()
    result = frontier(pool, active, steps, keep=keep)
    values = [p.value for p in result.points]
    assert values == sorted(values)
    assert [p.budget for p in result.points] == sorted({p.budget for p in result.points})
    for p in result.points:
        assert p == optimise(pool, p.budget, keep)
    if not keep:
        assert result.value_gap >= 0 and result.cost_gap >= 0
        plan_cost = sum(c.cost for c in pool if c.code in active)
        reaching = [sum(c.cost for c in s) for size in range(len(pool) + 1) for s in combinations(pool, size)
                    if sum(c.value for c in s) >= result.current_value]
        assert result.cost_gap == plan_cost - min(reaching)


def test_budgets_rounded_down_and_listed_once():
    pool = [Candidate("A", 5, 333), Candidate("B", 5, 334)]
    assert budgets(pool, 3, 667, 0) == [0, 222, 444, 667]
    assert budgets(pool, 3, 300, 250) == [300, 444, 667]  # below the must-keeps' cost: left out


def test_keeps_stops_and_bad_codes():
    pool = [Candidate("A", 10, 60), Candidate("B", 100, 50), Candidate("C", 90, 40)]
    result = frontier(pool, {"A"}, steps=4, keep={"A"}, stop={"B"})
    assert all("A" in p.selected and "B" not in p.selected for p in result.points)
    assert result.points[0].budget == 60
    assert least_cost_reaching(pool, 1000, set(), set()) is None
    # A stopped initiative of the current plan: A and C together reach B's value only at twice its cost,
    # and the gaps say so (negative) rather than hiding it.
    stopped = frontier(pool, {"B"}, steps=2, stop={"B"})
    assert (stopped.cost_gap, stopped.value_gap) == (50 - 100, 90 - 100)
    assert frontier([Candidate("A", 10, 60), Candidate("B", 100, 50)], {"B"}, steps=2, stop={"B"}).cost_gap is None
    with pytest.raises(NotACandidate):
        frontier(pool, set(), keep={"Z"})
    with pytest.raises(ValueError):
        frontier(pool, set(), steps=0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=60, unique=True), st.integers(1, 60))
def test_alike_costs_a_budget_just_short_of_a_whole_number(values, count):
    # Every initiative costs the same: the best set is the most valuable ⌊budget / cost⌋, and a budget one
    # penny short of k initiatives buys only k − 1 (the case where the fractional bound alone is weak).
    pool = [Candidate(f"I{n:03d}", v, 5000) for n, v in enumerate(values)]
    budget = count * 5000 - 1
    choice = optimise(pool, budget)
    assert choice.value == sum(sorted(values, reverse=True)[:count - 1])
    assert len(choice.selected) == min(count - 1, len(values))
