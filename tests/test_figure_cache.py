"""The figure cache (pmodesk.figure_cache): a large file's Portfolio-view figures kept between sessions.

Real files on disk: the demo portfolio, read and computed as the window does, kept, read back and held
against a fresh computation; every part of the key moved one at a time; broken entries ignored."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import pmodesk
from pmodesk import figure_cache
from pmodesk.engine.portfolio import compute
from pmodesk.store import Store

from helpers import generated_file

TODAY = date(2026, 11, 30)


def fresh(path: Path, today: date = TODAY):
    """(data, result) as the window computes them on opening: read everything, compute at the default as-of."""
    with Store.open(path, read_only=True) as store:
        data = store.load()
    return data, compute(data, data.portfolio.default_as_of(today))


@pytest.fixture
def kept(demo_file, tmp_path):
    """The demo file's figures written to a cache folder of the test's own."""
    folder = tmp_path / "cache"
    key = figure_cache.cache_key(demo_file, TODAY)
    assert figure_cache.write(folder, key, *fresh(demo_file))
    return demo_file, folder


def test_the_kept_figures_are_exactly_a_fresh_computations(kept):
    path, folder = kept
    data, result = fresh(path)
    cached_data, cached = figure_cache.read(folder, path, TODAY)
    assert cached.as_of == result.as_of and cached.currency == result.currency
    assert len(cached.initiatives) == len(result.initiatives) == len(data.initiatives) > 5
    triggered = 0
    for row, real in zip(cached.initiatives, result.initiatives):
        for field in ("id", "code", "name", "description", "stage", "owner"):
            assert getattr(row.initiative, field) == getattr(real.initiative, field), field
        for field in ("investment", "planned_value", "realised_value", "realisation_vs_plan_pct",
                      "forecast_attainment_pct", "value_rag", "aligned", "flags"):
            assert getattr(row, field) == getattr(real, field), field  # binary floats to the last bit
            assert type(getattr(row, field)) is type(getattr(real, field)), field  # Decimal stays Decimal
        assert [(t.rule.code, t.rule.action) for t in row.triggered_rules] == \
            [(t.rule.code, t.rule.action) for t in real.triggered_rules]
        triggered += len(row.triggered_rules)
    assert triggered > 0  # the demo has triggered rules: they are kept too
    for name in figure_cache.METRIC_FIELDS:
        assert getattr(cached.metrics, name) == getattr(result.metrics, name), name
        assert getattr(cached.previous_quarter, name) == getattr(result.previous_quarter, name), name
    assert [(k.metric, k.baseline, k.target) for k in cached_data.kpis] == \
        [(k.metric, k.baseline, k.target) for k in data.kpis]
    assert [(o.id, o.code, o.title) for o in cached_data.objectives] == [(o.id, o.code, o.title) for o in data.objectives]
    assert [(link.initiative_id, link.objective_id) for link in cached_data.objective_links] == \
        [(link.initiative_id, link.objective_id) for link in data.objective_links]
    assert cached_data.portfolio.name == data.portfolio.name and cached_data.commentary == ()


def test_money_is_kept_as_decimal_text_and_dates_as_iso(kept):
    path, folder = kept
    entry = figure_cache.entry_path(folder, figure_cache.cache_key(path, TODAY))
    kept_json = json.loads(entry.read_text(encoding="utf-8"))
    data, result = fresh(path)
    first = kept_json["figures"]["rows"][0]
    assert first["investment"] == str(result.initiatives[0].investment) and isinstance(first["investment"], str)
    assert kept_json["figures"]["as_of"] == result.as_of.isoformat()
    assert kept_json["key"]["today"] == TODAY.isoformat()
    assert entry.parent == folder and entry.stat().st_size < 200_000
    assert not list(path.parent.glob("*.json"))  # never beside the portfolio file


def test_opening_and_closing_the_file_keeps_its_key(demo_file):
    """Opening for editing (the lock beside it, the checks) writes nothing into the file: the next opening hits."""
    before = figure_cache.cache_key(demo_file, TODAY)
    with Store.open(demo_file) as store:
        assert not store.read_only
        store.load()
    assert figure_cache.cache_key(demo_file, TODAY) == before


def miss(path: Path, folder: Path, today: date = TODAY) -> bool:
    return figure_cache.read(folder, path, today) is None


def test_another_days_figures_are_the_same_or_said_to_be_that_days(kept, tmp_path):
    demo, folder = kept  # the demo fixes its as-of date: its figures are the same tomorrow
    assert fresh(demo)[0].portfolio.as_of_mode == "fixed"
    assert not miss(demo, folder, TODAY + timedelta(days=1))
    assert figure_cache.read(folder, demo, TODAY + timedelta(days=1))[1].as_of == fresh(demo)[1].as_of

    generated = generated_file(tmp_path, 3, 2, 5)  # figures as of today: tomorrow's are others
    data, result = fresh(generated)
    assert data.portfolio.as_of_mode == "today" and result.as_of == TODAY
    assert figure_cache.write(folder, figure_cache.cache_key(generated, TODAY), data, result)
    assert not miss(generated, folder) and figure_cache.read(folder, generated, TODAY)[0].earlier_day is False
    tomorrow = figure_cache.read(folder, generated, TODAY + timedelta(days=1))  # another day: another as-of date
    assert tomorrow[0].earlier_day is True and tomorrow[1].as_of == TODAY  # shown as what they are: today's
    assert figure_cache.read(folder, demo, TODAY + timedelta(days=1))[0].earlier_day is False


def test_a_hit_then_a_miss_on_each_part_of_the_key(kept, tmp_path, monkeypatch):
    path, folder = kept
    assert not miss(path, folder)
    assert miss(path, tmp_path / "elsewhere")  # another cache folder has nothing
    assert figure_cache.read(None, path, TODAY) is None  # no cache folder at all

    with monkeypatch.context() as patched:  # another pmodesk, another figures format
        patched.setattr(pmodesk, "__version__", "99.0", raising=False)
        assert miss(path, folder)
    with monkeypatch.context() as patched:
        patched.setattr(figure_cache, "FORMAT", figure_cache.FORMAT + 1)
        assert miss(path, folder)

    for suffix in ("-journal", "-wal"):  # a transaction in flight, or data not yet in the file
        beside = Path(f"{path}{suffix}")
        beside.write_bytes(b"")
        assert miss(path, folder) and figure_cache.cache_key(path, TODAY) is None
        beside.unlink()
    assert not miss(path, folder)

    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))  # touched
    assert miss(path, folder)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert not miss(path, folder)

    copy = path.with_name("copy.pmodesk")  # the same bytes at another path
    shutil.copy2(path, copy)
    assert miss(copy, folder)
    os.replace(copy, path)  # the same bytes, the same mtime, at the same path: another inode
    assert path.stat().st_mtime_ns == status.st_mtime_ns and path.stat().st_ino != status.st_ino
    assert miss(path, folder)


def test_a_changed_record_misses_even_with_the_old_mtime(kept):
    path, folder = kept
    status = path.stat()
    with Store.open(path) as store:
        initiative = store.load().initiatives[0]
        store.update("initiative", initiative.id, planned_investment=initiative.planned_investment + Decimal("1"))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # as if the clock had not moved
    assert path.stat().st_size == status.st_size
    assert miss(path, folder)  # the header's change counter moved


@pytest.mark.parametrize("broken", [b"", b"{", b"not json at all", b"[1, 2, 3]", b'{"key": 1}',
                                    "\u00e9".encode("latin-1")])
def test_a_corrupt_entry_is_a_silent_miss(kept, broken):
    path, folder = kept
    entry = figure_cache.entry_path(folder, figure_cache.cache_key(path, TODAY))
    entry.write_bytes(broken)
    assert miss(path, folder)


def test_an_entry_with_the_right_key_and_broken_figures_is_a_miss(kept):
    path, folder = kept
    entry = figure_cache.entry_path(folder, figure_cache.cache_key(path, TODAY))
    kept_json = json.loads(entry.read_text(encoding="utf-8"))
    kept_json["figures"]["rows"][0]["investment"] = "a lot"
    entry.write_text(json.dumps(kept_json), encoding="utf-8")
    assert miss(path, folder)
    del kept_json["figures"]["rows"]
    entry.write_text(json.dumps(kept_json), encoding="utf-8")
    assert miss(path, folder)


def test_an_unreadable_entry_or_folder_is_a_miss_and_an_unwritable_one_is_not_kept(kept, tmp_path):
    path, folder = kept
    entry = figure_cache.entry_path(folder, figure_cache.cache_key(path, TODAY))
    entry.unlink()
    entry.mkdir()  # a folder where the entry should be
    assert miss(path, folder)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    data, result = fresh(path)
    assert figure_cache.write(blocked, figure_cache.cache_key(path, TODAY), data, result) is False
    assert blocked.read_text() == "not a folder"


def test_a_file_that_is_not_sqlite_has_no_key(tmp_path):
    other = tmp_path / "notes.pmodesk"
    other.write_bytes(b"hello" * 100)
    assert figure_cache.cache_key(other, TODAY) is None
    assert figure_cache.cache_key(tmp_path / "missing.pmodesk", TODAY) is None


def test_the_cache_is_read_without_the_engine_the_records_or_sqlalchemy(kept):
    """What the window shows first needs only the standard library and the enumerations."""
    import subprocess
    import sys

    path, folder = kept
    probe = ("import sys; from datetime import date; from pmodesk import figure_cache; "
             f"assert figure_cache.read({str(folder)!r}, {str(path)!r}, date.fromisoformat({TODAY.isoformat()!r})); "
             "print(sorted(m for m in sys.modules if m.startswith(('pmodesk.engine', 'pmodesk.domain.model', "
             "'sqlalchemy', 'numpy', 'pmodesk.store'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_cache_is_private_and_keeps_only_the_most_recent_files(demo_file, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    data, result = fresh(demo_file)
    monkeypatch.setattr(figure_cache, "MAX_ENTRIES", 3)
    copies = []
    for n in range(5):
        copy = tmp_path / f"copy-{n}.pmodesk"
        shutil.copyfile(demo_file, copy)
        copies.append(copy)
        assert figure_cache.write(folder, figure_cache.cache_key(copy, TODAY), data, result)
        entry = figure_cache.entry_path(folder, figure_cache.cache_key(copy, TODAY))
        os.utime(entry, ns=(n * 10**9, n * 10**9))  # written one after another
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(list(folder.glob("*.json"))) == 3
    assert [miss(copy, folder) for copy in copies] == [True, True, False, False, False]
