"""How the board pack writes numbers, money and dates: one place, used by both renderers' content.

Money is rounded half-even to the currency's minor unit first (``round_money``), then shown in
whole units or, in a column whose largest amount is a million or more, in millions with the unit
stated once in the column header (``£468.0m`` reads better than ``£468,000,000`` and never wraps).
A missing figure is always "—". The minus sign is U+2212 (the bundled fonts have it). Dates are
written from their parts: strftime's unpadded-day code is not portable (it fails on Windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pmodesk.domain.money import round_money

NONE = "—"
MINUS = "\u2212"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "CHF": "CHF ",
           "INR": "₹", "CNY": "CN¥", "HKD": "HK$", "SGD": "S$", "ZAR": "R", "SEK": "kr ", "NOK": "kr ", "DKK": "kr ",
           "KRW": "₩", "THB": "฿", "ILS": "₪"}


def long_date(day: date | None) -> str:
    return NONE if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | None) -> str:
    return NONE if day is None else f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def iso(day: date | None) -> str:
    return NONE if day is None else day.isoformat()


def signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def number(value: float | int | Decimal | None, digits: int = 1) -> str:
    if value is None:
        return NONE
    if isinstance(value, int):
        return signed(f"{abs(value):,}", value < 0)
    rounded = round(float(value), digits)
    return signed(f"{abs(rounded):,.{digits}f}", rounded < 0)


def pct(value: float | None, digits: int = 0) -> str:
    return NONE if value is None else number(value, digits) + "%"


def points(value: float | None, digits: int = 1) -> str:
    """A change in percentage points or days, with its sign."""
    if value is None:
        return NONE
    rounded = round(value, digits)
    return ("+" if rounded > 0 else "") + number(rounded, digits)


def tidy_decimal(value: Decimal | float | None) -> str:
    """A measure value or threshold as entered: no exponent, no trailing zeros beyond what it has."""
    if value is None:
        return NONE
    if isinstance(value, float):
        text = f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
        if "e" in text:
            text = f"{value:,.2f}"
        return signed(text.lstrip("-"), value < 0)
    exact = value.normalize()
    if exact == exact.to_integral():
        exact = exact.quantize(Decimal(1))
    text = format(abs(exact), ",f")
    return signed(text, exact < 0)


@dataclass(frozen=True)
class Money:
    currency: str

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.currency, self.currency + " ")

    def whole(self, value) -> str:
        """Whole currency units: ``£1,234,567``; ``−£12,000``; ``—`` for none."""
        if value is None:
            return NONE
        rounded = round_money(value, self.currency).quantize(1)
        if rounded.is_zero():
            rounded = abs(rounded)
        return signed(f"{self.symbol}{abs(rounded):,.0f}", rounded < 0)

    def compact(self, value) -> str:
        """Short form for tiles, charts and sentences: ``£468.0m``, ``£1.2bn``, ``£45k``, ``£900``."""
        if value is None:
            return NONE
        amount = float(round_money(value, self.currency))
        size = abs(amount)
        if size >= 1e9:
            body = f"{size / 1e9:,.1f}bn"
        elif size >= 1e6:
            body = f"{size / 1e6:,.1f}m"
        elif size >= 1e4:
            body = f"{size / 1e3:,.0f}k"
        else:
            body = f"{size:,.0f}"
        return signed(f"{self.symbol}{body}", amount < 0 and body.strip("0.,kmbn") != "")

    def column(self, header: str, values: list) -> tuple[str, list[str]]:
        """A money column: its header (with the unit when scaled) and its cells, scaled together."""
        amounts = [float(round_money(v, self.currency)) for v in values if v is not None]
        largest = max((abs(a) for a in amounts), default=0.0)
        if largest < 1e6:
            return header, [self.whole(v) for v in values]
        digits = 1 if largest >= 1e7 else 2
        cells = []
        for v in values:
            if v is None:
                cells.append(NONE)
                continue
            amount = float(round_money(v, self.currency)) / 1e6
            rounded = round(amount, digits)
            if rounded == 0 and amount != 0:  # a small amount beside large ones: never shown as 0.0
                cells.append(signed(f"<{10 ** -digits:.{digits}f}", amount < 0))
                continue
            cells.append(signed(f"{abs(rounded):,.{digits}f}", rounded < 0))
        return f"{header} ({self.symbol.strip()}m)", cells


def middle_shortened(text: str, limit: int = 60) -> str:
    """A long file name shortened in the middle, so both its start and its extension stay."""
    if len(text) <= limit:
        return text
    keep = limit - 1
    return text[: keep - keep // 2] + "…" + text[-(keep // 2):]
