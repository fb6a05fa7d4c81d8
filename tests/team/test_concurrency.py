"""Several people at once on one server portfolio: row versions, conflicts, a dropped connection."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pmodesk.store import NotSaved
from pmodesk.store.location import copy_portfolio, open_location
from pmodesk.store.server import Conflict


@pytest.fixture
def shared(demo_master, pg_server, pg_portfolio):
    copy_portfolio(demo_master, pg_portfolio)
    for user in ("carol", "dave"):
        pg_server.execute(f"DO $$ BEGIN CREATE ROLE {user} LOGIN SUPERUSER; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    url = pg_portfolio.replace("pmodesk_admin@", "{}@")
    return url


def test_changes_to_different_records_both_land(shared):
    with open_location(shared.format("carol")) as carol, open_location(shared.format("dave")) as dave:
        first, second = carol.load().initiatives[:2]
        dave.load()
        carol.update("initiative", first.id, name="Carol's name")
        dave.update("initiative", second.id, name="Dave's name")
        assert [i.name for i in carol.load().initiatives[:2]] == ["Carol's name", "Dave's name"]


def test_the_second_writer_of_one_record_is_told_who_and_when_and_may_overwrite(shared):
    with open_location(shared.format("carol")) as carol, open_location(shared.format("dave")) as dave:
        benefit = carol.load().benefits[0]
        dave.load()
        carol.update("benefit", benefit.id, title="Carol's title")
        carol.update("benefit", benefit.id, owner="Carol")  # her own second edit is no conflict
        with pytest.raises(Conflict, match=r"changed by carol at \d{4}-\d\d-\d\d \d\d:\d\d UTC") as told:
            dave.update("benefit", benefit.id, title="Dave's title", owner="Dave")
        assert told.value.exit_code == 5 and told.value.changed_by == "carol"
        assert carol.load().benefits[0].title == "Carol's title"  # nothing of Dave's landed
        with pytest.raises(Conflict):  # a delete is checked the same way
            dave.delete("benefit", benefit.id)
        dave.overwrite_after(told.value)  # Dave chooses to overwrite
        dave.update("benefit", benefit.id, title="Dave's title")
        after = dave.load().benefits[0]
        assert (after.title, after.owner) == ("Dave's title", "Carol")
        # Carol now holds an old version; after reloading she may edit again.
        with pytest.raises(Conflict, match="changed by dave"):
            carol.update("benefit", benefit.id, title="Carol again")
        carol.load()
        carol.update("benefit", benefit.id, title="Carol again")


def test_a_connection_killed_mid_edit_loses_nothing_acknowledged(shared, pg_server):
    with open_location(shared.format("carol")) as carol:
        first, second = carol.load().initiatives[:2]
        carol.update("initiative", first.id, name="Acknowledged")
        with pytest.raises(NotSaved, match="connection to the server was lost") as lost:
            with carol.edit() as edit:
                edit.update("initiative", second.id, name="In flight")
                pid = edit.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
                pg_server.execute(f"SELECT pg_terminate_backend({pid})")
                edit.update("initiative", first.id, name="Also in flight")
        assert lost.value.exit_code == 6 and "\n" not in str(lost.value)
        names = {i.id: i.name for i in carol.load().initiatives}  # the store reconnects by itself
        assert names[first.id] == "Acknowledged" and names[second.id] == second.name
        carol.update("initiative", second.id, name="After the reconnect")
        assert carol.load().initiatives[1].name == "After the reconnect"
