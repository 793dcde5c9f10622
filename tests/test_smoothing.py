"""Smoothing methods against independent references, their properties, validation, notices and bands."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.nonparametric.smoothers_lowess import lowess as sm_lowess

from rlplot import smoothing
from rlplot.data import Series
from rlplot.errors import ConfigError
from rlplot.smoothing import (METHODS, check_params, describe, smooth_ema, smooth_gaussian,
                              smooth_lowess, smooth_rolling, smooth_series, smooth_twema)


def noisy(n, seed=0, spread=0.3, irregular=True):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 10, n)) if irregular else np.arange(n, dtype=float)
    return x, np.sin(x) + rng.normal(0, spread, n)


# ---------------------------------------------------------------- independent references

def tensorboard_ema(values, weight):
    """TensorBoard's smoothing loop (vz_line_chart2), transcribed: debiased, constant kept, NaN kept."""
    last, num_accum, out = 0.0, 0, []
    is_constant = all(v == values[0] for v in values)
    for next_val in values:
        if is_constant or not math.isfinite(next_val):
            out.append(next_val)
            continue
        last = last * weight + (1 - weight) * next_val
        num_accum += 1
        debias = 1 - weight ** num_accum if weight != 1 else 1
        out.append(last / debias)
    return np.array(out)


def box_reference(y, window):
    """The baselines/rl-plotter smooth: each point averages the window's points that exist."""
    half = (window - 1) // 2
    return np.array([y[max(0, i - half):i + half + 1].mean() for i in range(len(y))])


def gaussian_reference(x, y, sigma, at=None):
    at = x if at is None else at
    k = np.exp(-0.5 * ((at[:, None] - x[None, :]) / sigma) ** 2)
    return (k @ y) / k.sum(axis=1)


def tricube_reference(x, y, bandwidth, at):
    """Fixed-half-width tricube local linear regression, point by point."""
    out = []
    for x0 in at:
        u = np.abs(x - x0) / bandwidth
        w = np.where(u < 1, (1 - u ** 3) ** 3, 0.0)
        mx, my = np.average(x, weights=w), np.average(y, weights=w)
        slope = np.sum(w * (x - mx) * (y - my)) / np.sum(w * (x - mx) ** 2)
        out.append(my + slope * (x0 - mx))
    return np.array(out)


@pytest.mark.parametrize("n,frac,it", [(40, 0.3, 0), (500, 0.2, 0), (1500, 0.1, 2), (3000, 0.05, 1)])
def test_lowess_equals_statsmodels_exact(n, frac, it):
    x, y = noisy(n, seed=n)
    x[7] = x[6]  # a tied x, as logs have
    expected = sm_lowess(y, x, frac=frac, it=it, delta=0, is_sorted=True, return_sorted=False)
    np.testing.assert_allclose(smooth_lowess(x, y, frac=frac, it=it, delta=0), expected,
                               rtol=0, atol=1e-10)
    # rlplot's own engine (used above 20,000 points, unbinned here) is the same regression.
    own = smoothing._lowess(x, y, frac=frac, it=it, delta=0, bandwidth=None)
    np.testing.assert_allclose(own, expected, rtol=0, atol=1e-10)


def test_lowess_binned_engine_within_a_thousandth_of_exact():
    x, y = noisy(60000, seed=3)
    at = np.sort(np.random.default_rng(4).choice(x, 200, replace=False))
    exact = sm_lowess(y, x, frac=0.2, it=0, delta=0, xvals=at, is_sorted=True)
    got = np.interp(at, x, smooth_lowess(x, y))   # default: auto delta, binned above 20,000
    assert np.max(np.abs(got - exact)) < 1e-3 * np.ptp(y)


def test_lowess_binned_robust_iterations_match_unbinned():
    x, y = noisy(30000, seed=5)
    y[::97] += 5.0   # outliers the robust passes must down-weight
    binned = smoothing._lowess(x, y, frac=0.2, it=2, delta="auto", bandwidth=None)
    plain = smoothing._lowess(x, y, frac=0.2, it=2, delta="auto", bandwidth=None,
                              binned_above=10 ** 9)
    assert np.max(np.abs(binned - plain)) < 1e-3 * np.ptp(y)


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
    f = np.sin
    dense = smooth_lowess(dense_x, f(dense_x), bandwidth=2.0, delta=0)[::8]
    sparse = smooth_lowess(sparse_x, f(sparse_x), bandwidth=2.0, delta=0)
    assert np.max(np.abs(dense - sparse)) < 5e-3   # Riemann-sum differences only


