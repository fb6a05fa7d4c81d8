"""Leave a portfolio file as a crash would: a killed editor, its hot journal and its stale lock."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

# The edit is large and the page cache tiny, so SQLite writes changed pages into the file before
# the commit: the journal is hot (its header synced) and the file itself already changed.
SPILLING_EDIT = textwrap.dedent("""
    import sys, time
    from datetime import date
    from decimal import Decimal
    from pmodesk.domain.model import Measurement
    from pmodesk.store import Store
    store = Store.open(sys.argv[1])
    benefit = store.load().benefits[0].id
    store._raw.execute("PRAGMA cache_size = 2")
    with store.edit() as edit:
        edit.insert(Measurement(benefit, date(2031, 1, 1), Decimal("42"), "in flight"))
        edit.connection.exec_driver_sql("DELETE FROM measurement WHERE source != 'in flight'")
        edit.connection.exec_driver_sql("UPDATE portfolio SET name = 'changed in flight'")
        print("mid-edit", flush=True)
        time.sleep(600)
""")


def crash_mid_edit(path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", SPILLING_EDIT, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "mid-edit"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    journal = path.with_name(path.name + "-journal")
    assert journal.read_bytes()[:8] == bytes.fromhex("d9d505f920a163d7"), "the journal should be hot"


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder with its content's hash: what 'left exactly as found' compares."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}
