"""Value at risk (DESIGN.md section 17): how sure we are of the forecast value, not just the point.

Each benefit with a forecast (section 7) has its trend's intercept and slope drawn from the trend's
sampling distribution: the OLS estimate plus s·√(ν/χ²_ν)·L·z, ν = n − 2, L the Cholesky factor of
(XᵀX)⁻¹, z standard normal, one χ² draw per benefit and run. Its forecast value after D (section 9)
is linear in the two parameters (c·β), so each run is exact for its draw and one benefit's quantiles
are exactly v̂ + t_ν(q)·s·√(cᵀ(XᵀX)⁻¹c). Realised value to D and costs are fixed; a benefit without a
forecast keeps its latest actual. Vectorised over runs with NumPy; one generator, seeded, so the
same seed always gives the same answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.random  # noqa: F401 - imported with this module, not lazily on the first draw

from pmodesk.domain.enums import Stage
from pmodesk.engine.portfolio import PortfolioResult, comparable

DEFAULT_RUNS = 10_000
DEFAULT_SEED = 20260101
MAX_RUNS = 100_000
QUANTILES = (0.1, 0.5, 0.9)
CELLS_PER_BLOCK = 2_000_000  # runs × benefits drawn at once (bounds memory on a large portfolio)
RUNS_PER_SLICE = 1_000  # runs per NumPy call within a block, for every thousand benefits in it


def method_text(runs: int, seed: int) -> str:
    return (f"Monte Carlo, {runs:,} runs, seed {seed}: each forecast benefit's trend (OLS of f on days, "
            "section 7) drawn from its sampling distribution, a bivariate Student's t — the estimate plus "
            "s·√(ν/χ²_ν)·L·z, ν = n − 2, "
            "L the Cholesky factor of (XᵀX)⁻¹, z standard normal, no new-observation noise; benefits independent; "
            "realised value to D and costs fixed; a benefit without a forecast held at its latest actual; "
            "P10/P50/P90 by linear interpolation between order statistics (NumPy's default)")


@dataclass(frozen=True)
class TrendUncertainty:
    """One benefit's forecast value after D as c·β over its trend β = (f at the origin day, slope)."""

    code: str
    initiative_code: str
    point: float  # v̂ = c·β̂
    scale: float  # s·√(cᵀ(XᵀX)⁻¹c): the t-distributed spread of the value
    nu: int
    weights: tuple[float, float]  # Lᵀc, so that c·L·z = weights·z


@dataclass(frozen=True)
class Quantiles:
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class InitiativeRisk:
    code: str
    forecast_value: Quantiles
    downside_contribution: float


@dataclass(frozen=True)
class ValueAtRisk:
    as_of: object
    runs: int
    seed: int
    method: str
    forecast_value: Quantiles
    forecast_roi_pct: Quantiles | None
    probability_roi_target: float | None
    initiatives: tuple[InitiativeRisk, ...]
    held_at_latest_actual: tuple[str, ...]
    portfolio_runs: np.ndarray  # each run's portfolio forecast value (the distribution the window draws)
    point_forecast_value: float  # Σ forecast value of funded initiatives (section 9), for comparison


def trend_uncertainty(benefit_result, initiative_code: str, as_of_day: int, tracking_end: int) -> TrendUncertainty | None:
    """The sampling distribution of one benefit's forecast value after D; None without a forecast."""
    series, forecast = benefit_result.series, benefit_result.forecast
    if forecast is None or series.rate_per_f is None:
        return None
    first, last = _window(series, as_of_day)
    days = np.array(series.actual_days[first:last + 1], dtype=float)
    fractions = np.array([series.fraction(v) for v in series.actual_values[first:last + 1]])
    point, scale, nu, weights = _fit(days, fractions, series.rate_per_f, max(as_of_day, series.b), tracking_end,
                                     forecast.interval[0] == forecast.interval[1])
    return TrendUncertainty(benefit_result.benefit.code, initiative_code, point, scale, nu, weights)


def _window(series, as_of_day: int) -> tuple[int, int]:
    """The forecast's own window: the latest ≤ 12 actuals on or after b (first and last index)."""
    last = series.latest_index(as_of_day)
    return max(0, last - 11), last