@pytest.mark.parametrize("weight", [0.0, 0.6, 0.9, 0.999])
def test_ema_is_tensorboards(weight):
    _, y = noisy(300, seed=8)
    y[[5, 40]] = np.nan
    y[41] = np.inf
    got = smooth_ema(None, y, weight=weight)
    expected = tensorboard_ema(list(y), weight)
    np.testing.assert_array_equal(np.isfinite(got), np.isfinite(expected))
    np.testing.assert_allclose(got[np.isfinite(got)], expected[np.isfinite(expected)],
                               rtol=1e-12, atol=1e-12)
    assert np.isnan(got[5]) and np.isinf(got[41])


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


@pytest.mark.parametrize("n,window", [(500, 1), (500, 31), (40, 31), (10, 31), (1, 5)])
def test_rolling_is_the_edge_normalised_box(n, window):
    _, y = noisy(n, seed=n)
    np.testing.assert_allclose(smooth_rolling(None, y, window=window), box_reference(y, window),
                               atol=1e-12)


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


def test_default_scales_are_a_share_of_the_x_range():
    x, y = noisy(500, seed=13)
    span = x[-1] - x[0]
    np.testing.assert_allclose(smooth_gaussian(x, y), smooth_gaussian(x, y, sigma=0.02 * span))
    np.testing.assert_allclose(smooth_twema(x, y), smooth_twema(x, y, halflife=0.02 * span))


# ---------------------------------------------------------------- properties

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


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=40, deadline=None)
@given(data=xy())
def test_length_and_finiteness(name, data):
    x, y = data
    out = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    assert out.shape == y.shape
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=25, deadline=None)
@given(data=xy(), value=finite_floats)
def test_constant_in_constant_out(name, data, value):
    x, _ = data
    y = np.full(x.shape, value)
    out = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    np.testing.assert_array_equal(out, y)


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=25, deadline=None)
@given(data=xy(min_size=2), seed=st.integers(0, 2 ** 32 - 1))
def test_invariant_to_input_order_before_sorting(name, data, seed):
    x, y = data
    x = x + np.arange(x.size) * 1e-3   # distinct x: a stable sort then restores one order
    order = np.random.default_rng(seed).permutation(x.size)
    xs, ys = x[order], y[order]
    back = np.argsort(xs, kind="stable")
    first = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name]).y
    again = smooth_series(Series("m", xs[back], ys[back]), _method(name), PROPERTY_PARAMS[name]).y
    np.testing.assert_array_equal(first, again)


