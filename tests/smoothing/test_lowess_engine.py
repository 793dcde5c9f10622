"""rlplot's LOWESS engine: the same regression as statsmodels, binned above a size, robust passes."""
from __future__ import annotations

import numpy as np
import pytest
from statsmodels.nonparametric.smoothers_lowess import lowess as sm_lowess

from rlplot.smoothing.lowess_engine import fit_lowess, resolve_delta

from .references import noisy


@pytest.mark.parametrize("n,frac,it", [(40, 0.3, 0), (500, 0.2, 0), (1500, 0.1, 2), (3000, 0.05, 1)])
def test_unbinned_engine_is_statsmodels_regression(n, frac, it):
    x, y = noisy(n, seed=n)
    x[7] = x[6]  # a tied x, as logs have
    expected = sm_lowess(y, x, frac=frac, it=it, delta=0, is_sorted=True, return_sorted=False)
    np.testing.assert_allclose(fit_lowess(x, y, frac=frac, it=it, delta=0, bandwidth=None),
                               expected, rtol=0, atol=1e-10)


def test_binned_robust_iterations_match_unbinned():
    x, y = noisy(30000, seed=5)
    y[::97] += 5.0   # outliers the robust passes must down-weight
    binned = fit_lowess(x, y, frac=0.2, it=2, delta="auto", bandwidth=None)
    plain = fit_lowess(x, y, frac=0.2, it=2, delta="auto", bandwidth=None, binned_above=10 ** 9)
    assert np.max(np.abs(binned - plain)) < 1e-3 * np.ptp(y)


def test_auto_delta_is_exact_up_to_5000_points_then_a_small_share_of_the_range():
    x, _ = noisy(5000)
    assert resolve_delta(x, 1000, "auto", None) == 0.0
    assert resolve_delta(x, 1000, 0.5, None) == 0.5
    big, _ = noisy(50000)
    delta = resolve_delta(big, 10000, "auto", None)
    assert 0 < delta <= 0.0025 * (big[-1] - big[0])
