"""A read-only file or folder opens read-only and the store says so (issue 12, item 6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crashing import folder_state
from helpers import run_cli
from pmodesk.domain.model import Measurement
from pmodesk.store import ReadOnly, Store
from readonly_mounts import read_only


def _try_an_edit(store):
    benefit = store.load().benefits[0].id
    store.insert(Measurement(benefit, date(2033, 1, 1), Decimal("1"), "should not be saved"))


def test_read_only_file_opens_read_only_and_says_so(demo_file):
    before = folder_state(demo_file.parent)
    with read_only(demo_file):
        with Store.open(demo_file) as store:
            assert store.read_only and store.status.lock_holder is None
            assert store.status.messages()[0] == "Read-only: demo.pmodesk is a read-only file."
            assert len(store.load().benefits) > 0
            with pytest.raises(ReadOnly, match="open read-only"):
                _try_an_edit(store)
        result = run_cli("metrics", demo_file, "--json")
        assert result.returncode == 0, result.stderr
    assert folder_state(demo_file.parent) == before  # not even a lock file


def test_read_only_folder_opens_read_only_and_says_so(demo_file):
    before = folder_state(demo_file.parent)
    with read_only(demo_file.parent):
        with Store.open(demo_file) as store:
            assert store.read_only
            assert store.status.messages()[0] in ("Read-only: the folder cannot be written.",
                                                  "Read-only: demo.pmodesk is a read-only file.")
            with pytest.raises(ReadOnly):
                _try_an_edit(store)
        check = run_cli("check", demo_file)
        assert check.returncode in (0, 1), check.stderr
    assert folder_state(demo_file.parent) == before
