"""Other people's changes reach an open portfolio by LISTEN/NOTIFY; a lost listener reconnects."""

from __future__ import annotations

import time

from pmodesk.store.location import copy_portfolio, open_location


def _heard(watcher, seconds=10.0):
    deadline = time.monotonic() + seconds
    while True:
        heard = watcher.poll()
        if heard.reload or heard.lost or time.monotonic() > deadline:
            return heard
        time.sleep(0.05)


def test_other_peoples_changes_are_heard_and_our_own_are_not(demo_master, pg_server, pg_portfolio):
    copy_portfolio(demo_master, pg_portfolio)
    with open_location(pg_portfolio) as mine, open_location(pg_portfolio) as theirs:
        initiative = mine.load().initiatives[0]
        watcher = mine.watch_changes()
        try:
            mine.update("initiative", initiative.id, name="My own change")
            time.sleep(0.3)
            assert not watcher.poll().reload
            theirs.update("initiative", initiative.id, sponsor="Someone else")
            heard = _heard(watcher)
            assert heard.changed == {"initiative", "audit_entry"}
            assert mine.load().initiatives[0].sponsor == "Someone else"

            (pid,) = pg_server.execute(f"SELECT pid FROM pg_stat_activity WHERE application_name = "
                                       f"'pmodesk (changes)'")[0]
            pg_server.execute(f"SELECT pg_terminate_backend({pid})")
            lost = _heard(watcher)
            assert lost.lost and "reconnect" in lost.lost and "\n" not in lost.lost
            back = watcher.poll()
            assert back.reconnected and back.reload and back.lost is None
            theirs.update("initiative", initiative.id, sponsor="Again")
            assert "initiative" in _heard(watcher).changed
        finally:
            watcher.close()