def _fit(days: np.ndarray, fractions: np.ndarray, rate_per_f: float, start: int, tracking_end: int,
         perfect: bool) -> tuple[float, float, int, tuple[float, float]]:
    """The trend (OLS of f on days) and its forecast value over [start, end): (v̂, scale, ν, weights × s)."""
    origin = days[-1]  # centred days keep XᵀX well conditioned (ordinals are ~7e5)
    design = np.column_stack([np.ones_like(days), days - origin])
    inverse = np.linalg.inv(design.T @ design)
    beta = inverse @ design.T @ fractions
    n = len(days)
    nu = n - 2
    residual = fractions - design @ beta
    s = 0.0 if perfect else math.sqrt(float(residual @ residual) / nu)
    if tracking_end <= start:
        c = np.zeros(2)
    else:
        # ∫ (β0 + β1 (t − origin)) dt over [start, end) = β0 (end − start) + β1 ((end − o)² − (start − o)²)/2
        c = rate_per_f * np.array([tracking_end - start, ((tracking_end - origin) ** 2 - (start - origin) ** 2) / 2])
    lower = np.linalg.cholesky(inverse)
    weights = lower.T @ c
    return float(c @ beta), s * float(math.sqrt(c @ inverse @ c)), nu, (float(weights[0]) * s, float(weights[1]) * s)


def _quantiles(values: np.ndarray) -> Quantiles:
    q = np.quantile(values, QUANTILES)
    return Quantiles(float(q[0]), float(q[1]), float(q[2]))


def roi_target(data) -> Decimal | None:
    return next((k.target for k in data.kpis if k.metric == "portfolio_roi_pct" and k.target is not None), None)


@dataclass(frozen=True)
class RiskInputs:
    """What value at risk needs from a result, gathered in one cheap pass: a few NumPy arrays and numbers,
    quick to pickle, so that the trend fits and the draws (nearly all the time) can run in another
    process — the window's child process — and give the very same numbers there.

    Terms keep the order in which each funded initiative's fixed value is summed: per initiative (by
    code) its realised value to D, then its benefits in code order, each either a value held at its
    latest actual (``term_trend`` −1) or a forecast trend to fit (``term_trend`` its index).
    """

    as_of: date
    codes: tuple[str, ...]  # the funded initiatives, by code
    realised: np.ndarray  # realised value to D, per initiative
    term_initiative: np.ndarray
    term_value: np.ndarray
    term_trend: np.ndarray
    trend_codes: tuple[str, ...]  # per trend: its benefit's code
    offsets: np.ndarray  # trend k's actuals are days/values[offsets[k]:offsets[k + 1]] (the forecast's window)
    days: np.ndarray
    values: np.ndarray
    baseline: np.ndarray  # per trend: f(x) = (x − baseline) / span
    span: np.ndarray
    rate_per_f: np.ndarray
    start: np.ndarray  # per trend: value is forecast over [start, end)
    end: np.ndarray
    perfect: np.ndarray  # per trend: the forecast's interval is a point (no spread)
    cost: float  # Σ actual + remaining cost of the funded initiatives
    roi_target: Decimal | None
    held_at_latest_actual: tuple[str, ...]
    point_forecast_value: float


def check_runs(runs: int, seed: int) -> None:
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"runs must be from 1 to {MAX_RUNS:,}")
    if seed < 0:
        raise ValueError("the seed must be zero or more")


def value_at_risk(result: PortfolioResult, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED,
                  run: Callable | None = None) -> ValueAtRisk:
    """Value at risk of a computed portfolio. ``run(value_at_risk_of, inputs, runs, seed)`` does the
    fits and draws: here when None; the window passes one that runs them in its child process."""
    check_runs(runs, seed)
    inputs = risk_inputs(result)
    return value_at_risk_of(inputs, runs, seed) if run is None else run(value_at_risk_of, inputs, runs, seed)


