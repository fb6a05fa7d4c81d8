"""The Excel workbook form of the interchange document (openpyxl).

One sheet per list, first row the field names, plus a ``portfolio`` sheet of ``field | value``
rows. A workbook is a zip from an untrusted sender: its size, member count and uncompressed size
are bounded before openpyxl reads it.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils.escape import escape, unescape

from pmodesk.interchange.document import BUSINESS_CASES, InvalidInput, RawDocument, read_head
from pmodesk.interchange.rows import Row, neutralise

MAX_XLSX_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # a zip bomb inflates by thousands
EXACT_AS_NUMBER = Decimal(10) ** 13

SHEETS = {
    "kpis": ("metric", "baseline", "baseline_date", "target"),
    "objectives": ("code", "title", "description", "owner", "weight", "active"),
    "initiatives": ("code", "name", "description", "sponsor", "owner", "stage", "delivery_rag", "planned_investment",
                    "approval_date", "start_date", "planned_go_live", "forecast_go_live", "tracking_end",
                    "risk_likelihood", "risk_impact") + tuple(f"business_case_{c}" for c in BUSINESS_CASES),
    "initiative_objectives": ("initiative", "objective", "weight"),
    "planned_spend": ("initiative", "period_end", "amount"),
    "cost_actuals": ("initiative", "period_end", "amount"),
    "outputs": ("code", "initiative", "title", "due", "delivered"),
    "outcomes": ("code", "initiative", "title", "due", "delivered"),
    "outcome_outputs": ("outcome", "output"),
    "benefits": ("code", "initiative", "outcome", "title", "category", "dis_benefit", "owner", "measure", "unit",
                 "direction", "baseline_value", "baseline_date", "target_value", "target_date", "annual_value",
                 "attribution_pct", "confidence_pct", "frequency", "data_source", "indicator", "status"),
    "benefit_outputs": ("benefit", "output"),
    "trajectory": ("benefit", "date", "value"),
    "measurements": ("benefit", "date", "value", "source", "note"),
    "pivot_rules": ("code", "initiative", "metric", "comparator", "threshold", "applies_from", "applies_from_months",
                    "action", "agreed_on", "agreed_by", "active"),
    "decisions": ("initiative", "kind", "raised_on", "summary", "escalated", "decided_on", "outcome", "decided_by",
                  "rationale", "rule"),
    "scenarios": ("name",),
    "scenario_overrides": ("scenario", "initiative", "stop_from", "pause_from", "pause_to", "budget_change",
                           "fund_from"),
    "commentary": ("meeting_date", "initiative", "text", "author"),
}
PORTFOLIO_FIELDS = ("name", "client", "currency", "fiscal_year_start_month", "rag_green_pct", "rag_amber_pct",
                    "confidentiality", "risk_weight", "as_of_date")


# ------------------------------------------------------------------------------------------ read
def _check_zip(path: Path) -> None:
    name = path.name
    size = path.stat().st_size
    if read_head(path, MAX_XLSX_BYTES, 4) != b"PK\x03\x04":
        raise InvalidInput([f"{name}: the file is not an Excel workbook (.xlsx)"])
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInput([f"{name}: the workbook is damaged ({error})"]) from None
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(size, 1) + 10 * 2**20:
        raise InvalidInput([f"{name}: the workbook would expand to {total // 2**20} MB; it was not opened"])


def read_xlsx(path: Path) -> RawDocument:
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInput([f"{path.name}: the workbook cannot be read ({type(error).__name__}: {error})"]) from None
    try:
        raw = RawDocument(portfolio=None)
        raw.problems.by_column = True
        names = set(workbook.sheetnames)
        for required in ("portfolio", "initiatives"):
            if required not in names:
                raw.problems.errors.append(f"{required}, 1, -: the required sheet {required!r} is missing")
        for sheet in sorted(names - set(SHEETS) - {"portfolio"}):
            raw.problems.warnings.append(f"{sheet}, 1, -: unknown sheet, ignored")
        if "portfolio" in names:
            values: dict[str, Any] = {}
            for row in workbook["portfolio"].iter_rows(min_row=1, values_only=True):
                if not row or row[0] is None:
                    continue
                key = str(row[0]).strip()
                if key.lower() in ("field", "name") and len(row) > 1 and str(row[1]).strip().lower() == "value":
                    continue  # the header row
                values[key] = _unescape_text(row[1]) if len(row) > 1 else None
            raw.portfolio = Row("portfolio", 1, values, raw.problems)
        for sheet in SHEETS:
            if sheet in names:
                raw.lists[sheet] = list(_rows(workbook[sheet], sheet, raw))
    finally:
        workbook.close()
    if raw.portfolio is None and not raw.problems.errors:
        raw.problems.errors.append("portfolio, 1, -: the required sheet 'portfolio' is missing")
    return raw


def _rows(sheet, name: str, raw: RawDocument):
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    columns = [str(h).strip() if h is not None else None for h in header]
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        record = {c: _unescape_text(v) for c, v in zip(columns, values) if c}
        yield Row(name, number, record, raw.problems)


# ----------------------------------------------------------------------------------------- write
def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        if abs(value) < EXACT_AS_NUMBER:
            if value == value.to_integral_value():
                return int(value)
            as_float = float(value)  # a number cell; its shortest repr reads back as this same decimal
            if Decimal(repr(as_float)) == value:
                return as_float
        return neutralise(format(value, "f"))
    if isinstance(value, (date, datetime, int, float)):
        return value
    return _escape_text(neutralise(str(value)))


def _escape_text(text: str) -> str:
    """OOXML's ``_xHHHH_`` escapes for CR and control characters (XML would drop or normalise them),
    with a literal ``_x`` escaped first so that user text can never decode into something else."""
    if "_x" in text or any(ord(c) < 32 and c not in "\n\t" for c in text):
        return escape(text.replace("_x", "_x005f_x"))
    return text


def _unescape_text(value: Any) -> Any:
    return unescape(value) if isinstance(value, str) and "_x" in value else value


def write_xlsx(document: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def body(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_cell(value))
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)

    portfolio_sheet = workbook.create_sheet("portfolio")
    header(portfolio_sheet, ("field", "value"))
    for name in PORTFOLIO_FIELDS:
        if name in document["portfolio"]:
            body(portfolio_sheet, (name, document["portfolio"][name]))
    flat = _flatten(document)
    for sheet_name, columns in SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        header(sheet, columns)
        for item in flat[sheet_name]:
            body(sheet, [item.get(c) for c in columns])
    workbook.save(path)


def _flatten(document: dict) -> dict[str, list[dict]]:
    flat = {name: [] for name in SHEETS}
    for name in SHEETS:
        for item in document.get(name, []):
            flat[name].append(item)
    for initiative in document["initiatives"]:
        for case, status in initiative["business_case"].items():
            initiative[f"business_case_{case}"] = status
        for link in initiative["objectives"]:
            flat["initiative_objectives"].append({"initiative": initiative["code"], "objective": link["code"],
                                                  "weight": link["weight"]})
    for owner in ("outcomes", "benefits"):
        for item in document[owner]:
            for output in item["outputs"]:
                flat[f"{owner[:-1]}_outputs"].append({owner[:-1]: item["code"], "output": output})
    for scenario in document["scenarios"]:
        for override in scenario["overrides"]:
            flat["scenario_overrides"].append({"scenario": scenario["name"], **override})
    return flat
