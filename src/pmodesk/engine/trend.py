"""Realisation over time: the portfolio's cumulative planned and realised value at month ends.

Uses the same benefit series as every other figure (DESIGN.md section 5); the board pack's and the
UI's trend charts draw this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pmodesk.domain.calendar import add_months, month_end
from pmodesk.engine.portfolio import Prepared


@dataclass(frozen=True)
class TrendPoint:
    day: date
    planned_value: float
    realised_value: float


def value_trend(prepared: Prepared, as_of: date, months: int = 24) -> list[TrendPoint]:
    """Month ends over the last ``months`` months up to D (and D itself), funded initiatives only."""
    start = month_end(add_months(as_of, -months))
    days = []
    day = start
    while day < as_of:
        days.append(day)
        day = month_end(add_months(day.replace(day=1), 1))
    days.append(as_of)
    funded = [i for i in prepared.initiatives if i.stage.funded]
    points = []
    for when in days:
        # "to D" sums run over [b, D): the value at the end of day ``when`` is the sum to the next day.
        ordinal = (when + timedelta(days=1)).toordinal() if when != as_of else when.toordinal()
        planned = realised = 0.0
        for initiative in funded:
            end = prepared.tracking_end[initiative.id]
            for series in prepared.series[initiative.id]:
                planned += series.planned_value(ordinal, end) or 0.0
                realised += series.realised_value(ordinal, end) or 0.0
        points.append(TrendPoint(when, planned, realised))
    return points
