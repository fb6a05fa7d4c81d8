"""DESIGN.md section 7: forecast (checked against SciPy independently), erosion, stale."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from scipy import stats

from pmodesk.domain import model
from pmodesk.domain.enums import Direction, Frequency, Stage
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json

from portfolios import D, benefit, initiative, measurements, portfolio

B0 = date(2026, 1, 1)


def _higher(**kw):
    return benefit(baseline=D(0), target=D(100), direction=Direction.HIGHER, baseline_date=B0,
                   target_date=date(2026, 12, 31), **kw)


def _forecast(rows, as_of, **kw):
    data = portfolio([initiative(**kw)], [_higher()], measurements(1, *rows))
    return metrics_json(compute(data, as_of))["benefits"][0]["forecast"]


def _independent(days, values, target_day):
    """An 80% prediction interval and P(f >= 1) from SciPy's regression, written from the textbook."""
    x = np.array(days, dtype=float)
    y = np.array(values, dtype=float) / 100.0
    fit = stats.linregress(x, y)
    n = len(x)
    residual = y - (fit.intercept + fit.slope * x)
    s = np.sqrt(np.sum(residual ** 2) / (n - 2))
    se = s * np.sqrt(1 + 1 / n + (target_day - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))
    point = fit.intercept + fit.slope * target_day
    t = stats.t.ppf(0.9, n - 2)
    return point, (point - t * se, point + t * se), stats.t.sf((1 - point) / se, n - 2)


@pytest.mark.parametrize("values", [[5, 12, 18], [5, 12, 18, 22, 31, 35, 41], [10, 9, 30, 28, 55, 50, 61, 70, 72, 80,
                                                                             85, 90, 91, 99]])
def test_forecast_matches_an_independent_computation(values):
    rows = [(B0 + timedelta(days=30 * (k + 1)), str(v)) for k, v in enumerate(values)]
    as_of = rows[-1][0] + timedelta(days=1)
    f = _forecast(rows, as_of)
    used = rows[-12:]
    days = [(d - B0).days for d, _ in used]
    point, (lo, hi), probability = _independent(days, [float(v) for _, v in used], (date(2026, 12, 31) - B0).days)
    assert f["n"] == len(used)
    assert f["attainment_pct"] == pytest.approx(100 * point, rel=1e-9, abs=1e-9)
    assert f["interval_80_pct"] == pytest.approx([100 * lo, 100 * hi], rel=1e-9, abs=1e-9)
    assert f["probability_of_target"] == pytest.approx(probability, rel=1e-9, abs=1e-12)
    assert "OLS" in f["method"]


def test_no_forecast_below_three_measurements_or_on_one_date():
    assert _forecast([(B0 + timedelta(days=10), "5"), (B0 + timedelta(days=20), "9")], date(2026, 3, 1)) is None
    # measurements after D are not used
    rows = [(B0 + timedelta(days=10), "5"), (B0 + timedelta(days=20), "9"), (date(2026, 6, 1), "30")]
    assert _forecast(rows, date(2026, 3, 1)) is None


def test_perfect_fit_has_zero_width_and_certain_probability():
    rows = [(B0 + timedelta(days=d), str(d / 3)) for d in (30, 60, 90)]  # f = d/300: reaches 1 on day 300
    f = _forecast(rows, date(2026, 4, 30))
    assert f["interval_80_pct"][0] == pytest.approx(f["interval_80_pct"][1])
    assert f["probability_of_target"] == 1.0  # day 364 > 300: f̂ > 1
    slow = [(B0 + timedelta(days=d), str(d / 6)) for d in (30, 60, 90)]
    assert _forecast(slow, date(2026, 4, 30))["probability_of_target"] == 0.0


def test_erosion_after_go_live():
    go_live = date(2026, 3, 1)
    rows = [(date(2026, 2, 1), "95"), (date(2026, 4, 1), "60"), (date(2026, 5, 1), "55"), (date(2026, 6, 1), "49")]
    data = portfolio([initiative(planned_go_live=go_live)], [_higher()], measurements(1, *rows))
    flags = metrics_json(compute(data, date(2026, 6, 2)))["benefits"][0]["flags"]
    assert "erosion" in flags  # best since go-live 0.60, latest 0.49
    assert "erosion" not in metrics_json(compute(data, date(2026, 5, 2)))["benefits"][0]["flags"]  # 0.05 drop only
    no_go_live = portfolio([initiative()], [_higher()], measurements(1, *rows))
    assert "erosion" not in metrics_json(compute(no_go_live, date(2026, 6, 2)))["benefits"][0]["flags"]


