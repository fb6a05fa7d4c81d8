"""Student's t without SciPy (engine.student_t): SciPy's own quantiles, and a distribution function
that agrees with SciPy's ``stdtr`` to rounding (about 1e-15 relative), tails included."""

from __future__ import annotations

import math
import random

import numpy as np
from scipy import special

from pmodesk.engine.student_t import T_QUANTILE_90, t_cdf, t_cdf_array, t_quantile_90


def test_quantiles_are_scipys():
    for df in range(1, 11):
        assert T_QUANTILE_90[df] == float(special.stdtrit(df, 0.9))
    assert t_quantile_90(25) == float(special.stdtrit(25, 0.9))


def test_cdf_agrees_with_scipy_everywhere_scipy_is_accurate():
    rng = random.Random(7)
    ts = np.concatenate([np.linspace(-60, 60, 12001), -np.logspace(-3, 150, 1500), np.logspace(-3, 150, 1500),
                         np.array([rng.uniform(-6, 6) for _ in range(5000)])])
    for df in range(1, 11):
        ours, scipys = t_cdf_array(np.full(ts.shape, df), ts), special.stdtr(df, ts)
        compared = np.ones(ts.shape, dtype=bool)
        if df == 1:  # SciPy's Cauchy loses digits near 0 (see below): compare there with atan
            near = np.abs(ts) < 0.1
            exact = 0.5 + np.arctan(ts[near]) / np.pi
            assert np.all(np.abs(ours[near] - exact) <= 1e-15)
            compared = ~near
        lower = compared & (scipys < 0.5) & (scipys > 1e-300)
        upper = compared & (scipys >= 0.5)
        assert np.all(ours[scipys <= 1e-300] < 1e-290)
        # the lower tail to 2e-13 relative however small it is (to 1e-300); numbers from 0.5 to 1
        # within a few units in the last place
        assert np.all(np.abs(ours[lower] - scipys[lower]) <= 2e-13 * scipys[lower])
        assert np.all(np.abs(ours[upper] - scipys[upper]) <= 1e-15)
        assert np.all((ours >= 0) & (ours <= 1))


def test_cdf_near_zero_and_at_the_ends():
    # One degree of freedom is Cauchy: 1/2 + atan(t)/π. Near t = 0 SciPy rounds to 0.5 (1e-9
    # off), the series does not.
    for t in (-1e-12, -1e-8, -1e-3, 1e-8, 0.5):
        assert math.isclose(t_cdf(1, t), 0.5 + math.atan(t) / math.pi, rel_tol=1e-14)
    assert t_cdf(4, 0.0) == 0.5 and t_cdf_array([4], [0.0]).tolist() == [0.5]
    assert t_cdf(3, -math.inf) == 0.0 and t_cdf(3, math.inf) == 1.0
    assert t_cdf_array([3, 3], [-math.inf, math.inf]).tolist() == [0.0, 1.0]
    assert 0 < t_cdf(10, -1e6) < 1e-50


def test_one_at_a_time_equals_all_at_once():
    """The reference path asks one benefit at a time, the array path all at once: same floats."""
    rng = random.Random(11)
    dfs = np.array([rng.randint(1, 10) for _ in range(20000)])
    ts = np.array([rng.choice([-1, 1]) * 10 ** rng.uniform(-6, 4) for _ in range(10000)] +
                  [rng.uniform(-8, 8) for _ in range(10000)])
    together = t_cdf_array(dfs, ts).tolist()
    assert together == [t_cdf(int(d), float(t)) for d, t in zip(dfs, ts)]
