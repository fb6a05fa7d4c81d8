"""``pmodesk frontier`` through the command line: Burkardt's P01 as frontier points (DESIGN.md section 17)."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import combinations

from helpers import run_cli

# KNAPSACK_01 P01: capacity 165, optimum 309 with items 1, 2, 3, 4 and 6.
WEIGHTS = [23, 31, 29, 44, 53, 38, 63, 85, 89, 82]
PROFITS = [92, 57, 49, 68, 60, 43, 67, 84, 87, 72]


def _portfolio(tmp_path, risk=False):
    """Remaining cost weight×1000, expected remaining value profit×1000; odd items active, even proposed."""
    initiatives, benefits, spend = [], [], []
    for n, (w, p) in enumerate(zip(WEIGHTS, PROFITS), start=1):
        code = f"K{n:02d}"
        initiatives.append({"code": code, "name": f"Item {n}", "stage": "delivery" if n % 2 else "proposed",
                            "planned_go_live": "2026-01-01", "risk_likelihood": 5 if risk else None,
                            "risk_impact": (n % 5) + 1 if risk else None})
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


def _best(budget):
    items = list(zip(WEIGHTS, PROFITS))
    return max(sum(p for _, p in s) for size in range(11) for s in combinations(items, size)
               if sum(w for w, _ in s) <= budget)


def test_p01_frontier_points(tmp_path):
    path = _portfolio(tmp_path)
    result = run_cli("frontier", path, "--as-of", "2026-01-01", "--steps", "10", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"as_of", "method", "points", "current", "value_gap", "cost_gap"}
    budgets = [Decimal(p["budget"]) for p in out["points"]]
    # k/10 × 537,000 rounded down to the penny (all whole here), plus the current plan's 257,000, once.
    assert budgets == sorted({Decimal(k * 537000 // 10) for k in range(11)} | {Decimal(257000)})
    assert all(p["budget"].endswith(".00") for p in out["points"])
    values = [Decimal(p["expected_remaining_value"]) for p in out["points"]]
    assert values == sorted(values)
    for budget, value in zip(budgets, values):
        assert value == _best(int(budget) // 1000) * 1000
    assert out["current"] == {"remaining_cost": "257000.00", "expected_remaining_value": "355000.00"}
    assert Decimal(out["value_gap"]) == _best(257) * 1000 - 355000 > 0
    cheapest = min(sum(w for w, _ in s) for size in range(11) for s in combinations(zip(WEIGHTS, PROFITS), size)
                   if sum(p for _, p in s) >= 355)
    assert out["cost_gap"] == f"{257000 - cheapest * 1000}.00"
    assert "exact" in out["method"]
    # Every point is what `optimise --budget` answers at that budget: same value, same set.
    for point in (out["points"][3], out["points"][5], out["points"][-1]):
        answer = json.loads(run_cli("optimise", path, "--as-of", "2026-01-01", "--budget", point["budget"],
                                    "--json").stdout)
        assert answer["selected"] == point["selected"]
        assert answer["expected_remaining_value"] == point["expected_remaining_value"]
        assert answer["remaining_cost"] == point["remaining_cost"]


def test_risk_weight_keeps_stops_and_text(tmp_path):
    path = _portfolio(tmp_path, risk=True)
    weighted = json.loads(run_cli("frontier", path, "--as-of", "2026-01-01", "--risk-weight", "0.5", "--steps", "4",
                                  "--keep", "K08", "K10", "--stop", "K01", "--json").stdout)
    assert all({"K08", "K10"} <= set(p["selected"]) and "K01" not in p["selected"] for p in weighted["points"])
    assert Decimal(weighted["points"][0]["budget"]) >= 167000  # budgets below the must-keeps' cost are left out
    # The current plan is risk-weighted like the points: K01 (risk 10) … K09 (risk 25) at 1 − 0.5·risk/25.
    expected = sum(Decimal(p * 1000) * (1 - Decimal("0.5") * 5 * ((n % 5) + 1) / 25)
                   for n, p in enumerate(PROFITS, start=1) if n % 2)
    assert Decimal(weighted["current"]["expected_remaining_value"]) == expected
    text = run_cli("frontier", path, "--as-of", "2026-01-01")
    assert text.returncode == 0 and "current plan" in text.stdout.lower() and "expected remaining value" in text.stdout


def test_exit_codes(tmp_path):
    path = _portfolio(tmp_path)
    assert run_cli("frontier", path, "--steps", "0").returncode == 2
    assert run_cli("frontier", path, "--keep", "Z-DONE").returncode == 2
    assert run_cli("frontier", path, "--keep", "K01", "--stop", "K01").returncode == 2
    junk = tmp_path / "junk.pmodesk"
    junk.write_text("x")
    assert run_cli("frontier", junk, "--keep", "NOPE").returncode == 3
    assert run_cli("frontier", junk, "--steps", "-1").returncode == 2
