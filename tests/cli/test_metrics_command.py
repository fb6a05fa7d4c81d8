"""``pmodesk metrics`` through the real command line: the JSON shape of DESIGN.md section 13."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli, sha256

PORTFOLIO_KEYS = {"benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
                  "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days",
                  "decision_cycle_time_mean_days", "escalation_rate_pct", "portfolio_roi_pct",
                  "forecast_portfolio_roi_pct", "realised_value", "planned_value", "planned_investment",
                  "actual_cost", "previous_quarter"}
INITIATIVE_KEYS = {"code", "stage", "funded", "active", "realised_value", "planned_value", "realisation_vs_plan_pct",
                   "benefits_realised_pct", "value_rag", "aligned", "cost_variance_pct", "go_live_slip_days",
                   "months_without_measurement", "forecast_attainment_pct", "risk_score", "remaining_cost",
                   "expected_remaining_value", "flags", "triggered_rules"}
BENEFIT_KEYS = {"code", "initiative", "planned_measure", "actual_measure", "improvement_fraction",
                "realisation_vs_plan_pct", "realised_value", "planned_value", "forecast", "flags"}
RULE_KEYS = {"initiative", "rule", "metric", "observed", "comparator", "threshold", "action"}


def test_metrics_json_has_every_key_of_section_13(demo_location):
    demo_file = demo_location  # a file, or the demo copied to the server
    server = demo_file.startswith("postgresql://")
    before = None if server else sha256(Path(demo_file))
    result = run_cli("metrics", demo_file, "--as-of", "2026-10-31", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["as_of"] == "2026-10-31" and out["currency"] == "GBP"
    assert PORTFOLIO_KEYS <= set(out["portfolio"])
    assert set(out["portfolio"]["previous_quarter"]) >= PORTFOLIO_KEYS - {
        "realised_value", "planned_value", "planned_investment", "actual_cost", "previous_quarter"}
    assert all(INITIATIVE_KEYS <= set(i) for i in out["initiatives"])
    assert all(BENEFIT_KEYS <= set(b) for b in out["benefits"])
    assert out["decisions_required"] and all(set(r) == RULE_KEYS for r in out["decisions_required"])
    assert [i["code"] for i in out["initiatives"]] == sorted(i["code"] for i in out["initiatives"])
    money = out["portfolio"]["realised_value"]
    assert isinstance(money, str) and len(money.split(".")[1]) == 2
    forecast = next(b["forecast"] for b in out["benefits"] if b["forecast"])
    assert set(forecast) == {"method", "n", "attainment_pct", "interval_80_pct", "probability_of_target"}
    assert before is None or sha256(Path(demo_file)) == before


def test_metrics_default_as_of_is_the_portfolios_fixed_date(demo_file):
    out = json.loads(run_cli("metrics", demo_file, "--json").stdout)
    assert out["as_of"] == "2026-10-31"


def test_metrics_table_is_readable(demo_file):
    result = run_cli("metrics", demo_file, "--as-of", "2026-10-31")
    assert result.returncode == 0
    assert "Realisation vs plan" in result.stdout and "Decisions required:" in result.stdout
    assert "terminate PAY-06 rule R1" in result.stdout


def test_bad_as_of_is_a_usage_error(demo_file):
    result = run_cli("metrics", demo_file, "--as-of", "31/10/2026")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_refused_file_exits_3(tmp_path):
    junk = tmp_path / "x.pmodesk"
    junk.write_text("hello")
    assert run_cli("metrics", junk, "--json").returncode == 3
