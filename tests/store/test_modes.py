"""Files pmodesk writes are readable by colleagues; a portfolio keeps its own mode (issue 12, item 8)."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date
from decimal import Decimal

import pytest

from crashing import crash_mid_edit
from helpers import FIXTURES, run_cli
from pmodesk.domain.model import Measurement
from pmodesk.store import Store


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    previous = os.umask(0o022)

    def set_to(mask):
        os.umask(mask)

    yield set_to
    os.umask(previous)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exports_board_packs_copies_and_new_files_follow_the_umask(demo_file, tmp_path, umask, mask, expected):
    umask(mask)
    out = tmp_path / "out"
    out.mkdir()
    for args, made in ((["export", demo_file, out / "p.json"], out / "p.json"),
                       (["export", demo_file, out / "p.xlsx"], out / "p.xlsx"),
                       (["new", out / "new.pmodesk", "--name", "New"], out / "new.pmodesk")):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        assert _mode(made) == expected, (args[0], oct(_mode(made)))
    if mask == 0o022:  # one board pack is enough: it is the same atomic writer
        result = run_cli("boardpack", demo_file, "-o", out / "pack.pdf")
        assert result.returncode == 0, result.stderr
        assert _mode(out / "pack.pdf") == 0o644
    with Store.open(demo_file, read_only=True) as store:
        store.save_copy(out / "copy.pmodesk")
    assert _mode(out / "copy.pmodesk") == expected


def test_an_export_over_an_existing_file_keeps_that_files_mode(demo_file, tmp_path, umask):
    target = tmp_path / "shared.json"
    target.write_text("{}")
    target.chmod(0o664)
    assert run_cli("export", demo_file, target).returncode == 0
    assert _mode(target) == 0o664 and target.read_text() != "{}"


def test_a_private_portfolio_stays_private_across_edits_migration_and_recovery(tmp_path, demo_file, umask):
    demo_file.chmod(0o600)
    with Store.open(demo_file) as store:
        benefit = store.load().benefits[0].id
        store.insert(Measurement(benefit, date(2033, 1, 1), Decimal("1"), "edit"))
    assert _mode(demo_file) == 0o600
    crash_mid_edit(demo_file)
    with Store.open(demo_file) as store:
        assert store.status.recovered
        copy = store.status.recovery_copy
    assert _mode(demo_file) == 0o600 and _mode(copy) == 0o600
    old = tmp_path / "old.pmodesk"
    shutil.copyfile(FIXTURES / "schema-v1.pmodesk", old)
    old.chmod(0o640)
    with Store.open(old) as store:
        assert store.status.migrated_from == 1
        backup = store.status.backup_path
    assert _mode(old) == 0o640 and _mode(backup) == 0o640


def test_replacing_a_portfolio_keeps_its_mode(demo_file, tmp_path, umask):
    exported = tmp_path / "p.json"
    assert run_cli("export", demo_file, exported).returncode == 0
    demo_file.chmod(0o640)
    result = run_cli("import", exported, demo_file, "--replace")
    assert result.returncode == 0, result.stderr
    assert _mode(demo_file) == 0o640
