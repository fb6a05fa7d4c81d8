"""The store's column-wise read for the figures (``store.columns``) gives exactly what
``Store.load`` gives, refuses what ``Store.open`` refuses, and steps aside (``None``) wherever it
cannot vouch for that; ``pmodesk metrics`` then prints the same JSON through either path."""

from __future__ import annotations

import json
import shutil
from datetime import date
import sqlite3
from dataclasses import fields, replace
from pathlib import Path

import pytest

from helpers import run_cli, sha256
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.arrays import compute_columns, measurement_columns
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json
from pmodesk.store import FileRefused, Store
from pmodesk.store.columns import TABLES, read_for_figures
from pmodesk.store.specs import BY_ATTRIBUTE, SPECS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_every_portfolio_field_has_one_spec_and_the_quick_read_takes_its_kinds():
    covered = [f.name for f in fields(PortfolioData) if f.name != "_index"]
    assert list(BY_ATTRIBUTE) == covered  # in PortfolioData's order
    assert set(TABLES) == set(covered) - {"measurements"}
    for name, (table, record, key, kinds) in TABLES.items():
        spec = SPECS[table]
        assert spec.attribute == name
        assert (record, key, kinds) == (spec.record, spec.key, spec.fields), table
        assert {f.name for f in fields(record)} - {"output_ids"} == set(kinds), table


def test_the_one_declaration_imports_no_sqlalchemy():
    import subprocess
    import sys

    code = "import sys, pmodesk.store.specs, pmodesk.store.columns; print('sqlalchemy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"


def _same_as_load(path: Path) -> None:
    data, columns, amounts = read_for_figures(path)
    with Store.open(path, read_only=True) as store:
        reference = store.load()
    assert data == replace(reference, measurements=(), planned_spend=(), cost_actuals=(), _index={})
    assert columns == measurement_columns(reference.measurements)
    for mine, records in ((amounts.planned_spend, reference.planned_spend),
                          (amounts.cost_actuals, reference.cost_actuals)):
        grouped: dict = {}
        for r in records:
            grouped.setdefault(r.initiative_id, []).append((r.period_end, r.amount))
        assert {k: sorted(v) for k, v in mine.items()} == {k: sorted(v) for k, v in grouped.items()}
        assert all(str(a) == str(b) for k, v in mine.items() for (_, a), (_, b) in zip(sorted(v), sorted(grouped[k])))
    as_of = date(2026, 10, 31)
    assert metrics_json(compute_columns(data, columns, as_of, amounts)) == metrics_json(compute(reference, as_of))


def test_read_equals_store_load_on_the_demo(demo_file):
    before = sha256(demo_file)
    _same_as_load(Path(demo_file))
    assert sha256(demo_file) == before


def test_read_equals_store_load_on_a_random_portfolio(tmp_path):
    import random
    import sys

    from pmodesk.domain import model
    from pmodesk.interchange.document import InvalidInput, parse
    from pmodesk.interchange.files import populate_from
    from pmodesk.interchange.json_format import from_object

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))
    from test_random_portfolios import portfolio as random_document

    for seed in range(8):
        try:
            data = parse(from_object(json.loads(json.dumps(random_document(random.Random(seed))))))[0]
        except InvalidInput:
            continue
        path = tmp_path / f"r{seed}.pmodesk"
        Store.create(path, model.Portfolio(name="R", currency=data.portfolio.currency),
                     populate=populate_from(data)).close()
        _same_as_load(path)


def test_older_schema_and_server_locations_go_through_the_store(tmp_path):
    old = tmp_path / "old.pmodesk"
    shutil.copy(FIXTURES / "schema-v1.pmodesk", old)
    before = sha256(old)
    assert read_for_figures(old) is None
    assert read_for_figures("postgresql://localhost/db?portfolio=acme") is None
    assert sha256(old) == before


