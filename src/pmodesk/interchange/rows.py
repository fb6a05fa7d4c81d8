"""Reading untrusted rows field by field, collecting every problem instead of stopping at the first.

A row comes from a JSON list or a workbook sheet; each problem is reported as
``list/sheet, row, field: what is wrong`` (DESIGN.md section 12). What people type in a
spreadsheet is understood where it is unambiguous — a percentage cell, a currency symbol and
thousands separators on money, ``n/a`` in an optional cell, a day/month/year text date given its
order — and every such reinterpretation is a warning; anything else is refused by name.

Numbers are bounded before they are converted (length, significant digits, exponent), so a
hostile ``1e999999999`` or a 5,000-digit number is an input error, never a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pmodesk.domain.money import MINOR_UNITS, NO_MINOR_UNIT, minor_unit

MISSING = object()
MAX_NUMBER_TEXT = 60  # characters of a number written as text
MAX_DIGITS = 28  # significant digits (the decimal context's precision)
MAX_EXPONENT = 24  # |adjusted exponent|: 10^24 is far beyond any amount or measure
MAX_TEXT = 100_000  # characters in one cell or field
NOT_A_VALUE = ("n/a", "tbc", "tbd", "-", "—", "–")
DATE_ORDERS = ("dmy", "mdy")


class NoSavedValue:
    """A workbook formula cell whose workbook was saved without its computed value."""

    def __init__(self, cell: str):
        self.cell = cell

    def __repr__(self) -> str:
        return f"a formula in {self.cell}"


class TooLongNumber:
    """A JSON number too long to convert safely; kept as a short description."""

    def __init__(self, text: str):
        self.length = len(text)

    def __repr__(self) -> str:
        return f"a {self.length}-character number"


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    by_column: bool = False  # workbook input: warn about an unknown column once, not on every row
    warned: set = field(default_factory=set)
    date_order: str | None = None  # "dmy" or "mdy" for text dates that are not ISO
    epoch: datetime | None = None  # a workbook's date system (1900 or 1904)


@dataclass
class SheetContext:
    """What a row needs to know about its sheet: how the user asked to read it (``--map``) and what
    the header showed."""

    translations: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {normal(text): value}
    scale: dict[str, Decimal] = field(default_factory=dict)  # money field -> factor
    absent: set[str] = field(default_factory=set)  # required columns already reported missing
    letters: dict[str, str] = field(default_factory=dict)  # key -> column letter
    date_order: str | None = None
    header_row: int = 1


class Row:
    """One input row; each ``get`` checks one field and records what is wrong with it."""

    def __init__(self, where: str, number: int, values: dict[str, Any], problems: Problems, prefix: str = "",
                 aliases: dict[str, str] | None = None, fixed: dict[str, Any] | None = None,
                 formats: dict[str, str] | None = None, sheet: SheetContext | None = None):
        """``aliases`` maps a canonical field name to the key the input used (a nested JSON item calls
        its objective ``code``); ``fixed`` holds values taken from the parent (its initiative's code);
        ``formats`` holds a workbook cell's number format by key."""
        self.where, self.number, self.values, self.problems, self.prefix = where, number, values, problems, prefix
        self.aliases = aliases or {}
        self.fixed = fixed or {}
        self.formats = formats or {}
        self.sheet = sheet
        self.used: set[str] = set()
        self.reported: set[str] = set()

    def label(self, name: str) -> str:
        return f"{self.prefix}{self.aliases.get(name, name)}"

    def error(self, name: str, message: str) -> None:
        self.problems.errors.append(safe_text(f"{self.where}, {self.number}, {self.label(name)}: {message}"))

    def warn(self, name: str, message: str) -> None:
        self.problems.warnings.append(safe_text(f"{self.where}, {self.number}, {self.label(name)}: {message}"))

    def warn_unknown(self) -> None:
        for name in self.values:
            if name in self.used:
                continue
            if self.problems.by_column:  # a workbook: one warning per unknown column, at its header
                if (self.where, name) in self.problems.warned:
                    continue
                self.problems.warned.add((self.where, name))
                header = self.sheet.header_row if self.sheet is not None else 1
                self.problems.warnings.append(safe_text(f"{self.where}, {header}, {name}: unknown column, ignored"))
            else:
                self.problems.warnings.append(safe_text(f"{self.where}, {self.number}, {self.prefix}{name}: "
                                                        "unknown field, ignored"))

    def has(self, name: str) -> bool:
        """Whether the input names this field at all (a column or key, even if empty)."""
        return name in self.fixed or self.aliases.get(name, name) in self.values

    def raw(self, name: str, required: bool = False) -> Any:
        if name in self.fixed:
            return self.fixed[name]
        key = self.aliases.get(name, name)
        self.used.add(key)
        value = self.values.get(key)
        if isinstance(value, NoSavedValue):
            self.error(name, f"formula with no saved value in cell {value.cell}: open and save the workbook in "
                             "Excel or LibreOffice, or type the value")
            self.reported.add(name)
            return None
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                self.error(name, f"is {len(value)} characters long, more than {MAX_TEXT}")
                self.reported.add(name)
                return None
            if not valid_text(value):
                self.error(name, "contains a character that is not text (a lone surrogate)")
                self.reported.add(name)
                return None
            stripped = value.strip()
            if stripped == "":
                return None
            translated = self._translated(name, stripped)
            if translated is not MISSING:
                return translated
            if stripped.lower() in NOT_A_VALUE:
                if required:
                    self.error(name, f"{stripped!r} is not a value, and the field is required")
                    self.reported.add(name)
                else:
                    self.warn(name, f"{stripped!r} read as empty")
                return None
            return unneutralise(value)
        if value is not None and not isinstance(value, (dict, list, bool)):
            translated = self._translated(name, value)
            if translated is not MISSING:
                return translated
        return value

    def _translated(self, name: str, value: Any) -> Any:
        if self.sheet is None or name not in self.sheet.translations:
            return MISSING
        return self.sheet.translations[name].get(normal_value(value), MISSING)

    def _missing(self, name: str, required: bool) -> None:
        if required and name not in self.reported and not (self.sheet and name in self.sheet.absent):
            self.error(name, "is required")

    # -------------------------------------------------------------------- kinds
    def text(self, name: str, required: bool = False) -> str | None:
        value = self.raw(name, required)
        if value is None:
            self._missing(name, required)
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list, TooLongNumber)):
            self.error(name, f"{_show(value)} is not text")
            return None
        if isinstance(value, (int, Decimal)):
            return _plain_number(value) if _bounded(value) is not None else _show(value)
        if isinstance(value, float):
            return _plain_number(Decimal(repr(value))) if value == value and abs(value) != float("inf") else str(value)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return str(value)

    def code(self, name: str, required: bool = True) -> str | None:
        value = self.text(name, required)
        return value.strip() if value is not None else None

    def _number(self, name: str, value: Any, currency: str | None = None) -> tuple[Decimal | None, str | None]:
        """The number in ``value`` (None and why not), with any reinterpretation warned about."""
        key = self.aliases.get(name, name)
        percent_field = name.endswith("_pct")
        if isinstance(value, str):
            text = value.strip()
            if len(text) > MAX_NUMBER_TEXT:
                return None, f"{_show(value)} is too long to be a number"
            shown = text
            if percent_field and text.endswith("%"):
                text = text[:-1].strip()
            if currency is not None:
                text, problem = _plain_money(text, currency)
                if problem:
                    return None, f"{shown!r} {problem}"
            number = _parse_decimal(text)
            if number is None:
                return None, f"{_show(value)} is not a number"
            if isinstance(number, str):
                return None, f"{_show(value)} {number}"
            if text != shown:
                self.warn(name, f"{shown!r} read as {_plain_number(number)}")
        else:
            number = _to_decimal(value)
            if number is None:
                return None, f"{_show(value)} is not a number"
            problem = _range_problem(number)
            if problem:
                return None, f"{_show(value)} {problem}"
            if percent_field and "%" in self.formats.get(key, "") and not isinstance(value, bool):
                shown = _plain_number(number)
                number = (number * 100).normalize()
                number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number
                self.warn(name, f"{shown} shown as a percentage read as {_plain_number(number)}")
        factor = self.sheet.scale.get(name) if self.sheet else None
        if factor is not None:
            number = number * factor
        return number, None

    def decimal(self, name: str, required: bool = False, minimum: Decimal | None = None,
                maximum: Decimal | None = None, default: Decimal | None = None,
                currency: str | None = None) -> Decimal | None:
        value = self.raw(name, required)
        if value is None:
            self._missing(name, required)
            return default
        number, problem = self._number(name, value, currency)
        if number is None:
            self.error(name, problem or f"{_show(value)} is not a number")
            return default
        if minimum is not None and number < minimum:
            self.error(name, f"{_plain_number(number)} is below {_plain_number(minimum)}")
        if maximum is not None and number > maximum:
            self.error(name, f"{_plain_number(number)} is above {_plain_number(maximum)}")
        return number

    def money(self, name: str, currency: str | None, required: bool = False,
              non_negative: bool = False) -> Decimal | None:
        number = self.decimal(name, required, Decimal(0) if non_negative else None, currency=currency or "")
        if number is None or not currency:
            return number
        digits = minor_unit(currency)
        if abs(number.scaleb(digits)) > 2**63 - 1:
            self.error(name, f"{_plain_number(number)} is too large")
        elif number.quantize(Decimal(1).scaleb(-digits)) != number:
            self.error(name, f"{_plain_number(number)} has more decimals than {currency} allows ({digits})")
        return number

    def integer(self, name: str, required: bool = False, minimum: int | None = None, maximum: int | None = None,
                default: int | None = None) -> int | None:
        value = self.raw(name, required)
        if value is None:
            self._missing(name, required)
            return default
        number, _ = self._number(name, value)
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
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[value.strip().lower()]
        self.error(name, f"{_show(value)} is not true or false")
        return default

    def date(self, name: str, required: bool = False, spreadsheet: bool = False) -> date | None:
        value = self.raw(name, required)
        if value is None:
            self._missing(name, required)
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if spreadsheet and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if 1 <= value < 2958466:  # Excel serial days: 1900-01-01 .. 9999-12-31
                from openpyxl.utils.datetime import from_excel

                epoch = self.problems.epoch
                when = from_excel(float(value), epoch) if epoch is not None else from_excel(float(value))
                result = when.date() if isinstance(when, datetime) else when
                self.warn(name, f"the number {_plain_number(_to_decimal(value))} read as the spreadsheet date "
                                f"{result.isoformat()}")
                return result
        if isinstance(value, str):
            order = (self.sheet.date_order if self.sheet and self.sheet.date_order else None) or self.problems.date_order
            result, problem = parse_text_date(value.strip(), order)
            if result is not None:
                return result
            if problem:
                self.error(name, f"{_show(value)} {problem}")
                return None
        self.error(name, f"{_show(value)} is not a date (YYYY-MM-DD)")
        return None

    def enum(self, name: str, kind: type[StrEnum], required: bool = False, default: StrEnum | None = None):
        value = self.raw(name, required)
        if value is None:
            self._missing(name, required)
            return default
        if isinstance(value, StrEnum):
            return kind(value.value) if value.value in kind._value2member_map_ else default
        text = normal_value(value)
        for member in kind:
            if normal_value(member.value) == text:
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


