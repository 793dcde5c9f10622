"""frac: auto: the cross-validated choice tracks known curves better than 0.2 without chasing noise."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.data import Series
from rlplot.errors import ConfigError
from rlplot.smoothing import (AUTO_KEY, check_params, choose_frac, chosen_footnote, describe,
                              smooth_lowess, smooth_series)
from rlplot.smoothing.bandwidth import (AUTO_BINS, DEFAULT_FRAC, FRAC_GRID, binned_means, cv_curve,
                                        loo_errors)

LOWESS_PARAMS = {"frac": "auto", "it": 0, "delta": "auto", "bandwidth": None}


def _truth(shape: str, x: np.ndarray) -> np.ndarray:
    return {"step": np.where(x < 0.5, 0.0, 1.0),
            "sigmoid": 1.0 / (1.0 + np.exp(-(x - 0.5) / 0.03)),
            # the seed's parallelism: flat, then bending up over the last 30 %
            "hockey stick": 8.0 + 6.0 * np.clip((x - 0.7) / 0.3, 0.0, 1.0) ** 2}[shape]


def _rmse(a, b) -> float:
    return float(np.sqrt(np.mean((a - b) ** 2)))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape,noise", [("step", 0.1), ("sigmoid", 0.1), ("hockey stick", 0.3)])
def test_auto_tracks_a_sharp_change_closer_than_the_fixed_default(shape, noise, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 1, 1500))
    truth = _truth(shape, x)
    y = truth + rng.normal(0, noise, x.size)
    auto = smooth_lowess(x, y, frac="auto")
    fixed = smooth_lowess(x, y, frac=0.2)
    assert choose_frac(x, y) < 0.2
    assert _rmse(auto, truth) < 0.85 * _rmse(fixed, truth)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [60, 400, 5000])
def test_on_pure_noise_auto_picks_a_wide_bandwidth(n, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 1, n))
    y = rng.normal(0, 1, n)
    assert choose_frac(x, y) >= 0.5


def test_loo_errors_equal_a_point_by_point_refit_without_the_point():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 10, 40))
    y = np.sin(x) + rng.normal(0, 0.2, 40)
    counts = rng.integers(1, 4, 40).astype(float)
    frac = 0.3
    k = int(frac * 40)
    expected = []
    for i in range(40):
        radius = np.sort(np.abs(x - x[i]))[k - 1]           # k nearest, the point included
        u = np.minimum(np.abs(x - x[i]) / radius, 1.0)
        w = (1 - u ** 3) ** 3 * counts
        w[i] = 0.0
        slope, intercept = np.polyfit(x - x[i], y, 1, w=np.sqrt(w))
        expected.append(counts[i] * (y[i] - intercept) ** 2)
    np.testing.assert_allclose(loo_errors(x, y, counts, frac), expected, rtol=1e-9)


def test_bins_hold_equal_counts_and_their_means():
    x = np.arange(10_000, dtype=float)
    y = 2.0 * x
    xc, yc, counts = binned_means(x, y, 512)
    assert len(xc) == 512 and counts.sum() == 10_000 and np.ptp(counts) <= 1
    np.testing.assert_allclose(yc, 2.0 * xc)
    short = binned_means(x[:100], y[:100], 512)
    np.testing.assert_array_equal(short[0], x[:100])
    assert np.all(short[2] == 1)


def test_candidates_keep_five_bins_per_fit_and_the_choice_is_on_the_grid():
    x = np.linspace(0, 1, 60)
    y = np.sin(6 * x)
    grid, score, spread = cv_curve(x, y)
    assert grid.min() * 60 >= 5 and grid.max() == 1.0 and len(score) == len(spread) == len(grid)
    assert choose_frac(x, y) in FRAC_GRID
    big = np.linspace(0, 1, 100_000)
    grid, _, _ = cv_curve(big, np.sin(6 * big))
    assert grid.min() * AUTO_BINS >= 5


def test_too_short_or_flat_x_series_fall_back_to_the_default():
    assert choose_frac(np.arange(9.0), np.arange(9.0) ** 2) == DEFAULT_FRAC
    assert choose_frac(np.zeros(50), np.arange(50.0)) == DEFAULT_FRAC


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), seed=st.integers(0, 10_000), ties=st.booleans())
def test_any_series_gets_a_grid_frac_and_the_same_one_twice(n, seed, ties):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 1, n))
    if ties:
        x = np.round(x, 1)
    y = rng.standard_cauchy(n)
    chosen = choose_frac(x, y)
    assert chosen in FRAC_GRID and chosen == choose_frac(x.copy(), y.copy())
    assert np.all(np.isfinite(smooth_lowess(x, y, frac="auto")))


def test_smooth_series_records_the_chosen_frac_and_uses_it_for_line_and_band():
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(0, 1, 800))
    y = _truth("step", x) + rng.normal(0, 0.1, 800)
    done = smooth_series(Series("reward", x, y), "lowess", LOWESS_PARAMS, band="residual")
    chosen = choose_frac(x, y)
    assert done.params["frac"] == chosen and done.params[AUTO_KEY] == ("frac",)
    fixed = smooth_series(Series("reward", x, y), "lowess", {**LOWESS_PARAMS, "frac": chosen},
                          band="residual")
    np.testing.assert_array_equal(done.y, fixed.y)
    np.testing.assert_array_equal(done.band_high, fixed.band_high)
    assert AUTO_KEY not in fixed.params
    assert describe(done.method, done.params) == f"LOWESS frac=auto→{chosen:g} it=0 delta=auto"
    assert describe(fixed.method, fixed.params) == f"LOWESS frac={chosen} it=0 delta=auto"


def test_auto_beside_a_bandwidth_is_unused_and_not_reported_as_chosen():
    x = np.linspace(0, 10, 200)
    y = np.sin(x)
    done = smooth_series(Series("r", x, y), "lowess", {**LOWESS_PARAMS, "bandwidth": 1.5})
    assert AUTO_KEY not in done.params
    np.testing.assert_array_equal(done.y, smooth_lowess(x, y, bandwidth=1.5))


def test_auto_skips_non_finite_values_when_choosing():
    rng = np.random.default_rng(8)
    x = np.sort(rng.uniform(0, 1, 500))
    y = _truth("sigmoid", x) + rng.normal(0, 0.05, 500)
    holed = y.copy()
    holed[::50] = np.nan
    out = smooth_lowess(x, holed, frac="auto")
    assert np.isnan(out[::50]).all() and np.isfinite(np.delete(out, np.s_[::50])).all()
    keep = np.isfinite(holed)
    np.testing.assert_array_equal(out[keep], smooth_lowess(x[keep], y[keep], frac="auto"))


def test_auto_is_a_valid_frac_and_other_text_is_refused_with_the_allowed_values():
    check_params("lowess", {"frac": "auto"})
    with pytest.raises(ConfigError, match="frac='fast' is out of range") as caught:
        check_params("lowess", {"frac": "fast"})
    assert "'auto'" in caught.value.hint


def test_footnote_says_what_was_chosen_per_panel_and_nothing_for_fixed_fracs():
    x = np.linspace(0, 1, 400)
    steep = Series("reward", x, _truth("step", x) + np.random.default_rng(1).normal(0, 0.05, 400))
    flat = Series("loss", x, np.random.default_rng(2).normal(0, 1, 400))
    runs = [[smooth_series(steep, "lowess", LOWESS_PARAMS), smooth_series(flat, "lowess", LOWESS_PARAMS)]]
    text = chosen_footnote(runs, ["reward", "loss"])
    first, second = runs[0][0].params["frac"], runs[0][1].params["frac"]
    assert text == f"reward: LOWESS frac=auto→{first:g} · loss: LOWESS frac=auto→{second:g}"
    assert chosen_footnote([runs[0][:1]], ["reward"]) == f"LOWESS frac=auto→{first:g}"
    two_runs = [runs[0][:1], [smooth_series(flat, "lowess", LOWESS_PARAMS)]]
    low, high = sorted({first, second})
    assert chosen_footnote(two_runs, ["reward"]) == f"LOWESS frac=auto→{low:g}–{high:g}"
    fixed = [[smooth_series(steep, "lowess", {"frac": 0.2})]]
    assert chosen_footnote(fixed, ["reward"]) is None
