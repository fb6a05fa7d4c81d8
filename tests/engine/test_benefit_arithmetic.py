"""DESIGN.md section 5 as worked examples."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pmodesk.domain import model
from pmodesk.domain.enums import Direction, Stage
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json

from portfolios import D, benefit, initiative, measurements, portfolio


def _benefit_json(data, as_of):
    return metrics_json(compute(data, as_of))["benefits"][0]


def test_the_worked_example_of_section_5():
    """B = 10 days, T = 4 (lower is better), V = £120,000/yr, one measurement of 7 on the baseline date."""
    data = portfolio([initiative()], [benefit()], measurements(1, (date(2026, 1, 1), "7")))
    b = _benefit_json(data, date(2026, 4, 1))
    assert b["improvement_fraction"] == pytest.approx(0.5)
    assert b["realised_value"] == "14794.52"


def test_measurements_before_the_baseline_date_are_history_not_evidence():
    data = portfolio([initiative()], [benefit()],
                     measurements(1, (date(2025, 12, 1), "4"), (date(2025, 12, 31), "4"), (date(2026, 1, 1), "7")))
    b = _benefit_json(data, date(2026, 4, 1))
    assert b["realised_value"] == "14794.52"
    assert b["forecast"] is None  # one measurement on or after b: no forecast


def test_no_actual_yet_realises_nothing_and_has_no_realisation_vs_plan():
    data = portfolio([initiative()], [benefit()], measurements(1, (date(2026, 5, 1), "7")))
    b = _benefit_json(data, date(2026, 4, 1))
    assert b["actual_measure"] is None and b["improvement_fraction"] is None
    assert b["realised_value"] == "0.00" and b["realisation_vs_plan_pct"] is None


def test_a_measurement_counts_from_its_own_day():
    # 7 from 1 Jan, 4 (f = 1) from 1 Mar: 59 days at half rate, 31 days at full rate.
    data = portfolio([initiative()], [benefit()], measurements(1, (date(2026, 1, 1), "7"), (date(2026, 3, 1), "4")))
    b = _benefit_json(data, date(2026, 4, 1))
    expected = D(120000) / 365 * (D("0.5") * 59 + 31)
    assert D(b["realised_value"]) == expected.quantize(D("0.01"))


def test_planned_value_integrates_the_path_exactly():
    """B = 0, T = 100 over 100 days, V = £36,500 (r = £100·f a day): ∫₀⁵⁰ t/100 · 100 dt = £1,250."""
    b0 = date(2026, 1, 1)
    data = portfolio([initiative()], [benefit(baseline=D(0), target=D(100), direction=Direction.HIGHER,
                                               target_date=b0 + timedelta(days=100), annual_value=D(36500))])
    b = _benefit_json(data, b0 + timedelta(days=50))
    assert b["planned_value"] == "1250.00"
    assert b["planned_measure"] == pytest.approx(50.0)


def test_trajectory_is_joined_to_the_baseline_and_held_after_the_last_point():
    b0 = date(2026, 1, 1)
    trajectory = (model.TrajectoryPoint(1, b0, D(0), id=1),  # on b and equal to B: the start, skipped
                  model.TrajectoryPoint(1, b0 + timedelta(days=10), D(50), id=2),
                  model.TrajectoryPoint(1, b0 + timedelta(days=20), D(60), id=3))
    data = portfolio([initiative()], [benefit(baseline=D(0), target=D(100), direction=Direction.HIGHER,
                                               annual_value=D(36500))], trajectory=trajectory)
    assert _benefit_json(data, b0 + timedelta(days=5))["planned_measure"] == pytest.approx(25.0)
    assert _benefit_json(data, b0 + timedelta(days=15))["planned_measure"] == pytest.approx(55.0)
    assert _benefit_json(data, b0 + timedelta(days=200))["planned_measure"] == pytest.approx(60.0)
    # ∫ over 20 days: 10 days ramping 0→0.5 (2.5) + 10 days 0.5→0.6 (5.5) = 8 fraction-days × £100.
    assert _benefit_json(data, b0 + timedelta(days=20))["planned_value"] == "800.00"
    assert _benefit_json(data, b0 - timedelta(days=3))["planned_measure"] == pytest.approx(0.0)


def test_tracking_end_before_the_as_of_date_stops_the_accrual():
    go_live = date(2026, 1, 1)
    project = initiative(planned_go_live=go_live, tracking_end=date(2026, 6, 1))  # effective end 2027-01-01
    data = portfolio([project], [benefit(baseline_date=date(2025, 12, 1))],
                     measurements(1, (date(2025, 12, 1), "4")))
    per_day = D(120000) / 365
    at_end = _benefit_json(data, date(2027, 1, 1))["realised_value"]
    later = _benefit_json(data, date(2028, 1, 1))["realised_value"]
    assert at_end == later == str((per_day * 396).quantize(D("0.01")))  # 2025-12-01 .. 2026-12-31


def test_recorded_tracking_end_later_than_a_year_after_go_live_wins():
    from pmodesk.engine.benefits import effective_tracking_end

    project = initiative(planned_go_live=date(2026, 1, 31), forecast_go_live=date(2026, 3, 31),
                         tracking_end=date(2027, 6, 30))
    assert date.fromordinal(effective_tracking_end(project)) == date(2027, 6, 30)
    shorter = initiative(planned_go_live=date(2026, 1, 31), tracking_end=date(2026, 6, 30))
    assert date.fromordinal(effective_tracking_end(shorter)) == date(2027, 1, 31)
    assert effective_tracking_end(initiative()) is None


def test_dis_benefit_money_is_negative():
    attrition = benefit(baseline=D(5), target=D(6), direction=Direction.LOWER, dis_benefit=True,
                        annual_value=D(36500))
    data = portfolio([initiative()], [attrition], measurements(1, (date(2026, 1, 1), "5.5")))
    b = _benefit_json(data, date(2026, 1, 11))
    assert b["improvement_fraction"] == pytest.approx(0.5)
    assert b["realised_value"] == "-500.00"


def test_attribution_scales_the_money():
    data = portfolio([initiative()], [benefit(attribution_pct=D(25))], measurements(1, (date(2026, 1, 1), "7")))
    assert _benefit_json(data, date(2026, 4, 1))["realised_value"] == "3698.63"


def test_benefit_without_money_has_fraction_but_no_value():
    data = portfolio([initiative()], [benefit(annual_value=None)], measurements(1, (date(2026, 1, 1), "7")))
    out = metrics_json(compute(data, date(2026, 4, 1)))
    b = out["benefits"][0]
    assert b["improvement_fraction"] == pytest.approx(0.5)
    assert b["realised_value"] is None and b["planned_value"] is None
    i = out["initiatives"][0]
    assert (i["realised_value"], i["planned_value"], i["realisation_vs_plan_pct"]) == ("0.00", "0.00", None)


def test_benefit_without_baseline_is_flagged_and_has_no_figures():
    unbased = model.Benefit("B-1", 1, "t", "m", Direction.HIGHER, D(10), date(2027, 1, 1), annual_value=D(1000), id=1)
    b = _benefit_json(portfolio([initiative()], [unbased], measurements(1, (date(2026, 1, 1), "7"))),
                      date(2026, 4, 1))
    assert "no_baseline" in b["flags"] and "no_owner" in b["flags"]
    assert b["improvement_fraction"] is None and b["realised_value"] is None and b["forecast"] is None


def test_realisation_vs_plan_of_a_benefit_compares_the_measure_at_D():
    b0 = date(2026, 1, 1)
    data = portfolio([initiative()], [benefit(baseline=D(0), target=D(100), direction=Direction.HIGHER,
                                               target_date=b0 + timedelta(days=100))],
                     measurements(1, (b0 + timedelta(days=40), "30")))
    assert _benefit_json(data, b0 + timedelta(days=50))["realisation_vs_plan_pct"] == pytest.approx(60.0)
    assert _benefit_json(data, b0)["realisation_vs_plan_pct"] is None  # f(P(b)) = 0


def test_zero_decimal_and_three_decimal_currencies_round_to_their_minor_unit():
    data = portfolio([initiative()], [benefit()], measurements(1, (date(2026, 1, 1), "7")), currency="JPY")
    assert _benefit_json(data, date(2026, 4, 1))["realised_value"] == "14795"
    data = portfolio([initiative()], [benefit()], measurements(1, (date(2026, 1, 1), "7")), currency="KWD")
    assert _benefit_json(data, date(2026, 4, 1))["realised_value"] == "14794.521"


def test_stage_enum_sanity():
    assert Stage.PROPOSED.funded is False and Stage.TERMINATED.funded and not Stage.TERMINATED.active
