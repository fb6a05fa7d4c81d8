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

from pmodesk.interchange.document import InvalidInput, RawDocument, read_head
from pmodesk.interchange import fields
from pmodesk.interchange.mapping import ListMap, ReadOptions
from pmodesk.interchange.rows import NoSavedValue, Row, SheetContext, neutralise, safe_text

MAX_XLSX_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # a zip bomb inflates by thousands
EXACT_AS_NUMBER = Decimal(10) ** 13

SHEETS = fields.SHEETS
PORTFOLIO_FIELDS = fields.PORTFOLIO_FIELDS
IGNORED_SHEETS = ("readme", "lists")  # the template's explanation and its enumeration lists
HEADER_SEARCH_ROWS = 30  # title rows above the header are skipped, this far down


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


def read_xlsx(path: Path, options: ReadOptions | None = None) -> RawDocument:
    """Read a workbook made by pmodesk or by people: sheets and headers matched by name (or by the
    mapping in ``options``), title rows skipped, formula cells read from their saved values."""
    from openpyxl import load_workbook

    options = options or ReadOptions()
    _check_zip(path)
    workbooks = []
    try:
        try:
            for data_only in (True, False):
                workbooks.append(load_workbook(path, read_only=True, data_only=data_only))
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise InvalidInput([f"{path.name}: the workbook cannot be read ({_reason(error)})"]) from None
        try:
            return _read(path.name, workbooks[0], workbooks[1], options)
        except InvalidInput:
            raise
        except Exception as error:  # sheet XML is parsed lazily, row by row
            raise InvalidInput([f"{path.name}: the workbook is damaged and cannot be read ({_reason(error)})"]) \
                from None
    finally:
        for workbook in workbooks:
            workbook.close()


def _reason(error: BaseException) -> str:
    text = safe_text(str(error))
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _match_sheets(sheetnames: list[str], options: ReadOptions) -> tuple[dict[str, str], list[str]]:
    """list -> sheet title, and the titles matched to nothing."""
    by_normal: dict[str, str] = {}
    for title in sheetnames:
        by_normal.setdefault(fields.normal(title), title)
    found: dict[str, str] = {}
    for name in ("portfolio", *SHEETS):
        mapped = options.lists.get(name)
        wanted = [fields.normal(mapped.sheet)] if mapped and mapped.sheet else [fields.normal(name)]
        if not (mapped and mapped.sheet):
            singular = fields.normal(name.rstrip("s")) if name.endswith("s") else None
            if singular and singular != wanted[0]:
                wanted.append(singular)
        for key in wanted:
            if key in by_normal and by_normal[key] not in found.values():
                found[name] = by_normal[key]
                break
    unmatched = [t for t in sheetnames if t not in found.values() and fields.normal(t) not in IGNORED_SHEETS]
    return found, unmatched


def _read(name: str, data_book, formula_book, options: ReadOptions) -> RawDocument:
    raw = RawDocument(portfolio=None)
    problems = raw.problems
    problems.by_column = True
    problems.date_order = options.date_order
    problems.epoch = getattr(data_book, "epoch", None)
    found, unmatched = _match_sheets(list(data_book.sheetnames), options)
    for list_name, mapped in options.lists.items():
        if mapped.sheet and list_name not in found:
            problems.errors.append(f"{list_name}, 1, -: the mapping names the sheet {mapped.sheet!r}, which the "
                                   f"workbook does not have (it has: {', '.join(data_book.sheetnames)})")
    if not found and not options.portfolio:
        raise InvalidInput([
            f"{name} does not look like a pmodesk workbook: none of its sheets "
            f"({_titles(data_book.sheetnames)}) is named after a pmodesk list such as initiatives or benefits.",
            "Start from the workbook `pmodesk template OUT.xlsx` writes, or describe this workbook's layout "
            "with `--map MAP.json` (see README, \"Reading someone else's workbook\")."])
    if not options.update:
        for required in ("portfolio", "initiatives"):
            if required not in found and not (required == "portfolio" and options.portfolio):
                problems.errors.append(f"{required}, 1, -: the required sheet {required!r} is missing")
    for title in unmatched:
        problems.warnings.append(f"{title}, 1, -: unknown sheet, ignored")
    if "portfolio" in found:
        raw.portfolio = _portfolio_row(data_book[found["portfolio"]], found["portfolio"], options, problems)
    elif options.portfolio:
        raw.portfolio = Row("portfolio", 1, dict(options.portfolio), problems)
    for list_name in SHEETS:
        if list_name in found:
            title = found[list_name]
            raw.lists[list_name] = list(_rows(data_book[title], formula_book[title], title, list_name, options,
                                              problems))
    return raw


def _titles(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:5])
    return shown + (", …" if len(names) > 5 else "")


def _portfolio_row(sheet, title: str, options: ReadOptions, problems) -> Row:
    known = {fields.normal(f): f for f in PORTFOLIO_FIELDS}
    values: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for cells in sheet.iter_rows(min_row=1, max_col=2):
        if not cells or cells[0].value is None:
            continue
        key = safe_text(str(cells[0].value)).strip()
        value = cells[1].value if len(cells) > 1 else None
        if fields.normal(key) in ("field", "name") and isinstance(value, str) and value.strip().lower() == "value":
            continue  # the header row
        canonical = known.get(fields.normal(key))
        if canonical is None and value is None:
            continue  # a title or note row
        key = canonical or key
        values[key] = _unescape_text(value)
        number_format = getattr(cells[1], "number_format", None) if len(cells) > 1 else None
        if number_format:
            formats[key] = number_format
    values.update(options.portfolio)
    return Row(title if title != "portfolio" else "portfolio", 1, values, problems, formats=formats)


