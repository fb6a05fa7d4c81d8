"""The lock belongs to the document, not to the path (issue 12, item 5): links, replaced files,
reused process ids, leftover temporary files."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from helpers import sha256
from pmodesk.domain import model
from pmodesk.store import DocumentReplaced, Store
from pmodesk.store.lock import boot_id, lock_path, process_start_time

HOLDER = textwrap.dedent("""
    import sys
    from pmodesk.store import Store
    store = Store.open(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.read()
    store.close()
""")


@pytest.fixture
def hold():
    processes = []

    def start(path):
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "holding"
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.stdin.close()
        process.wait(timeout=30)


def test_a_symlink_to_an_open_file_opens_read_only_with_the_holders_name(demo_file, tmp_path, hold):
    elsewhere = tmp_path / "shortcuts"
    elsewhere.mkdir()
    link = elsewhere / "client.pmodesk"
    link.symlink_to(demo_file)
    holder = hold(demo_file)
    with Store.open(link) as store:
        assert store.read_only and store.status.lock_holder.pid == holder.pid
        assert f"process {holder.pid}" in store.status.messages()[0]
    assert not lock_path(link).exists()  # no lock beside the link: the lock is the file's


def test_opened_through_a_symlink_the_lock_is_beside_the_file(demo_file, tmp_path):
    link = tmp_path / "link.pmodesk"
    link.symlink_to(demo_file)
    with Store.open(link) as store:
        assert not store.read_only and store.path == demo_file.resolve()
        assert lock_path(demo_file).exists() and not lock_path(link).exists()
        with Store.open(demo_file) as second:
            assert second.read_only and second.status.lock_holder.pid == os.getpid()


def test_a_hard_link_to_an_open_file_opens_read_only_with_the_holders_name(demo_file, hold):
    second_name = demo_file.with_name("copy-that-is-not-a-copy.pmodesk")
    os.link(demo_file, second_name)
    holder = hold(demo_file)
    before = sha256(demo_file)
    with Store.open(second_name) as store:
        assert store.read_only and store.status.lock_holder.pid == holder.pid
        assert "is being edited by" in store.status.messages()[0]
    assert not lock_path(second_name).exists()
    assert sha256(demo_file) == before


def _measurement(store, source="after"):
    benefit = store.load().benefits[0].id
    return model.Measurement(benefit, date(2033, 1, 1), Decimal("1.5"), source)


def _other_document(path):
    Store.create(path, model.Portfolio(name="Someone else's", currency="USD")).close()


def test_file_replaced_by_rename_under_an_open_store_is_not_written(demo_file, tmp_path):
    other = tmp_path / "incoming.pmodesk"
    _other_document(other)
    with Store.open(demo_file) as store:
        store.insert(_measurement(store, "before"))
        os.replace(other, demo_file)  # what a sync client does
        replaced = sha256(demo_file)
        with pytest.raises(DocumentReplaced) as refused:
            store.insert(_measurement(store))
        assert str(refused.value) == (
            "Not saved: demo.pmodesk was replaced or changed by another program while it was open, so nothing "
            "was written to it; close it and open it again to see the file as it is now.")
        assert refused.value.exit_code == 5
        with pytest.raises(DocumentReplaced):  # and it stays refused
            store.insert(_measurement(store))
    assert sha256(demo_file) == replaced
    with Store.open(demo_file) as reopened:
        assert reopened.load().portfolio.name == "Someone else's"


def test_file_overwritten_in_place_under_an_open_store_is_not_written(demo_file, tmp_path):
    other = tmp_path / "incoming.pmodesk"
    _other_document(other)
    with Store.open(demo_file) as store:
        store.insert(_measurement(store, "before"))  # our own commits never count as a change
        inode = demo_file.stat().st_ino
        with open(demo_file, "r+b") as target:  # what cp does: same inode, new content
            target.truncate(0)
            target.write(other.read_bytes())
        assert demo_file.stat().st_ino == inode
        with pytest.raises(DocumentReplaced):
            store.update("portfolio", 1, name="Written into the wrong document")
    assert demo_file.read_bytes() == other.read_bytes()


def _lock_record(path, **changes):
    record = {"app": "pmodesk", "host": socket.gethostname(), "user": "earlier-me", "pid": os.getpid(),
              "since": datetime.now(timezone.utc).isoformat(timespec="seconds"), "token": "t0",
              "boot_id": boot_id(), "start_time": process_start_time(os.getpid())}
    record.update(changes)
    lock_path(path).write_text(json.dumps({k: v for k, v in record.items() if v is not None}))


@pytest.fixture
def live_pid():
    """The id of a live process that is not a pmodesk editor: a reused pid."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    yield process.pid
    process.stdin.close()
    process.wait(timeout=30)


def test_lock_from_another_boot_is_stale_though_its_pid_is_alive(demo_file, live_pid):
    _lock_record(demo_file, pid=live_pid, boot_id="00000000-0000-0000-0000-000000000000", start_time=12)
    with Store.open(demo_file) as store:
        assert not store.read_only


def test_lock_whose_pid_was_reused_by_a_later_process_is_stale(demo_file, live_pid):
    _lock_record(demo_file, pid=live_pid, start_time=process_start_time(live_pid) - 1)
    with Store.open(demo_file) as store:
        assert not store.read_only


def test_lock_without_a_boot_id_taken_before_this_boot_is_stale(demo_file, live_pid):
    _lock_record(demo_file, pid=live_pid, boot_id=None, start_time=None, since="2001-01-01T09:00:00+00:00")
    with Store.open(demo_file) as store:
        assert not store.read_only


def test_lock_of_a_live_process_of_this_boot_is_held(demo_file, live_pid):
    _lock_record(demo_file, pid=live_pid, start_time=process_start_time(live_pid))
    with Store.open(demo_file) as store:
        assert store.read_only and store.status.lock_holder.user == "earlier-me"
    assert json.loads(lock_path(demo_file).read_text())["token"] == "t0"


def test_temporary_lock_files_never_pile_up(demo_file):
    old = time.time() - 3600
    for leftover in (".demo.pmodesk.lock.dead1.tmp", ".demo.pmodesk.lock.dead2.stale"):
        path = demo_file.with_name(leftover)
        path.write_text("{}")
        os.utime(path, (old, old))
    for _ in range(20):
        Store.open(demo_file).close()
    assert sorted(p.name for p in demo_file.parent.iterdir()) == ["demo.pmodesk"]


def test_a_hard_link_in_another_folder_finds_the_holder_too(demo_file, tmp_path, hold):
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("open files are not listed by this system")
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    second_name = other_folder / "quarterly.pmodesk"
    os.link(demo_file, second_name)
    holder = hold(demo_file)
    with Store.open(second_name) as store:
        assert store.read_only and store.status.lock_holder.pid == holder.pid
    assert not lock_path(second_name).exists()
