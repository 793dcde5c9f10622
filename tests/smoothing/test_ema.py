"""EMA against TensorBoard's loop; TWEMA against EMA on even x, across sampling densities and long spans."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.smoothing import smooth_ema, smooth_twema

from .references import noisy, tensorboard_ema


@pytest.mark.parametrize("weight", [0.0, 0.6, 0.9, 0.999])
def test_ema_is_tensorboards_with_nan_and_inf_in_place(weight):
    _, y = noisy(300, seed=8)
    y[[5, 40]] = np.nan
    y[41] = np.inf
    got = smooth_ema(None, y, weight=weight)
    expected = tensorboard_ema(list(y), weight)
    np.testing.assert_array_equal(np.isfinite(got), np.isfinite(expected))
    np.testing.assert_allclose(got[np.isfinite(got)], expected[np.isfinite(expected)],
                               rtol=1e-12, atol=1e-12)
    assert np.isnan(got[5]) and np.isinf(got[41])


@settings(max_examples=30, deadline=None)
@given(y=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=40),
       weight=st.floats(0, 0.99))
def test_ema_matches_tensorboard_for_any_series(y, weight):
    np.testing.assert_allclose(smooth_ema(None, np.array(y), weight=weight),
                               tensorboard_ema(y, weight), rtol=1e-9, atol=1e-6)


def test_ema_leaves_a_constant_series_as_is():
    y = np.full(50, 0.3)
    np.testing.assert_array_equal(smooth_ema(None, y, weight=0.9), y)


@pytest.mark.parametrize("weight", [0.3, 0.6, 0.95])
def test_twema_equals_ema_on_evenly_spaced_x(weight):
    step = 2.5e18
    x = 1e19 + step * np.arange(400)
    _, y = noisy(400, seed=9, irregular=False)
    halflife = step * math.log(2) / -math.log(weight)
    np.testing.assert_allclose(smooth_twema(x, y, halflife=halflife),
                               tensorboard_ema(list(y), weight), rtol=1e-9, atol=1e-12)


def test_twema_does_not_depend_on_sampling_density():
    # Same underlying trend, sampled 10x more densely: the time-weighted curve agrees.
    x_dense = np.linspace(0, 100, 10001)
    x_sparse = x_dense[::10]
    dense = smooth_twema(x_dense, np.sqrt(x_dense), halflife=5.0)[::10]
    sparse = smooth_twema(x_sparse, np.sqrt(x_sparse), halflife=5.0)
    assert np.max(np.abs(dense - sparse)[20:]) < 0.02


def test_twema_survives_many_half_lives():
    # 5,000 half-lives: exp() would overflow without the blocked sums.
    x = np.arange(5000) * 3.0
    _, y = noisy(5000, seed=10, irregular=False)
    got = smooth_twema(x, y, halflife=0.5)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, tensorboard_ema(list(y), 2 ** (-3 / 0.5)), atol=1e-10)


def test_twema_default_halflife_is_two_percent_of_the_x_range():
    x, y = noisy(500, seed=13)
    np.testing.assert_allclose(smooth_twema(x, y), smooth_twema(x, y, halflife=0.02 * (x[-1] - x[0])))