IGNORE = ""  # a mapping's ``null`` for a column: not read at all


def column_matcher(list_name: str, mapped: ListMap):
    """header text -> the field it feeds (by the mapping, else by name), IGNORE, or None if unknown."""
    known = {fields.normal(f): f for f in SHEETS[list_name]}
    by_source = {fields.normal(source): (target if target is not None else IGNORE)
                 for source, target in mapped.columns.items()}

    def canonical(header: Any) -> str | None:
        if header is None or (isinstance(header, str) and not header.strip()):
            return None
        key = fields.normal(safe_text(str(header)))
        if key in by_source:
            return by_source[key]
        return known.get(key)

    return canonical


def find_header(rows: list[list[Any]], list_name: str, mapped: ListMap, update: bool = False) -> int | None:
    """The index of the header row: the mapping's, else the first row naming every required field (the
    key fields for an update), else the row naming the most fields, else the first row that is not empty."""
    if mapped.header_row is not None:
        return mapped.header_row - 1 if mapped.header_row <= len(rows) else None
    canonical = column_matcher(list_name, mapped)
    wanted = set(fields.KEYS[list_name] if update else fields.required(list_name))
    named = [{canonical(v) for v in row} - {None, IGNORE} for row in rows[:HEADER_SEARCH_ROWS]]
    for index, names in enumerate(named):
        if wanted and wanted <= names:
            return index
    best = max(range(len(named)), default=None, key=lambda i: (len(named[i]), -i))
    if best is not None and named[best]:
        return best
    return next((i for i, row in enumerate(rows) if any(v is not None for v in row)), None)


def sheet_preview(path: Path, rows: int = HEADER_SEARCH_ROWS) -> dict[str, list[list[Any]]]:
    """The first rows of every sheet (values as read), for the import wizard."""
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return {title: [list(r) for r in workbook[title].iter_rows(max_row=rows, values_only=True)]
                    for title in workbook.sheetnames}
        finally:
            workbook.close()
    except Exception as error:  # a damaged workbook: the same sentence as an import gives
        raise InvalidInput([f"{path.name}: the workbook cannot be read ({_reason(error)})"]) from None


def _rows(sheet, formula_sheet, title: str, list_name: str, options: ReadOptions, problems):
    from itertools import zip_longest

    from openpyxl.utils import get_column_letter

    mapped = options.lists.get(list_name) or ListMap()
    canonical = column_matcher(list_name, mapped)
    rows = zip_longest(sheet.iter_rows(), formula_sheet.iter_rows(values_only=True), fillvalue=())
    buffered: list[tuple[int, tuple, tuple]] = []
    for number, (cells, formulas) in enumerate(rows, start=1):
        buffered.append((number, cells, formulas))
        if number >= max(HEADER_SEARCH_ROWS, mapped.header_row or 0):
            break
    header_at = find_header([[c.value for c in cells] for _, cells, _ in buffered], list_name, mapped,
                            options.update)
    if header_at is None:
        return
    header_number, header_cells, _ = buffered[header_at]
    context = SheetContext(translations=mapped.translations(), scale=dict(mapped.scale),
                           date_order=mapped.date_order, header_row=header_number)
    columns: list[str | None] = []
    aliases: dict[str, str] = {}
    for index, cell in enumerate(header_cells):
        target = canonical(cell.value)
        source = safe_text(str(cell.value)).strip() if cell.value is not None else None
        if target == IGNORE:
            columns.append(None)
            continue
        if target is not None and target in aliases:
            problems.warnings.append(f"{title}, {header_number}, {source}: a second column for {target}, ignored")
            columns.append(None)
            continue
        if target is not None:
            aliases[target] = source
            context.letters[source] = get_column_letter(index + 1)
        columns.append(source or None)
    if not options.update:
        for required in fields.required(list_name):
            if required not in aliases:
                problems.errors.append(f"{title}, {header_number}, {required}: the required column is missing")
                context.absent.add(required)

    def records():
        yield from buffered[header_at + 1:]
        yield from ((n, c, f) for n, (c, f) in enumerate(rows, start=len(buffered) + 1))

    for number, cells, formulas in records():
        values: dict[str, Any] = {}
        formats: dict[str, str] = {}
        for index, (column, cell) in enumerate(zip(columns, cells)):
            if column is None:
                continue
            value = cell.value
            if value is None:
                formula = formulas[index] if index < len(formulas) else None
                if isinstance(formula, str) and formula.startswith("="):
                    value = NoSavedValue(f"{get_column_letter(index + 1)}{number}")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                formats[column] = cell.number_format or ""
            values[column] = _unescape_text(value)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        yield Row(title, number, values, problems, aliases={k: v for k, v in aliases.items() if k != v},
                  formats=formats, sheet=context)


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
