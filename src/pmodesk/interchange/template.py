"""The workbook a user fills in (``pmodesk template OUT.xlsx``), made from the field declaration.

One sheet per list with the interchange field names as headers and a frozen header row, drop-down
validation lists for every enumeration (kept on a ``lists`` sheet), date and number formats on the
right columns, a ``portfolio`` sheet of ``field | value`` rows, and a ``README`` sheet explaining
each column: required or not, unit, allowed values, an example.
"""

from __future__ import annotations

from pathlib import Path

from pmodesk.atomic import atomic_destination
from pmodesk.interchange import fields
from pmodesk.store.errors import NotSaved
from pmodesk.store.tables import DATE, DECIMAL, INT, MONEY

DATA_ROWS = 1000  # rows the validation lists and formats cover
FORMATS = {DATE: "yyyy-mm-dd", MONEY: "#,##0.00", DECIMAL: "0.########", INT: "0"}


def write_template(destination: str | Path) -> None:
    destination = Path(destination)
    try:
        with atomic_destination(destination) as temp:
            _workbook().save(temp)
    except OSError as error:
        raise NotSaved(f"{destination.name} could not be written ({error.strerror or error}); nothing was left "
                       "there.") from None


def _workbook():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    readme = book.active
    readme.title = "README"
    readme.append(["How to fill in this workbook"])
    readme["A1"].font = Font(bold=True, size=14)
    for line in ("Fill in one sheet per list; each row is one record. Other sheets refer to a row by its code.",
                 "Only the portfolio and initiatives sheets are needed; leave a sheet empty if you have nothing "
                 "for it. Yellow headers are required.",
                 "Dates as YYYY-MM-DD (or dates typed in Excel); money in the portfolio currency; percentages "
                 "as numbers from 0 to 100.",
                 "Then: pmodesk import THIS.xlsx NEW.pmodesk  (add --dry-run to check first, --update to refresh an "
                 "existing portfolio)."):
        readme.append([line])
    readme.append([])
    header_row = readme.max_row + 1
    readme.append(["sheet", "column", "required", "unit", "meaning", "allowed values", "example"])
    for cell in readme[header_row]:
        cell.font = bold

    lists = book.create_sheet("lists")
    list_ranges: dict[tuple[str, str], str] = {}
    column = 0

    def choices_range(f: fields.Field) -> str:
        nonlocal column
        key = (f.list, f.name) if (f.list, f.name) == ("kpis", "metric") else ("", str(f.kind))
        if key not in list_ranges:
            column += 1
            letter = get_column_letter(column)
            lists.cell(row=1, column=column, value=f.name).font = bold
            for n, value in enumerate(f.choices, 2):
                lists.cell(row=n, column=column, value=value)
            list_ranges[key] = f"lists!${letter}$2:${letter}${len(f.choices) + 1}"
        return list_ranges[key]

    def explain(sheet_name: str, f: fields.Field) -> None:
        unit, meaning, example = f.help()
        readme.append([sheet_name, f.name, "required" if f.required else "", unit, meaning,
                       ", ".join(f.choices), example])

    portfolio = book.create_sheet("portfolio")
    portfolio.append(["field", "value"])
    for cell in portfolio[1]:
        cell.font = bold
    for f in fields.PORTFOLIO:
        portfolio.append([f.name, None])
        name_cell = portfolio.cell(row=portfolio.max_row, column=1)
        if f.required:
            name_cell.fill = required_fill
        value_cell = portfolio.cell(row=portfolio.max_row, column=2)
        if f.kind in FORMATS:
            value_cell.number_format = FORMATS[f.kind]
        explain("portfolio", f)
    portfolio.freeze_panes = "A2"
    portfolio.column_dimensions["A"].width = 26
    portfolio.column_dimensions["B"].width = 30

    for list_name, declared in fields.LISTS.items():
        sheet = book.create_sheet(list_name)
        sheet.append([f.name for f in declared])
        for index, f in enumerate(declared, 1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = bold
            if f.required:
                cell.fill = required_fill
            sheet.column_dimensions[letter].width = max(12, len(f.name) + 4)
            cells = f"{letter}2:{letter}{DATA_ROWS + 1}"
            if f.choices:
                validation = DataValidation(type="list", formula1=f"={choices_range(f)}", allow_blank=True,
                                            showErrorMessage=True, errorTitle=f.name,
                                            error=f"Choose one of: {', '.join(f.choices)}"[:255])
                sheet.add_data_validation(validation)
                validation.add(cells)
            if f.kind in FORMATS:
                for row in range(2, DATA_ROWS + 2):
                    sheet.cell(row=row, column=index).number_format = FORMATS[f.kind]
            explain(list_name, f)
        sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    for letter, width in zip("ABCDEFG", (22, 26, 10, 16, 60, 40, 24)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=1, max_row=header_row - 1):
        row[0].alignment = Alignment(wrap_text=False)
    book.move_sheet("README", offset=len(book.sheetnames))
    return book


__all__ = ["write_template"]
