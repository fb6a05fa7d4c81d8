"""Every edit is one committed transaction with an audit entry; money and measures stay exact."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import sha256
from pmodesk.domain import model
from pmodesk.domain.enums import Direction, Stage
from pmodesk.store import InvalidEdit, Store, TargetExists
from pmodesk.store.location import create_at, open_location

FIXED = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


def _new(tmp_path, currency="GBP") -> Store:
    return Store.create(tmp_path / "p.pmodesk", model.Portfolio(name="Test", currency=currency), clock=lambda: FIXED)


def _new_at(location, currency="GBP") -> Store:
    """A new empty portfolio in a file or on the server (the ``location`` fixture)."""
    return create_at(location(), model.Portfolio(name="Test", currency=currency), clock=lambda: FIXED)


def _sha(where: str) -> str | None:
    return None if where.startswith("postgresql://") else sha256(Path(where))


def test_update_writes_one_audit_entry_per_changed_field(demo_location):
    with open_location(demo_location, clock=lambda: FIXED) as store:
        benefit = store.load().benefits[0]
        store.update("benefit", benefit.id, target_value=Decimal("5.5"), title=benefit.title)  # title unchanged
        entries = store.audit_entries()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.at, entry.action, entry.entity, entry.entity_id, entry.field) == (
        FIXED, "update", "benefit", benefit.id, "target_value")
    assert (entry.old_value, entry.new_value) == (str(benefit.target_value), "5.5")


def test_each_edit_is_committed_before_it_returns(demo_file):
    with Store.open(demo_file) as store:
        initiative = store.load().initiatives[0]
        store.update("initiative", initiative.id, planned_investment=Decimal("2500000.01"))
        # Another connection, not ours, sees the committed value while we still hold the file.
        conn = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
        stored = conn.execute("SELECT planned_investment FROM initiative WHERE id = ?", (initiative.id,)).fetchone()
        conn.close()
    assert stored == (250000001,)


@pytest.mark.parametrize("amount", ["1234567.89", "0.10", "-0.01", "12345678901234.56", "92233720368547758.07"])
def test_money_is_stored_exactly_as_integer_minor_units(tmp_path, amount):
    with _new(tmp_path) as store:
        with store.edit() as edit:
            initiative = edit.insert(model.Initiative("I-1", "One", Stage.DELIVERY))
            edit.insert(model.CostActual(initiative, date(2026, 1, 31), Decimal(amount)))
        assert store.load().cost_actuals[0].amount == Decimal(amount)
        path = store.path
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT typeof(amount), amount FROM cost_actual").fetchone() == (
        "integer", int(Decimal(amount) * 100))
    conn.close()


def test_amount_beyond_the_integer_range_is_refused_clearly(location):
    with _new_at(location) as store:
        with pytest.raises(InvalidEdit, match="too large"):
            store.insert(model.Initiative("I-1", "One", Stage.DELIVERY, planned_investment=Decimal("92233720368547758.08")))
        assert store.load().initiatives == ()


def test_zero_decimal_currency_keeps_whole_units(location):
    with _new_at(location, "JPY") as store:
        store.insert(model.Initiative("I-1", "One", Stage.DELIVERY, planned_investment=Decimal("150000000")))
        assert store.load().initiatives[0].planned_investment == Decimal("150000000")
        with pytest.raises(InvalidEdit, match="more decimals than JPY"):
            store.insert(model.Initiative("I-2", "Two", Stage.DELIVERY, planned_investment=Decimal("1.5")))
        assert [i.code for i in store.load().initiatives] == ["I-1"]


def test_measure_values_stay_decimal_text(tmp_path):
    with _new(tmp_path) as store:
        with store.edit() as edit:
            initiative = edit.insert(model.Initiative("I-1", "One", Stage.DELIVERY))
            benefit = edit.insert(model.Benefit("B-1", initiative, "Faster", "Days", Direction.LOWER, Decimal("4"),
                                                date(2027, 1, 1), baseline_value=Decimal("10"),
                                                baseline_date=date(2026, 1, 1)))
            edit.insert(model.Measurement(benefit, date(2026, 2, 1), Decimal("0.10")))
        measurement = store.load().measurements[0]
        assert str(measurement.value) == "0.10"
        assert measurement.entered_at == FIXED
        path = store.path
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT typeof(value), value FROM measurement").fetchone() == ("text", "0.10")
    conn.close()


def test_refused_edit_changes_nothing(demo_location):
    with open_location(demo_location) as store:
        data = store.load()
        before = _sha(demo_location)
        with pytest.raises(InvalidEdit, match="duplicate"):
            store.update("benefit", data.benefits[1].id, code=data.benefits[0].code)
        with pytest.raises(InvalidEdit):
            store.update("initiative", data.initiatives[0].id, stage="cancelled")
        with pytest.raises(InvalidEdit):
            store.update("measurement", data.measurements[0].id, date="2026-02-30")
        with pytest.raises(InvalidEdit):
            with store.edit() as edit:  # two changes in one transaction: the first is undone too
                edit.update("initiative", data.initiatives[0].id, name="Renamed")
                edit.update("initiative", data.initiatives[1].id, risk_impact=9)
        assert _sha(demo_location) == before
        assert store.load() == data
        assert store.audit_entries() == []


def test_insert_and_delete_are_audited(demo_location):
    with open_location(demo_location, clock=lambda: FIXED) as store:
        objective_id = store.insert(model.Objective("OBJ-NEW", "R&D <Beta> \"Ünïcødé\" 日本語 العربية 😀"))
        store.delete("objective", objective_id)
        entries = store.audit_entries()
        assert store.load().objectives == store.load().objectives
    assert [(e.action, e.entity, e.entity_id) for e in entries] == [
        ("insert", "objective", objective_id), ("delete", "objective", objective_id)]
    assert "日本語 العربية 😀" in entries[0].new_value and entries[1].new_value is None


def test_text_is_kept_as_typed(location):
    text = 'R&D <Beta> "Ünïcødé" 日本語 العربية 😀'
    with _new_at(location) as store:
        store.insert(model.Initiative("I-1", text, Stage.PROPOSED, description="=SUM(A1)\t+x"))
        initiative = store.load().initiatives[0]
    assert initiative.name == text and initiative.description == "=SUM(A1)\t+x"


def test_currency_change_keeps_amounts(demo_location):
    with open_location(demo_location) as store:
        before = store.load().initiatives[0].planned_investment
        store.update("portfolio", 1, currency="KWD")
        assert store.load().initiatives[0].planned_investment == before
        with pytest.raises(InvalidEdit, match="JPY"):
            store.update("portfolio", 1, currency="JPY")  # the demo's spend has pence
        assert store.load().portfolio.currency == "KWD"


def test_save_a_copy_is_complete_and_atomic(demo_file, tmp_path):
    destination = tmp_path / "copy" / "board.pmodesk"
    destination.parent.mkdir()
    with Store.open(demo_file) as store:
        store.update("benefit", store.load().benefits[0].id, title="Edited before the copy")
        store.save_copy(destination)
        original = store.load()
    assert sorted(p.name for p in destination.parent.iterdir()) == ["board.pmodesk"]  # no temporary left
    with Store.open(destination) as copy:
        assert copy.load() == original
        assert copy.integrity_problems() == []


def test_create_refuses_an_existing_file(demo_location):
    before = _sha(demo_location)
    with open_location(demo_location, read_only=True) as store:
        data = store.load()
    with pytest.raises(TargetExists):
        create_at(demo_location, model.Portfolio(name="X", currency="GBP"))
    assert _sha(demo_location) == before
    with open_location(demo_location, read_only=True) as store:
        assert store.load() == data


def test_create_refuses_a_currency_without_minor_unit(tmp_path):
    from pmodesk.domain.money import MoneyError

    with pytest.raises(MoneyError):
        Store.create(tmp_path / "x.pmodesk", model.Portfolio(name="X", currency="XAU"))
    assert list(tmp_path.iterdir()) == []


def test_file_settings_match_design(demo_file):
    Store.open(demo_file).close()  # an open and close must leave the file in rollback-journal mode
    conn = sqlite3.connect(demo_file)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    header = demo_file.read_bytes()[:100]
    assert header[18] == 1 and header[19] == 1  # rollback journal, never WAL
    conn.close()
