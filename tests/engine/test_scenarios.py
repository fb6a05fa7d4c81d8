"""Scenario overrides (DESIGN.md section 9), worked by hand; recorded actuals never change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pmodesk.domain import model
from pmodesk.domain.enums import Direction, Stage
from pmodesk.engine.benefits import BenefitSeries
from pmodesk.engine.portfolio import compute
from pmodesk.engine.scenarios import apply_scenario, compare, comparison_json

from portfolios import D, benefit, initiative, measurements, portfolio

AS_OF = date(2026, 6, 30)


def _data(*overrides, spend=None):
    project = initiative(planned_go_live=date(2026, 1, 1), forecast_go_live=date(2026, 2, 1),
                         planned_investment=D(10000))
    steady = benefit(baseline=D(0), target=D(100), direction=Direction.HIGHER, baseline_date=date(2026, 1, 1),
                     target_date=date(2026, 12, 31), annual_value=D(36500), confidence_pct=D(50))
    spend = spend if spend is not None else tuple(
        model.PlannedSpend(1, date(2026, m, 28), D(1000), id=m) for m in range(1, 13))
    costs = (model.CostActual(1, date(2026, 1, 31), D(900), id=1),)
    return portfolio([project], [steady], measurements(1, (date(2026, 1, 1), "10"), (date(2026, 3, 1), "30")),
                     planned_spend=spend, cost_actuals=costs, scenarios=(model.Scenario("S", id=1),),
                     scenario_overrides=tuple(model.ScenarioOverride(1, 1, id=n + 1, **o) for n, o in enumerate(overrides)))


def test_stop_in_the_future_ends_cost_and_expected_value_at_the_stop():
    data = _data({"stop_from": date(2026, 9, 15)})
    comparison = compare(data, 1, AS_OF)
    current, scenario = comparison.current.initiatives[0], comparison.scenario.initiatives[0]
    assert current.remaining_cost == D(6000) and scenario.remaining_cost == D(2000)  # Jul and Aug only
    series = comparison.current.benefits[0].series
    expected = series.planned_value_between(AS_OF.toordinal(), date(2026, 9, 15).toordinal()) * 0.5
    assert scenario.expected_remaining_value == pytest.approx(expected)
    assert scenario.active and scenario.initiative.stage is Stage.DELIVERY
    assert comparison.scenario.metrics.realised_value == comparison.current.metrics.realised_value


def test_stop_in_the_past_counts_as_terminated_from_then():
    data = _data({"stop_from": date(2026, 4, 30)})
    scenario_data, caps = apply_scenario(data, 1, AS_OF)
    result = compute(scenario_data, AS_OF, value_caps=caps).initiatives[0]
    assert result.initiative.stage is Stage.TERMINATED and result.remaining_cost == 0
    assert result.investment == D(900)  # a terminated initiative's investment is its actual cost
    series = compute(data, AS_OF).benefits[0].series
    assert result.realised_value == pytest.approx(series.realised_value(date(2026, 4, 30).toordinal(), None))
    assert result.expected_remaining_value == 0


def test_pause_moves_dates_and_holds_the_plan():
    data = _data({"pause_from": date(2026, 7, 15), "pause_to": date(2026, 8, 14)})
    scenario, _ = apply_scenario(data, 1, AS_OF)
    length = 30
    assert [s.period_end for s in scenario.planned_spend if s.period_end > date(2026, 7, 15)][0] == \
        date(2026, 7, 28) + timedelta(days=length)
    assert scenario.initiatives[0].forecast_go_live == date(2026, 2, 1)  # before the pause: unchanged
    assert scenario.benefits[0].target_date == date(2026, 12, 31) + timedelta(days=length)
    before = BenefitSeries(data.benefits[0], [], [])
    after = BenefitSeries(scenario.benefits[0], sorted((t.date, float(t.value)) for t in scenario.trajectory), [])
    held = before.planned(date(2026, 7, 15).toordinal())
    for day in (date(2026, 7, 15), date(2026, 8, 1), date(2026, 8, 14)):
        assert after.planned(day.toordinal()) == pytest.approx(held)
    later = date(2026, 10, 1)
    assert after.planned(later.toordinal()) == pytest.approx(before.planned((later - timedelta(days=length)).toordinal()))
    assert after.planned(date(2027, 2, 1).toordinal()) == pytest.approx(100)


def test_budget_change_is_spread_in_proportion_and_never_below_zero():
    spend = (model.PlannedSpend(1, date(2026, 7, 31), D("1000.00"), id=1),
             model.PlannedSpend(1, date(2026, 8, 31), D("3000.00"), id=2),
             model.PlannedSpend(1, date(2026, 5, 31), D("500.00"), id=3))  # before D: untouched
    scenario, _ = apply_scenario(_data({"budget_change": D("-1000.00")}, spend=spend), 1, AS_OF)
    assert sorted((s.period_end, s.amount) for s in scenario.planned_spend) == [
        (date(2026, 5, 31), D("500.00")), (date(2026, 7, 31), D("750.00")), (date(2026, 8, 31), D("2250.00"))]
    scenario, _ = apply_scenario(_data({"budget_change": D("-9999")}, spend=spend), 1, AS_OF)
    assert sum(s.amount for s in scenario.planned_spend if s.period_end > AS_OF) == 0
    scenario, _ = apply_scenario(_data({"budget_change": D("250.00")}, spend=spend[2:]), 1, AS_OF)
    assert [(s.period_end, s.amount) for s in scenario.planned_spend if s.period_end > AS_OF] == [
        (AS_OF + timedelta(days=1), D("250.00"))]


def test_overrides_never_change_recorded_actuals():
    data = _data({"stop_from": date(2026, 4, 30)}, {"budget_change": D(5)})
    scenario, _ = apply_scenario(data, 1, AS_OF)
    assert scenario.measurements == data.measurements and scenario.cost_actuals == data.cost_actuals


def test_comparison_json_has_both_sides_and_differences():
    out = comparison_json(compare(_data({"stop_from": date(2026, 9, 15)}), 1, AS_OF))
    assert out["scenario"] == "S" and out["difference"]["remaining_cost"] == "-4000.00"
    assert "forecast_portfolio_roi_pct" in out["with_scenario"]
