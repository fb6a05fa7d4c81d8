"""The edit lock: a second opener is read-only and told who holds the file; stale locks are taken over."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from helpers import sha256
from pmodesk.store import ReadOnly, Store
from pmodesk.store.lock import lock_path

HOLDER = textwrap.dedent("""
    import sys
    from pmodesk.store import Store
    store = Store.open(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.read()  # hold the file until the test closes our stdin
    store.close()
    print("released", flush=True)
""")


@pytest.fixture
def holder(demo_file):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo_file)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "holding"
    yield process
    if process.poll() is None:
        process.stdin.close()
        process.wait(timeout=30)


def test_second_process_gets_read_only_with_who_holds_it(demo_file, holder):
    with Store.open(demo_file) as store:
        assert store.read_only
        assert store.status.lock_holder.pid == holder.pid
        assert store.status.lock_holder.host == socket.gethostname()
        message = " ".join(store.status.messages())
        assert "Read-only" in message and f"process {holder.pid}" in message and "since" in message
        benefit = store.load().benefits[0]
        before = sha256(demo_file)
        with pytest.raises(ReadOnly, match="being edited by"):
            store.update("benefit", benefit.id, title="Sneaky edit")
        assert sha256(demo_file) == before


def test_reader_sees_the_holders_committed_edits(demo_file):
    with Store.open(demo_file) as writer, Store.open(demo_file) as reader:
        assert not writer.read_only and reader.read_only
        benefit = writer.load().benefits[0]
        writer.update("benefit", benefit.id, target_value=Decimal("5.25"))
        seen = {b.id: b for b in reader.load().benefits}[benefit.id]
        assert seen.target_value == Decimal("5.25")


def test_lock_released_on_close_and_next_opener_can_edit(demo_file, holder):
    holder.stdin.close()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(timeout=30)
    assert not lock_path(demo_file).exists()
    with Store.open(demo_file) as store:
        assert not store.read_only


def test_stale_lock_of_a_killed_process_is_taken_over(demo_file, holder):
    holder.kill()
    holder.wait(timeout=30)
    assert lock_path(demo_file).exists()  # the crash left its lock behind
    with Store.open(demo_file) as store:
        assert not store.read_only
        assert store.status.lock_holder is None
    assert not lock_path(demo_file).exists()


def test_lock_from_another_host_is_never_taken_over_silently(demo_file):
    lock_path(demo_file).write_text(json.dumps({
        "app": "pmodesk", "host": "laptop-of-someone-else", "user": "jbloggs", "pid": 1,
        "since": "2026-11-20T09:15:00+00:00", "token": "abc"}))
    with Store.open(demo_file) as store:
        assert store.read_only
        assert "jbloggs on laptop-of-someone-else" in store.status.messages()[0]
    assert json.loads(lock_path(demo_file).read_text())["host"] == "laptop-of-someone-else"


def test_unreadable_lock_is_treated_as_held(demo_file):
    lock_path(demo_file).write_text("{half written")
    with Store.open(demo_file) as store:
        assert store.read_only
    assert lock_path(demo_file).read_text() == "{half written"


def test_read_only_folder_opens_read_only(demo_file, monkeypatch):
    from pmodesk.store import lock as lock_module

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock_module.EditLock, "_create", refuse)
    with Store.open(demo_file) as store:
        assert store.read_only
        assert "folder cannot be written" in store.status.messages()[0]
