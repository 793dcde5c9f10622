"""The edge-normalised moving average, the Gaussian kernel (exact and gridded paths) and ``none``."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.smoothing import smooth_gaussian, smooth_none, smooth_rolling
from rlplot.smoothing.kernels import rolling_notes

from .references import box_reference, gaussian_reference, noisy


@pytest.mark.parametrize("n,window", [(500, 1), (500, 31), (40, 31), (10, 31), (1, 5)])
def test_rolling_is_the_edge_normalised_box(n, window):
    _, y = noisy(n, seed=n)
    np.testing.assert_allclose(smooth_rolling(None, y, window=window), box_reference(y, window),
                               atol=1e-12)


def test_rolling_longer_than_twice_the_series_is_the_mean():
    _, y = noisy(20)
    np.testing.assert_allclose(smooth_rolling(None, y, window=41), np.full(20, y.mean()))


def test_rolling_notes_a_window_longer_than_the_series():
    x = np.arange(30.0)
    assert rolling_notes(x, x, window=29) == ()
    assert "window=31 is longer than the series (30 points)" in rolling_notes(x, x, window=31)[0]


def test_gaussian_exact_path_matches_the_kernel_sum():
    x, y = noisy(800, seed=11)
    np.testing.assert_allclose(smooth_gaussian(x, y, sigma=0.4), gaussian_reference(x, y, 0.4),
                               atol=1e-6 * np.ptp(y))   # the kernel is cut at 5 sigma


def test_gaussian_grid_path_within_documented_error():
    rng = np.random.default_rng(12)
    x = np.sort(rng.uniform(0, 100, 60000) ** 1.5 / 10)   # irregular spacing
    y = np.sin(x / 5) + rng.normal(0, 0.5, x.size)
    pick = np.sort(rng.choice(x.size, 300, replace=False))
    got = smooth_gaussian(x, y, sigma=2.0)[pick]
    assert np.max(np.abs(got - gaussian_reference(x, y, 2.0, x[pick]))) < 1e-3 * np.ptp(y)


def test_gaussian_grid_path_keeps_precision_under_a_large_offset():
    rng = np.random.default_rng(15)
    x = np.sort(rng.uniform(0, 100, 40000))
    y = 1e6 + np.sin(x / 5) + rng.normal(0, 0.5, x.size)
    pick = np.arange(0, x.size, 211)
    got = smooth_gaussian(x, y, sigma=2.0)[pick]
    assert np.max(np.abs(got - gaussian_reference(x, y - 1e6, 2.0, x[pick]) - 1e6)) \
        < 1e-3 * np.ptp(y)


def test_gaussian_default_sigma_is_two_percent_of_the_x_range():
    x, y = noisy(500, seed=13)
    np.testing.assert_allclose(smooth_gaussian(x, y), smooth_gaussian(x, y, sigma=0.02 * (x[-1] - x[0])))


def test_gaussian_of_a_single_x_is_the_mean():
    y = np.arange(300_000, dtype=float) % 7
    out = smooth_gaussian(np.zeros(y.size), y)
    np.testing.assert_allclose(out, np.full(y.size, y.mean()))


def test_none_returns_a_float_copy_of_the_data():
    y = np.array([1, 5, 2])
    out = smooth_none(None, y)
    np.testing.assert_array_equal(out, y)
    assert out.dtype == np.float64 and out is not y
