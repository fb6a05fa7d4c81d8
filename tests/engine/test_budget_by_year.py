"""Budgets per fiscal year (DESIGN.md section 17): exact against brute force, keeps named with their year."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pytest
from hypothesis import given, settings, strategies as st

from pmodesk.engine.optimiser import Candidate, KeepsOverBudget, fiscal_year, optimise

YEARS = (2026, 2027, 2028)


def brute_force(pool, budget, caps, keep=frozenset(), stop=frozenset()):
    """Every subset of the free items; section 15's order: value, then cheaper, then sorted codes first."""
    free = [c for c in pool if c.code not in keep and c.code not in stop and c.value > 0]
    kept = [c for c in pool if c.code in keep]
    best = None
    for size in range(len(free) + 1):
        for subset in combinations(free, size):
            chosen = kept + list(subset)
            cost = sum(c.cost for c in chosen)
            if budget is not None and cost > budget:
                continue
            if any(sum(c.spend_in(y) for c in chosen) > cap for y, cap in caps.items()):
                continue
            key = (-sum(c.value for c in chosen), cost, sorted(c.code for c in chosen))
            if best is None or key < best:
                best = key
    return best


def _candidate(n, value, spends):
    spend = tuple((y, a) for y, a in zip(YEARS, spends) if a)
    return Candidate(f"I{n:02d}", value, sum(a for _, a in spend), spend)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 300), st.lists(st.integers(-10, 120), min_size=3, max_size=3)),
                max_size=9),
       st.one_of(st.none(), st.integers(0, 600)),
       st.dictionaries(st.sampled_from(YEARS), st.integers(0, 300), min_size=1, max_size=3),
       st.data())
def test_matches_brute_force(items, budget, caps, data):
    pool = [_candidate(n, v, s) for n, (v, s) in enumerate(items, start=1)]
    codes = [c.code for c in pool]
    keep = set(data.draw(st.lists(st.sampled_from(codes), max_size=2))) if codes else set()
    rest = [c for c in codes if c not in keep]
    stop = set(data.draw(st.lists(st.sampled_from(rest), max_size=2))) if rest else set()
    kept = [c for c in pool if c.code in keep]
    over = (budget is not None and sum(c.cost for c in kept) > budget) or any(
        sum(c.spend_in(y) for c in kept) > cap for y, cap in caps.items())
    if over:
        with pytest.raises(KeepsOverBudget):
            optimise(pool, budget, keep, stop, caps)
        return
    expected = brute_force(pool, budget, caps, keep, stop)
    choice = optimise(pool, budget, keep, stop, caps)
    assert (-choice.value, choice.cost, list(choice.selected)) == expected
    assert sorted(choice.selected + choice.excluded) == sorted(codes)
    for year, spent in choice.spend_by_year:
        assert spent <= caps[year]


def test_a_tight_year_changes_the_answer():
    # A is the best buy overall but spends everything in 2027; with 2027 capped, B and C win.
    pool = [Candidate("A", 100, 60, ((2027, 60),)),
            Candidate("B", 60, 40, ((2026, 10), (2027, 30))),
            Candidate("C", 50, 40, ((2028, 40),))]
    assert optimise(pool, 100).selected == ("A", "B")
    capped = optimise(pool, 100, budget_by_year={2027: 50})
    assert capped.selected == ("B", "C") and capped.value == 110
    assert capped.budget_by_year == ((2027, 50),) and capped.spend_by_year == ((2027, 30),)
    alone = optimise(pool, None, budget_by_year={2027: 50})  # no overall budget: other years are free
    assert alone.selected == ("B", "C") and alone.budget is None


def test_ties_cheaper_then_codes_under_year_caps():
    pool = [Candidate("B", 100, 50, ((2027, 50),)), Candidate("A", 100, 50, ((2027, 50),)),
            Candidate("C", 100, 60, ((2028, 60),))]
    assert optimise(pool, None, budget_by_year={2027: 50, 2028: 60}).selected == ("A", "C")
    assert optimise(pool, None, budget_by_year={2027: 60, 2028: 0}).selected == ("A",)


def test_must_keeps_name_the_year_they_break():
    pool = [Candidate("A", 10, 80, ((2026, 30), (2027, 50))), Candidate("B", 10, 10, ((2027, 10),))]
    with pytest.raises(KeepsOverBudget) as raised:
        optimise(pool, 1000, keep={"A", "B"}, budget_by_year={2026: 100, 2027: 40})
    assert raised.value.breaks == [(2027, 60, 40)]
    with pytest.raises(KeepsOverBudget) as raised:
        optimise(pool, 50, keep={"A"}, budget_by_year={2026: 10})
    assert raised.value.breaks == [(None, 80, 50), (2026, 30, 10)]


def test_fiscal_years_are_labelled_by_the_year_they_end():
    assert fiscal_year(date(2026, 4, 1), 4) == 2027
    assert fiscal_year(date(2027, 3, 31), 4) == 2027
    assert fiscal_year(date(2026, 3, 31), 4) == 2026
    assert fiscal_year(date(2026, 12, 31), 1) == 2026
    assert fiscal_year(date(2026, 1, 1), 1) == 2026
    assert fiscal_year(date(2026, 7, 1), 7) == 2027


def test_at_least_one_budget():
    with pytest.raises(ValueError):
        optimise([Candidate("A", 1, 1)], None)
