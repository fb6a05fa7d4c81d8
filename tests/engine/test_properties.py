"""Invariants of the benefit arithmetic, checked on generated benefits (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pmodesk.domain import model
from pmodesk.domain.enums import Direction
from pmodesk.engine.benefits import BenefitSeries

B0 = date(2026, 1, 1)
values = st.integers(min_value=-10_000, max_value=10_000)


def _benefit(baseline: int, target: int, annual: int, attribution: int, higher: bool = True) -> model.Benefit:
    return model.Benefit("B", 1, "t", "m", Direction.HIGHER if higher else Direction.LOWER, Decimal(target),
                         B0 + timedelta(days=365), baseline_value=Decimal(baseline), baseline_date=B0,
                         annual_value=Decimal(annual), attribution_pct=Decimal(attribution), id=1)


@given(values, values, st.integers(1, 10**7), st.integers(0, 100))
def test_f_is_zero_at_baseline_and_one_at_target(baseline, target, annual, attribution):
    if baseline == target:
        return
    series = BenefitSeries(_benefit(baseline, target, annual, attribution), [], [])
    assert series.fraction(baseline) == 0
    assert series.fraction(target) == 1


@given(st.integers(0, 1000), st.integers(1, 1000), st.integers(1, 10**7), st.integers(0, 100), st.integers(1, 2000))
def test_actual_at_target_from_the_baseline_date_realises_exactly_the_daily_rate(baseline, gap, annual, attribution,
                                                                                 days):
    target = baseline + gap
    series = BenefitSeries(_benefit(baseline, target, annual, attribution), [], [(B0, float(target))])
    realised = series.realised_value((B0 + timedelta(days=days)).toordinal(), None)
    expected = annual / 365 * attribution / 100 * days
    assert abs(realised - expected) <= 1e-9 * max(1.0, abs(expected))


measurement_lists = st.lists(st.tuples(st.integers(0, 400), st.integers(-500, 1500)), min_size=1, max_size=20,
                             unique_by=lambda t: t[0])


@given(measurement_lists, st.integers(0, 19), st.integers(1, 500), st.integers(0, 500))
def test_raising_a_measurement_never_lowers_the_realised_value(rows, which, raise_by, as_of_days):
    rows = sorted(rows)
    which %= len(rows)
    benefit = _benefit(0, 1000, 365_000, 100)
    before = [(B0 + timedelta(days=d), float(v)) for d, v in rows]
    after = list(before)
    after[which] = (after[which][0], after[which][1] + raise_by)
    as_of = (B0 + timedelta(days=as_of_days)).toordinal()
    low = BenefitSeries(benefit, [], before).realised_value(as_of, None)
    high = BenefitSeries(benefit, [], after).realised_value(as_of, None)
    assert high >= low - 1e-9


@settings(max_examples=50)
@given(st.integers(1, 100), st.integers(1, 700), st.booleans(), st.integers(10, 600))
def test_measured_on_plan_every_day_stays_within_one_days_accrual_of_plan(gap, days, higher, target_days):
    baseline, target = (100, 100 + gap) if higher else (100, 100 - gap)
    benefit = model.Benefit("B", 1, "t", "m", Direction.HIGHER if higher else Direction.LOWER, Decimal(target),
                            B0 + timedelta(days=target_days), baseline_value=Decimal(baseline), baseline_date=B0,
                            annual_value=Decimal(365_000), id=1)
    plan = BenefitSeries(benefit, [], [])
    daily = [(B0 + timedelta(days=k), plan.planned((B0 + timedelta(days=k)).toordinal())) for k in range(days + 1)]
    series = BenefitSeries(benefit, [], daily)
    as_of = (B0 + timedelta(days=days)).toordinal()
    one_day = 365_000 / 365 * max(abs(series.fraction(v)) for _, v in daily)
    assert abs(series.realised_value(as_of, None) - series.planned_value(as_of, None)) <= one_day + 1e-6