def normal_value(value: Any) -> str:
    """An enumeration word or a translated value as matched: case, spaces, ``_`` and ``-`` ignored."""
    return " ".join(re.sub(r"[_\-]+", " ", str(value)).split()).lower()


def valid_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_text(text: str) -> str:
    """Text that can be printed: lone surrogates shown as escapes."""
    return text if valid_text(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


# ------------------------------------------------------------------------------ money and dates
# Symbols a money cell may carry, with the currencies each can stand for.
CURRENCY_SYMBOLS = {
    "£": ("GBP", "GIP", "FKP", "SHP", "EGP"), "€": ("EUR",), "¥": ("JPY", "CNY"), "₹": ("INR",), "₩": ("KRW",),
    "₽": ("RUB",), "₺": ("TRY",), "₪": ("ILS",), "₦": ("NGN",), "₱": ("PHP",), "฿": ("THB",), "zł": ("PLN",),
    "R$": ("BRL",), "A$": ("AUD",), "AU$": ("AUD",), "C$": ("CAD",), "CA$": ("CAD",), "NZ$": ("NZD",),
    "US$": ("USD",), "HK$": ("HKD",), "S$": ("SGD",), "Fr.": ("CHF",), "kr": ("SEK", "NOK", "DKK", "ISK"),
    "$": ("USD", "AUD", "CAD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP"),
}
_SYMBOL = re.compile("^(?:" + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
                     + r")|(?:" + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
                     + ")$")
_CODE = re.compile(r"^([A-Za-z]{3})\s*|\s*([A-Za-z]{3})$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([,\u00a0\u202f ]\d{3})+(\.\d+)?$")


def _plain_money(text: str, currency: str) -> tuple[str, str | None]:
    """``text`` without the portfolio currency's symbol or code and thousands separators."""
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:].strip()
    code = _CODE.search(text)
    if code:
        found = (code.group(1) or code.group(2)).upper()
        if found in MINOR_UNITS or found in NO_MINOR_UNIT:
            if currency and found != currency:
                return text, f"is in {found}, not the portfolio currency {currency}"
            text = (text[:code.start()] + text[code.end():]).strip()
    symbol = _SYMBOL.search(text)
    if symbol:
        found = symbol.group(0)
        if currency and currency not in CURRENCY_SYMBOLS[found]:
            return text, f"is in {found}, not the portfolio currency {currency}"
        text = (text[:symbol.start()] + text[symbol.end():]).strip()
    if text[:1] in "+-" and not sign:
        sign, text = text[0], text[1:]
    if _GROUPED.match(text):
        text = re.sub(r"[,\u00a0\u202f ]", "", text)
    return sign + text, None


