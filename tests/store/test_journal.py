"""A hot journal is played only when it is clearly the document's own (issue 12, items 1 and 2)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal

import pytest

from crashing import crash_mid_edit, folder_state
from helpers import run_cli, sha256
from pmodesk.domain import model
from pmodesk.store import FileRefused, InUse, Store
from pmodesk.store.lock import lock_path


def _other_client(path) -> None:
    """Client B's portfolio, a real pmodesk file with its own history."""
    def populate(store):
        store.insert(model.Initiative("B-1", "Client B's initiative", stage="proposed"))
    Store.create(path, model.Portfolio(name="Client B", currency="EUR"), populate=populate).close()


def _journal(path):
    return path.with_name(path.name + "-journal")


@pytest.mark.parametrize("how", ["saved over (new inode)", "copied over in place"])
def test_another_clients_file_saved_over_a_crashed_one_is_never_given_its_journal(demo_file, tmp_path, how):
    crash_mid_edit(demo_file)
    b = tmp_path / "incoming" / "b.pmodesk"
    b.parent.mkdir()
    _other_client(b)
    if how.startswith("saved"):
        os.replace(b, demo_file)
    else:
        with open(demo_file, "r+b") as target:  # what cp does: truncate and write into the same inode
            target.truncate(0)
            target.write(b.read_bytes())
    before = folder_state(demo_file.parent)
    with pytest.raises(FileRefused) as refused:
        Store.open(demo_file)
    message = str(refused.value)
    assert "demo.pmodesk-journal" in message and "does not clearly belong" in message and "move" in message
    assert refused.value.why == "foreign-journal"
    assert folder_state(demo_file.parent) == before
    for command in (["check", demo_file], ["metrics", demo_file]):
        result = run_cli(*command)
        assert result.returncode == 3, result.stderr
        assert "does not clearly belong" in result.stderr and "Traceback" not in result.stderr
    assert folder_state(demo_file.parent) == before
    # Once the journal is moved away, as the sentence says, B opens as itself.
    _journal(demo_file).rename(tmp_path / "aside-journal")
    with Store.open(demo_file) as store:
        assert store.load().portfolio.name == "Client B"


def test_a_journal_with_no_crashed_session_behind_it_is_refused(demo_file):
    crash_mid_edit(demo_file)
    lock_path(demo_file).unlink()  # no record of the session that wrote the journal
    before = folder_state(demo_file.parent)
    with pytest.raises(FileRefused, match="no edit lock of a crashed pmodesk session"):
        Store.open(demo_file)
    assert folder_state(demo_file.parent) == before


def test_garbage_journal_is_refused_and_kept(demo_file):
    _journal(demo_file).write_bytes(b"not a journal at all" * 50)
    before = folder_state(demo_file.parent)
    with pytest.raises(FileRefused, match="not a valid journal"):
        Store.open(demo_file, read_only=True)
    assert folder_state(demo_file.parent) == before


def test_our_own_crash_is_recovered_after_byte_copies_of_both_files(demo_file):
    with Store.open(demo_file) as store:
        expected = store.load()
    pristine = demo_file.read_bytes()
    crash_mid_edit(demo_file)
    crashed_file, crashed_journal = demo_file.read_bytes(), _journal(demo_file).read_bytes()
    assert crashed_file != pristine  # the crash had already written changed pages into the file
    with Store.open(demo_file) as store:
        assert store.status.recovered and not store.read_only
        assert any("recovered after an unexpected exit" in m for m in store.status.messages())
        data = store.load()
        assert data.portfolio.name == expected.portfolio.name
        assert data.measurements == expected.measurements
        assert store.integrity_problems() == []
        copy = store.status.recovery_copy
    assert copy.name == "demo.before-recovery.pmodesk"
    assert copy.read_bytes() == crashed_file
    assert _journal(copy).read_bytes() == crashed_journal
    assert not _journal(demo_file).exists()
    # The copies hold the crash's state: SQLite recovers them the same way.
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM portfolio").fetchone()[0] == expected.portfolio.name
    conn.close()


