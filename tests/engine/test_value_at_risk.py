"""Value at risk (DESIGN.md section 17): sample quantiles against the exact t quantiles, P50 against the
point forecast, and the bookkeeping around them."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import stats

from pmodesk.domain import model
from pmodesk.domain.enums import Stage
from pmodesk.engine.portfolio import compute
from pmodesk.engine.risk import DEFAULT_SEED, risk_json, trend_uncertainty, value_at_risk
from portfolios import D, benefit, initiative, measurements, portfolio

AS_OF = date(2026, 7, 1)


def _noisy(benefit_id: int, points: int, seed: int, start=date(2026, 1, 15), step=14):
    """A measure falling from 10 towards 4 with noise (lower is better), one reading every two weeks."""
    rng = random.Random(seed)
    rows = [(start + timedelta(days=step * k), f"{10 - 0.03 * step * k + rng.uniform(-0.6, 0.6):.3f}")
            for k in range(points)]
    return [model.Measurement(benefit_id, d, D(v), id=benefit_id * 100 + n) for n, (d, v) in enumerate(rows)]


def _one_benefit(points=5):
    data = portfolio([initiative(planned_go_live=date(2026, 6, 1))], [benefit()], _noisy(1, points, 3))
    return compute(data, AS_OF)


def test_the_trend_is_the_forecasts_own_and_its_point_is_the_forecast_value():
    result = _one_benefit()
    b = result.benefits[0]
    end = result.prepared.tracking_end[1]
    trend = trend_uncertainty(b, "I-1", AS_OF.toordinal(), end)
    assert trend.nu == b.forecast.n - 2 == 3
    assert trend.point == pytest.approx(b.series.forecast_value_after(AS_OF.toordinal(), end, b.forecast), rel=1e-9)
    assert trend.point == pytest.approx(result.initiatives[0].forecast_value - result.initiatives[0].realised_value,
                                        rel=1e-9)
    assert trend.scale > 0


@pytest.mark.parametrize("points", [4, 5, 12])
def test_single_benefit_sample_quantiles_match_the_exact_t_quantiles(points):
    result = _one_benefit(points)
    b = result.benefits[0]
    trend = trend_uncertainty(b, "I-1", AS_OF.toordinal(), result.prepared.tracking_end[1])
    runs = 100_000
    var = value_at_risk(result, runs=runs, seed=7)
    realised = result.initiatives[0].realised_value
    sample = var.portfolio_runs - realised
    for q, got in zip((0.1, 0.5, 0.9), (var.forecast_value.p10, var.forecast_value.p50, var.forecast_value.p90)):
        exact = trend.point + stats.t.ppf(q, trend.nu) * trend.scale
        # Standard error of a sample quantile: √(q(1−q)/N) ÷ density at the quantile.
        density = stats.t.pdf(stats.t.ppf(q, trend.nu), trend.nu) / trend.scale
        error = math.sqrt(q * (1 - q) / runs) / density
        assert abs(got - realised - exact) < 5 * error, (q, got - realised, exact, error)
        assert np.quantile(sample, q) == pytest.approx(got - realised, abs=1e-6)
    # A wider view of the same check: the share of runs below the exact P10 and P90.
    below_p10 = np.mean(sample <= trend.point + stats.t.ppf(0.1, trend.nu) * trend.scale)
    assert abs(below_p10 - 0.1) < 5 * math.sqrt(0.09 / runs)


def _three_initiatives():
    """Nine noisy benefits over three initiatives, each forecast on 5 to 13 measurements."""
    initiatives = [initiative(f"I-{k}", id=k, planned_go_live=date(2026, 6, 1)) for k in range(1, 4)]
    benefits, rows = [], []
    for k in range(1, 10):
        benefits.append(benefit(f"B-{k}", initiative_id=(k - 1) % 3 + 1, id=k))
        rows += _noisy(k, 4 + k, seed=k)
    return compute(portfolio(initiatives, benefits, rows), AS_OF)


def test_p50_is_the_point_forecast_where_the_distributions_are_symmetric():
    result = _three_initiatives()
    var = value_at_risk(result, runs=40_000, seed=11)
    spread = np.std(var.portfolio_runs)
    # The median of a symmetric distribution is its centre; its sampling error is about 1.25 σ/√N.
    assert abs(var.forecast_value.p50 - var.point_forecast_value) < 5 * 1.25 * spread / math.sqrt(40_000)
    assert var.point_forecast_value == pytest.approx(sum(r.forecast_value for r in result.initiatives))
    assert var.forecast_value.p10 < var.forecast_value.p50 < var.forecast_value.p90
    for risk, r in zip(var.initiatives, result.initiatives):
        assert risk.code == r.initiative.code
        assert risk.forecast_value.p10 < r.forecast_value < risk.forecast_value.p90
    # Downside contributions add up to how far the runs at or below P10 sit under the mean.
    tail = var.portfolio_runs <= np.quantile(var.portfolio_runs, 0.1)
    assert sum(i.downside_contribution for i in var.initiatives) == pytest.approx(
        var.portfolio_runs[tail].mean() - var.portfolio_runs.mean())
    assert all(i.downside_contribution < 0 for i in var.initiatives)


def test_deterministic_per_seed():
    result = _one_benefit()
    first, again = value_at_risk(result, runs=2000), value_at_risk(result, runs=2000)
    assert first.seed == DEFAULT_SEED and np.array_equal(first.portfolio_runs, again.portfolio_runs)
    assert risk_json(first, "GBP") == risk_json(again, "GBP")
    assert not np.array_equal(first.portfolio_runs, value_at_risk(result, runs=2000, seed=1).portfolio_runs)


def test_drawing_runs_a_slice_at_a_time_gives_the_very_same_runs(monkeypatch):
    """The runs are drawn a slice at a time (so a window's worker does not hold the interpreter for
    long): the generator fills in order, so any slice size gives exactly the numbers of one call."""
    from pmodesk.engine import risk

    result = _three_initiatives()
    whole = value_at_risk(result, runs=3000, seed=5)
    for runs_per_slice, cells_per_block in ((7, 2_000_000), (1_000, 5_000), (1, 3_000)):
        monkeypatch.setattr(risk, "RUNS_PER_SLICE", runs_per_slice)
        monkeypatch.setattr(risk, "CELLS_PER_BLOCK", cells_per_block)
        sliced = value_at_risk(result, runs=3000, seed=5)
        if cells_per_block == 2_000_000:  # the same blocks: the very same runs
            assert np.array_equal(whole.portfolio_runs, sliced.portfolio_runs)
        else:  # other blocks draw in another order: the same distribution, other runs
            assert not np.array_equal(whole.portfolio_runs, sliced.portfolio_runs)


def test_held_at_latest_actual_fixed_costs_roi_and_the_target():
    data = portfolio(
        [initiative(planned_go_live=date(2026, 6, 1)), initiative("I-2", id=2, planned_go_live=date(2026, 6, 1)),
         initiative("P-1", Stage.PROPOSED, id=3, planned_go_live=date(2026, 6, 1))],
        [benefit(), benefit("B-2", initiative_id=2, id=2), benefit("B-3", initiative_id=2, id=3),
         benefit("B-4", initiative_id=3, id=4, annual_value=D(999999))],
        _noisy(1, 6, 5) + [model.Measurement(2, date(2026, 5, 1), D(7), id=900)] + _noisy(4, 6, 9),
        cost_actuals=(model.CostActual(1, date(2026, 3, 31), D(50000)), model.CostActual(2, date(2026, 3, 31), D(10000))),
        planned_spend=(model.PlannedSpend(1, date(2026, 12, 31), D(40000)),),
        kpis=(model.Kpi("portfolio_roi_pct", target=D(131)),),
    )
    result = compute(data, AS_OF)
    var = value_at_risk(result, runs=5000, seed=3)
    assert var.held_at_latest_actual == ("B-2",)  # B-3 has no actual, so adds nothing after D
    assert [i.code for i in var.initiatives] == ["I-1", "I-2"]  # funded only, as forecast portfolio ROI
    i2 = var.initiatives[1]
    assert i2.forecast_value.p10 == i2.forecast_value.p90 == pytest.approx(result.initiative("I-2").forecast_value)
    assert i2.downside_contribution == pytest.approx(0, abs=1e-6)
    cost = 50000 + 10000 + 40000
    roi = 100 * (var.portfolio_runs - cost) / cost
    assert var.forecast_roi_pct.p50 == pytest.approx(np.quantile(roi, 0.5))
    assert var.probability_roi_target == pytest.approx(np.mean(roi >= 131))
    assert 0 < var.probability_roi_target < 1
    assert result.metrics.forecast_portfolio_roi_pct == pytest.approx(100 * (var.point_forecast_value - cost) / cost)
    payload = risk_json(var, "GBP")
    assert set(payload) >= {"as_of", "runs", "seed", "method", "portfolio", "initiatives", "held_at_latest_actual"}
    assert set(payload["portfolio"]) == {"forecast_value", "forecast_roi_pct", "probability_roi_target"}
    assert payload["initiatives"][0]["forecast_value"]["p50"].count(".") == 1
    assert len(payload["initiatives"][0]["forecast_value"]["p50"].split(".")[1]) == 2
    assert "ν = n − 2" in payload["method"] and "χ²" in payload["method"] and "linear interpolation" in payload["method"]


def test_no_target_no_cost_and_bad_arguments():
    result = _one_benefit()
    var = value_at_risk(result, runs=100)
    assert var.probability_roi_target is None and var.forecast_roi_pct is None  # no cost recorded at all
    assert risk_json(var, "GBP")["portfolio"]["forecast_roi_pct"] == {"p10": None, "p50": None, "p90": None}
    with pytest.raises(ValueError):
        value_at_risk(result, runs=0)
    with pytest.raises(ValueError):
        value_at_risk(result, seed=-1)