_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([A-Za-z]{3,9})\.?,?[\s\-/]+(\d{2,4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})$")


def parse_text_date(text: str, order: str | None) -> tuple[date | None, str | None]:
    """A date typed as text: ISO always; a month name whatever the order; ``31/03/2027`` only with an
    order (``dmy`` or ``mdy``). Returns the date, or None and what is wrong."""
    if len(text) > 40:
        return None, "is not a date (YYYY-MM-DD)"
    iso = text[:10] if len(text) > 10 and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00(\.0+)?)?", text) else text
    if len(iso) == 10:
        try:
            return date.fromisoformat(iso), None
        except ValueError:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
                return None, "is not a date (there is no such day)"
    named = _DAY_MONTH_NAME.match(text) or _MONTH_NAME_DAY.match(text)
    if named:
        a, b, year = named.groups()
        day, month_name = (a, b) if named.re is _DAY_MONTH_NAME else (b, a)
        month = _month(month_name)
        if month is None:
            return None, "is not a date (YYYY-MM-DD)"
        if len(year) != 4:
            return None, "is not a date: give the year with four digits"
        return _make_date(int(year), month, int(day))
    numeric = _NUMERIC_DATE.match(text)
    if not numeric:
        return None, None
    a, b, c = numeric.groups()
    if len(a) == 4:  # 2027/03/31: year first is never ambiguous
        return _make_date(int(a), int(b), int(c))
    if len(c) != 4:
        return None, "is not a date: give the year with four digits"
    if order not in DATE_ORDERS:
        return None, ("is not a date in YYYY-MM-DD form; to read day/month/year dates give "
                      "--date-order dmy (31/03/2027) or --date-order mdy (03/31/2027)")
    day, month = (a, b) if order == "dmy" else (b, a)
    return _make_date(int(c), int(month), int(day))


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def _month(word: str) -> int | None:
    word = word.lower()
    for number, name in enumerate(_MONTHS, 1):
        if word in (name, name[:3]) or (number == 9 and word == "sept"):
            return number
    return None


