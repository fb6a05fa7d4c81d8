"""After an edit the store reads back only the touched initiatives' rows (``Store.reload``), and the
answer is exactly what a whole read gives; recomputing only those initiatives gives exactly the
whole recomputation's figures. Every kind of edit, and its undo, in a file and on a server."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pmodesk import commands
from pmodesk.demo import DEMO_AS_OF
from pmodesk.domain import model
from pmodesk.domain.enums import Action, Comparator, DecisionKind, Metric
from pmodesk.engine.portfolio import compute, recompute
from pmodesk.engine.presentation import metrics_json
from pmodesk.store.location import open_location


def _first(records, **where):
    return next(r for r in records if all(getattr(r, k) == v for k, v in where.items()))


def _benefit_with_measurements(data):
    measured = {m.benefit_id for m in data.measurements}
    return next(b for b in data.benefits if b.id in measured)


# name -> (a command made from the loaded data, whether the change reaches every initiative)
EDITS = {
    "benefit field": (lambda d: commands.UpdateField("benefit", d.benefits[0].id, "target_value",
                                                     d.benefits[0].target_value, d.benefits[0].target_value + 1), False),
    "benefit moves to another initiative": (lambda d: commands.UpdateField(
        "benefit", d.benefits[0].id, "initiative_id", d.benefits[0].initiative_id,
        next(i.id for i in d.initiatives if i.id != d.benefits[0].initiative_id)), False),
    "measurement value": (lambda d: commands.UpdateField("measurement", d.measurements[3].id, "value",
                                                         d.measurements[3].value, d.measurements[3].value + 2), False),
    "new measurement": (lambda d: commands.InsertRecord(model.Measurement(
        _benefit_with_measurements(d).id, date(2026, 10, 30), Decimal("1.5"))), False),
    "measurement deleted": (lambda d: commands.DeleteRecord(d.measurements[-1]), False),
    "trajectory point": (lambda d: commands.UpdateField("trajectory_point", d.trajectory[0].id, "value",
                                                        d.trajectory[0].value, d.trajectory[0].value + Decimal("0.5")), False),
    "pivot rule": (lambda d: commands.UpdateRecord("pivot_rule", d.pivot_rules[0].id,
                                                   {"threshold": d.pivot_rules[0].threshold},
                                                   {"threshold": Decimal("95")}, reason="tighter",
                                                   changed_by="tester"), False),
    "new pivot rule": (lambda d: commands.InsertRecord(model.PivotRule(
        "NEW-R", d.initiatives[1].id, Metric.RISK_SCORE, Comparator.GE, Decimal(1), Action.ESCALATE,
        date(2020, 1, 1))), False),
    "planned spend": (lambda d: commands.UpdateField("planned_spend", d.planned_spend[0].id, "amount",
                                                     d.planned_spend[0].amount, Decimal("123.45")), False),
    "cost actual": (lambda d: commands.InsertRecord(model.CostActual(d.initiatives[2].id, date(2026, 9, 30),
                                                                     Decimal("999.99"))), False),
    "objective link": (lambda d: commands.DeleteRecord(d.objective_links[0]), False),
    "decision": (lambda d: commands.InsertRecord(model.Decision(
        d.initiatives[0].id, DecisionKind.ESCALATION, DEMO_AS_OF, "Raised in a test", escalated=True)), False),
    "initiative": (lambda d: commands.UpdateField("initiative", d.initiatives[0].id, "forecast_go_live",
                                                  d.initiatives[0].forecast_go_live, date(2027, 3, 1)), False),
    "commentary on the portfolio": (lambda d: commands.InsertRecord(model.Commentary(
        DEMO_AS_OF, "A note for the board", None, "PMO")), False),
    "a month of measurements": (lambda d: commands.record_measurements([
        model.Measurement(b.id, date(2026, 10, 29), Decimal("2")) for b in d.benefits[:3]]), False),
    "objective": (lambda d: commands.UpdateField("objective", d.objectives[0].id, "active",
                                                 d.objectives[0].active, not d.objectives[0].active), True),
    "portfolio": (lambda d: commands.UpdateField("portfolio", 1, "rag_green_pct",
                                                 d.portfolio.rag_green_pct, Decimal("95")), True),
}


@pytest.mark.parametrize("name", EDITS)
def test_reading_back_an_edit_equals_a_whole_read_and_its_figures_a_whole_recomputation(demo_location, name):
    make, everything = EDITS[name]
    with open_location(demo_location) as store:
        data = store.load()
        result = compute(data, DEMO_AS_OF)
        store.take_changes()
        command = make(data)
        for step in (command.apply, command.revert, command.apply):
            step(store)
            changes = store.take_changes()
            assert changes.everything is everything
            reloaded = store.reload(data, changes)
            whole = store.load()
            assert reloaded.data == whole
            expected = metrics_json(compute(whole, DEMO_AS_OF))
            if everything:
                assert reloaded.initiative_ids is None
                result = compute(reloaded.data, DEMO_AS_OF)
            else:
                assert reloaded.initiative_ids is not None and len(reloaded.initiative_ids) < len(whole.initiatives)
                result = recompute(result, reloaded.data, reloaded.initiative_ids)
            assert metrics_json(result) == expected
            data = reloaded.data


def test_a_reload_reads_only_the_touched_initiatives_rows(demo_file):
    """The measurements of other initiatives are the very objects read before: nothing else was read."""
    with open_location(str(demo_file)) as store:
        data = store.load()
        measurement = data.measurements[0]
        owner = _first(data.benefits, id=measurement.benefit_id).initiative_id
        store.update("measurement", measurement.id, value=measurement.value + 1)
        reloaded = store.reload(data, store.take_changes())
    assert reloaded.initiative_ids == {owner}
    before = {m.id: m for m in data.measurements}
    owned = {b.id for b in data.benefits if b.initiative_id == owner}
    for m in reloaded.data.measurements:
        assert (m is before[m.id]) is (m.benefit_id not in owned)


def test_edits_that_fail_note_nothing(demo_file):
    from pmodesk.store import InvalidEdit

    with open_location(str(demo_file)) as store:
        data = store.load()
        store.take_changes()
        with pytest.raises(InvalidEdit):
            store.update("benefit", data.benefits[0].id, code=data.benefits[1].code)  # a duplicate code
        assert store.take_changes().empty


def test_on_a_server_a_reload_notes_the_versions_it_read(pg_portfolio, demo_file):
    """A colleague's change read back with an incremental reload counts as seen: editing that row
    afterwards is no conflict, while a row changed and not read back still is one."""
    from pmodesk.store.location import copy_portfolio
    from pmodesk.store.server import Conflict

    copy_portfolio(demo_file, pg_portfolio)
    with open_location(pg_portfolio) as store, open_location(pg_portfolio) as colleague:
        data = store.load()
        benefit = data.benefits[0]
        other = next(b for b in data.benefits if b.initiative_id != benefit.initiative_id)
        colleague.update("benefit", benefit.id, title="Their title")
        colleague.update("benefit", other.id, title="Their other title")
        measurement = next(m for m in data.measurements if m.benefit_id == benefit.id)
        store.update("measurement", measurement.id, value=measurement.value + 1)
        reloaded = store.reload(data, store.take_changes())
        assert _first(reloaded.data.benefits, id=benefit.id).title == "Their title"
        assert _first(reloaded.data.benefits, id=other.id).title == other.title  # not read back
        store.update("benefit", benefit.id, title="My title")  # no conflict: their change was read
        with pytest.raises(Conflict):
            store.update("benefit", other.id, title="My other title")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_long_run_of_random_edits_read_back_one_by_one_stays_equal_to_whole_reads(demo_file, seed):
    """Each reload starts from the last one's answer (and its owner indexes): forty random edits of
    measurements, benefits, spend, rules, links and commentary, undone now and then, never drift."""
    import random

    rng = random.Random(seed)
    with open_location(str(demo_file)) as store:
        data = store.load()
        result = compute(data, DEMO_AS_OF)
        done = []
        for step in range(40):
            initiative = rng.choice(data.initiatives)
            benefits = [b for b in data.benefits if b.initiative_id == initiative.id] or list(data.benefits)
            benefit = rng.choice(benefits)
            measured = [m for m in data.measurements if m.benefit_id == benefit.id]
            choice = rng.randrange(9)
            if choice == 0 and measured:
                m = rng.choice(measured)
                command = commands.UpdateField("measurement", m.id, "value", m.value, m.value + rng.randint(1, 9))
            elif choice == 1:
                day = date(2026, 10, 1 + step % 28)
                if any(m.date == day for m in measured):
                    continue
                command = commands.InsertRecord(model.Measurement(benefit.id, day, Decimal(rng.randint(1, 300))))
            elif choice == 2 and measured:
                command = commands.DeleteRecord(rng.choice(measured))
            elif choice == 3:
                other = rng.choice([i for i in data.initiatives if i.id != benefit.initiative_id])
                command = commands.UpdateField("benefit", benefit.id, "initiative_id", benefit.initiative_id, other.id)
            elif choice == 4:
                command = commands.InsertRecord(model.PlannedSpend(initiative.id, date(2027, 1 + step % 12, 28),
                                                                   Decimal(rng.randint(1, 9999))))
            elif choice == 5:
                command = commands.InsertRecord(model.Commentary(DEMO_AS_OF, f"Note {step}",
                                                                 rng.choice([None, initiative.id]), "PMO"))
            elif choice == 6 and done:
                command = done.pop()
                command.revert(store)
                command = None
            elif choice == 7:
                command = commands.InsertRecord(model.PivotRule(
                    f"RND-{step}", initiative.id, Metric.RISK_SCORE, Comparator.GE, Decimal(rng.randint(1, 25)),
                    Action.REVIEW, date(2020, 1, 1)))
            else:
                command = commands.UpdateField("initiative", initiative.id, "risk_impact", initiative.risk_impact,
                                               rng.randint(1, 5))
            if command is not None:
                command.apply(store)
                done.append(command)
            reloaded = store.reload(data, store.take_changes())
            whole = store.load()
            assert reloaded.data == whole, step
            result = recompute(result, reloaded.data, reloaded.initiative_ids)
            assert metrics_json(result) == metrics_json(compute(whole, DEMO_AS_OF)), step
            data = reloaded.data