def test_stale_counts_from_the_latest_measurement_or_the_baseline_date():
    rows = [(date(2026, 2, 1), "10")]
    data = portfolio([initiative()], [_higher()], measurements(1, *rows))
    monthly_limit = date(2026, 2, 1) + timedelta(days=45)
    assert "stale" not in metrics_json(compute(data, monthly_limit))["benefits"][0]["flags"]
    assert "stale" in metrics_json(compute(data, monthly_limit + timedelta(days=1)))["benefits"][0]["flags"]
    out = metrics_json(compute(data, date(2026, 4, 1)))["initiatives"][0]
    assert out["months_without_measurement"] == pytest.approx(59 / 30.4375)
    never = portfolio([initiative()], [_higher()])
    assert "stale" in metrics_json(compute(never, B0 + timedelta(days=46)))["benefits"][0]["flags"]
    assert metrics_json(compute(never, B0 - timedelta(days=10)))["initiatives"][0]["months_without_measurement"] == 0


def test_stale_only_for_active_initiatives_before_the_end_of_tracking_and_not_ad_hoc():
    rows = [(date(2026, 2, 1), "10")]
    closed = portfolio([initiative(stage=Stage.CLOSED)], [_higher()], measurements(1, *rows))
    assert metrics_json(compute(closed, date(2026, 9, 1)))["benefits"][0]["flags"] == []
    ended = portfolio([initiative(planned_go_live=date(2025, 1, 1))], [_higher()], measurements(1, *rows))
    out = metrics_json(compute(ended, date(2026, 9, 1)))
    assert out["benefits"][0]["flags"] == [] and out["initiatives"][0]["months_without_measurement"] is None
    ad_hoc = portfolio([initiative()], [_higher(frequency=Frequency.AD_HOC)], measurements(1, *rows))
    assert metrics_json(compute(ad_hoc, date(2026, 9, 1)))["benefits"][0]["flags"] == []


def test_initiative_forecast_attainment_is_the_lowest_over_benefits_not_dis_benefits():
    rows_fast = [(B0 + timedelta(days=d), str(d / 3)) for d in (30, 60, 90)]
    rows_slow = [(B0 + timedelta(days=d), str(d / 6)) for d in (30, 60, 90)]
    harm = benefit("B-3", id=3, baseline=D(5), target=D(6), dis_benefit=True, direction=Direction.LOWER,
                   baseline_date=B0, target_date=date(2026, 12, 31))
    rows_harm = [(B0 + timedelta(days=d), str(5 + d / 10000)) for d in (30, 60, 90)]
    data = portfolio([initiative()], [_higher(), _higher(code="B-2", id=2), harm],
                     measurements(1, *rows_fast) + tuple(model.Measurement(2, d, D(v), id=100 + n)
                                                         for n, (d, v) in enumerate(rows_slow))
                     + tuple(model.Measurement(3, d, D(v), id=200 + n) for n, (d, v) in enumerate(rows_harm)))
    out = metrics_json(compute(data, date(2026, 4, 30)))
    slow = next(b for b in out["benefits"] if b["code"] == "B-2")["forecast"]["attainment_pct"]
    assert out["initiatives"][0]["forecast_attainment_pct"] == pytest.approx(slow)


def test_erosion_of_exactly_ten_points_is_not_more_than_ten():
    go_live = date(2026, 3, 1)
    rows = [(date(2026, 4, 1), "70"), (date(2026, 5, 1), "60")]  # 0.70 - 0.60 in floats is 0.0999…9
    data = portfolio([initiative(planned_go_live=go_live)], [_higher()], measurements(1, *rows))
    assert "erosion" not in metrics_json(compute(data, date(2026, 5, 2)))["benefits"][0]["flags"]
    rows = [(date(2026, 4, 1), "31"), (date(2026, 5, 1), "21")]  # 0.31 - 0.21 is 0.1000…01 in floats
    data = portfolio([initiative(planned_go_live=go_live)], [_higher()], measurements(1, *rows))
    assert "erosion" not in metrics_json(compute(data, date(2026, 5, 2)))["benefits"][0]["flags"]
