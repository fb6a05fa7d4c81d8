"""The one way the window writes and reads money, percentages, measures and days.

Every view formats through here, so an amount looks the same in the health table, the scenario
comparison, the optimiser and a tooltip: the currency code, thousands separators and exactly the
currency's minor unit (``GBP 1,234,567.89``, ``JPY 1,235``). Rounding is the domain's (half-even,
never a negative zero). No Qt here: the functions are plain and tested without a window.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pmodesk.domain.money import MoneyError, format_money, minor_unit, round_money

NONE = "—"

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹", "KRW": "₩", "CHF": "CHF"}
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")


def money(value: float | int | Decimal | None, currency: str) -> str:
    """``GBP 1,234.50``; none as a dash."""
    if value is None:
        return NONE
    return format_money(round_money(value, currency), currency)


def money_change(value: float | int | Decimal | None, currency: str) -> str:
    """A difference of money, always signed: ``+GBP 1,200.00``, ``−GBP 50.00``, ``GBP 0.00``."""
    if value is None:
        return NONE
    rounded = round_money(value, currency)
    if rounded.is_zero():
        return money(rounded, currency)
    sign = "+" if rounded > 0 else "−"
    return sign + money(abs(rounded), currency)


def short_money(value: float | int | Decimal | None, currency: str) -> str:
    """An axis or label amount: ``GBP 1.2m``, ``GBP 350k``."""
    if value is None:
        return NONE
    amount = float(value)
    size = abs(amount)
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if size >= limit:
            return f"{currency} {amount / limit:,.1f}{suffix}"
    return f"{currency} {amount:,.0f}"


def axis_money(value: float, spacing: float, currency: str) -> str:
    """A tick label: as short as the tick spacing allows (``GBP 1.25m`` when ticks are 50k apart)."""
    import math

    if abs(value) < 1e-9:
        return f"{currency} 0"
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= limit or spacing >= limit:
            decimals = max(0, min(4, math.ceil(-math.log10(spacing / limit)))) if spacing > 0 else 1
            return f"{currency} {value / limit:,.{decimals}f}{suffix}"
    decimals = max(0, min(2, math.ceil(-math.log10(spacing)))) if 0 < spacing < 1 else 0
    return f"{currency} {value:,.{decimals}f}"


def pct(value: float | None, digits: int = 1) -> str:
    """``87.5%``; none as a dash."""
    return NONE if value is None else f"{value:,.{digits}f}%"


def points_change(value: float | None) -> str:
    """A difference of two percentages, in percentage points: ``+3.2 pts``."""
    return NONE if value is None else f"{value:+,.1f} pts"


def days(value: float | None) -> str:
    return NONE if value is None else f"{value:,.1f} days"


def metric(value: float | None, unit: str) -> str:
    """A section-6 metric with the unit ``METRICS`` gives it (``%`` or `` days``)."""
    if value is None:
        return NONE
    return pct(value) if unit == "%" else days(value) if unit.strip() == "days" else f"{value:,.1f}{unit}"


def metric_change(value: float | None, unit: str) -> str:
    if value is None:
        return NONE
    return points_change(value) if unit == "%" else f"{value:+,.1f}{unit}"


def measure(value: float | Decimal | None, unit: str | None = None) -> str:
    """A measure value as people write it: thousands separators, at most 4 decimals, no trailing zeros."""
    if value is None:
        return NONE
    text = f"{float(value):,.4f}".rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return f"{text} {unit}" if unit else text


def number(value: float | int | None, digits: int = 1) -> str:
    return NONE if value is None else f"{value:,.{digits}f}"


def parse_number(text: str) -> Decimal:
    """A decimal typed or pasted from a spreadsheet, exactly.

    Accepts ``1234.5``, ``1,234.5`` and ``1.234,5`` (a European export), ``12,5`` (decimal comma),
    a leading ``+`` and a trailing ``%``. Raises ``ValueError`` with a sentence saying why not.
    """
    raw = text
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").removesuffix("%")
    if not text:
        raise ValueError("is empty")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _THOUSANDS_DOT.match(text) and ("," in text or text.count(".") > 1):
        text = text.replace(".", "").replace(",", ".")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{raw.strip()}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{raw.strip()}” is not a finite number")
    return value


def parse_money(text: str, currency: str) -> Decimal:
    """An amount in ``currency``: the code or its symbol and thousands separators may be typed.

    More decimals than the currency has is refused (DESIGN.md section 15).
    """
    cleaned = text.strip()
    for mark in (currency, _SYMBOLS.get(currency, currency)):
        cleaned = cleaned.replace(mark, "")
    amount = parse_number(cleaned)
    digits = minor_unit(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        raise MoneyError(f"{amount} has more decimals than {currency} allows ({digits})")
    return amount.quantize(Decimal(1).scaleb(-digits))
