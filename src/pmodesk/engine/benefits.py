"""Benefit arithmetic (DESIGN.md section 5, settled in section 15) and early warning (section 7).

Time is in whole days: a date is its ordinal (``date.toordinal()``), the start of that day. All
figures here are plain floats over one benefit's prepared series; money is rounded to the
currency's minor unit only at presentation.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import date

from pmodesk.domain.model import Benefit, Initiative
from pmodesk.engine.student_t import t_cdf, t_quantile_90

FORECAST_METHOD = "OLS of improvement fraction on time (latest 3-12 measurements), 80% prediction interval, Student's t"
EROSION_DROP = 0.10
STALE_FACTOR = 1.5
DAYS_PER_MONTH = 30.4375
PERFECT_FIT = 1e-12  # residual standard error (in f) below which a fit is treated as exact


def effective_tracking_end(initiative: Initiative) -> int | None:
    """The later of the recorded tracking end and go-live + 12 months; ``None`` when open.

    Go-live is the forecast go-live, else the planned one. With a recorded end but no go-live the
    recorded end is used; with neither the end is open (later than any as-of date).
    """
    from pmodesk.domain.calendar import add_months

    go_live = initiative.go_live
    candidates = []
    if initiative.tracking_end is not None:
        candidates.append(initiative.tracking_end)
    if go_live is not None:
        candidates.append(add_months(go_live, 12))
    return max(candidates).toordinal() if candidates else None


@dataclass(frozen=True, slots=True)
class Forecast:
    n: int
    slope: float  # f per day
    intercept: float  # f at day 0 (ordinal 0)
    fraction: float  # f̂ at the target date
    interval: tuple[float, float]  # 80% prediction interval of f at the target date
    probability_of_target: float

    @property
    def attainment_pct(self) -> float:
        return 100.0 * self.fraction

    def at(self, day: float) -> float:
        return self.intercept + self.slope * day


def _t_quantile_90(df: int) -> float:
    return t_quantile_90(df)


def _t_cdf(df: int, t: float) -> float:
    return float(t_cdf(df, t))  # the array path calls the same function on arrays: same floats


class BenefitSeries:
    """One benefit's planned path and actuals, prepared once for any number of as-of dates."""

    __slots__ = ("benefit", "baseline", "span", "b", "plan_days", "plan_values", "actual_days", "actual_values",
                 "rate_per_f", "target_day", "all_measurements", "_fraction_days")

    def __init__(self, benefit: Benefit, trajectory: list[tuple[date, float]],
                 measurements: list[tuple[date, float]]):
        """``trajectory`` and ``measurements`` are (date, value) pairs sorted by date."""
        self.benefit = benefit
        self._fraction_days: list[float] | None = None
        self.target_day = benefit.target_date.toordinal()
        self.all_measurements = measurements
        if not benefit.has_baseline or benefit.target_value == benefit.baseline_value:
            self.baseline = None
            self.b = None
            self.plan_days, self.plan_values, self.actual_days, self.actual_values = [], [], [], []
            self.span = None
            self.rate_per_f = None
            return
        baseline = float(benefit.baseline_value)
        self.baseline = baseline
        self.span = float(benefit.target_value) - baseline
        b = self.b = benefit.baseline_date.toordinal()
        points = [(d.toordinal(), v) for d, v in trajectory if d.toordinal() > b]
        if not trajectory:
            points = [(self.target_day, float(benefit.target_value))]
        self.plan_days = [b] + [d for d, _ in points]
        self.plan_values = [baseline] + [v for _, v in points]
        actual = [(d.toordinal(), v) for d, v in measurements if d.toordinal() >= b]
        self.actual_days = [d for d, _ in actual]
        self.actual_values = [v for _, v in actual]
        if benefit.annual_value is None:
            self.rate_per_f = None
        else:
            rate = float(benefit.annual_value) / 365.0 * float(benefit.attribution_pct) / 100.0
            self.rate_per_f = -rate if benefit.dis_benefit else rate

    # ------------------------------------------------------------------ measures
    @property
    def valid(self) -> bool:
        return self.baseline is not None

    def fraction(self, value: float) -> float:
        """f(x): 0 at baseline, 1 at target, never clipped."""
        return (value - self.baseline) / self.span

    def planned(self, day: float) -> float:
        """P(t): linear through (b, B) and the trajectory; B before b; the last point's value after it."""
        days, values = self.plan_days, self.plan_values
        if day <= days[0]:
            return values[0]
        if day >= days[-1]:
            return values[-1]
        i = bisect.bisect_right(days, day)
        d0, d1 = days[i - 1], days[i]
        return values[i - 1] + (values[i] - values[i - 1]) * (day - d0) / (d1 - d0)

    def latest_index(self, day: int) -> int:
        """Index of the latest actual dated on or before ``day`` (-1 if none)."""
        return bisect.bisect_right(self.actual_days, day) - 1

    def actual(self, day: int) -> float | None:
        i = self.latest_index(day)
        return self.actual_values[i] if i >= 0 else None

    def realisation_vs_plan(self, day: int) -> float | None:
        """f(A(D)) ÷ f(P(D)) when f(P(D)) > 0 and there is an actual; else none."""
        actual = self.actual(day)
        if actual is None:
            return None
        planned_f = self.fraction(self.planned(day))
        if planned_f <= 0:
            return None
        return self.fraction(actual) / planned_f

    # ------------------------------------------------------------------ money
    def _planned_f_integral(self, start: int, end: int) -> float:
        """∫ f(P(t)) dt over [start, end), exact: P is piecewise linear between breakpoints."""
        if end <= start:
            return 0.0
        cuts = [start] + [d for d in self.plan_days if start < d < end] + [end]
        total = 0.0
        for d0, d1 in zip(cuts, cuts[1:]):
            total += (self.fraction(self.planned(d0)) + self.fraction(self.planned(d1))) * (d1 - d0) / 2.0
        return total

    def realised_value(self, as_of: int, tracking_end: int | None) -> float | None:
        """Σ over whole days in [b, min(D, E)) of r(A(t)); a measurement counts from its own day."""
        if self.rate_per_f is None or not self.valid:
            return None
        end = as_of if tracking_end is None else min(as_of, tracking_end)
        days = self.actual_days
        last = bisect.bisect_left(days, end) - 1  # the latest measurement dated before the end
        if last < 0:
            return 0.0
        if self._fraction_days is None:
            # Running Σ f·days up to each measurement: any end date is then one lookup, not a loop
            # (figures are asked for at D, at the previous quarter's end and at every trend point).
            running, total = [0.0], 0.0
            for i in range(len(days) - 1):
                total += self.fraction(self.actual_values[i]) * (days[i + 1] - days[i])
                running.append(total)
            self._fraction_days = running
        total = self._fraction_days[last] + self.fraction(self.actual_values[last]) * (end - days[last])
        return self.rate_per_f * total

    def planned_value(self, as_of: int, tracking_end: int | None) -> float | None:
        if self.rate_per_f is None or not self.valid:
            return None
        end = as_of if tracking_end is None else min(as_of, tracking_end)
        return self.rate_per_f * self._planned_f_integral(self.b, end)

    def planned_value_between(self, start: int, end: int) -> float:
        """Planned money over [max(start, b), end): the expected-remaining-value integral."""
        if self.rate_per_f is None or not self.valid:
            return 0.0
        return self.rate_per_f * self._planned_f_integral(max(start, self.b), end)

    def forecast_value_after(self, as_of: int, tracking_end: int | None, forecast: Forecast | None) -> float:
        """∫ r(f̂(t)) dt over [max(D, b), E): the forecast trend, else the latest actual carried forward."""
        if self.rate_per_f is None or not self.valid or tracking_end is None:
            return 0.0
        start = max(as_of, self.b)
        if tracking_end <= start:
            return 0.0
        if forecast is not None:
            # ∫ (α + βt) dt over [s, e) = α(e − s) + β(e² − s²)/2, exact for the linear trend.
            integral = forecast.intercept * (tracking_end - start) + forecast.slope * (tracking_end ** 2 - start ** 2) / 2.0
        else:
            latest = self.actual(as_of)
            if latest is None:
                return 0.0
            integral = self.fraction(latest) * (tracking_end - start)
        return self.rate_per_f * integral

    # ------------------------------------------------------------------ early warning
    def forecast(self, as_of: int) -> Forecast | None:
        """OLS of f on days over the latest ≤ 12 actuals in [b, D]; none below 3 or on one date."""
        if not self.valid:
            return None
        last = self.latest_index(as_of)
        if last < 2:
            return None
        first = max(0, last - 11)
        xs = self.actual_days[first:last + 1]
        ys = [self.fraction(v) for v in self.actual_values[first:last + 1]]
        n = len(xs)
        # Centre the days so the sums stay well conditioned (ordinals are ~7e5).
        origin = xs[-1]
        cx = [x - origin for x in xs]
        mean_x = sum(cx) / n
        mean_y = sum(ys) / n
        sxx = sum((x - mean_x) ** 2 for x in cx)
        if sxx == 0:
            return None
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(cx, ys)) / sxx
        intercept_c = mean_y - slope * mean_x
        x0 = self.target_day - origin
        fraction = intercept_c + slope * x0
        residual = sum((y - (intercept_c + slope * x)) ** 2 for x, y in zip(cx, ys))
        df = n - 2
        s = math.sqrt(residual / df) if df > 0 else 0.0
        se = s * math.sqrt(1.0 + 1.0 / n + (x0 - mean_x) ** 2 / sxx)
        # A perfect fit (residuals at rounding noise): zero-width interval, certain answer.
        if s <= PERFECT_FIT * max(1.0, max(abs(y) for y in ys)) or not math.isfinite(se):
            interval = (fraction, fraction)
            probability = 1.0 if round(fraction, 9) >= 1.0 else 0.0
        else:
            half = _t_quantile_90(df) * se
            interval = (fraction - half, fraction + half)
            probability = _t_cdf(df, (fraction - 1.0) / se)
        return Forecast(n, slope, intercept_c - slope * origin, fraction, interval, probability)

    def days_without_measurement(self, as_of: int) -> int | None:
        """Days since the latest actual on or after b (or since b if none), as of D."""
        if self.b is None:
            return None
        i = self.latest_index(as_of)
        since = self.actual_days[i] if i >= 0 else self.b
        return as_of - since

    def stale(self, as_of: int) -> bool:
        interval = self.benefit.frequency.interval_days
        days = self.days_without_measurement(as_of)
        return interval is not None and days is not None and days > STALE_FACTOR * interval

    def eroding(self, as_of: int, go_live: date | None) -> bool:
        """After go-live, the latest f is more than 0.10 below the best f measured since go-live."""
        if self.benefit.dis_benefit or go_live is None or not self.valid:
            return False
        last = self.latest_index(as_of)
        start = bisect.bisect_left(self.actual_days, max(go_live.toordinal(), self.b))
        if last < start:
            return False
        fractions = [self.fraction(v) for v in self.actual_values[start:last + 1]]
        return round(max(fractions) - fractions[-1], 9) > EROSION_DROP  # exactly 0.10 is not "more than"
