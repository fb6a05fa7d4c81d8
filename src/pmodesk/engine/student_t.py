"""Student's t distribution for the forecasts of DESIGN.md section 7, without SciPy.

A forecast fits at most 12 points, so its t distribution has 1 to 10 degrees of freedom (n − 2).
Importing ``scipy.special`` costs more than all of ``pmodesk metrics``' arithmetic on a large
portfolio (it drags in NumPy's array-API, f2py and masked-array modules), so the two functions a
forecast needs are computed here:

- :func:`t_quantile_90`: the 90% quantile (the 80% two-sided interval), SciPy's own ``stdtrit``
  values for 1–10 degrees of freedom, tabled (a test holds the table equal to SciPy's answers);
  other degrees of freedom ask SciPy.
- :func:`t_cdf`: P(T ≤ t) from the regularised incomplete beta function with b = ½ (exact for
  integer degrees of freedom), summed as a series of positive terms so that even far tails keep
  full relative precision; it agrees with ``scipy.special.stdtr`` to about 1e-15 relative (a test
  holds it within 1e-13 from 1e-300 to 1 − 1e-16). The reference path (one benefit at a time) and
  the array path both call this one function, so they give identical probabilities.
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
_SERIES_LIMIT = 0.9  # the series in x runs while x ≤ 0.9; above it, the one in y = 1 − x (< 0.1)
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


def t_cdf(df, t):
    """P(T ≤ t) for Student's t; ``df`` positive whole numbers, ``df`` and ``t`` arrays (or scalars)
    of one shape. Returns a NumPy array of floats."""
    import numpy as np

    df = np.asarray(df, dtype=np.int64)
    t = np.asarray(t, dtype=np.float64)
    df, t = np.broadcast_arrays(df, t)
    out = np.full(t.shape, 0.5)
    for nu in np.unique(df).tolist():
        at = df == nu
        out[at] = _cdf_one_df(int(nu), t[at])
    return out


def _cdf_one_df(nu: int, t):
    import numpy as np

    a = nu / 2.0
    beta = _beta_half(nu)
    out = np.full(t.shape, 0.5)
    with np.errstate(all="ignore"):
        square = t * t
        x = nu / (nu + square)  # P(|T| > |t|) = I_x(ν/2, 1/2)
        y = square / (nu + square)
        root_y = np.abs(t) / np.sqrt(nu + square)
        big = np.isinf(t)
        x = np.where(big, 0.0, x)
        y = np.where(big, 1.0, y)
        root_y = np.where(big, 1.0, root_y)
        tail = np.zeros(t.shape)  # I_x(ν/2, 1/2): the two tails beyond ±|t|
        low = (x <= _SERIES_LIMIT) & ~big
        if low.any():
            # I_x(a, b) = x^a y^b / (a B(a, b)) · Σ_n (a + b)_n / (a + 1)_n x^n: positive terms only.
            # (float_power calls the C library's pow for every element alike; NumPy's power may
            # take a SIMD path for some elements and not others.)
            xs = x[low]
            tail[low] = np.float_power(xs, a) * root_y[low] / (a * beta) * _series(a + 0.5, a + 1.0, xs)
        high = ~low & ~big
        if high.any():
            # I_x(a, 1/2) = 1 − I_y(1/2, a), y < 0.1: the same series with the roles swapped.
            ys = y[high]
            inner = root_y[high] * np.float_power(x[high], a) / (0.5 * beta) * _series(a + 0.5, 1.5, ys)
            tail[high] = 1.0 - inner
        half = 0.5 * tail
        out = np.where(t < 0, half, 1.0 - half)
        out = np.where(t == 0, 0.5, out)
    return out


def _series(top: float, bottom: float, z):
    """Σ_n (top)_n / (bottom)_n z^n, each term the last × (top + n)/(bottom + n) × z, to 1e-17."""
    import numpy as np

    term = np.ones(z.shape)
    total = np.ones(z.shape)
    n = 0
    while True:
        term = term * ((top + n) / (bottom + n)) * z
        total = total + term
        n += 1
        if not (term > _TINY * total).any() or n > 5000:
            return total
