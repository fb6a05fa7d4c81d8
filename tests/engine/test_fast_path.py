"""The fast paths give exactly the reference's figures (issue 16).

- ``engine.arrays.compute_columns`` (every benefit at once in NumPy, from measurement columns) equals
  ``engine.portfolio.compute`` (one BenefitSeries at a time) field for field, floats bit for bit;
- ``engine.portfolio.recompute`` (only the edited initiatives) equals a full ``compute`` after the edit;
- the presentation's float money text equals ``round_money``'s.
Random portfolios come from the generator of test_random_portfolios (hypothesis picks the seeds).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pmodesk.domain import model
from pmodesk.domain.enums import Stage
from pmodesk.domain.money import money_text, round_money
from pmodesk.engine.arrays import compute_columns, measurement_columns
from pmodesk.engine.portfolio import compute, recompute
from pmodesk.engine.presentation import metrics_json, money
from pmodesk.interchange.document import InvalidInput, parse
from pmodesk.interchange.json_format import from_object
from test_random_portfolios import portfolio as random_document

DATES = (dt.date(2023, 6, 1), dt.date(2025, 3, 31), dt.date(2025, 11, 15), dt.date(2026, 12, 31),
         dt.date(2030, 1, 1))
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_portfolio(seed: int) -> model.PortfolioData | None:
    rng = random.Random(seed)
    for _ in range(10):
        try:
            return parse(from_object(json.loads(json.dumps(random_document(rng)))))[0]
        except InvalidInput:
            continue
    return None


def assert_same(expected, got):
    """Equal results, and equal JSON (which also compares every money text and flag)."""
    assert metrics_json(got) == metrics_json(expected)
    assert got.metrics == expected.metrics and got.previous_quarter == expected.previous_quarter
    assert got.initiatives == expected.initiatives
    assert got.previous_initiatives == expected.previous_initiatives
    assert got.benefits == expected.benefits
    assert got.decisions_required == expected.decisions_required
    assert_indexed(got)


def assert_indexed(result):
    """The result's indexes (an initiative's benefits, an initiative by code) find what a scan finds."""
    for r in result.initiatives:
        mine = [b for b in result.benefits if b.initiative.id == r.initiative.id]
        assert result.benefits_of(r.initiative.id) == mine
        assert all(a is b for a, b in zip(result.benefits_of(r.initiative.id), mine))
        assert result.initiative(r.initiative.code) is next(x for x in result.initiatives
                                                              if x.initiative.code == r.initiative.code)
    assert result.benefits_of(-1) == []
    if result.initiatives:  # a caller emptying the list it was given leaves the index whole
        result.benefits_of(result.initiatives[0].initiative.id).clear()
    assert sum(len(result.benefits_of(r.initiative.id)) for r in result.initiatives) == len(result.benefits)


@SLOW
@given(st.integers(0, 2**32 - 1), st.sampled_from(DATES))
def test_array_path_equals_the_reference(seed, as_of):
    data = random_portfolio(seed)
    if data is None:
        return
    columns = measurement_columns(data.measurements)
    assert_same(compute(data, as_of), compute_columns(replace(data, measurements=(), _index={}), columns, as_of))


def test_array_path_equals_the_reference_on_the_demo(tmp_path):
    from pmodesk.demo import write_demo

    with write_demo(tmp_path / "demo.pmodesk") as store:
        data = store.load()
    columns = measurement_columns(data.measurements)
    for as_of in DATES + (dt.date(2026, 6, 30),):
        assert_same(compute(data, as_of), compute_columns(data, columns, as_of))


def test_array_path_orders_measurements_itself():
    """Columns out of order (a damaged file's) give the reference's figures: the engine sorts them
    as the reference's sorted (date, value) pairs are, duplicates of a date included."""
    from pmodesk.store.columns import MeasurementColumns

    for seed in range(30):
        data = random_portfolio(seed)
        if data is None or not data.measurements:
            continue
        ordered = measurement_columns(data.measurements)
        backwards = MeasurementColumns(ordered.benefit_ids[::-1], ordered.days[::-1], ordered.values[::-1])
        for as_of in DATES:
            assert_same(compute(data, as_of), compute_columns(data, backwards, as_of))
        first = data.measurements[0]
        twice = data.measurements + (replace(first, value=first.value + 7, id=None),)
        doubled = replace(data, measurements=twice, _index={})
        assert_same(compute(doubled, DATES[3]), compute_columns(doubled, measurement_columns(twice), DATES[3]))


# ------------------------------------------------------------------------------ recompute
def _edit(data: model.PortfolioData, rng: random.Random):
    """One random edit of the kinds the UI makes, and the initiatives it touches."""
    kinds = ["measurement value", "measurement added", "measurement deleted", "benefit", "benefit deleted",
             "initiative", "spend", "cost", "rule", "decision", "trajectory"]
    kind = rng.choice(kinds)
    by_benefit = {b.id: b for b in data.benefits}
    if kind.startswith("measurement") and data.measurements and kind != "measurement added":
        n = rng.randrange(len(data.measurements))
        m = data.measurements[n]
        rest = data.measurements[:n] + data.measurements[n + 1:]
        changed = rest if kind == "measurement deleted" else rest + (replace(m, value=Decimal(rng.randrange(-100, 200))),)
        return replace(data, measurements=changed), {by_benefit[m.benefit_id].initiative_id}
    if kind == "measurement added" and data.benefits:
        b = rng.choice(data.benefits)
        taken = {m.date for m in data.measurements if m.benefit_id == b.id}
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        if day in taken:
            return data, set()
        new = model.Measurement(b.id, day, Decimal(rng.randrange(-100, 200)))
        return replace(data, measurements=data.measurements + (new,)), {b.initiative_id}
    if kind == "benefit" and data.benefits:
        n = rng.randrange(len(data.benefits))
        b = data.benefits[n]
        changes = rng.choice([{"annual_value": Decimal(rng.randrange(0, 10**6))}, {"annual_value": None},
                              {"confidence_pct": Decimal(rng.randrange(0, 101))}, {"owner": rng.choice([None, "o"])},
                              {"attribution_pct": Decimal(rng.randrange(0, 101))}])
        benefits = data.benefits[:n] + (replace(b, **changes),) + data.benefits[n + 1:]
        return replace(data, benefits=benefits), {b.initiative_id}
    if kind == "benefit deleted" and data.benefits:
        b = rng.choice(data.benefits)
        return replace(data, benefits=tuple(x for x in data.benefits if x.id != b.id),
                       measurements=tuple(m for m in data.measurements if m.benefit_id != b.id),
                       trajectory=tuple(t for t in data.trajectory if t.benefit_id != b.id)), {b.initiative_id}
    if kind == "trajectory" and data.trajectory:
        n = rng.randrange(len(data.trajectory))
        t = data.trajectory[n]
        points = data.trajectory[:n] + (replace(t, value=Decimal(rng.randrange(-100, 200))),) + data.trajectory[n + 1:]
        return replace(data, trajectory=points), {by_benefit[t.benefit_id].initiative_id}
    if kind == "initiative" and data.initiatives:
        n = rng.randrange(len(data.initiatives))
        i = data.initiatives[n]
        changes = rng.choice([{"stage": rng.choice(list(Stage))}, {"planned_investment": Decimal(rng.randrange(0, 10**7))},
                              {"forecast_go_live": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))},
                              {"tracking_end": None}, {"risk_likelihood": rng.randint(1, 5), "risk_impact": 5}])
        initiatives = data.initiatives[:n] + (replace(i, **changes),) + data.initiatives[n + 1:]
        return replace(data, initiatives=initiatives), {i.id}
    if kind in ("spend", "cost") and data.initiatives:
        i = rng.choice(data.initiatives)
        record = model.PlannedSpend if kind == "spend" else model.CostActual
        row = record(i.id, dt.date(2024, 1, 31) + dt.timedelta(days=rng.randrange(0, 1500)),
                     Decimal(rng.randrange(-10**4, 10**6)))
        field = "planned_spend" if kind == "spend" else "cost_actuals"
        return replace(data, **{field: getattr(data, field) + (row,)}), {i.id}
    if kind == "rule" and data.pivot_rules:
        n = rng.randrange(len(data.pivot_rules))
        r = data.pivot_rules[n]
        rules = data.pivot_rules[:n] + (replace(r, threshold=Decimal(rng.randrange(-50, 150)), active=rng.random() < 0.7),) \
            + data.pivot_rules[n + 1:]
        return replace(data, pivot_rules=rules), {r.initiative_id}
    if kind == "decision" and data.decisions and data.initiatives:
        i = rng.choice(data.initiatives)
        raised = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 800))
        decision = replace(rng.choice(data.decisions), initiative_id=i.id, raised_on=raised, escalated=True,
                           decided_on=raised + dt.timedelta(days=rng.randrange(0, 60)), id=None)
        return replace(data, decisions=data.decisions + (decision,)), {i.id}
    return data, set()


