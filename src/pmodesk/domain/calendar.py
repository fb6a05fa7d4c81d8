"""Calendar months and fiscal quarters (DESIGN.md sections 6 and 8)."""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic, clamping to the month's last day (2026-01-31 + 1 = 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def month_end(day: date) -> date:
    return date(day.year, day.month, _calendar.monthrange(day.year, day.month)[1])


def fiscal_quarter(day: date, start_month: int = 1) -> tuple[date, date]:
    """First and last day of the fiscal quarter containing ``day``."""
    offset = (day.month - start_month) % 3
    first = add_months(date(day.year, day.month, 1), -offset)
    last = add_months(first, 3) - timedelta(days=1)
    return first, last


def previous_fiscal_quarter(day: date, start_month: int = 1) -> tuple[date, date]:
    first, _ = fiscal_quarter(day, start_month)
    return fiscal_quarter(first - timedelta(days=1), start_month)