@settings(max_examples=30, deadline=None)
@given(data=xy(min_size=3, max_size=40), weight=st.floats(0, 0.99))
def test_ema_property_matches_tensorboard(data, weight):
    _, y = data
    np.testing.assert_allclose(smooth_ema(None, y, weight=weight),
                               tensorboard_ema(list(y), weight), rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("name", sorted(PROPERTY_PARAMS))
@settings(max_examples=20, deadline=None)
@given(data=xy(), k=st.floats(0, 5))
def test_band_brackets_the_line(name, data, k):
    x, y = data
    done = smooth_series(Series("m", x, y), _method(name), PROPERTY_PARAMS[name], band="residual",
                         band_k=k)
    assert np.all(np.isfinite(done.band_low)) and np.all(np.isfinite(done.band_high))
    assert np.all(done.band_low <= done.y) and np.all(done.y <= done.band_high)


def test_gaussian_of_a_single_x_is_the_mean():
    y = np.arange(300_000, dtype=float) % 7
    out = smooth_gaussian(np.zeros(y.size), y)
    np.testing.assert_allclose(out, np.full(y.size, y.mean()))


# ---------------------------------------------------------------- validation and notices

@pytest.mark.parametrize("method,param,value", [
    ("lowess", "frac", 0.0), ("lowess", "frac", 1.5), ("lowess", "it", -1), ("lowess", "it", 1.5),
    ("lowess", "delta", -1.0), ("lowess", "delta", "fast"), ("lowess", "bandwidth", 0.0),
    ("ema", "weight", 1.0), ("ema", "weight", -0.1), ("twema", "halflife", -2.0),
    ("twema", "halflife", float("nan")), ("rolling", "window", 0), ("rolling", "window", 4),
    ("rolling", "window", 2.0), ("gaussian", "sigma", 0.0)])
def test_bad_parameters_name_method_parameter_value_and_range(method, param, value):
    with pytest.raises(ConfigError) as info:
        check_params(method, {param: value})
    text = str(info.value)
    assert method in text and param in text and repr(value) in text and "allowed:" in text


def test_unknown_method_lists_the_registry():
    with pytest.raises(ConfigError, match="twema"):
        check_params("loess", {})


def test_smooth_series_passes_only_declared_params():
    x, y = noisy(100)
    done = smooth_series(Series("m", x, y), "rolling", {"window": 5, "frac": 0.5, "sigma": 1.0})
    assert done.params == {"window": 5}


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
    for method in METHODS:
        assert smooth_series(Series("m", x, y), method, {"window": 21}).notices == ()


def test_rolling_longer_than_twice_the_series_is_the_mean():
    _, y = noisy(20)
    np.testing.assert_allclose(smooth_rolling(None, y, window=41), np.full(20, y.mean()))


def test_describe_uses_labels_and_set_params():
    assert describe("lowess", {"frac": 0.2, "bandwidth": None}) == "LOWESS frac=0.2"
    assert describe("twema", {"halflife": 3.0}) == "TWEMA halflife=3.0"


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


def test_bad_band_options():
    x, y = noisy(50)
    with pytest.raises(ConfigError, match="band"):
        smooth_series(Series("m", x, y), "ema", {}, band="stderr")
    with pytest.raises(ConfigError, match="band_k"):
        smooth_series(Series("m", x, y), "ema", {}, band="residual", band_k=-1)


# ---------------------------------------------------------------- through the CLI

@pytest.mark.parametrize("method", sorted(METHODS))
def test_cli_renders_every_method(invoke, seed_log, tmp_path, method):
    result = invoke("render", seed_log, "-o", tmp_path / "f.png", "--smooth", method,
                    "--data-out", tmp_path / "d.csv")
    assert result.exit_code == 0, result.stderr
    rows = (tmp_path / "d.csv").read_text().splitlines()[1:]
    smoothed = np.array([float(r.split(",")[4]) for r in rows[:60]])
    raw = np.array([float(r.split(",")[3]) for r in rows[:60]])
    assert (np.array_equal(smoothed, raw)) == (method == "none")


def test_cli_params_go_through_set_and_notices_reach_stderr(invoke, seed_log, tmp_path):
    result = invoke("render", seed_log, "-o", tmp_path / "f.png", "--smooth", "rolling",
                    "--set", "smoothing.window=201")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "window=201" in line]
    assert len(warnings) == 2 and str(seed_log) in warnings[0] and "accuracy" in warnings[0]


def test_cli_bad_parameter_is_one_line_before_reading(invoke, tmp_path):
    result = invoke("render", tmp_path / "missing.jsonl", "-o", tmp_path / "f.png", "--smooth",
                    "rolling", "--set", "smoothing.window=20")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "rolling" in line and "window=20" in line and "odd integer" in line


def test_smooth_help_lists_every_registered_method(invoke):
    text = " ".join(invoke("render", "--help").stdout.split())
    for method in METHODS:
        assert f"{method} (" in text or f"{method};" in text or f" {method}," in text


def test_statsmodels_kernel_is_the_public_lowess():
    from statsmodels.nonparametric.smoothers_lowess import lowess

    from rlplot.smoothing import statsmodels_lowess_kernel

    rng = np.random.default_rng(11)
    x = np.sort(rng.uniform(0, 10, 500))
    y = np.sin(x) + rng.normal(0, 0.3, 500)
    fitted, _ = statsmodels_lowess_kernel()(y, x, x, np.ones_like(x), frac=0.3, it=1, delta=0.05,
                                            given_xvals=False)
    np.testing.assert_array_equal(fitted[:, 1], lowess(y, x, frac=0.3, it=1, delta=0.05,
                                                       is_sorted=True, return_sorted=False))
