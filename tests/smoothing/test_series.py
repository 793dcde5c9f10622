"""The series API: every registered method's properties, notices, residual bands, descriptions."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.choices import PANEL_BANDS, SMOOTHING_METHODS
from rlplot.data import Series
from rlplot.errors import ConfigError
from rlplot.smoothing import Method, describe, residual_band, smooth_series

from .references import noisy

PROPERTY_PARAMS = {"lowess": {"frac": 0.3}, "ema": {"weight": 0.7}, "twema": {"halflife": 3.0},
                   "rolling": {"window": 5}, "gaussian": {"sigma": 2.0}, "none": {},
                   "lowess-bw": {"bandwidth": 4.0}}

finite_floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _method(name):
    return "lowess" if name == "lowess-bw" else name


@st.composite
def xy(draw, min_size=1, max_size=60):
    n = draw(st.integers(min_size, max_size))
    x = np.sort(np.array(draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n,
                                       max_size=n))))
    y = np.array(draw(st.lists(finite_floats, min_size=n, max_size=n)))
    return x, y


# ---------------------------------------------------------------- the registry

@pytest.mark.parametrize("name", SMOOTHING_METHODS.names)
def test_every_registered_method_loads_a_method_whose_params_are_its_keywords(name):
    method = SMOOTHING_METHODS.load(name)
    assert isinstance(method, Method)
    keywords = [p.name for p in inspect.signature(method.func).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert tuple(keywords) == method.params


def test_the_residual_band_is_the_registered_panel_band():
    assert PANEL_BANDS.load("residual") is residual_band
    assert set(PANEL_BANDS.names) == {"none", "residual"}


def test_every_method_is_covered_by_the_property_tests():
    assert {_method(name) for name in PROPERTY_PARAMS} == set(SMOOTHING_METHODS.names)


# ---------------------------------------------------------------- properties

@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=40, deadline=None)
@given(data=xy())
def test_every_method_keeps_the_length_and_finiteness(name, data):
    x, y = data
    out = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    assert out.shape == y.shape
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=25, deadline=None)
@given(data=xy(), value=finite_floats)
def test_every_method_returns_a_constant_series_unchanged(name, data, value):
    x, _ = data
    y = np.full(x.shape, value)
    out = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    np.testing.assert_array_equal(out, y)


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=25, deadline=None)
@given(data=xy(min_size=2), seed=st.integers(0, 2 ** 32 - 1))
def test_every_method_ignores_the_input_order_before_sorting(name, data, seed):
    x, y = data
    x = x + np.arange(x.size) * 1e-3   # distinct x: a stable sort then restores one order
    order = np.random.default_rng(seed).permutation(x.size)
    xs, ys = x[order], y[order]
    back = np.argsort(xs, kind="stable")
    first = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    again = smooth_series(Series("m", xs[back], ys[back]), _method(name), PROPERTY_PARAMS[name]).y
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=20, deadline=None)
@given(data=xy(), k=st.floats(0, 5))
def test_residual_band_brackets_the_line(name, data, k):
    x, y = data
    done = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name], band="residual",
                         band_k=k)
    assert np.all(np.isfinite(done.band_low)) and np.all(np.isfinite(done.band_high))
    assert np.all(done.band_low <= done.y) and np.all(done.y <= done.band_high)


# ---------------------------------------------------------------- parameters and notices

def test_smooth_series_passes_only_declared_params():
    x, y = noisy(100)
    done = smooth_series(Series("m", x, y), "rolling", {"window": 5, "frac": 0.5, "sigma": 1.0})
    assert done.params == {"window": 5}


def test_an_empty_series_comes_back_empty_with_its_params():
    done = smooth_series(Series("m", np.array([]), np.array([])), "ema", {"weight": 0.9})
    assert len(done.y) == 0 and done.params == {"weight": 0.9} and done.notices == ()


@pytest.mark.parametrize("method,params,fragment", [
    ("rolling", {"window": 101}, "window=101 is longer than the series (30 points)"),
    ("gaussian", {"sigma": 50.0}, "sigma=50 is wider than the x range"),
    ("twema", {"halflife": 50.0}, "halflife=50 is longer than the x range"),
    ("lowess", {"bandwidth": 50.0}, "bandwidth=50 is wider than the x range"),
    ("lowess", {"frac": 0.05}, "fewer than 3 of 30 points"),
])
def test_window_longer_than_the_series_is_a_notice_and_a_result(method, params, fragment):
    x, y = noisy(30)
    done = smooth_series(Series("acc", x, y), method, params)
    assert any(fragment in str(n) and "acc" in str(n) for n in done.notices)
    assert np.all(np.isfinite(done.y))
    if "frac" in params:   # statsmodels with 2 points per fit returns the data itself
        np.testing.assert_allclose(done.y, y)
    else:
        assert np.ptp(done.y) < np.ptp(y)


def test_a_window_that_fits_makes_no_notice():
    x, y = noisy(300)
    for method in SMOOTHING_METHODS:
        assert smooth_series(Series("m", x, y), method, {"window": 21}).notices == ()


def test_describe_uses_the_registry_label_and_the_set_params():
    assert describe("lowess", {"frac": 0.2, "bandwidth": None}) == "LOWESS frac=0.2"
    assert describe("twema", {"halflife": 3.0}) == "TWEMA halflife=3.0"
    assert describe("none", {"frac": 0.2}) == "raw"
    assert describe("mean", {}) == "mean"   # an aggregate's curve: no smoothing method


# ---------------------------------------------------------------- bands

def test_band_widens_where_noise_grows():
    rng = np.random.default_rng(14)
    x = np.linspace(0, 1, 4000)
    y = x + rng.normal(0, 0.01 + 0.2 * x, x.size)
    done = smooth_series(Series("m", x, y), "lowess", {"frac": 0.2}, band="residual", band_k=1.0)
    width = done.band_high - done.band_low
    assert width[-200:].mean() > 5 * width[:200].mean()
    assert np.all(done.band_low <= done.y) and np.all(done.y <= done.band_high)
    # k = 1: the half-width is the local residual RMS, so about 1 sd of the noise here.
    assert 0.15 < width[-100:].mean() / 2 < 0.25


def test_band_k_scales_the_half_width_and_none_means_no_band():
    x, y = noisy(500)
    one = smooth_series(Series("m", x, y), "gaussian", {}, band="residual", band_k=1.0)
    three = smooth_series(Series("m", x, y), "gaussian", {}, band="residual", band_k=3.0)
    np.testing.assert_allclose(three.band_high - three.y, 3 * (one.band_high - one.y))
    plain = smooth_series(Series("m", x, y), "gaussian", {})
    assert plain.band_low is None and plain.band_high is None


def test_band_uses_every_point():
    # A burst of noise between two points of a coarse subsample must still widen the band.
    x = np.linspace(0, 1, 20001)
    y = np.zeros_like(x) + 1e-3 * np.sin(50 * x)
    y[10001:10101:2] += 1.0
    done = smooth_series(Series("m", x, y), "gaussian", {"sigma": 0.01}, band="residual")
    assert (done.band_high - done.band_low)[10050] > 20 * (done.band_high - done.band_low)[2000]


def test_residual_band_without_smoothing_has_zero_width_and_says_so():
    x, y = noisy(50)
    done = smooth_series(Series("acc", x, y), "none", {}, band="residual")
    np.testing.assert_array_equal(done.band_low, y)
    np.testing.assert_array_equal(done.band_high, y)
    assert [str(n) for n in done.notices] == ["acc: band: residual with smoothing 'none' has zero width"]


def test_unknown_band_or_negative_band_k_is_refused():
    x, y = noisy(50)
    with pytest.raises(ConfigError, match="unknown panel band 'stderr'"):
        smooth_series(Series("m", x, y), "ema", {}, band="stderr")
    with pytest.raises(ConfigError, match="band_k"):
        smooth_series(Series("m", x, y), "ema", {}, band="residual", band_k=-1)
