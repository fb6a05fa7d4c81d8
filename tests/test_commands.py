"""Edit commands apply and revert against a real file (the UI's undo stack wraps these)."""

from __future__ import annotations

from datetime import date

from pmodesk.commands import DeleteScenario, InsertRecord, SetOverride, UpdateField, copy_scenario
from pmodesk.domain import model
from pmodesk.store import Store


def _scenarios(store):
    data = store.load()
    return {s.name: sorted((o.initiative_id, o.stop_from, o.budget_change) for o in data.scenario_overrides
                           if o.scenario_id == s.id) for s in data.scenarios}


def test_update_field_round_trip(demo_file):
    with Store.open(demo_file) as store:
        benefit = store.load().benefits[0]
        command = UpdateField("benefit", benefit.id, "owner", benefit.owner, "New Owner")
        command.apply(store)
        assert store.load().benefits[0].owner == "New Owner"
        command.revert(store)
        assert store.load().benefits[0].owner == benefit.owner


def test_scenario_copy_delete_and_override_with_undo(demo_file):
    with Store.open(demo_file) as store:
        original = _scenarios(store)
        source = store.load().scenarios[0]
        overrides = original[source.name]
        copy = copy_scenario(store.load(), source.id, "Copy")
        copy.apply(store)
        assert _scenarios(store)["Copy"] == overrides
        copy.revert(store)
        assert _scenarios(store) == original
        copy.apply(store)  # redo keeps the same id
        assert _scenarios(store)["Copy"] == overrides
        data = store.load()
        scenario = next(s for s in data.scenarios if s.name == "Copy")
        existing = next(o for o in data.scenario_overrides if o.scenario_id == scenario.id)
        change = SetOverride(existing, model.ScenarioOverride(scenario.id, existing.initiative_id,
                                                              stop_from=date(2027, 1, 1), id=existing.id))
        change.apply(store)
        assert (existing.initiative_id, date(2027, 1, 1), None) in _scenarios(store)["Copy"]
        change.revert(store)
        assert _scenarios(store)["Copy"] == overrides
        mine = tuple(o for o in store.load().scenario_overrides if o.scenario_id == scenario.id)
        delete = DeleteScenario(scenario, mine)
        delete.apply(store)
        assert "Copy" not in _scenarios(store)
        delete.revert(store)
        assert _scenarios(store)["Copy"] == overrides


def test_insert_record_redo_keeps_its_id(demo_file):
    with Store.open(demo_file) as store:
        command = InsertRecord(model.Scenario("Fresh"))
        command.apply(store)
        first = command.inserted_id
        command.revert(store)
        command.apply(store)
        assert command.inserted_id == first
        assert any(s.name == "Fresh" and s.id == first for s in store.load().scenarios)
        UpdateField("scenario", first, "name", "Fresh", "Renamed").apply(store)
        assert any(s.name == "Renamed" for s in store.load().scenarios)