@SLOW
@given(st.integers(0, 2**32 - 1), st.sampled_from(DATES), st.integers(1, 4))
def test_recompute_of_the_edited_initiatives_equals_a_full_compute(seed, as_of, edits):
    data = random_portfolio(seed)
    if data is None:
        return
    rng = random.Random(seed + 1)
    result = compute(data, as_of)
    for _ in range(edits):
        data, touched = _edit(data, rng)
        data = replace(data, _index={})
        result = recompute(result, data, touched)
        assert_same(compute(data, as_of), result)


def test_recompute_reuses_the_untouched_initiatives():
    data = next(d for d in map(random_portfolio, range(100)) if d is not None and len(d.initiatives) > 2)
    result = compute(data, DATES[3])
    target = data.initiatives[0]
    again = recompute(result, data, {target.id})
    untouched = [r for r in result.initiatives if r.initiative.id != target.id]
    assert all(any(a is b for b in again.initiatives) for a in untouched)
    assert not any(r is again.initiative(target.code) for r in result.initiatives)


def test_recompute_needs_a_result_of_compute():
    data = random_portfolio(3)
    bare = replace(compute(data, DATES[3]), prepared=None)
    with pytest.raises(ValueError):
        recompute(bare, data, set())


# ------------------------------------------------------------------------------ money text
@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.floats(-1e14, 1e14, allow_nan=False, allow_infinity=False),
                 st.integers(-10**12, 10**12).map(lambda n: n / 8),  # exact binary ties at every digit
                 st.integers(-10**9, 10**9).map(lambda n: n / 1000 + 0.0005)),
       st.sampled_from(["GBP", "JPY", "KWD"]))
def test_float_money_text_equals_round_money(value, currency):
    assert money(value, currency) == money_text(round_money(value, currency))


def test_money_text_edges():
    for value in (0.0, -0.0, -0.001, -0.004999, 0.125, 0.375, 2.5, -2.5, 1e16, -1e16):
        for currency in ("GBP", "JPY", "KWD"):
            assert money(value, currency) == money_text(round_money(value, currency))
    assert money(-0.001, "GBP") == "0.00"
    assert money(Decimal("-0.004"), "GBP") == "0.00"


def test_numpy_float_power_squares_as_python_does():
    """The array path squares with np.float_power because it calls the C library's pow, as
    Python's ``x ** 2`` does; np.power and ``**`` on arrays do not (they differ in the last bit)."""
    import numpy as np

    rng = random.Random(16)
    values = [rng.uniform(-2000, 2000) for _ in range(100_000)] + \
        [rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) for _ in range(100_000)]
    squares = np.float_power(np.array(values), 2.0).tolist()
    assert squares == [v ** 2 for v in values]
