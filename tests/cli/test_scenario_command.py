"""``pmodesk scenario`` and ``pmodesk optimise --save-scenario`` through the command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from helpers import run_cli, sha256
from pmodesk.domain.enums import Stage
from pmodesk.store import Store

DEMO_SCENARIO = "Stop PAY-06, defer DATA-03, trim CX-02"


def test_scenario_side_by_side(demo_file):
    before = sha256(demo_file)
    result = run_cli("scenario", demo_file, DEMO_SCENARIO, "--as-of", "2026-10-31", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["scenario"] == DEMO_SCENARIO
    assert out["difference"]["remaining_cost"] == "-120000.00"  # CX-02 trimmed by 120,000
    assert out["current"]["realised_value"] == out["with_scenario"]["realised_value"]  # actuals never change
    assert sha256(demo_file) == before
    table = run_cli("scenario", demo_file, DEMO_SCENARIO, "--as-of", "2026-10-31")
    assert "Forecast portfolio ROI" in table.stdout and "Difference" in table.stdout


def test_unknown_scenario_is_a_usage_error(demo_file):
    result = run_cli("scenario", demo_file, "No such plan")
    assert result.returncode == 2 and DEMO_SCENARIO in result.stderr


def test_optimise_saves_its_answer_as_a_scenario(demo_file):
    result = run_cli("optimise", demo_file, "--budget", "800000", "--as-of", "2026-10-31", "--json",
                     "--save-scenario", "Best for 800k")
    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout)
    metrics = json.loads(run_cli("metrics", demo_file, "--as-of", "2026-10-31", "--json").stdout)
    left = {i["code"] for i in metrics["initiatives"]
            if Decimal(i["remaining_cost"]) or Decimal(i["expected_remaining_value"])}
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    scenario = next(s for s in data.scenarios if s.name == "Best for 800k")
    codes = {i.id: i.code for i in data.initiatives}
    proposed = {i.code for i in data.initiatives if i.stage == Stage.PROPOSED}
    mine = [o for o in data.scenario_overrides if o.scenario_id == scenario.id]
    stopped = sorted(codes[o.initiative_id] for o in mine if o.stop_from is not None)
    funded = sorted(codes[o.initiative_id] for o in mine if o.fund_from is not None)
    # Stops only what is excluded and still has something to spend or gain; funds what it selected.
    assert stopped == sorted(c for c in chosen["excluded"] if c in left)
    assert funded == sorted(c for c in chosen["selected"] if c in proposed)
    assert all(o.stop_from == date(2026, 11, 1) for o in mine if o.stop_from)
    assert all(o.fund_from == date(2026, 10, 31) for o in mine if o.fund_from)
    again = run_cli("optimise", demo_file, "--budget", "800000", "--save-scenario", "Best for 800k")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_funding_a_proposed_initiative_brings_its_money_into_the_scenario(tmp_path):
    """fund_from F: the proposed initiative counts as funded (stage read as approved) from F."""
    source = tmp_path / "fund.json"
    document = {
        "portfolio": {"name": "Fund", "currency": "GBP"},
        "initiatives": [
            {"code": "A", "name": "Running", "stage": "delivery", "planned_investment": "1000.00"},
            {"code": "P", "name": "Candidate", "stage": "proposed", "planned_investment": "500.00"}],
        "planned_spend": [{"initiative": "A", "period_end": "2027-03-31", "amount": "1000.00"},
                          {"initiative": "P", "period_end": "2027-06-30", "amount": "500.00"}],
        "scenarios": [{"name": "Fund P", "overrides": [{"initiative": "P", "fund_from": "2026-10-31"}]},
                      {"name": "Fund P later", "overrides": [{"initiative": "P", "fund_from": "2026-12-01"}]}]}
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "fund.pmodesk"
    assert run_cli("import", source, target).returncode == 0
    now = json.loads(run_cli("scenario", target, "Fund P", "--as-of", "2026-10-31", "--json").stdout)
    assert now["current"]["remaining_cost"] == "1000.00"
    assert now["with_scenario"]["remaining_cost"] == "1500.00"
    assert now["difference"]["remaining_cost"] == "500.00"
    later = json.loads(run_cli("scenario", target, "Fund P later", "--as-of", "2026-10-31", "--json").stdout)
    assert later["difference"]["remaining_cost"] == "0.00"  # not yet funded at D
    exported = tmp_path / "back.json"
    assert run_cli("export", target, exported).returncode == 0
    overrides = {s["name"]: s["overrides"] for s in json.loads(exported.read_text())["scenarios"]}
    assert overrides["Fund P"][0]["fund_from"] == "2026-10-31"


def test_only_a_proposed_initiative_can_be_funded(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({
        "portfolio": {"name": "Bad", "currency": "GBP"},
        "initiatives": [{"code": "A", "name": "Running", "stage": "delivery"}],
        "scenarios": [{"name": "S", "overrides": [{"initiative": "A", "fund_from": "2026-10-31"}]}]}),
        encoding="utf-8")
    result = run_cli("import", source, tmp_path / "bad.pmodesk")
    assert result.returncode == 4
    assert "fund_from" in result.stderr and "only a proposed initiative" in result.stderr
    assert not (tmp_path / "bad.pmodesk").exists()
