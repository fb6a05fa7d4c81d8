"""A writer killed with SIGKILL mid-stream leaves a sound file holding every committed edit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from pmodesk.store import Store

WRITER = textwrap.dedent("""
    import sys
    from datetime import date, timedelta
    from decimal import Decimal
    from pmodesk.domain.model import Measurement
    from pmodesk.store import Store
    store = Store.open(sys.argv[1])
    benefit = store.load().benefits[0].id
    day = date(2030, 1, 1)
    n = 0
    while True:
        n += 1
        store.insert(Measurement(benefit, day + timedelta(days=n), Decimal(n) / 100, "crash test"))
        print(n, flush=True)  # printed only after the edit's transaction committed
""")


def test_sigkill_mid_stream_keeps_every_committed_edit(demo_file):
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(demo_file)], stdout=subprocess.PIPE, text=True)
    committed = 0
    for line in process.stdout:
        committed = int(line)
        if committed >= 60:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    # Anything printed after our last read was committed too; read what is left in the pipe.
    for line in process.stdout.read().split():
        committed = max(committed, int(line))

    with Store.open(demo_file) as store:  # the dead writer's lock is stale and taken over
        assert not store.read_only
        assert store.integrity_problems() == []
        kept = sorted(int(m.value * 100) for m in store.load().measurements if m.source == "crash test")
    assert kept[: committed] == list(range(1, committed + 1))
    assert len(kept) in (committed, committed + 1)  # at most the edit in flight beyond what was printed
    conn = sqlite3.connect(demo_file)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


IN_FLIGHT = textwrap.dedent("""
    import sys, time
    from datetime import date
    from decimal import Decimal
    from pmodesk.domain.model import Measurement
    from pmodesk.store import Store
    store = Store.open(sys.argv[1])
    benefit = store.load().benefits[0].id
    with store.edit() as edit:
        edit.insert(Measurement(benefit, date(2031, 1, 1), Decimal("42"), "in flight"))
        edit.connection.exec_driver_sql("DELETE FROM measurement WHERE source != 'in flight'")
        print("mid-edit", flush=True)
        time.sleep(600)
""")


def test_edit_in_flight_is_rolled_back_and_the_user_told(demo_file):
    with Store.open(demo_file) as store:
        before = len(store.load().measurements)
    process = subprocess.Popen([sys.executable, "-c", IN_FLIGHT, str(demo_file)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "mid-edit"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert demo_file.with_name(demo_file.name + "-journal").exists()
    with Store.open(demo_file) as store:
        assert store.status.recovered
        assert any("recovered after an unexpected exit" in m for m in store.status.messages())
        measurements = store.load().measurements
        assert len(measurements) == before
        assert not any(m.source == "in flight" for m in measurements)
        assert store.integrity_problems() == []
