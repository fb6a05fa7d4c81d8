"""``pmodesk optimise`` through the command line, on a portfolio imported from JSON."""

from __future__ import annotations

import json

from helpers import run_cli

# KNAPSACK_01 P01: capacity 165, optimum 309 with items 1, 2, 3, 4 and 6.
WEIGHTS = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
PROFITS = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]


def _portfolio(tmp_path, risk=None):
    """Each initiative: remaining cost weight×1000, expected remaining value profit×1000 (one year at target)."""
    initiatives, benefits, spend = [], [], []
    for n, (w, p) in enumerate(zip(WEIGHTS, PROFITS), start=1):
        code = f"K{n:02d}"
        initiatives.append({"code": code, "name": f"Item {n}", "stage": "delivery" if n % 2 else "proposed",
                            "planned_go_live": "2026-01-01", "risk_likelihood": risk and 5, "risk_impact": risk and 5})
        benefits.append({"code": f"{code}-B", "initiative": code, "title": "t", "measure": "m", "direction": "higher",
                         "baseline_value": 0, "baseline_date": "2025-01-01", "target_value": 1,
                         "target_date": "2025-01-02", "annual_value": str(p * 1000)})
        spend.append({"initiative": code, "period_end": "2026-06-30", "amount": str(w * 1000)})
    initiatives.append({"code": "Z-DONE", "name": "Closed", "stage": "closed"})
    document = {"portfolio": {"name": "Knapsack", "currency": "GBP"}, "initiatives": initiatives,
                "benefits": benefits, "planned_spend": spend}
    source = tmp_path / "k.json"
    source.write_text(json.dumps(document))
    target = tmp_path / "k.pmodesk"
    assert run_cli("import", source, target).returncode == 0
    return target


def test_p01_through_the_command_line(tmp_path):
    path = _portfolio(tmp_path)
    result = run_cli("optimise", path, "--budget", "165000", "--as-of", "2026-01-01", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["selected"] == ["K01", "K02", "K03", "K04", "K06"]
    assert out["excluded"] == ["K05", "K07", "K08", "K09", "K10"]  # the closed initiative is in neither
    assert out["expected_remaining_value"] == "309000.00"
    assert out["remaining_cost"] == "165000.00" and out["budget"] == "165000.00"
    assert "exact" in out["method"]


def test_keep_and_stop_in_both_spellings(tmp_path):
    path = _portfolio(tmp_path)
    spaced = run_cli("optimise", path, "--budget", "165000", "--as-of", "2026-01-01", "--keep", "K07", "K08", "--json")
    repeated = run_cli("optimise", path, "--budget", "165000", "--as-of", "2026-01-01", "--keep", "K07", "--keep",
                       "K08", "--json")
    assert spaced.returncode == repeated.returncode == 0
    assert json.loads(spaced.stdout) == json.loads(repeated.stdout)
    assert {"K07", "K08"} <= set(json.loads(spaced.stdout)["selected"])
    stopped = json.loads(run_cli("optimise", path, "--budget", "165000", "--as-of", "2026-01-01", "--stop", "K01",
                                 "--json").stdout)
    assert "K01" in stopped["excluded"] and "K01" not in stopped["selected"]


def test_exit_codes(tmp_path):
    path = _portfolio(tmp_path)
    over = run_cli("optimise", path, "--budget", "1000", "--as-of", "2026-01-01", "--keep", "K08")
    assert over.returncode == 1 and "more than the budget" in over.stderr
    assert run_cli("optimise", path, "--budget", "1000", "--keep", "Z-DONE").returncode == 2
    assert run_cli("optimise", path, "--budget", "1000", "--keep", "K01", "--stop", "K01").returncode == 2
    assert run_cli("optimise", path, "--budget", "lots").returncode == 2
    junk = tmp_path / "junk.pmodesk"
    junk.write_text("x")
    assert run_cli("optimise", junk, "--budget", "1000", "--keep", "NOPE").returncode == 3  # the file first
    assert run_cli("optimise", junk, "--budget", "-5").returncode == 2  # usage needing no file comes first


def test_risk_weight_lowers_risky_values(tmp_path):
    path = _portfolio(tmp_path, risk=True)  # risk score 25 everywhere
    out = json.loads(run_cli("optimise", path, "--budget", "165000", "--as-of", "2026-01-01", "--risk-weight", "0.5",
                             "--json").stdout)
    assert out["expected_remaining_value"] == "154500.00"  # half of 309000
