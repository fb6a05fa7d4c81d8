"""How to read someone else's workbook: ``--map MAP.json`` and the import wizard's saved mapping.

A mapping names, per list, the sheet and header row to read, which source column feeds which field,
translations of the values people type (``"In delivery": "delivery"``), a scale factor for money
columns (``£m`` × 1,000,000) and the order of day/month/year text dates::

    {"format": "pmodesk-map",
     "date_order": "dmy",
     "portfolio": {"name": "Acme transformation", "currency": "GBP"},
     "initiatives": {"sheet": "Project register", "header_row": 3,
                     "columns": {"Project ID": "code", "Project": "name", "Phase": "stage",
                                 "Budget (£m)": "planned_investment"},
                     "values": {"stage": {"In delivery": "delivery"}, "delivery_rag": {"Amber/Green": "amber"}},
                     "scale": {"planned_investment": 1000000}}}

Columns not named in ``columns`` are still matched by name; ``portfolio`` holds fixed values for
the portfolio's fields (a register seldom has a portfolio sheet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmodesk.interchange import fields
from pmodesk.interchange.document import InvalidInput
from pmodesk.interchange.rows import DATE_ORDERS, bounded_json_float, bounded_json_int, normal_value
from pmodesk.store.tables import DECIMAL, MONEY

FORMAT = "pmodesk-map"
MAX_MAP_BYTES = 2 * 1024 * 1024


@dataclass
class ListMap:
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str | None] = field(default_factory=dict)  # source header -> field (None: ignored)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {source value: value}
    scale: dict[str, Decimal] = field(default_factory=dict)  # money or number field -> factor
    date_order: str | None = None

    def translations(self) -> dict[str, dict[str, Any]]:
        return {name: {normal_value(k): v for k, v in table.items()} for name, table in self.values.items()}


@dataclass
class ReadOptions:
    """How an import reads its source: the date order, a mapping, and whether it updates a portfolio."""

    date_order: str | None = None
    lists: dict[str, ListMap] = field(default_factory=dict)
    portfolio: dict[str, Any] = field(default_factory=dict)
    update: bool = False

    def to_json(self) -> str:
        out: dict[str, Any] = {"format": FORMAT}
        if self.date_order:
            out["date_order"] = self.date_order
        if self.portfolio:
            out["portfolio"] = dict(self.portfolio)
        for name, mapped in self.lists.items():
            item: dict[str, Any] = {}
            if mapped.sheet is not None:
                item["sheet"] = mapped.sheet
            if mapped.header_row is not None:
                item["header_row"] = mapped.header_row
            if mapped.columns:
                item["columns"] = dict(mapped.columns)
            if mapped.values:
                item["values"] = {k: dict(v) for k, v in mapped.values.items()}
            if mapped.scale:
                item["scale"] = {k: _number(v) for k, v in mapped.scale.items()}
            if mapped.date_order:
                item["date_order"] = mapped.date_order
            out[name] = item
        return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _number(value: Decimal) -> int | float | str:
    return int(value) if value == value.to_integral_value() else format(value, "f")


def load_map(path: str | Path, date_order: str | None = None) -> ReadOptions:
    """Read and check a mapping file; every problem is listed (exit 4)."""
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_MAP_BYTES:
            raise InvalidInput([f"{name}, 1, -: a mapping is a small JSON file; this one is too large"])
        text = path.read_bytes().decode("utf-8-sig")
        document = json.loads(text, parse_int=bounded_json_int, parse_float=bounded_json_float)
    except FileNotFoundError:
        raise InvalidInput([f"{name}, 1, -: there is no mapping file {path}"]) from None
    except UnicodeDecodeError:
        raise InvalidInput([f"{name}, 1, -: the mapping is not UTF-8 text"]) from None
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        raise InvalidInput([f"{name}, 1, -: the mapping is not valid JSON ({error})"]) from None
    return from_mapping(document, name, date_order)


def from_mapping(document: Any, name: str = "map", date_order: str | None = None) -> ReadOptions:
    errors: list[str] = []

    def problem(key: str, message: str) -> None:
        errors.append(f"{name}, 1, {key}: {message}")

    if not isinstance(document, dict):
        raise InvalidInput([f"{name}, 1, -: a mapping is one JSON object"])
    options = ReadOptions(date_order=date_order)
    if document.get("format", FORMAT) != FORMAT:
        problem("format", f"{document.get('format')!r} is not {FORMAT!r}")
    order = document.get("date_order")
    if order is not None:
        if order not in DATE_ORDERS:
            problem("date_order", f"{order!r} is not dmy or mdy")
        elif date_order is None:
            options.date_order = order
    for key, value in document.items():
        if key in ("format", "date_order"):
            continue
        if key == "portfolio":
            if not isinstance(value, dict):
                problem("portfolio", "is not an object of field: value")
                continue
            for field_name, constant in value.items():
                if field_name not in fields.PORTFOLIO_FIELDS:
                    problem(f"portfolio.{field_name}", f"is not a portfolio field (one of: "
                                                       f"{', '.join(fields.PORTFOLIO_FIELDS)})")
                else:
                    options.portfolio[field_name] = constant
            continue
        if key not in fields.SHEETS:
            problem(key, f"is not a list (one of: portfolio, {', '.join(fields.SHEETS)})")
            continue
        if not isinstance(value, dict):
            problem(key, "is not an object")
            continue
        options.lists[key] = _list_map(key, value, problem)
    if errors:
        raise InvalidInput(errors)
    return options


def _list_map(list_name: str, value: dict, problem) -> ListMap:
    known = fields.SHEETS[list_name]
    mapped = ListMap()
    for key, item in value.items():
        where = f"{list_name}.{key}"
        if key == "sheet":
            if isinstance(item, str) and item.strip():
                mapped.sheet = item
            else:
                problem(where, "is not a sheet name")
        elif key == "header_row":
            if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 1000:
                mapped.header_row = item
            else:
                problem(where, f"{item!r} is not a row number from 1 to 1000")
        elif key == "date_order":
            if item in DATE_ORDERS:
                mapped.date_order = item
            else:
                problem(where, f"{item!r} is not dmy or mdy")
        elif key == "columns":
            if not isinstance(item, dict):
                problem(where, "is not an object of source column: field")
                continue
            for source, target in item.items():
                if target is None:  # the column is not read
                    mapped.columns[str(source)] = None
                elif target not in known:
                    problem(f"{where}.{source}", f"{target!r} is not a field of {list_name} (one of: "
                                                 f"{', '.join(known)})")
                else:
                    mapped.columns[str(source)] = target
        elif key == "values":
            if not isinstance(item, dict):
                problem(where, "is not an object of field: {source value: value}")
                continue
            for target, table in item.items():
                if target not in known:
                    problem(f"{where}.{target}", f"is not a field of {list_name}")
                elif not isinstance(table, dict):
                    problem(f"{where}.{target}", "is not an object of source value: value")
                else:
                    mapped.values[target] = dict(table)
        elif key == "scale":
            if not isinstance(item, dict):
                problem(where, "is not an object of field: factor")
                continue
            for target, factor in item.items():
                spec = fields.field(list_name, target)
                if spec is None or spec.kind not in (MONEY, DECIMAL):
                    problem(f"{where}.{target}", "is not a money or number field of " + list_name)
                    continue
                number = Decimal(factor) if isinstance(factor, (int, Decimal)) else None
                if isinstance(factor, str):
                    try:
                        number = Decimal(factor) if len(factor) < 30 else None
                    except ArithmeticError:
                        number = None
                if number is None or not number.is_finite() or number <= 0 or abs(number.adjusted()) > 12:
                    problem(f"{where}.{target}", f"{factor!r} is not a positive factor such as 1000000")
                else:
                    mapped.scale[target] = number
        else:
            problem(where, "is not one of: sheet, header_row, columns, values, scale, date_order")
    return mapped


__all__ = ["FORMAT", "ListMap", "ReadOptions", "load_map", "from_mapping"]