def _make_date(year: int, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        return None, "is not a date (there is no such day)"


_BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "1": True,
                  "0": False}

# A spreadsheet runs text starting with these; pmodesk writes such text with a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS) else text


def _to_decimal(value: Any) -> Decimal | None:
    """A number read from a JSON or workbook value, unbounded (see :func:`_range_problem`)."""
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
        number = _parse_decimal(value.strip())
        return number if isinstance(number, Decimal) else None
    return None


def _parse_decimal(text: str) -> Decimal | str | None:
    """``text`` as a bounded Decimal; None when it is not a number, a sentence when it is out of range."""
    if len(text) > MAX_NUMBER_TEXT:
        return "is too long to be a number"
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return _range_problem(number) or number


def _range_problem(number: Decimal) -> str | None:
    if number.is_zero():
        return None
    if len(number.as_tuple().digits) > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits"
    if abs(number.adjusted()) > MAX_EXPONENT:
        return "is out of range"
    return None


def _bounded(value: int | Decimal) -> Decimal | None:
    number = _to_decimal(value)
    return number if number is not None and _range_problem(number) is None else None


def bounded_json_int(text: str) -> int | TooLongNumber:
    """``json.loads``' ``parse_int``: Python refuses very long integers only after a slow conversion."""
    return int(text) if len(text) <= MAX_NUMBER_TEXT else TooLongNumber(text)


