"""LOWESS against statsmodels and a point-by-point tricube reference, and its notes."""
from __future__ import annotations

import numpy as np
import pytest
from statsmodels.nonparametric.smoothers_lowess import lowess as sm_lowess

from rlplot.smoothing import smooth_lowess, statsmodels_lowess_kernel
from rlplot.smoothing.lowess import lowess_notes

from .references import noisy, tricube_reference


@pytest.mark.parametrize("n,frac,it", [(40, 0.3, 0), (500, 0.2, 0), (1500, 0.1, 2), (3000, 0.05, 1)])
def test_lowess_equals_statsmodels_exactly(n, frac, it):
    x, y = noisy(n, seed=n)
    x[7] = x[6]  # a tied x, as logs have
    expected = sm_lowess(y, x, frac=frac, it=it, delta=0, is_sorted=True, return_sorted=False)
    np.testing.assert_allclose(smooth_lowess(x, y, frac=frac, it=it, delta=0), expected,
                               rtol=0, atol=1e-10)


def test_lowess_above_the_binning_threshold_is_within_a_thousandth_of_exact():
    x, y = noisy(60000, seed=3)
    at = np.sort(np.random.default_rng(4).choice(x, 200, replace=False))
    exact = sm_lowess(y, x, frac=0.2, it=0, delta=0, xvals=at, is_sorted=True)
    got = np.interp(at, x, smooth_lowess(x, y))   # default: auto delta, binned above 20,000
    assert np.max(np.abs(got - exact)) < 1e-3 * np.ptp(y)


def test_lowess_bandwidth_is_a_fixed_half_width_in_x_units():
    x, y = noisy(400, seed=6)
    np.testing.assert_allclose(smooth_lowess(x, y, bandwidth=1.3, delta=0),
                               tricube_reference(x, y, 1.3, x), atol=1e-10)
    big_x, big_y = noisy(50000, seed=7)
    at_index = np.arange(0, 50000, 997)
    got = smooth_lowess(big_x, big_y, bandwidth=1.3)[at_index]
    assert np.max(np.abs(got - tricube_reference(big_x, big_y, 1.3, big_x[at_index]))) \
        < 1e-3 * np.ptp(big_y)


def test_lowess_bandwidth_does_not_depend_on_sampling_density():
    # The same curve sampled sparsely and densely: a fixed bandwidth gives the same smooth.
    dense_x = np.linspace(0, 10, 4001)
    sparse_x = dense_x[::8]
    dense = smooth_lowess(dense_x, np.sin(dense_x), bandwidth=2.0, delta=0)[::8]
    sparse = smooth_lowess(sparse_x, np.sin(sparse_x), bandwidth=2.0, delta=0)
    assert np.max(np.abs(dense - sparse)) < 5e-3   # Riemann-sum differences only


def test_lowess_of_fewer_than_three_points_or_one_x_is_the_data():
    np.testing.assert_array_equal(smooth_lowess(np.array([0.0, 1.0]), np.array([3.0, 5.0])),
                                  [3.0, 5.0])
    np.testing.assert_array_equal(smooth_lowess(np.zeros(4), np.array([1.0, 2.0, 3.0, 4.0])),
                                  [1.0, 2.0, 3.0, 4.0])


def test_statsmodels_kernel_loaded_from_its_file_is_the_public_lowess():
    from statsmodels.nonparametric.smoothers_lowess import lowess

    rng = np.random.default_rng(11)
    x = np.sort(rng.uniform(0, 10, 500))
    y = np.sin(x) + rng.normal(0, 0.3, 500)
    fitted, _ = statsmodels_lowess_kernel()(y, x, x, np.ones_like(x), frac=0.3, it=1, delta=0.05,
                                            given_xvals=False)
    np.testing.assert_array_equal(fitted[:, 1], lowess(y, x, frac=0.3, it=1, delta=0.05,
                                                       is_sorted=True, return_sorted=False))


def test_lowess_notes_only_windows_that_make_little_sense():
    x = np.linspace(0, 10, 30)
    assert lowess_notes(x, x, frac=0.2) == ()
    assert lowess_notes(x, x, bandwidth=5.0) == ()
    assert "wider than the x range (10)" in lowess_notes(x, x, bandwidth=11.0)[0]
    assert "fewer than 3 of 30 points" in lowess_notes(x, x, frac=0.05)[0]
