"""``pmodesk optimise --budget-by-year`` through the command line (DESIGN.md section 17)."""

from __future__ import annotations

import json

from helpers import run_cli


def _portfolio(tmp_path):
    """April fiscal years. A spends in FY2027 only, B across FY2027 and FY2028, C in FY2028; P is proposed."""
    def initiative(code, stage):
        return {"code": code, "name": code, "stage": stage, "planned_go_live": "2026-06-30"}

    def benefit(code, annual):
        return {"code": f"{code}-B", "initiative": code, "title": "t", "measure": "m", "direction": "higher",
                "baseline_value": 0, "baseline_date": "2025-01-01", "target_value": 1, "target_date": "2025-01-02",
                "annual_value": str(annual)}

    spend = [("A", "2026-06-30", "60000"), ("A", "2027-03-31", "0.50"),
             ("B", "2027-03-31", "30000"), ("B", "2027-04-30", "10000"),
             ("C", "2027-05-31", "40000"), ("P", "2026-12-31", "20000"), ("P", "2027-06-30", "5000"),
             ("A", "2026-01-31", "99999")]  # before the as-of date: spent already, counts nowhere
    document = {"portfolio": {"name": "Years", "currency": "GBP", "fiscal_year_start_month": 4},
                "initiatives": [initiative("A", "delivery"), initiative("B", "approved"), initiative("C", "delivery"),
                                initiative("P", "proposed")],
                "benefits": [benefit("A", 100000), benefit("B", 60000), benefit("C", 50000), benefit("P", 36500)],
                "planned_spend": [{"initiative": i, "period_end": d, "amount": a} for i, d, a in spend]}
    source = tmp_path / "years.json"
    source.write_text(json.dumps(document))
    target = tmp_path / "years.pmodesk"
    assert run_cli("import", source, target).returncode == 0
    return target


def _run(path, *args):
    return run_cli("optimise", path, "--as-of", "2026-03-31", *args)


def test_a_year_cap_alone_and_with_a_budget(tmp_path):
    path = _portfolio(tmp_path)
    plain = json.loads(_run(path, "--budget", "100000.50", "--json").stdout)
    assert plain["selected"] == ["A", "B"] and plain["budget_by_year"] == {}
    capped = _run(path, "--budget-by-year", "2027=80000.50", "--json")
    assert capped.returncode == 0, capped.stderr
    out = json.loads(capped.stdout)
    assert out["budget"] is None and out["budget_by_year"] == {"2027": "80000.50"}
    # FY2027 (2026-04-01 … 2027-03-31) holds A's 60,000.50, B's 30,000 and P's 20,000: A with P fits, A with B not.
    assert out["selected"] == ["A", "C", "P"] and out["spend_by_year"] == {"2027": "80000.50"}
    both = json.loads(_run(path, "--budget", "100000.50", "--budget-by-year", "2027=80000.50", "--json").stdout)
    assert both["selected"] == ["A", "C"] and both["budget"] == "100000.50"
    assert both["remaining_cost"] == "100000.50"
    two = json.loads(_run(path, "--budget-by-year", "2027=80000.50", "--budget-by-year", "2028=45000",
                          "--json").stdout)
    assert two["selected"] == ["A", "C", "P"] and two["spend_by_year"] == {"2027": "80000.50", "2028": "45000.00"}
    tighter = json.loads(_run(path, "--budget-by-year", "2027=80000.50", "--budget-by-year", "2028=44999.99",
                              "--json").stdout)
    assert tighter["selected"] == ["A", "C"]  # P's 5,000 in FY2028 no longer fits beside C's 40,000
    text = _run(path, "--budget-by-year", "2027=80000")
    assert text.returncode == 0 and "fiscal year 2027" in text.stdout


def test_must_keeps_named_with_the_year_they_break(tmp_path):
    path = _portfolio(tmp_path)
    over = _run(path, "--budget-by-year", "2027=70000", "--keep", "A", "B")
    assert over.returncode == 1
    assert "fiscal year 2027" in over.stderr and "GBP 90,000.50" not in over.stderr
    assert "GBP 90000.50" in over.stderr and "GBP 70000.00" in over.stderr
    assert _run(path, "--budget-by-year", "2028=70000", "--keep", "A", "B").returncode == 0


def test_usage_errors(tmp_path):
    path = _portfolio(tmp_path)
    assert _run(path).returncode == 2  # no budget at all
    for bad in ("2027", "x=5", "2027=lots", "2027=-1", "0=5"):
        assert _run(path, "--budget-by-year", bad).returncode == 2, bad
    assert _run(path, "--budget-by-year", "2027=1", "--budget-by-year", "2027=2").returncode == 2
    assert _run(path, "--budget-by-year", "2027=1.001").returncode == 2  # more decimals than GBP has
    junk = tmp_path / "junk.pmodesk"
    junk.write_text("x")
    assert run_cli("optimise", junk, "--budget-by-year", "2027").returncode == 2  # usage needing no file first
    assert run_cli("optimise", junk, "--budget-by-year", "2027=5").returncode == 3


def test_save_scenario_with_year_budgets(tmp_path):
    path = _portfolio(tmp_path)
    saved = _run(path, "--budget-by-year", "2027=80000.50", "--save-scenario", "FY27 cap")
    assert saved.returncode == 0, saved.stderr
    assert "1 proposed initiative(s) funded from 2026-03-31" in saved.stderr and "1 initiative(s) stop" in saved.stderr
    exported = tmp_path / "out.json"
    assert run_cli("export", path, exported).returncode == 0
    scenario = json.loads(exported.read_text())["scenarios"][0]
    overrides = {o["initiative"]: o for o in scenario["overrides"]}
    assert scenario["name"] == "FY27 cap" and set(overrides) == {"B", "P"}
    assert overrides["P"]["fund_from"] == "2026-03-31" and overrides["B"]["stop_from"] == "2026-04-01"
