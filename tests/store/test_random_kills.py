"""Kill an editing process at random moments, many times; every acknowledged edit survives
(issue 12, item 10). ``make soak`` runs many more kills (PMODESK_SOAK_KILLS).

Starting a Python process per kill would spend the test budget on imports, so a small fork server
imports pmodesk once and forks one editor per kill. Each editor opens the file (taking over the
previous editor's stale lock and recovering its journal, so kills land there too), then adds
measurements one committed edit at a time, acknowledging each only after its commit. The server
kills it with SIGKILL after a random delay and reports the last acknowledgement.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

from pmodesk.store import Store

KILLS = int(os.environ.get("PMODESK_SOAK_KILLS", "100"))

FORK_SERVER = textwrap.dedent("""
    import os, signal, sys, time
    from datetime import date, timedelta
    from decimal import Decimal
    from pmodesk.domain.model import Measurement
    from pmodesk.store import Store

    def edit_forever(path, benefit, n, acks):
        store = Store.open(path)
        assert not store.read_only
        os.write(acks, b"ready\\n")
        while True:
            store.insert(Measurement(benefit, date(2040, 1, 1) + timedelta(days=n), Decimal(n), "kill"))
            os.write(acks, b"%d\\n" % n)  # only after the edit's transaction committed
            n += 1

    for line in sys.stdin:
        path, benefit, first, delay = line.split()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                edit_forever(path, int(benefit), int(first), write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        delay = float(delay)
        received = b""
        if delay >= 0:  # kill while it edits: wait until it has opened the file
            while b"ready\\n" not in received and (chunk := os.read(read_end, 65536)):
                received += chunk
        time.sleep(abs(delay))  # negative: kill while it is still opening (and recovering)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)  # reaped: its lock is stale from now on
        acks = received.replace(b"ready\\n", b"")
        while chunk := os.read(read_end, 65536):
            acks += chunk
        os.close(read_end)
        numbers = [int(x) for x in acks.replace(b"ready", b"").split()]
        print(max(numbers) if numbers else -1, flush=True)
""")


def test_random_kills_never_lose_an_acknowledged_edit(demo_file):
    with Store.open(demo_file) as store:
        benefit = store.load().benefits[0].id
    server = subprocess.Popen([sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    rng = random.Random(1207)
    acknowledged: set[int] = set()
    present: set[int] = set()  # what the file held after the previous kill
    next_n, recovered, in_flight_kept = 0, 0, 0
    try:
        for _kill in range(KILLS):
            # One kill in four lands while the editor opens the file, the others while it edits.
            delay = -rng.uniform(0.0, 0.06) if rng.random() < 0.25 else rng.uniform(0.0, 0.15)
            server.stdin.write(f"{demo_file} {benefit} {next_n} {delay:.4f}\n")
            server.stdin.flush()
            last = int(server.stdout.readline())
            acknowledged.update(range(next_n, last + 1))
            with Store.open(demo_file) as store:  # the killed editor's lock is stale, its journal ours
                assert not store.read_only, store.status.messages()
                recovered += store.status.recovered
                with store.reading() as connection:
                    kept = {int(v) for (v,) in connection.exec_driver_sql(
                        "SELECT value FROM measurement WHERE source = 'kill'")}
                assert store.integrity_problems() == []
            assert acknowledged <= kept and present <= kept, sorted((acknowledged | present) - kept)[:5]
            beyond = kept - acknowledged - present
            assert beyond <= {max(last + 1, next_n)}, sorted(beyond)  # at most the edit in flight
            in_flight_kept += bool(beyond)
            present = kept
            next_n = max(kept | {last, next_n - 1}) + 1
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    assert len(acknowledged) >= KILLS // 2  # the editors really did work between the kills
    copies = [p for p in demo_file.parent.iterdir() if "before-recovery" in p.name]
    print(f"{KILLS} kills: {len(acknowledged)} acknowledged edits, {recovered} recoveries, "
          f"{len(copies) // 2} of them from a hot journal, {in_flight_kept} edits in flight kept")
    assert recovered > 0  # and some kills left a journal or a lock that had to be recovered
    # Killed editors leave young temporary lock files (swept once a minute old) and at most a journal
    # whose header was never completed, which SQLite never plays; nothing else.
    leftovers = sorted(p.name for p in demo_file.parent.iterdir()
                       if p.name != demo_file.name and "before-recovery" not in p.name)
    assert all(p.startswith(".demo.pmodesk.lock.") and p.endswith(".tmp") or p == "demo.pmodesk-journal"
               for p in leftovers), leftovers
    journal = demo_file.with_name("demo.pmodesk-journal")
    assert not journal.exists() or journal.read_bytes()[:1] in (b"", b"\0")