def risk_inputs(result: PortfolioResult) -> RiskInputs:
    """The inputs of :func:`value_at_risk_of` from a portfolio's result (no fitting, no drawing)."""
    prepared = result.prepared
    day = result.as_of.toordinal()
    funded = sorted((r for r in result.initiatives if r.funded), key=lambda r: r.initiative.code)
    term_initiative: list[int] = []
    term_value: list[float] = []
    term_trend: list[int] = []
    offsets, days, values = [0], [], []
    codes, baseline, span, rate, start, end_of, perfect = [], [], [], [], [], [], []
    held: list[str] = []
    for index, r in enumerate(funded):
        initiative = r.initiative
        end = prepared.tracking_end[initiative.id]
        accrues = initiative.stage is not Stage.TERMINATED and end is not None
        for b in result.benefits_of(initiative.id):
            series = b.series
            if series.rate_per_f is None or not series.valid:
                continue
            if b.forecast is None:
                if b.actual_measure is not None:
                    held.append(b.benefit.code)
                    if accrues:
                        term_initiative.append(index)
                        term_value.append(series.forecast_value_after(day, end, None))
                        term_trend.append(-1)
                continue
            if not accrues:
                continue
            first, last = _window(series, day)
            term_initiative.append(index)
            term_value.append(0.0)
            term_trend.append(len(baseline))
            days += series.actual_days[first:last + 1]
            values += series.actual_values[first:last + 1]
            offsets.append(len(days))
            codes.append(b.benefit.code)
            baseline.append(series.baseline)
            span.append(series.span)
            rate.append(series.rate_per_f)
            start.append(max(day, series.b))
            end_of.append(end)
            perfect.append(b.forecast.interval[0] == b.forecast.interval[1])
    return RiskInputs(
        as_of=result.as_of, codes=tuple(r.initiative.code for r in funded),
        realised=np.array([r.realised_value for r in funded], dtype=float),
        term_initiative=np.array(term_initiative, dtype=np.int64), term_value=np.array(term_value, dtype=float),
        term_trend=np.array(term_trend, dtype=np.int64), trend_codes=tuple(codes), offsets=np.array(offsets, dtype=np.int64),
        days=np.array(days, dtype=np.int64), values=np.array(values, dtype=float),
        baseline=np.array(baseline, dtype=float), span=np.array(span, dtype=float), rate_per_f=np.array(rate, dtype=float),
        start=np.array(start, dtype=np.int64), end=np.array(end_of, dtype=np.int64), perfect=np.array(perfect, dtype=bool),
        cost=float(sum((r.actual_cost + r.remaining_cost for r in funded), Decimal(0))),
        roi_target=roi_target(prepared.data), held_at_latest_actual=tuple(sorted(held)),
        point_forecast_value=float(sum(r.forecast_value for r in funded)),
    )


def value_at_risk_of(inputs: RiskInputs, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED) -> ValueAtRisk:
    """Value at risk from :func:`risk_inputs` alone: each trend fitted, then every run drawn. Needs
    nothing but NumPy and this module, so it runs as well in a child process as here."""
    check_runs(runs, seed)
    count = len(inputs.codes)
    fixed = np.zeros(count)
    sampled: list[list[TrendUncertainty]] = [[] for _ in range(count)]
    for index in range(count):
        fixed[index] = inputs.realised[index]
    for index, value, k in zip(inputs.term_initiative.tolist(), inputs.term_value.tolist(),
                               inputs.term_trend.tolist()):
        if k < 0:
            fixed[index] += value
            continue
        a, b = int(inputs.offsets[k]), int(inputs.offsets[k + 1])
        days = np.array(inputs.days[a:b], dtype=float)
        fractions = (np.array(inputs.values[a:b]) - float(inputs.baseline[k])) / float(inputs.span[k])
        point, scale, nu, weights = _fit(days, fractions, float(inputs.rate_per_f[k]), int(inputs.start[k]),
                                         int(inputs.end[k]), bool(inputs.perfect[k]))
        if scale > 0:
            sampled[index].append(TrendUncertainty(inputs.trend_codes[k], inputs.codes[index], point, scale, nu, weights))
        else:
            fixed[index] += point

    rng = np.random.default_rng(seed)
    per_initiative = np.repeat(fixed[np.newaxis, :], runs, axis=0)
    block: list[tuple[int, list[TrendUncertainty]]] = []
    size = 0
    for index, trends in enumerate(sampled):
        if not trends:
            continue
        block.append((index, trends))
        size += len(trends)
        if size * runs >= CELLS_PER_BLOCK:
            _draw(rng, runs, block, per_initiative)
            block, size = [], 0
    if block:
        _draw(rng, runs, block, per_initiative)

    portfolio = per_initiative.sum(axis=1)
    cost = inputs.cost
    roi = None if cost == 0 else 100.0 * (portfolio - cost) / cost
    target = inputs.roi_target
    probability = None
    if roi is not None and target is not None:
        probability = float(np.mean(np.round(roi, 9) >= float(target)))
    tail = portfolio <= np.quantile(portfolio, 0.1)
    downside = per_initiative[tail].mean(axis=0) - per_initiative.mean(axis=0)
    initiatives = tuple(InitiativeRisk(code, _quantiles(per_initiative[:, i]), float(downside[i]))
                        for i, code in enumerate(inputs.codes))
    return ValueAtRisk(
        as_of=inputs.as_of, runs=runs, seed=seed, method=method_text(runs, seed),
        forecast_value=_quantiles(portfolio), forecast_roi_pct=None if roi is None else _quantiles(roi),
        probability_roi_target=probability, initiatives=initiatives,
        held_at_latest_actual=inputs.held_at_latest_actual,
        portfolio_runs=portfolio, point_forecast_value=inputs.point_forecast_value,
    )


