"""An exported workbook opens in a real spreadsheet program (LibreOffice, headless) with its values."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from pmodesk.interchange.files import export_portfolio
from pmodesk.store import Store

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_reads_the_exported_workbook(demo_file, tmp_path):
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    workbook = tmp_path / "demo.xlsx"
    export_portfolio(data, workbook)
    # Filter options: comma, double quote, UTF-8, first line 1, …, sheet -1 = every sheet to its own file.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    result = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                             "--convert-to", options, "--outdir", str(tmp_path), str(workbook)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    sheets = {p.stem.split("-", 1)[1]: p for p in tmp_path.glob("demo-*.csv")}
    assert {"portfolio", "initiatives", "benefits", "measurements"} <= set(sheets)
    with open(sheets["initiatives"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {i.code for i in data.initiatives}
    dig = by_code["DIG-01"]
    assert dig["name"] == "Digital mortgage origination"
    assert float(dig["planned_investment"]) == 2400000
    assert dig["planned_go_live"] == "2025-03-31"
    with open(sheets["measurements"], encoding="utf-8") as handle:
        measured = list(csv.DictReader(handle))
    assert len(measured) == len(data.measurements)
    with open(sheets["portfolio"], encoding="utf-8") as handle:
        fields = {row[0]: row[1] for row in csv.reader(handle)}
    assert fields["client"] == "Harbourside Building Society" and fields["currency"] == "GBP"
