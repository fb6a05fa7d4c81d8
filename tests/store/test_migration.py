"""Every released schema version opens; an older one is migrated after a backup copy beside it."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal

import pytest

from helpers import FIXTURES, run_cli, sha256
from pmodesk.store import CURRENT_VERSION, Store

FIXTURE_FILES = sorted(FIXTURES.glob("schema-v*.pmodesk"))


def _version(path) -> int:
    return int(path.stem.split("-v")[1])


def test_there_is_a_fixture_for_every_released_version():
    assert sorted(_version(p) for p in FIXTURE_FILES) == list(range(1, CURRENT_VERSION + 1))


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_released_version_opens_and_loads(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    with Store.open(path) as store:
        data = store.load()
        assert store.schema_version() == CURRENT_VERSION
        assert store.integrity_problems() == []
    assert data.portfolio.name
    assert data.initiatives


def test_older_version_is_migrated_after_a_backup(tmp_path):
    original = FIXTURES / "schema-v1.pmodesk"
    path = tmp_path / "client.pmodesk"
    shutil.copyfile(original, path)
    with Store.open(path) as store:
        assert store.status.migrated_from == 1
        backup = store.status.backup_path
        assert backup is not None and backup.exists()
        assert backup.name == "client.v1-backup.pmodesk"
        assert "upgraded from schema version 1" in " ".join(store.status.messages())
        data = store.load()
        assert data.portfolio.client == 'R&D <Beta> "Ünïcødé" 日本語'
        assert data.initiatives[0].planned_investment == Decimal("1234567.89")
        assert data.measurements[0].value == Decimal("7.50")
        assert data.rule_changes == ()
    assert sha256(backup) == sha256(original)  # the backup is the untouched original
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert conn.execute("SELECT count(*) FROM pivot_rule_change").fetchone()[0] == 0
    conn.close()
    with Store.open(path) as again:  # a second open has nothing left to do
        assert again.status.migrated_from is None


def test_read_only_open_of_an_older_file_migrates_a_private_copy_only(tmp_path):
    path = tmp_path / "client.pmodesk"
    shutil.copyfile(FIXTURES / "schema-v1.pmodesk", path)
    before = sha256(path)
    with Store.open(path, read_only=True) as store:
        assert store.load().initiatives[0].code == "INI-1"
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.pmodesk"]


def test_check_reads_an_older_file_without_changing_it(tmp_path):
    path = tmp_path / "client.pmodesk"
    shutil.copyfile(FIXTURES / "schema-v1.pmodesk", path)
    before = sha256(path)
    result = run_cli("check", path)
    assert result.returncode in (0, 1), result.stderr
    assert sha256(path) == before
