"""``pmodesk measurements import``: appends, skips duplicates, all or nothing, European CSVs."""

from __future__ import annotations

from decimal import Decimal

from helpers import run_cli, sha256
from pmodesk.store import Store
from pmodesk.store.location import open_location


def _count(path):
    with open_location(path, read_only=True) as store:
        return len(store.load().measurements)


def test_appends_and_skips_exact_duplicates(demo_location, tmp_path):
    demo_file = demo_location  # a file or a server portfolio
    before = _count(demo_file)
    csv = tmp_path / "ops.csv"
    csv.write_text("benefit,date,value,source,note\n"
                   "DIG-01-B1,2026-11-30,6.1,MI pack,November\n"
                   "DIG-01-B2,2026-11-30,270.50,MI pack,\n")
    result = run_cli("measurements", "import", demo_file, csv)
    assert result.returncode == 0, result.stderr
    assert "Added 2 measurements, skipped 0" in result.stdout
    again = run_cli("measurements", "import", demo_file, csv)
    assert "Added 0 measurements, skipped 2" in again.stdout
    assert _count(demo_file) == before + 2


def test_excel_european_csv_with_bom_semicolons_and_decimal_commas(demo_file, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_bytes("\ufeffbenefit;date;value;source;note\nDIG-01-B2;2026-11-30;1.270,50;Finance;\n"
                    "DIG-01-B1;2026-11-30;6,25;MI;\n".encode("utf-8"))
    result = run_cli("measurements", "import", demo_file, csv)
    assert result.returncode == 0, result.stderr
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    codes = {b.id: b.code for b in data.benefits}
    added = {codes[m.benefit_id]: m.value for m in data.measurements if m.date.isoformat() == "2026-11-30"}
    assert added == {"DIG-01-B2": Decimal("1270.50"), "DIG-01-B1": Decimal("6.25")}


def test_any_error_adds_nothing_and_lists_every_problem(demo_file, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("benefit,date,value\nDIG-01-B1,2026-11-30,6\nNOPE,2026-11-30,1\nDIG-01-B1,30/11/2026,x\n"
                   "DIG-01-B1,2026-10-31,999\n")
    before = sha256(demo_file)
    result = run_cli("measurements", "import", demo_file, csv)
    assert result.returncode == 4
    assert "bad.csv, 3, benefit: unknown benefit code 'NOPE'" in result.stderr
    assert "bad.csv, 4, date: '30/11/2026' is not a date" in result.stderr
    assert "bad.csv, 4, value: 'x' is not a number" in result.stderr
    assert "bad.csv, 5, date: DIG-01-B1 already has a measurement of" in result.stderr
    assert sha256(demo_file) == before
