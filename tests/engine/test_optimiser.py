"""The optimiser is exact: brute force, a published knapsack instance, keeps, stops and ties."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings, strategies as st

from pmodesk.engine.optimiser import Candidate, KeepsOverBudget, NotACandidate, optimise

# KNAPSACK_01 problem P07 (Kreher and Stinson; John Burkardt's collection): capacity 750, optimum 1458.
P07_WEIGHTS = [70, 73, 77, 80, 82, 87, 90, 94, 98, 106, 110, 113, 115, 118, 120]
P07_PROFITS = [135, 139, 149, 150, 156, 163, 173, 184, 192, 201, 210, 214, 221, 229, 240]
P07_CHOICE = [1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1]


def _pool(values, costs):
    return [Candidate(f"I{n:02d}", v, c) for n, (v, c) in enumerate(zip(values, costs), start=1)]


def brute_force(pool, budget, keep=frozenset(), stop=frozenset()):
    """Every subset; the section-15 order: value, then cheaper, then sorted codes first."""
    free = [c for c in pool if c.code not in keep and c.code not in stop]
    kept = [c for c in pool if c.code in keep]
    best = None
    for size in range(len(free) + 1):
        for subset in combinations(free, size):
            if any(c.cost == 0 and c.value == 0 for c in subset):
                continue  # never selected unless kept
            chosen = kept + list(subset)
            cost = sum(c.cost for c in chosen)
            if cost > budget:
                continue
            key = (-sum(c.value for c in chosen), cost, sorted(c.code for c in chosen))
            if best is None or key < best:
                best = key
    return best


def test_published_instance_p07():
    choice = optimise(_pool(P07_PROFITS, P07_WEIGHTS), 750)
    assert choice.value == 1458
    assert choice.cost == 749
    assert choice.selected == tuple(f"I{n:02d}" for n, x in enumerate(P07_CHOICE, start=1) if x)
    assert len(choice.selected) + len(choice.excluded) == 15


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 400), st.integers(0, 300)), min_size=0, max_size=10),
       st.integers(0, 1200), st.data())
def test_matches_brute_force(items, budget, data):
    pool = _pool([v for v, _ in items], [c for _, c in items])
    codes = [c.code for c in pool]
    keep = set(data.draw(st.lists(st.sampled_from(codes), max_size=2))) if codes else set()
    stop = set(data.draw(st.lists(st.sampled_from([c for c in codes if c not in keep]), max_size=2))) \
        if len(codes) > len(keep) else set()
    expected = brute_force(pool, budget, keep, stop)
    if sum(c.cost for c in pool if c.code in keep) > budget:
        with pytest.raises(KeepsOverBudget):
            optimise(pool, budget, keep, stop)
        return
    choice = optimise(pool, budget, keep, stop)
    assert (-choice.value, choice.cost, list(choice.selected)) == expected
    assert sorted(choice.selected + choice.excluded) == sorted(codes)


def test_ties_prefer_the_cheaper_then_the_first_codes():
    pool = [Candidate("B", 100, 50), Candidate("A", 100, 50), Candidate("C", 100, 40)]
    assert optimise(pool, 50).selected == ("C",)  # same value, cheaper
    same = [Candidate("B", 100, 50), Candidate("A", 100, 50), Candidate("C", 60, 25), Candidate("D", 40, 25)]
    assert optimise(same, 50).selected == ("A",)  # {A}, {B} and {C, D} tie; "A" sorts first


def test_keep_counts_against_the_budget_and_stop_is_honoured():
    pool = [Candidate("A", 10, 60), Candidate("B", 100, 50), Candidate("C", 90, 40)]
    choice = optimise(pool, 100, keep={"A"}, stop={"B"})
    assert choice.selected == ("A", "C") and choice.excluded == ("B",)
    with pytest.raises(KeepsOverBudget):
        optimise(pool, 50, keep={"A"})


def test_free_value_is_taken_and_worthless_items_never():
    pool = [Candidate("A", 0, 0), Candidate("B", 5, 0), Candidate("C", 0, 10), Candidate("D", -5, 0)]
    assert optimise(pool, 100).selected == ("B",)
    assert optimise(pool, 100, keep={"A"}).selected == ("A", "B")


def test_unknown_or_contradictory_codes():
    pool = [Candidate("A", 1, 1)]
    with pytest.raises(NotACandidate, match="Z"):
        optimise(pool, 10, keep={"Z"})
    with pytest.raises(NotACandidate, match="both kept and stopped"):
        optimise(pool, 10, keep={"A"}, stop={"A"})


def test_five_hundred_initiatives_exactly():
    import random

    rng = random.Random(7)
    pool = [Candidate(f"I{n:03d}", rng.randrange(10**5, 10**8), rng.randrange(10**5, 10**8)) for n in range(500)]
    budget = sum(c.cost for c in pool) // 3
    choice = optimise(pool, budget)
    assert choice.cost <= budget
    # No single swap improves it (a necessary condition an exact answer meets).
    chosen = set(choice.selected)
    room = budget - choice.cost
    outside = [c for c in pool if c.code not in chosen]
    assert all(c.cost > room or c.value <= 0 for c in outside)
