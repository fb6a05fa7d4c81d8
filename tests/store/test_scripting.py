"""The README's "Scripting pmodesk" example runs as written (issue 12, item 9)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pmodesk.store import Store

README = Path(__file__).parents[2] / "README.md"


def _example() -> str:
    section = README.read_text(encoding="utf-8").split("## Scripting pmodesk", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_readme_scripting_example_runs_and_makes_one_audited_edit(demo_master, tmp_path):
    acme = tmp_path / "acme.pmodesk"
    acme.write_bytes(demo_master.read_bytes())
    with Store.open(acme, read_only=True) as store:
        audit_before = len(store.audit_entries())
        measurements_before = len(store.load().measurements)
    result = subprocess.run([sys.executable, "-c", _example()], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Realised value: GBP [\d,]+\.\d\d", lines[0]), lines
    assert re.fullmatch(r"Benefits realised: \d+\.\d%", lines[1]), lines
    with Store.open(acme, read_only=True) as store:
        data = store.load()
        added = [m for m in data.measurements if m.source == "CRM export"]
        entries = store.audit_entries()[audit_before:]
    assert len(data.measurements) == measurements_before + 2 and len(added) == 2
    assert [e.action for e in entries] == ["insert", "insert"] and entries[0].at == entries[1].at
    assert {e.entity for e in entries} == {"measurement"}


def test_insert_records_undo_and_redo_keep_the_ids(demo_file):
    from datetime import date
    from decimal import Decimal

    from pmodesk.commands import InsertRecords
    from pmodesk.domain.model import Measurement

    with Store.open(demo_file) as store:
        benefit = store.load().benefits[0].id
        before = store.load().measurements
        command = InsertRecords(tuple(Measurement(benefit, date(2034, 1, d), Decimal(d), "script") for d in (1, 2)))
        command.apply(store)
        ids = list(command.inserted_ids)
        command.revert(store)
        assert store.load().measurements == before
        command.apply(store)
        assert command.inserted_ids == ids
        assert sorted(m.id for m in store.load().measurements if m.source == "script") == sorted(ids)
