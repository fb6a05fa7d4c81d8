"""Reading untrusted rows field by field, collecting every problem instead of stopping at the first.

A row comes from a JSON list or a workbook sheet; each problem is reported as
``list/sheet, row, field: what is wrong`` (DESIGN.md section 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pmodesk.domain.money import MINOR_UNITS, NO_MINOR_UNIT, minor_unit

EXCEL_EPOCH = date(1899, 12, 30)  # serial day 0 of Excel's 1900 date system (with its leap-year bug absorbed)
MISSING = object()


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    by_column: bool = False  # workbook input: warn about an unknown column once, not on every row
    warned: set = field(default_factory=set)


class Row:
    """One input row; each ``get`` checks one field and records what is wrong with it."""

    def __init__(self, where: str, number: int, values: dict[str, Any], problems: Problems, prefix: str = "",
                 aliases: dict[str, str] | None = None, fixed: dict[str, Any] | None = None):
        """``aliases`` maps a canonical field name to the key the input used (a nested JSON item calls
        its objective ``code``); ``fixed`` holds values taken from the parent (its initiative's code)."""
        self.where, self.number, self.values, self.problems, self.prefix = where, number, values, problems, prefix
        self.aliases = aliases or {}
        self.fixed = fixed or {}
        self.used: set[str] = set()

    def label(self, name: str) -> str:
        return f"{self.prefix}{self.aliases.get(name, name)}"

    def error(self, name: str, message: str) -> None:
        self.problems.errors.append(f"{self.where}, {self.number}, {self.label(name)}: {message}")

    def warn_unknown(self) -> None:
        for name in self.values:
            if name in self.used:
                continue
            if self.problems.by_column:  # a workbook: one warning per unknown column, at its header
                if (self.where, name) in self.problems.warned:
                    continue
                self.problems.warned.add((self.where, name))
                self.problems.warnings.append(f"{self.where}, 1, {name}: unknown column, ignored")
            else:
                self.problems.warnings.append(f"{self.where}, {self.number}, {self.prefix}{name}: "
                                              "unknown field, ignored")

    def raw(self, name: str) -> Any:
        if name in self.fixed:
            return self.fixed[name]
        key = self.aliases.get(name, name)
        self.used.add(key)
        value = self.values.get(key)
        if isinstance(value, str):
            if value.strip() == "":
                return None
            return unneutralise(value)
        return value

    def _missing(self, name: str, required: bool) -> None:
        if required:
            self.error(name, "is required")

    # -------------------------------------------------------------------- kinds
    def text(self, name: str, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            self._missing(name, required)
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self.error(name, f"{_show(value)} is not text")
            return None
        if isinstance(value, (int, Decimal)):
            return _plain_number(value)
        if isinstance(value, float):
            return _plain_number(Decimal(repr(value)))
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return str(value)

    def code(self, name: str, required: bool = True) -> str | None:
        value = self.text(name, required)
        return value.strip() if value is not None else None

    def decimal(self, name: str, required: bool = False, minimum: Decimal | None = None,
                maximum: Decimal | None = None, default: Decimal | None = None) -> Decimal | None:
        value = self.raw(name)
        if value is None:
            self._missing(name, required)
            return default
        number = _to_decimal(value)
        if number is None:
            self.error(name, f"{_show(value)} is not a number")
            return default
        if minimum is not None and number < minimum:
            self.error(name, f"{_plain_number(number)} is below {_plain_number(minimum)}")
        if maximum is not None and number > maximum:
            self.error(name, f"{_plain_number(number)} is above {_plain_number(maximum)}")
        return number

    def money(self, name: str, currency: str | None, required: bool = False,
              non_negative: bool = False) -> Decimal | None:
        number = self.decimal(name, required, Decimal(0) if non_negative else None)
        if number is None or currency is None:
            return number
        digits = minor_unit(currency)
        if abs(number.scaleb(digits)) > 2**63 - 1:
            self.error(name, f"{_plain_number(number)} is too large")
        elif number.quantize(Decimal(1).scaleb(-digits)) != number:
            self.error(name, f"{_plain_number(number)} has more decimals than {currency} allows ({digits})")
        return number

    def integer(self, name: str, required: bool = False, minimum: int | None = None, maximum: int | None = None,
                default: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None:
            self._missing(name, required)
            return default
        number = _to_decimal(value)
        if number is None or number != number.to_integral_value():
            self.error(name, f"{_show(value)} is not a whole number")
            return default
        result = int(number)
        if (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
            self.error(name, f"{result} is not between {minimum} and {maximum}")
        return result

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, Decimal)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[value.strip().lower()]
        self.error(name, f"{_show(value)} is not true or false")
        return default

    def date(self, name: str, required: bool = False, spreadsheet: bool = False) -> date | None:
        value = self.raw(name)
        if value is None:
            self._missing(name, required)
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if spreadsheet and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if 1 <= value < 2958466:  # Excel serial dates: 1900-01-01 .. 9999-12-31
                return EXCEL_EPOCH + timedelta(days=int(value))
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value.strip())
                if len(value.strip()) == 10:
                    return parsed
            except ValueError:
                pass
        self.error(name, f"{_show(value)} is not a date (YYYY-MM-DD)")
        return None

    def enum(self, name: str, kind: type[StrEnum], required: bool = False, default: StrEnum | None = None):
        value = self.raw(name)
        if value is None:
            self._missing(name, required)
            return default
        text = str(value).strip()
        for member in kind:
            if member.value == text or member.value == text.lower():
                return member
        allowed = ", ".join(m.value for m in kind)
        self.error(name, f"{_show(value)} is not one of: {allowed}")
        return default

    def currency(self, name: str) -> str | None:
        value = self.text(name, required=True)
        if value is None:
            return None
        code = value.strip().upper()
        if code in NO_MINOR_UNIT:
            self.error(name, f"{value!r} has no minor unit, so it cannot hold money")
            return None
        if code not in MINOR_UNITS:
            self.error(name, f"{value!r} is not an ISO 4217 currency code")
            return None
        return code


_BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "1": True,
                  "0": False}

# A spreadsheet runs text starting with these; pmodesk writes such text with a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS) else text


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A spreadsheet number: its shortest decimal representation is what the user typed.
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _plain_number(value: Decimal | int) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"
