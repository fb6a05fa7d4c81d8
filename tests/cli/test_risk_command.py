"""``pmodesk risk`` through the command line, checked against an independent least-squares fit."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal

import numpy as np
from scipy import stats

from helpers import run_cli

READINGS = [("2026-01-15", "9.8"), ("2026-02-12", "9.1"), ("2026-03-12", "8.9"), ("2026-04-09", "7.6"),
            ("2026-05-07", "7.7"), ("2026-06-04", "6.5")]


def _portfolio(tmp_path, target_roi=None):
    document = {
        "portfolio": {"name": "One benefit", "currency": "GBP"},
        "kpis": [{"metric": "portfolio_roi_pct", "target": target_roi}] if target_roi is not None else [],
        "initiatives": [{"code": "I-1", "name": "One", "stage": "delivery", "planned_go_live": "2026-06-01"},
                        {"code": "I-2", "name": "Held", "stage": "delivery", "planned_go_live": "2026-06-01"}],
        "benefits": [{"code": "B-1", "initiative": "I-1", "title": "t", "measure": "days", "direction": "lower",
                      "baseline_value": "10", "baseline_date": "2026-01-01", "target_value": "4",
                      "target_date": "2027-01-01", "annual_value": "120000"},
                     {"code": "B-2", "initiative": "I-2", "title": "t", "measure": "days", "direction": "lower",
                      "baseline_value": "10", "baseline_date": "2026-01-01", "target_value": "4",
                      "target_date": "2027-01-01", "annual_value": "36500"}],
        "measurements": [{"benefit": "B-1", "date": d, "value": v} for d, v in READINGS]
                        + [{"benefit": "B-2", "date": "2026-05-01", "value": "7"}],
        "cost_actuals": [{"initiative": "I-1", "period_end": "2026-03-31", "amount": "50000"}],
        "planned_spend": [{"initiative": "I-1", "period_end": "2026-12-31", "amount": "20000"}],
    }
    source = tmp_path / "one.json"
    source.write_text(json.dumps(document))
    target = tmp_path / "one.pmodesk"
    assert run_cli("import", source, target).returncode == 0
    return target


def _exact_after(q):
    """B-1's forecast value after D at quantile q, from our own fit: v̂ + t_ν(q)·s·√(cᵀ(XᵀX)⁻¹c)."""
    days = np.array([date.fromisoformat(d).toordinal() for d, _ in READINGS], dtype=float)
    f = np.array([(10 - float(v)) / 6 for _, v in READINGS])
    x = np.column_stack([np.ones_like(days), days - days.mean()])
    beta, residual, *_ = np.linalg.lstsq(x, f, rcond=None)
    nu = len(days) - 2
    s = math.sqrt(residual[0] / nu)
    start, end = date(2026, 7, 1).toordinal(), date(2027, 6, 1).toordinal()
    m = days.mean()
    c = 120000 / 365 * np.array([end - start, ((end - m) ** 2 - (start - m) ** 2) / 2])
    spread = s * math.sqrt(c @ np.linalg.inv(x.T @ x) @ c)
    return float(c @ beta) + stats.t.ppf(q, nu) * spread, spread, nu


def test_quantiles_against_the_exact_t_quantiles(tmp_path):
    path = _portfolio(tmp_path)
    out = run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "100000", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    metrics = json.loads(run_cli("metrics", path, "--as-of", "2026-07-01", "--json").stdout)
    realised = {i["code"]: Decimal(i["realised_value"]) for i in metrics["initiatives"]}
    held = 36500 / 365 * 0.5 * (date(2027, 6, 1) - date(2026, 7, 1)).days  # B-2 carried forward at f = 0.5
    for q, key in ((0.1, "p10"), (0.5, "p50"), (0.9, "p90")):
        after, spread, nu = _exact_after(q)
        error = math.sqrt(q * (1 - q) / 100_000) / (stats.t.pdf(stats.t.ppf(q, nu), nu) / spread)
        one = next(i for i in payload["initiatives"] if i["code"] == "I-1")
        assert abs(float(Decimal(one["forecast_value"][key]) - realised["I-1"]) - after) < 5 * error + 0.01
        two = next(i for i in payload["initiatives"] if i["code"] == "I-2")
        assert abs(float(Decimal(two["forecast_value"][key]) - realised["I-2"]) - held) < 0.01
    assert payload["held_at_latest_actual"] == ["B-2"]
    assert payload["runs"] == 100000 and payload["portfolio"]["probability_roi_target"] is None
    p = payload["portfolio"]
    value = {k: float(v) for k, v in p["forecast_value"].items()}
    for key in ("p10", "p50", "p90"):
        assert abs(p["forecast_roi_pct"][key] - 100 * (value[key] - 70000) / 70000) < 1e-4


def test_deterministic_seeded_target_and_text(tmp_path):
    path = _portfolio(tmp_path, target_roi="100")
    first = run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "3000", "--json")
    again = run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "3000", "--json")
    other = run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "3000", "--seed", "5", "--json")
    assert first.stdout == again.stdout and first.stdout != other.stdout
    payload = json.loads(first.stdout)
    assert payload["seed"] == json.loads(run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "10",
                                                 "--json").stdout)["seed"]
    assert 0 <= payload["portfolio"]["probability_roi_target"] <= 1
    assert "Monte Carlo" in payload["method"] and "3,000 runs" in payload["method"]
    text = run_cli("risk", path, "--as-of", "2026-07-01", "--runs", "3000")
    assert text.returncode == 0 and "P10" in text.stdout and "Held at their latest actual" in text.stdout


def test_exit_codes(tmp_path):
    path = _portfolio(tmp_path)
    assert run_cli("risk", path, "--runs", "0").returncode == 2
    assert run_cli("risk", path, "--runs", "many").returncode == 2
    assert run_cli("risk", path, "--seed", "-3").returncode == 2
    junk = tmp_path / "junk.pmodesk"
    junk.write_text("x")
    assert run_cli("risk", junk).returncode == 3
