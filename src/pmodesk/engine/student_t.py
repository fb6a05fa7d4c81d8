"""Student's t distribution for the forecasts of DESIGN.md section 7, without SciPy.

A forecast fits at most 12 points, so its t distribution has 1 to 10 degrees of freedom (n − 2).
Importing ``scipy.special`` costs more than all of ``pmodesk metrics``' arithmetic on a large
portfolio (it drags in NumPy's array-API, f2py and masked-array modules), so the two functions a
forecast needs are computed here:

- :func:`t_quantile_90`: the 90% quantile (the 80% two-sided interval), SciPy's own ``stdtrit``
  values for 1–10 degrees of freedom, tabled (a test holds the table equal to SciPy's answers);
  other degrees of freedom ask SciPy.
- :func:`t_cdf`: P(T ≤ t). Beyond |t| = √ν, the regularised incomplete beta function I_x(ν/2, ½)
  summed as a series of positive terms, so that far tails keep full relative precision; within
  it, the closed forms for whole degrees of freedom. It agrees with ``scipy.special.stdtr`` to a
  few units in the last place (a test holds it within 2e-13 relative down to 1e-300).
  :func:`t_cdf_array` is the same arithmetic on NumPy arrays, operation for operation (a test
  holds the two equal bit for bit), so the reference path (one benefit at a time) and the array
  path give identical probabilities.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

T_QUANTILE_90 = {
    1: 3.0776835371752544, 2: 1.8856180831641272, 3: 1.637744353696209, 4: 1.533206274058944,
    5: 1.4758840488244815, 6: 1.4397557472651483, 7: 1.4149239276505086, 8: 1.3968153097438654,
    9: 1.3830287383966329, 10: 1.372183641110336,
}
_SERIES_LIMIT = 0.5  # the series in x while x ≤ 1/2 (|t| ≥ √ν); closed forms above, where P is not small
_TINY = 1e-17


def t_quantile_90(df: int) -> float:
    """The 0.9 quantile of Student's t with ``df`` degrees of freedom (SciPy's ``stdtrit``)."""
    if df in T_QUANTILE_90:
        return T_QUANTILE_90[df]
    from scipy import special

    return float(special.stdtrit(df, 0.9))


@cache
def _beta_half(df: int) -> float:
    """B(df/2, 1/2), exactly: B(1/2, 1/2) = π, B(1, 1/2) = 2, B(a + 1, 1/2) = B(a, 1/2)·a/(a + 1/2)."""
    ratio = Fraction(1) if df % 2 else Fraction(2)
    a = Fraction(1, 2) if df % 2 else Fraction(1)
    while 2 * a < df:
        ratio *= a / (a + Fraction(1, 2))
        a += 1
    return float(ratio) * math.pi if df % 2 else float(ratio)


def t_cdf(df: int, t: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` (a positive whole number) degrees of freedom.

    Pure Python: the reference path calls it once per forecast. :func:`t_cdf_array` computes the
    same floats for arrays with the same operations in the same order (a test holds them equal).
    """
    if t != t:
        return t
    if t == 0:
        return 0.5
    if math.isinf(t):
        return 0.0 if t < 0 else 1.0
    square = t * t
    x = df / (df + square)  # P(|T| > |t|) = I_x(ν/2, 1/2)
    root_y = abs(t) / math.sqrt(df + square)
    a = df / 2.0
    if x <= _SERIES_LIMIT:
        # I_x(a, b) = x^a y^b / (a B(a, b)) · Σ_n (a + b)_n / (a + 1)_n x^n: positive terms only.
        top, bottom = a + 0.5, a + 1.0
        term = total = 1.0
        n = 0
        while True:
            term = term * ((top + n) / (bottom + n)) * x
            total = total + term
            n += 1
            if not term > _TINY * total:
                break
        tail = x ** a * root_y / (a * _beta_half(df)) * total
    else:
        tail = 1.0 - _inner(df, x, math.sqrt(x), root_y, math.atan(abs(t) / math.sqrt(df)) if df % 2 else 0.0)
    half = 0.5 * tail
    return half if t < 0 else 1.0 - half


def _inner(df: int, x, root_x, root_y, theta):
    """P(|T| < |t|) in closed form (for |t| below √ν, where it is not small): with cos²θ = x,
    sin θ = √y, even ν: sin θ · Σ_{k<ν/2} (2k−1)!!/(2k)!! cos^{2k}θ; odd ν: (2/π)(θ + sin θ cos θ ·
    Σ_{k<(ν−1)/2} (2k)!!/(2k+1)!! cos^{2k}θ). Works on floats and on NumPy arrays alike."""
    term = x * 0.0 + 1.0
    total = term
    if df % 2 == 0:
        for k in range(1, df // 2):
            term = term * x * ((2 * k - 1) / (2 * k))
            total = total + term
        return root_y * total
    if df == 1:
        return theta * (2.0 / math.pi)  # Cauchy: the sum is empty
    for k in range(1, (df - 1) // 2):
        term = term * x * ((2 * k) / (2 * k + 1))
        total = total + term
    return (theta + (root_x * root_y) * total) * (2.0 / math.pi)


def t_cdf_array(df, t):
    """:func:`t_cdf` for NumPy arrays ``df`` (whole numbers) and ``t`` of one shape: the same floats."""
    import numpy as np

    df = np.asarray(df, dtype=np.int64)
    t = np.asarray(t, dtype=np.float64)
    out = np.full(t.shape, 0.5)
    for nu in np.unique(df).tolist():
        at = df == nu
        out[at] = _cdf_one_df(int(nu), t[at])
    return out


def _cdf_one_df(nu: int, t):
    import numpy as np

    a = nu / 2.0
    out = np.full(t.shape, 0.5)
    with np.errstate(all="ignore"):
        square = t * t
        x = nu / (nu + square)
        root_y = np.abs(t) / np.sqrt(nu + square)
        tail = np.zeros(t.shape)
        finite = np.isfinite(t) & (t != 0)
        low = finite & (x <= _SERIES_LIMIT)
        if low.any():
            xs = x[low]
            top, bottom = a + 0.5, a + 1.0
            term = np.ones(xs.shape)
            total = np.ones(xs.shape)
            n = 0
            while True:  # the scalar loop's terms; later ones are below half a unit in the last place
                term = term * ((top + n) / (bottom + n)) * xs
                total = total + term
                n += 1
                if not (term > _TINY * total).any():
                    break
            tail[low] = np.float_power(xs, a) * root_y[low] / (a * _beta_half(nu)) * total
        high = finite & ~low
        if high.any():
            theta = 0.0
            if nu % 2:
                ratio = (np.abs(t[high]) / math.sqrt(nu)).tolist()
                theta = np.array([math.atan(r) for r in ratio])  # the C library's atan, as math.atan
            tail[high] = 1.0 - _inner(nu, x[high], np.sqrt(x[high]), root_y[high], theta)
        half = 0.5 * tail
        out = np.where(t < 0, half, 1.0 - half)
        out = np.where(np.isinf(t), np.where(t < 0, 0.0, 1.0), out)
        out = np.where(t == 0, 0.5, out)
        out = np.where(np.isnan(t), t, out)
    return out
