"""Every kind of file the store must refuse is refused with exit 3 and left byte-for-byte unchanged."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from helpers import run_cli, sha256
from pmodesk.store import CURRENT_VERSION, FileRefused, Store


def _tamper(path: Path, *statements: str) -> None:
    """Change a pmodesk file behind pmodesk's back, as a hostile sender would."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("name,value\nnot,a database\n" * 10)


def _other_sqlite(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _wrong_application_id(path: Path) -> None:
    _tamper(path, "PRAGMA application_id = 1234")


def _newer(path: Path) -> None:
    _tamper(path, f"PRAGMA user_version = {CURRENT_VERSION + 1}")


def _no_version(path: Path) -> None:
    _tamper(path, "PRAGMA user_version = 0")


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):
        data[offset:offset + 64] = b"\xff" * 64  # smash b-tree page headers
    path.write_bytes(bytes(data))


def _truncated_header(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:60])


def _trigger(path: Path) -> None:
    _tamper(path, "CREATE TRIGGER double_amounts AFTER INSERT ON cost_actual BEGIN "
                  "UPDATE cost_actual SET amount = amount * 2 WHERE id = new.id; END")


def _view(path: Path) -> None:
    _tamper(path, "CREATE VIEW everything AS SELECT * FROM initiative")


def _virtual_table(path: Path) -> None:
    _tamper(path, "CREATE VIRTUAL TABLE search USING fts5(body)")


def _unknown_table(path: Path) -> None:
    _tamper(path, "CREATE TABLE extra (x)")


def _unknown_index(path: Path) -> None:
    _tamper(path, "CREATE INDEX sneaky ON benefit (title)")


def _changed_column(path: Path) -> None:
    _tamper(path, "ALTER TABLE benefit ADD COLUMN payload TEXT")


def _wal_header(path: Path) -> None:
    _tamper(path, "PRAGMA journal_mode = WAL")


KINDS = {
    "empty": (_empty, "empty"),
    "text": (_text, "not an SQLite database"),
    "other sqlite": (_other_sqlite, "not a pmodesk portfolio file"),
    "wrong application id": (_wrong_application_id, "not a pmodesk portfolio file"),
    "newer version": (_newer, f"schema version {CURRENT_VERSION + 1}"),
    "no version": (_no_version, "damaged"),
    "damaged": (_damaged, "damaged"),
    "truncated header": (_truncated_header, "not an SQLite database"),
    "trigger": (_trigger, "double_amounts"),
    "view": (_view, "everything"),
    "virtual table": (_virtual_table, "search"),
    "unknown table": (_unknown_table, "extra"),
    "unknown index": (_unknown_index, "sneaky"),
    "changed column": (_changed_column, "changed definition"),
    "wal header": (_wal_header, "WAL"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_refused_with_exit_3_and_unchanged(kind, demo_file):
    make, reason = KINDS[kind]
    make(demo_file)
    before = sha256(demo_file)
    siblings = sorted(p.name for p in demo_file.parent.iterdir())
    for command in (["check", demo_file], ["open", demo_file]):
        if command[0] == "open":
            with pytest.raises(FileRefused) as refused:
                Store.open(demo_file)
            assert reason in str(refused.value)
            continue
        result = run_cli(*command)
        assert result.returncode == 3, result.stderr
        assert reason in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1  # one clear sentence
    assert sha256(demo_file) == before
    assert sorted(p.name for p in demo_file.parent.iterdir()) == siblings  # no lock, journal or backup left


def test_newer_version_names_both_versions(demo_file):
    _newer(demo_file)
    result = run_cli("check", demo_file)
    assert result.returncode == 3
    assert f"schema version {CURRENT_VERSION + 1}" in result.stderr
    assert f"up to {CURRENT_VERSION}" in result.stderr


def test_wal_sidecar_is_never_dropped(demo_file):
    wal = demo_file.with_name(demo_file.name + "-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    before = sha256(demo_file), sha256(wal)
    result = run_cli("check", demo_file)
    assert result.returncode == 3
    assert "write-ahead log" in result.stderr
    assert (sha256(demo_file), sha256(wal)) == before


def test_missing_file_is_not_created(tmp_path):
    missing = tmp_path / "typo.pmodesk"
    result = run_cli("check", missing)
    assert result.returncode == 3
    assert not missing.exists()
    with pytest.raises(FileRefused):
        Store.open(missing)
    assert not missing.exists()


def test_trigger_never_runs_even_if_the_schema_check_were_bypassed(demo_file):
    """The authorizer is the second line: statements from inside a trigger are denied."""
    from pmodesk.store.opening import connect

    _trigger(demo_file)
    conn = connect(demo_file, read_only=False)
    try:
        before = conn.execute("SELECT count(*), sum(amount) FROM cost_actual").fetchone()
        with pytest.raises(sqlite3.DatabaseError, match="prohibited|not authorized"):
            conn.execute("INSERT INTO cost_actual (initiative_id, period_end, amount) VALUES (1, '2026-01-31', 100)")
        assert conn.execute("SELECT count(*), sum(amount) FROM cost_actual").fetchone() == before
    finally:
        conn.close()


def test_bad_value_in_a_text_column_is_reported_not_crashed(demo_file):
    _tamper(demo_file, "UPDATE measurement SET value = 'lots' WHERE id = 1")
    with Store.open(demo_file, read_only=True) as store:
        with pytest.raises(FileRefused, match="invalid value"):
            store.load()
    result = run_cli("check", demo_file)
    assert result.returncode == 3
    assert "invalid value" in result.stderr


def test_fixture_copy_is_accepted(demo_file, tmp_path):
    """Control case: the untampered file opens, so the refusals above are about the tampering."""
    copy = tmp_path / "copy.pmodesk"
    shutil.copyfile(demo_file, copy)
    with Store.open(copy) as store:
        assert store.load().portfolio.name.startswith("Transformation")