def bounded_json_float(text: str) -> Decimal | TooLongNumber:
    return Decimal(text) if len(text) <= MAX_NUMBER_TEXT else TooLongNumber(text)


def _plain_number(value: Decimal | int) -> str:
    if isinstance(value, Decimal) and (value.is_zero() or abs(value.adjusted()) <= MAX_EXPONENT):
        return format(value, "f")
    return str(value)


def _show(value: Any) -> str:
    text = safe_text(repr(value) if isinstance(value, str) else str(value))
    return text if len(text) <= 60 else text[:57] + "…"


# ------------------------------------------------------------------------------ the report
_LINE = re.compile(r"^(?P<where>[^,\n]+), (?P<row>\d+), (?P<field>[^:\n]+): (?P<message>.*)$", re.S)
_VALUE = re.compile(r"'(?:[^'\\]|\\.)*'|\"[^\"]*\"|(?<![\w.])[-+]?\d[\d,.]*(?![\w])")
GROUP_FROM = 3  # this many rows with the same problem become one line


def grouped(lines: list[str]) -> list[str]:
    """Problems as a readable report: the same problem on many rows of a sheet is one line naming the
    rows and a few of the values (``initiatives, rows 2–245 (244 rows), stage: is required``)."""
    groups: dict[tuple, list[tuple[int, str, list[str]]]] = {}
    order: list[Any] = []
    for line in lines:
        match = _LINE.match(line)
        if not match:
            order.append(line)
            continue
        values = _VALUE.findall(match["message"])
        key = (match["where"], match["field"], _VALUE.sub("…", match["message"]))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((int(match["row"]), line, values))
    out = []
    for key in order:
        if isinstance(key, str):
            out.append(key)
            continue
        members = groups[key]
        if len(members) < GROUP_FROM:
            out.extend(line for _, line, _ in members)
            continue
        where, field_name, _ = key
        first = _LINE.match(members[0][1])["message"]
        seen: list[str] = []
        for _, _, values in members:
            for value in values[:1]:
                if value not in seen:
                    seen.append(value)
        rows = sorted({row for row, _, _ in members})
        text = f"{where}, {_rows_text(rows)}, {field_name}: {first}"
        if len(seen) > 1:
            shown = ", ".join(seen[:5]) + (", …" if len(seen) > 5 else "")
            text += f" (values seen: {shown})"
        out.append(text)
    return out


def _rows_text(rows: list[int]) -> str:
    ranges: list[list[int]] = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges]
    shown = ", ".join(parts[:6]) + (", …" if len(parts) > 6 else "")
    return f"rows {shown} ({len(rows)} rows)"