def test_read_only_commands_recover_on_a_private_copy_and_leave_the_folder_as_found(demo_file, tmp_path):
    with Store.open(demo_file) as store:
        expected = store.load()
    crash_mid_edit(demo_file)
    before = folder_state(demo_file.parent)
    assert {"demo.pmodesk", "demo.pmodesk-journal", "demo.pmodesk.lock"} <= set(before)
    out = tmp_path / "out"
    out.mkdir()
    check = run_cli("check", demo_file)
    assert check.returncode in (0, 1), check.stderr
    metrics = run_cli("metrics", demo_file, "--json")
    assert metrics.returncode == 0, metrics.stderr
    assert json.loads(metrics.stdout)["currency"] == expected.portfolio.currency
    exported = run_cli("export", demo_file, out / "demo.json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads((out / "demo.json").read_text())["portfolio"]["name"] == expected.portfolio.name
    pack = run_cli("boardpack", demo_file, "-o", out / "pack.pdf")
    assert pack.returncode == 0, pack.stderr
    assert (out / "pack.pdf").read_bytes().startswith(b"%PDF")
    with Store.open(demo_file, read_only=True) as store:  # the read-only window's open
        assert store.status.recovered_privately and not store.status.recovered
        assert "will be recovered when it is next opened for editing" in " ".join(store.status.messages())
        assert store.load().measurements == expected.measurements
    assert folder_state(demo_file.parent) == before
    with Store.open(demo_file) as store:  # the next read-write open recovers the file itself
        assert store.status.recovered
        assert store.load().measurements == expected.measurements
    assert not _journal(demo_file).exists()


EXCLUSIVE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE portfolio SET name = name")
    print("holding", flush=True)
    sys.stdin.read()
    conn.execute("ROLLBACK")
""")


@pytest.fixture
def exclusive_holder(demo_file):
    process = subprocess.Popen([sys.executable, "-c", EXCLUSIVE, str(demo_file)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "holding"
    yield process
    process.stdin.close()
    process.wait(timeout=30)


def test_a_file_locked_by_another_program_is_in_use_not_damaged(demo_file, exclusive_holder):
    before = sha256(demo_file)
    result = run_cli("metrics", demo_file)
    assert result.returncode == 5, result.stderr
    assert "in use by another program" in result.stderr and "Traceback" not in result.stderr
    assert "damaged" not in result.stderr
    with pytest.raises(InUse, match="in use by another program"):
        Store.open(demo_file)
    assert not lock_path(demo_file).exists()  # the refused open let its edit lock go
    assert sha256(demo_file) == before


def test_an_edit_while_another_program_holds_the_file_is_not_saved_with_exit_5(demo_file):
    with Store.open(demo_file) as store:
        benefit = store.load().benefits[0]
        process = subprocess.Popen([sys.executable, "-c", EXCLUSIVE, str(demo_file)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        try:
            assert process.stdout.readline().strip() == "holding"
            with pytest.raises(InUse) as busy:
                store.insert(model.Measurement(benefit.id, date(2031, 2, 1), Decimal("1"), "busy"))
            assert busy.value.exit_code == 5
        finally:
            process.stdin.close()
            process.wait(timeout=30)
        store.insert(model.Measurement(benefit.id, date(2031, 2, 1), Decimal("1"), "after"))
        assert [m.source for m in store.load().measurements].count("after") == 1


def test_replacing_a_crashed_file_is_refused_until_it_is_recovered(demo_file, tmp_path):
    crash_mid_edit(demo_file)
    source = tmp_path / "p.json"
    with Store.open(demo_file, read_only=True) as store:  # recovered privately, folder untouched
        from pmodesk.interchange.files import export_portfolio

        export_portfolio(store.load(), source)
    before = folder_state(demo_file.parent)
    result = run_cli("import", source, demo_file, "--replace")
    assert result.returncode == 5
    assert result.stderr.strip() == ("demo.pmodesk was not replaced because an unfinished edit left "
                                     "demo.pmodesk-journal beside it; open demo.pmodesk once so it is recovered, "
                                     "then replace it.")
    assert folder_state(demo_file.parent) == before
    Store.open(demo_file).close()
    assert run_cli("import", source, demo_file, "--replace").returncode == 0


def test_after_a_reboot_the_old_sessions_journal_is_recovered_though_its_pid_is_reused(demo_file):
    with Store.open(demo_file) as store:
        expected = store.load().measurements
    crash_mid_edit(demo_file)
    # The laptop rebooted: the crashed session's process id now belongs to a live process of this boot.
    record = json.loads(lock_path(demo_file).read_text())
    reused = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        record.update(pid=reused.pid, boot_id="11111111-2222-3333-4444-555555555555")
        lock_path(demo_file).write_text(json.dumps(record))
        with Store.open(demo_file) as store:
            assert not store.read_only and store.status.recovered
            assert store.load().measurements == expected
    finally:
        reused.stdin.close()
        reused.wait(timeout=30)
