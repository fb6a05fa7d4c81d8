"""``pmodesk scenario`` and ``pmodesk optimise --save-scenario`` through the command line."""

from __future__ import annotations

import json

from helpers import run_cli, sha256
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
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    scenario = next(s for s in data.scenarios if s.name == "Best for 800k")
    codes = {i.id: i.code for i in data.initiatives}
    stopped = sorted(codes[o.initiative_id] for o in data.scenario_overrides if o.scenario_id == scenario.id)
    active = {i.code for i in data.initiatives if i.stage.active}
    assert stopped == sorted(c for c in chosen["excluded"] if c in active)
    again = run_cli("optimise", demo_file, "--budget", "800000", "--save-scenario", "Best for 800k")
    assert again.returncode == 2 and "already exists" in again.stderr