def _draw(rng: np.random.Generator, runs: int, block: list[tuple[int, list[TrendUncertainty]]],
          per_initiative: np.ndarray) -> None:
    """Draw one block of benefits for every run and add each initiative's sum to its column."""
    trends = [t for _, group in block for t in group]
    points = np.array([t.point for t in trends])
    weights = np.array([t.weights for t in trends])  # already × s
    nu = np.array([t.nu for t in trends], dtype=float)
    # Drawn and summed a slice of runs at a time: the same numbers in the same order as one call
    # each (the generator fills arrays in order), but no single NumPy call holds the interpreter for
    # long, so a window drawing this in a worker thread stays responsive.
    k = len(trends)
    step = max(1, RUNS_PER_SLICE // max(1, k // 1000))
    z = np.empty((runs, k, 2))
    for first in range(0, runs, step):
        z[first:first + step] = rng.standard_normal((min(step, runs - first), k, 2))
    chi2 = np.empty((runs, k))
    for first in range(0, runs, step):
        chi2[first:first + step] = rng.chisquare(nu, size=(min(step, runs - first), k))
    starts = np.cumsum([0] + [len(group) for _, group in block[:-1]])
    columns = [index for index, _ in block]
    for first in range(0, runs, step):
        rows = slice(first, first + step)
        draws = points + np.sqrt(nu / chi2[rows]) * np.einsum("rkj,kj->rk", z[rows], weights)
        per_initiative[rows, columns] += np.add.reduceat(draws, starts, axis=1)


def risk_json(var: ValueAtRisk, currency: str) -> dict:
    """The JSON object of section 17 (money as decimal strings rounded to the minor unit)."""
    from pmodesk.domain.money import money_text, round_money

    money = lambda value: money_text(round_money(value, currency))  # noqa: E731

    def money_quantiles(q: Quantiles) -> dict:
        return {"p10": money(q.p10), "p50": money(q.p50), "p90": money(q.p90)}

    roi = var.forecast_roi_pct
    return {
        "as_of": var.as_of.isoformat(), "currency": currency, "runs": var.runs, "seed": var.seed, "method": var.method,
        "portfolio": {
            "forecast_value": money_quantiles(var.forecast_value),
            # Without any cost ROI is none in every run: the keys stay, each null (section 6).
            "forecast_roi_pct": {"p10": None if roi is None else roi.p10, "p50": None if roi is None else roi.p50,
                                 "p90": None if roi is None else roi.p90},
            "probability_roi_target": var.probability_roi_target,
        },
        "initiatives": [{"code": i.code, "forecast_value": money_quantiles(i.forecast_value),
                         "downside_contribution": money(i.downside_contribution)} for i in var.initiatives],
        "held_at_latest_actual": list(var.held_at_latest_actual),
    }


def largest_downside(var: ValueAtRisk, count: int = 5) -> list[InitiativeRisk]:
    """The initiatives that pull the P10 down most (most negative contribution first; ties by code)."""
    pulling = [i for i in var.initiatives if comparable(i.downside_contribution) < 0]
    return sorted(pulling, key=lambda i: (i.downside_contribution, i.code))[:count]
