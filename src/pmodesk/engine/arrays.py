"""Every benefit's figures at once, in NumPy arrays: the fast path of ``pmodesk metrics``.

The reference is :class:`pmodesk.engine.benefits.BenefitSeries`, one benefit at a time, which
:func:`pmodesk.engine.portfolio.compute` uses. This module computes the same figures (DESIGN.md
sections 5 and 7) for all benefits together from measurement columns
(:class:`pmodesk.store.columns.MeasurementColumns`) and hands them to the same initiative and
portfolio code (:func:`pmodesk.engine.portfolio.assemble`). It gives *identical* results, not
merely close ones: every float is produced by the same IEEE operations in the same order as the
reference (element-wise operations are exact in both; every sum runs left to right over the same
terms, one position at a time across all benefits; squares go through the C library's ``pow``
as Python's ``**`` does; Student's t comes from the same arithmetic in
:mod:`pmodesk.engine.student_t`; Python's ``round`` decides the 1e-9 comparisons). Property tests
hold ``compute_columns`` equal to ``compute`` on random portfolios.

The benefit results it returns carry no :class:`BenefitSeries` (``series`` is ``None``): use
:func:`compute` where charts need the series.
"""

from __future__ import annotations

import gc
from datetime import date

import numpy as np

from pmodesk.domain.enums import Stage
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.benefits import EROSION_DROP, PERFECT_FIT, STALE_FACTOR, Forecast
from pmodesk.engine.portfolio import (
    BenefitResult,
    BenefitRow,
    PortfolioResult,
    Prepared,
    assemble,
    initiative_from_rows,
)
from pmodesk.engine.student_t import t_cdf_array, t_quantile_90

K = 1 << 22  # more than any date ordinal: (owner, day) pairs as one sortable integer key
MAX_POINTS = 12  # a forecast fits the latest 12 measurements at most


def _squares(values: np.ndarray) -> np.ndarray:
    """``x ** 2`` exactly as Python computes it for floats: the C library's ``pow(x, 2.0)``.

    NumPy's ``power`` and ``**`` use their own square and SIMD paths, which differ from it in the
    last bit now and then; ``float_power`` calls ``pow`` itself (a test holds it equal to ``**``).
    """
    return np.float_power(values, 2.0)