@pytest.mark.parametrize("statement", [
    "UPDATE planned_spend SET amount = 12.5 WHERE id = (SELECT MIN(id) FROM planned_spend)",
    "UPDATE cost_actual SET amount = '12' || char(31) || '5' WHERE id = (SELECT MIN(id) FROM cost_actual)",
    "UPDATE cost_actual SET period_end = 'soon' WHERE id = (SELECT MIN(id) FROM cost_actual)",
    "UPDATE measurement SET value = 'abc' WHERE id = (SELECT MIN(id) FROM measurement)",
    "UPDATE measurement SET value = 'Infinity' WHERE id = (SELECT MIN(id) FROM measurement)",
    "UPDATE benefit SET frequency = 'fortnightly' WHERE id = (SELECT MIN(id) FROM benefit)",
    "UPDATE initiative SET risk_impact = 'five' WHERE id = (SELECT MIN(id) FROM initiative)",
])
def test_an_unusual_value_is_left_to_the_store(demo_file, tmp_path, statement):
    path = tmp_path / "odd.pmodesk"
    shutil.copy(demo_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # as a hand-edited (hostile) file could be
    conn.execute(statement)
    conn.commit()
    conn.close()
    before = sha256(path)
    assert read_for_figures(path) is None
    fast = run_cli("metrics", path, "--as-of", "2026-10-31", "--json")
    reference = run_cli("metrics", path, "--as-of", "2026-10-31", "--json", "--reference")
    assert (fast.returncode, fast.stdout, fast.stderr) == (reference.returncode, reference.stdout, reference.stderr)
    assert sha256(path) == before


def test_refused_files_are_refused_the_same_way(tmp_path):
    empty = tmp_path / "empty.pmodesk"
    empty.write_bytes(b"")
    text = tmp_path / "notes.pmodesk"
    text.write_text("not a database " * 20)
    plain = tmp_path / "plain.pmodesk"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    for path in (empty, text, plain, tmp_path / "missing.pmodesk"):
        with pytest.raises(FileRefused) as fast:
            read_for_figures(path)
        with pytest.raises(FileRefused) as reference:
            Store.open(path, read_only=True)
        assert (str(fast.value), fast.value.exit_code) == (str(reference.value), reference.value.exit_code)


def test_metrics_prints_the_same_json_through_both_paths(demo_file):
    for as_of in ("2025-06-30", "2026-10-31", "2027-12-31"):
        fast = run_cli("metrics", demo_file, "--as-of", as_of, "--json")
        reference = run_cli("metrics", demo_file, "--as-of", as_of, "--json", "--reference")
        assert fast.returncode == reference.returncode == 0, fast.stderr + reference.stderr
        assert json.loads(fast.stdout) == json.loads(reference.stdout)
        assert fast.stdout == reference.stdout


def test_a_blob_or_separator_among_measurements_is_left_to_the_store(demo_file, tmp_path):
    for n, (value, date) in enumerate([(b"12", None), ("1\x1f2", None), (None, "2025-01-01\x1f2025-02-01")]):
        path = tmp_path / f"odd{n}.pmodesk"
        shutil.copy(demo_file, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA ignore_check_constraints = ON")
        first = "(SELECT MIN(id) FROM measurement)"
        if value is not None:
            conn.execute(f"UPDATE measurement SET value = ? WHERE id = {first}", (value,))
        if date is not None:
            conn.execute(f"UPDATE measurement SET date = ?, value = '1\x1f2' WHERE id = {first}", (date,))
        conn.commit()
        conn.close()
        assert read_for_figures(path) is None


def test_metrics_imports_neither_sqlalchemy_nor_scipy(demo_file):
    """The fast path reads through the store's own connection and computes Student's t itself."""
    import subprocess
    import sys

    script = ("import atexit, sys\n"
              "atexit.register(lambda: sys.stderr.write('LOADED:' + ','.join(m for m in ('sqlalchemy', 'scipy', "
              "'PySide6', 'reportlab') if m in sys.modules) + '\\n'))\n"
              "from pmodesk.cli import main\nmain(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", script, "metrics", str(demo_file), "--as-of", "2026-10-31", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == "2026-10-31"
    assert "LOADED:\n" in done.stderr
