"""``benefit,date,value,source,note`` CSVs from operational data exports (DESIGN.md section 12).

Handles a UTF-8 byte-order mark, ``;`` separators and decimal commas as Excel writes them in many
European locales (detected from the file, or set by the caller).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pmodesk.domain import model
from pmodesk.interchange.document import InvalidInput
from pmodesk.interchange.rows import Problems, Row

COLUMNS = ("benefit", "date", "value", "source", "note")
MAX_CSV_BYTES = 200 * 1024 * 1024
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+\s*$")


@dataclass(frozen=True)
class MeasurementImport:
    added: tuple[model.Measurement, ...]
    skipped: int
    warnings: tuple[str, ...]


def _text(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise InvalidInput([f"{path.name}: the file is empty"])
    if size > MAX_CSV_BYTES:
        raise InvalidInput([f"{path.name}: the file is {size // 2**20} MB, too large for measurements"])
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InvalidInput([f"{path.name}: the file is not CSV text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([f"{path.name}: the file is not UTF-8 text (save it as CSV UTF-8)"]) from None


def read_measurements(path: Path, data: model.PortfolioData, *, delimiter: str | None = None,
                      decimal_comma: bool | None = None, date_order: str | None = None) -> MeasurementImport:
    """Check every row against the portfolio; return what to add, or raise InvalidInput listing all."""
    try:
        return _read(path, data, delimiter, decimal_comma, date_order)
    except csv.Error as error:
        raise InvalidInput([f"{path.name}: the file is not readable CSV ({error})"]) from None


def _read(path: Path, data: model.PortfolioData, delimiter: str | None, decimal_comma: bool | None,
          date_order: str | None) -> MeasurementImport:
    text = _text(path)
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    problems = Problems(by_column=True, date_order=date_order)
    name = path.name
    for required in ("benefit", "date", "value"):
        if required not in header:
            problems.errors.append(f"{name}, 1, {required}: the column is missing")
    if problems.errors:
        raise InvalidInput(problems.errors)
    rows = [(n, values) for n, values in enumerate(reader, start=2) if any(v.strip() for v in values)]
    if decimal_comma is None:
        column = header.index("value")
        samples = [values[column] for _, values in rows[:200] if len(values) > column]
        decimal_comma = delimiter != "," and any(_DECIMAL_COMMA.match(v) for v in samples)
    benefits = {b.code: b for b in data.benefits}
    existing = {(m.benefit_id, m.date): m.value for m in data.measurements}
    added: dict[tuple[int, object], model.Measurement] = {}
    skipped = 0
    entered = datetime.now(timezone.utc).replace(microsecond=0)
    for number, values in rows:
        if len(values) > len(header):
            problems.errors.append(f"{name}, {number}, -: more values than columns")
            continue
        record = dict(zip(header, values))
        if decimal_comma and isinstance(record.get("value"), str):
            record["value"] = record["value"].replace(".", "").replace(",", ".")
        row = Row(name, number, record, problems)
        code = row.code("benefit")
        when = row.date("date", required=True)
        value = row.decimal("value", required=True)
        source, note = row.text("source"), row.text("note")
        row.warn_unknown()
        benefit = benefits.get(code)
        if code is not None and benefit is None:
            row.error("benefit", f"unknown benefit code {code!r}")
        if benefit is None or when is None or value is None:
            continue
        key = (benefit.id, when)
        earlier = existing.get(key, added[key].value if key in added else None)
        if earlier is not None:
            if earlier == value:
                skipped += 1
            else:
                row.error("date", f"{code} already has a measurement of {earlier} on {when.isoformat()}")
            continue
        added[key] = model.Measurement(benefit.id, when, value, source, note, entered)
    if problems.errors:
        raise InvalidInput(problems.errors, problems.warnings)
    return MeasurementImport(tuple(added.values()), skipped, tuple(problems.warnings))