def _segment_prefix(terms: np.ndarray, lo: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per segment [lo, lo + length): out[lo + k] = terms[lo] + … + terms[lo + k − 1] (0.0 at lo),
    summed left to right exactly as a Python loop does."""
    out = np.zeros(len(terms) + 1)
    if len(lo) == 0:
        return out
    order = np.argsort(-lengths, kind="stable")
    lo, lengths = lo[order], lengths[order]
    running = np.zeros(len(lo))
    ascending = lengths[::-1]
    for k in range(1, int(lengths[0]) if len(lengths) else 0):
        count = len(lengths) - int(np.searchsorted(ascending, k, side="right"))  # segments longer than k
        at = lo[:count] + k
        running[:count] = running[:count] + terms[at - 1]
        out[at] = running[:count]
    return out


class BenefitArrays:
    """All benefits of a prepared portfolio, with their measurements, as arrays (code order)."""

    def __init__(self, prepared: Prepared, columns):
        data = prepared.data
        benefits = sorted(data.benefits, key=lambda b: b.code)
        self.benefits = benefits
        n = len(benefits)
        self.index = {b.id: i for i, b in enumerate(benefits)}
        floats: dict = {}  # float(Decimal) goes through text: once per distinct value (as exact)

        def real(value) -> float:
            if not value:
                return float(value)  # 0 and -0 are equal keys but not equal floats
            found = floats.get(value)
            if found is None:
                found = floats[value] = float(value)
            return found

        trajectory: dict[int, list] = {}
        for point in data.trajectory:
            trajectory.setdefault(point.benefit_id, []).append((point.date, real(point.value)))
        valid = [False] * n
        baseline, span, rate = [0.0] * n, [1.0] * n, [0.0] * n
        has_rate = [False] * n
        b_day = [0] * n
        target_day = [b.target_date.toordinal() for b in benefits]
        plan_days: list[int] = []
        plan_values: list[float] = []
        plan_lo = [0] * n
        plan_len = [0] * n
        for i, benefit in enumerate(benefits):
            plan_lo[i] = len(plan_days)
            if benefit.baseline_value is None or benefit.baseline_date is None \
                    or benefit.target_value == benefit.baseline_value:
                continue
            valid[i] = True
            base = real(benefit.baseline_value)
            baseline[i] = base
            span[i] = real(benefit.target_value) - base
            b = b_day[i] = benefit.baseline_date.toordinal()
            points = trajectory.get(benefit.id)
            plan_days.append(b)
            plan_values.append(base)
            if points:
                for d, v in sorted(points):
                    if d.toordinal() > b:
                        plan_days.append(d.toordinal())
                        plan_values.append(v)
            else:
                plan_days.append(target_day[i])
                plan_values.append(real(benefit.target_value))
            plan_len[i] = len(plan_days) - plan_lo[i]
            if benefit.annual_value is not None:
                value = real(benefit.annual_value) / 365.0 * real(benefit.attribution_pct) / 100.0
                rate[i] = -value if benefit.dis_benefit else value
                has_rate[i] = True
        self.n = n
        self.valid, self.has_rate = np.array(valid, dtype=bool), np.array(has_rate, dtype=bool)
        self.baseline, self.span, self.rate = np.array(baseline), np.array(span), np.array(rate)
        self.b, self.target_day = np.array(b_day, dtype=np.int64), np.array(target_day, dtype=np.int64)
        valid, baseline, span, b_day = self.valid, self.baseline, self.span, self.b
        ids = np.array([b.id for b in benefits], dtype=np.int64)
        plan_lo, plan_len = np.array(plan_lo, dtype=np.int64), np.array(plan_len, dtype=np.int64)
        # One spare entry at the end keeps every index of a benefit without a plan in range.
        self.plan_days = np.array(plan_days + [0], dtype=np.float64)
        self.plan_values = np.array(plan_values + [0.0], dtype=np.float64)
        owners = np.repeat(np.arange(n, dtype=np.int64), plan_len)
        self.plan_key = np.append(owners * K + np.array(plan_days, dtype=np.int64), n * K)
        self.plan_lo, self.plan_len = plan_lo, plan_len
        self.ids = ids
        self.interval = np.array([b.frequency.interval_days or 0 for b in benefits], dtype=np.float64)
        self.has_interval = np.array([b.frequency.interval_days is not None for b in benefits], dtype=bool)
        self.dis = np.array([bool(b.dis_benefit) for b in benefits], dtype=bool)

        # Measurements: only those on or after b count (history before the baseline is not evidence).
        m_ids = np.asarray(columns.benefit_ids, dtype=np.int64)
        m_days = np.asarray(columns.days, dtype=np.int64)
        values = np.asarray(columns.values, dtype=np.float64)
        self.key = m_ids * K + m_days
        if len(self.key) > 1 and not (self.key[1:] > self.key[:-1]).all():
            # Not in (benefit, date) order, or a date twice: order as the reference's sorted
            # (date, value) pairs do, so that even a damaged file gives the same figures.
            order = np.lexsort((values, m_days, m_ids))
            m_ids, m_days, values = m_ids[order], m_days[order], values[order]
            self.key = m_ids * K + m_days
        self.days = np.append(m_days.astype(np.float64), 0.0)  # a spare slot, as for the fractions
        lo = np.searchsorted(self.key, ids * K + b_day, side="left")
        hi = np.searchsorted(self.key, (ids + 1) * K, side="left")
        hi = np.where(valid, hi, lo)
        self.lo, self.hi = lo, hi
        lengths = hi - lo
        total = int(lengths.sum())
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        at = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(lo, lengths)
        fraction = np.zeros(len(values) + 1)  # one spare slot: segment ends may point one past
        fraction[at] = (values[at] - baseline[owner]) / span[owner]
        self.fraction = fraction
        self.values = np.append(values, 0.0)
        # f·(days to the next measurement) at every position; only those inside a segment are read.
        steps = np.zeros(len(values) + 1)
        m = len(values)
        steps[:m - 1] = fraction[:m - 1] * (self.days[1:m] - self.days[:m - 1])
        self.prefix = _segment_prefix(steps, lo[lengths > 1], lengths[lengths > 1])

    # ------------------------------------------------------------------ planned path
    def planned_at(self, sel: np.ndarray, t: np.ndarray) -> np.ndarray:
        """P(t) for benefits ``sel`` at their days ``t`` (as BenefitSeries.planned)."""
        first = self.plan_lo[sel]
        last = np.maximum(first + self.plan_len[sel] - 1, first)
        j = np.searchsorted(self.plan_key, sel * K + t.astype(np.int64), side="right")
        j = np.minimum(np.maximum(j, first + 1), last)
        d0, d1 = self.plan_days[j - 1], self.plan_days[j]
        v0, v1 = self.plan_values[j - 1], self.plan_values[j]
        tf = t.astype(np.float64)
        with np.errstate(all="ignore"):
            between = v0 + (v1 - v0) * (tf - d0) / (d1 - d0)
        return np.where(tf <= self.plan_days[first], self.plan_values[first],
                        np.where(tf >= self.plan_days[last], self.plan_values[last], between))

    def planned_fraction_at(self, sel: np.ndarray, t: np.ndarray) -> np.ndarray:
        return (self.planned_at(sel, t) - self.baseline[sel]) / self.span[sel]

    def planned_integral(self, sel: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """∫ f(P(t)) dt over [start, end), trapezoids between breakpoints, summed in cut order."""
        total = np.zeros(len(sel))
        live = end > start
        if not live.any():
            return total
        sel, start, end, rows = sel[live], start[live], end[live], np.nonzero(live)[0]
        inner_lo = np.searchsorted(self.plan_key, sel * K + start, side="right")
        inner_hi = np.searchsorted(self.plan_key, sel * K + end, side="left")
        inner = np.maximum(inner_hi - inner_lo, 0)
        acc = np.zeros(len(sel))
        for k in range(int(inner.max()) + 1):
            part = k <= inner
            s, i_lo, n_in = sel[part], inner_lo[part], inner[part]
            c0 = start[part] if k == 0 else self.plan_days[i_lo + k - 1].astype(np.int64)
            c1 = np.where(k == n_in, end[part], self.plan_days[np.minimum(i_lo + k, len(self.plan_days) - 1)]
                          .astype(np.int64))
            term = (self.planned_fraction_at(s, c0) + self.planned_fraction_at(s, c1)) * \
                (c1 - c0).astype(np.float64) / 2.0
            acc[part] = acc[part] + term
        total[rows] = acc
        return total

    # ------------------------------------------------------------------ one as-of date
    def at(self, day: int, tracking_end: np.ndarray, has_end: np.ndarray, go_live: np.ndarray,
           has_go_live: np.ndarray, watched: np.ndarray) -> dict:
        """Every per-benefit figure at ``day``; ``tracking_end``/``go_live`` per benefit (its initiative's)."""
        n = self.n
        everyone = np.arange(n, dtype=np.int64)
        valid = self.valid
        latest = np.searchsorted(self.key, self.ids * K + day, side="right") - 1
        has_actual = valid & (latest >= self.lo)
        latest_safe = np.where(has_actual, latest, len(self.fraction) - 1)
        actual = self.values[latest_safe]
        actual_f = self.fraction[latest_safe]
        day_arr = np.full(n, day, dtype=np.int64)
        planned = self.planned_at(everyone, day_arr)
        planned_f = (planned - self.baseline) / self.span
        with np.errstate(all="ignore"):
            ratio = actual_f / planned_f
        has_ratio = has_actual & (planned_f > 0)

        end = np.where(has_end, np.minimum(day, tracking_end), day)
        last = np.searchsorted(self.key, self.ids * K + end, side="left") - 1
        measured = valid & (last >= self.lo)
        last_safe = np.where(measured, last, len(self.fraction) - 1)
        realised_sum = self.prefix[last_safe] + self.fraction[last_safe] * (end - self.days[last_safe].astype(np.int64))
        realised = np.where(measured, self.rate * realised_sum, 0.0)
        money = np.nonzero(self.has_rate & valid)[0]
        planned_value = np.zeros(n)
        planned_value[money] = self.rate[money] * self.planned_integral(money, self.b[money], end[money])
        between = np.zeros(n)
        money = np.nonzero(self.has_rate & valid & has_end)[0]
        between[money] = self.rate[money] * self.planned_integral(
            money, np.maximum(day, self.b[money]), tracking_end[money])

        since = np.where(has_actual, self.days[latest_safe].astype(np.int64), self.b)
        days_without = day - since
        interval = self.interval
        stale = watched & valid & self.has_interval & (days_without > STALE_FACTOR * interval)

        erosion = np.zeros(n, dtype=bool)
        candidates = watched & valid & ~self.dis & has_go_live & has_actual
        if candidates.any():
            rows = np.nonzero(candidates)[0]
            start = np.searchsorted(self.key, self.ids[rows] * K + np.maximum(go_live[rows], self.b[rows]), side="left")
            stop = latest[rows]
            ok = stop >= start
            rows, start, stop = rows[ok], start[ok], stop[ok]
            if len(rows):
                pairs = np.empty(2 * len(rows), dtype=np.int64)
                pairs[0::2], pairs[1::2] = start, stop + 1
                order = np.argsort(pairs[0::2], kind="stable")
                best = np.empty(len(rows))
                # reduceat needs ascending starts; segments never overlap across benefits
                sorted_pairs = np.empty_like(pairs)
                sorted_pairs[0::2], sorted_pairs[1::2] = start[order], stop[order] + 1
                best[order] = np.maximum.reduceat(self.fraction, sorted_pairs)[0::2]
                drops = (best - self.fraction[stop]).tolist()
                erosion[rows] = [round(d, 9) > EROSION_DROP for d in drops]

        forecasts = self._forecasts(latest, has_actual)
        after = np.zeros(n)
        live = self.has_rate & valid & has_end
        begin = np.maximum(day, self.b)
        live &= tracking_end > begin
        span_days = (tracking_end - begin).astype(np.float64)
        with_trend = np.zeros(n, dtype=bool)
        intercept, slope = np.zeros(n), np.zeros(n)
        for i, forecast in forecasts.items():
            with_trend[i] = True
            intercept[i], slope[i] = forecast.intercept, forecast.slope
        squares = (tracking_end * tracking_end - begin * begin).astype(np.float64)
        trend = intercept * span_days + slope * squares / 2.0
        held = actual_f * span_days
        integral = np.where(with_trend, trend, np.where(has_actual, held, 0.0))
        after = np.where(live, self.rate * integral, 0.0)
        return {
            "valid": valid.tolist(), "planned": planned.tolist(), "has_actual": has_actual.tolist(),
            "actual": actual.tolist(), "actual_f": actual_f.tolist(), "ratio": ratio.tolist(),
            "has_ratio": has_ratio.tolist(), "realised": realised.tolist(), "planned_value": planned_value.tolist(),
            "between": between.tolist(), "days_without": days_without.tolist(), "stale": stale.tolist(),
            "erosion": erosion.tolist(), "forecasts": forecasts, "after": after.tolist(),
        }

    def _forecasts(self, latest: np.ndarray, has_actual: np.ndarray) -> dict[int, Forecast]:
        """OLS of f on days over the latest ≤ 12 actuals (as BenefitSeries.forecast)."""
        rows = np.nonzero(has_actual & (latest - self.lo >= 2))[0]
        if not len(rows):
            return {}
        last = latest[rows]
        first = np.maximum(self.lo[rows], last - (MAX_POINTS - 1))
        n = last - first + 1
        positions = np.arange(MAX_POINTS)
        mask = positions[None, :] < n[:, None]
        index = np.where(mask, first[:, None] + positions[None, :], first[:, None])
        origin = self.days[last]
        cx = self.days[index] - origin[:, None]
        ys = self.fraction[index]
        cx_int = np.where(mask, cx, 0.0)
        mean_x = cx_int.sum(axis=1) / n  # whole numbers: the sum is exact in any order
        mean_y = self._ordered_sum(np.where(mask, ys, 0.0), mask) / n
        dx = cx - mean_x[:, None]
        sxx = self._ordered_sum(np.where(mask, _squares(dx), 0.0), mask)
        keep = sxx != 0
        rows, last, n, mask, cx, ys, dx, origin, mean_x, mean_y, sxx = (
            a[keep] for a in (rows, last, n, mask, cx, ys, dx, origin, mean_x, mean_y, sxx))
        if not len(rows):
            return {}
        slope = self._ordered_sum(np.where(mask, dx * (ys - mean_y[:, None]), 0.0), mask) / sxx
        intercept_c = mean_y - slope * mean_x
        x0 = (self.target_day[rows] - origin.astype(np.int64)).astype(np.float64)
        fraction = intercept_c + slope * x0
        residuals = ys - (intercept_c[:, None] + slope[:, None] * cx)
        residual = self._ordered_sum(np.where(mask, _squares(residuals), 0.0), mask)
        df = n - 2
        s = np.sqrt(residual / df)
        se = s * np.sqrt(1.0 + 1.0 / n + _squares(x0 - mean_x) / sxx)
        biggest = np.max(np.where(mask, np.abs(ys), 0.0), axis=1)
        perfect = (s <= PERFECT_FIT * np.maximum(1.0, biggest)) | ~np.isfinite(se)
        fraction_list = fraction.tolist()
        uncertain = ~perfect
        quantile = np.array([t_quantile_90(int(d)) if u else 0.0 for d, u in zip(df.tolist(), uncertain.tolist())])
        half = quantile * se
        lo, hi = (fraction - half).tolist(), (fraction + half).tolist()
        probability = np.zeros(len(rows))
        if uncertain.any():
            with np.errstate(all="ignore"):
                probability[uncertain] = t_cdf_array(df[uncertain], (fraction[uncertain] - 1.0) / se[uncertain])
        probability_list = probability.tolist()
        intercept = (intercept_c - slope * origin).tolist()
        slope_list = slope.tolist()
        out = {}
        for k, row in enumerate(rows.tolist()):
            f = fraction_list[k]
            if perfect[k]:
                interval, p = (f, f), 1.0 if round(f, 9) >= 1.0 else 0.0
            else:
                interval, p = (lo[k], hi[k]), probability_list[k]
            out[row] = Forecast(int(n[k]), slope_list[k], intercept[k], f, interval, p)
        return out

    @staticmethod
    def _ordered_sum(terms: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Σ over each row left to right from 0, as Python's ``sum`` does (masked terms are 0.0 and
        come after every real term, so they change nothing)."""
        total = np.zeros(terms.shape[0])
        for j in range(terms.shape[1]):
            total = total + terms[:, j]
        return total


def measurement_columns(measurements) -> "MeasurementColumns":
    """Measurement records as the columns :func:`compute_columns` takes (for callers holding a
    ``PortfolioData`` with its records, such as tests; ``pmodesk metrics`` reads columns directly)."""
    from pmodesk.store.columns import MeasurementColumns

    rows = sorted((m.benefit_id, m.date.toordinal(), float(m.value)) for m in measurements)
    return MeasurementColumns([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def compute_columns(data: PortfolioData, columns, as_of: date, amounts=None) -> PortfolioResult:
    """Every figure at ``as_of``, identical to ``compute(data + measurements, as_of)``.

    ``data`` is the portfolio without measurement records (``data.measurements`` is ignored) and
    ``columns`` its measurements (:class:`pmodesk.store.columns.MeasurementColumns`). ``amounts``
    (:class:`pmodesk.store.columns.DatedAmountColumns`), when given, are its planned spend and
    cost actuals in place of ``data``'s records.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        prepared = Prepared(data, series=False, amounts=amounts)
        arrays = BenefitArrays(prepared, columns)
        benefits = arrays.benefits
        initiatives = [prepared.by_id.get(b.initiative_id) for b in benefits]
        ends = [prepared.tracking_end.get(b.initiative_id) for b in benefits]
        has_end = np.array([e is not None for e in ends], dtype=bool)
        tracking_end = np.array([e or 0 for e in ends], dtype=np.int64)
        go_lives = [None if i is None or i.go_live is None else i.go_live.toordinal() for i in initiatives]
        has_go_live = np.array([g is not None for g in go_lives], dtype=bool)
        go_live = np.array([g or 0 for g in go_lives], dtype=np.int64)
        active = np.array([i is not None and i.stage.active for i in initiatives], dtype=bool)
        accrues = [i is not None and i.stage is not Stage.TERMINATED and e is not None
                   for i, e in zip(initiatives, ends)]
        confidence = [float(b.confidence_pct) for b in benefits]
        has_rate = arrays.has_rate.tolist()
        governance = [(() if (b.owner or "").strip() else ("no_owner",)) + (() if b.has_baseline else ("no_baseline",))
                      for b in benefits]
        cache: dict[date, dict[int, list[BenefitRow]]] = {}

        def rows_at(when: date) -> dict[int, list[BenefitRow]]:
            """Every benefit's row at ``when``, grouped by initiative in benefit-code order."""
            if when in cache:
                return cache[when]
            day = when.toordinal()
            watched = active & arrays.has_interval & (~has_end | (day < tracking_end))
            f = arrays.at(day, tracking_end, has_end, go_live, has_go_live, watched)
            forecasts = [None] * len(benefits)
            for i, forecast in f["forecasts"].items():
                forecasts[i] = forecast
            grouped: dict[int, list[BenefitRow]] = {iid: [] for iid in prepared.by_id}
            for (benefit, initiative, valid, stale, erosion, gaps, has_actual, money, watch, planned, actual,
                 actual_f, ratio, has_ratio, realised, planned_value, forecast, days_without, between, after,
                 accruing, confident) in zip(
                    benefits, initiatives, f["valid"], f["stale"], f["erosion"], governance, f["has_actual"],
                    has_rate, watched.tolist(), f["planned"], f["actual"], f["actual_f"], f["ratio"],
                    f["has_ratio"], f["realised"], f["planned_value"], forecasts, f["days_without"], f["between"],
                    f["after"], accrues, confidence):
                if initiative is None:
                    continue
                flags = (("stale",) if stale else ()) + (("erosion",) if erosion else ()) + gaps
                if valid:
                    result = BenefitResult(
                        benefit, initiative, planned, actual if has_actual else None,
                        actual_f if has_actual else None, 100.0 * ratio if has_ratio else None,
                        realised if money else None, planned_value if money else None, forecast, flags, None)
                else:
                    result = BenefitResult(benefit, initiative, None, None, None, None, None, None, None, flags, None)
                counted = watch and valid
                grouped[initiative.id].append(BenefitRow(
                    result, counted, days_without if counted else None,
                    between * confident / 100.0 if accruing else 0.0, after if accruing else 0.0))
            cache[when] = grouped
            return grouped

        def initiative_result(initiative, when: date, with_rules: bool):
            return initiative_from_rows(prepared, initiative, when, with_rules, rows_at(when).get(initiative.id, []))

        return assemble(prepared, as_of, initiative_result)
    finally:
        if collecting:
            gc.enable()
