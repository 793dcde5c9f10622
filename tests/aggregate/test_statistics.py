"""The numbers of an aggregate: grids, statistics over runs, bands, and the registries naming them."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rlplot.aggregate import (band_bootstrap, band_sd, band_sem, common_grid, on_grid, stat_iqm,
                              stat_mean, stat_median)
from rlplot.choices import AGGREGATES, RUN_BANDS, X_RANGES
from rlplot.errors import ConfigError


def test_interpolation_never_extrapolates():
    grid = np.linspace(0, 10, 11)
    values = on_grid(np.array([2.0, 4.0, 6.0]), np.array([1.0, 3.0, 5.0]), grid)
    assert np.isnan(values[:2]).all() and np.isnan(values[7:]).all()
    np.testing.assert_allclose(values[2:7], [1, 2, 3, 4, 5])


def test_grid_spans_the_shared_or_the_whole_x_range():
    xs = [np.array([0.0, 5.0, 10.0]), np.array([2.0, 20.0])]
    inter = common_grid(xs, "intersection", 9)
    union = common_grid(xs, "union", 21)
    assert inter[0] == 2.0 and inter[-1] == 10.0 and len(inter) == 9
    assert union[0] == 0.0 and union[-1] == 20.0
    with pytest.raises(ConfigError, match="share no x range"):
        common_grid([np.array([0.0, 1.0]), np.array([2.0, 3.0])], "intersection")


def test_mean_of_seeds_recovers_the_true_curve():
    rng = np.random.default_rng(3)
    grid = np.linspace(0, 1, 50)
    truth = 0.3 + 0.4 * grid
    rows = []
    for _ in range(400):
        x = np.sort(rng.uniform(0, 1, 300))
        x[0], x[-1] = 0.0, 1.0
        rows.append(on_grid(x, 0.3 + 0.4 * x + rng.normal(0, 0.05), grid))  # a per-seed offset
    np.testing.assert_allclose(stat_mean(np.vstack(rows)), truth, atol=0.01)


def test_iqm_and_median_match_direct_computation():
    rng = np.random.default_rng(4)
    matrix = rng.standard_t(2, size=(13, 30))
    np.testing.assert_allclose(stat_iqm(matrix), stats.trim_mean(matrix, 0.25, axis=0))
    np.testing.assert_allclose(stat_median(matrix), np.median(matrix, axis=0))


def test_statistics_ignore_runs_that_do_not_cover_a_point():
    matrix = np.array([[1.0, np.nan], [3.0, 5.0], [5.0, np.nan]])
    np.testing.assert_allclose(stat_mean(matrix), [3.0, 5.0])
    np.testing.assert_allclose(stat_iqm(matrix), [3.0, 5.0])


def test_sd_and_sem_bands_are_the_spread_and_its_standard_error():
    matrix = np.array([[1.0, 2.0], [3.0, 6.0]])
    center = stat_mean(matrix)
    sd = band_sd(matrix, center)
    sem = band_sem(matrix, center)
    np.testing.assert_allclose(sd.high - center, np.std(matrix, axis=0, ddof=1))
    np.testing.assert_allclose(sem.high - center, np.std(matrix, axis=0, ddof=1) / np.sqrt(2))


def test_bootstrap_ci_is_seeded_and_covers_the_true_mean_at_about_the_nominal_rate():
    rng = np.random.default_rng(5)
    first = band_bootstrap(rng.normal(size=(10, 3)), np.zeros(3), reps=300, seed=1)
    matrix = rng.normal(size=(10, 3))
    a = band_bootstrap(matrix, stat_mean(matrix), reps=300, seed=7)
    b = band_bootstrap(matrix, stat_mean(matrix), reps=300, seed=7)
    np.testing.assert_array_equal(a.low, b.low)
    assert first.low.shape == (3,)
    hits = trials = 0
    for _ in range(150):
        matrix = rng.normal(2.0, 1.0, size=(20, 4))
        band = band_bootstrap(matrix, stat_mean(matrix), reps=400, seed=int(rng.integers(1 << 30)))
        hits += int(np.sum((band.low <= 2.0) & (band.high >= 2.0)))
        trials += 4
    assert 0.88 <= hits / trials <= 0.99  # percentile bootstrap with 20 runs: slightly under 95 %




@pytest.mark.parametrize("runs, gaps", [(3, 0.0), (40, 0.3), (300, 0.05)])
def test_the_mean_ci_through_run_counts_equals_the_gathered_resamples(runs, gaps):
    # band_bootstrap takes the mean of each resample as (draw counts) @ matrix; the plain way
    # gathers every resample. Same resamples, so the bands agree to float rounding.
    rng = np.random.default_rng(runs)
    matrix = rng.normal(5.0, 2.0, size=(runs, 60))
    matrix[rng.random(matrix.shape) < gaps] = np.nan
    matrix[:, 0] = np.nan                                  # a grid point no run covers
    band = band_bootstrap(matrix, stat_mean(matrix), reps=500, seed=3)
    draws = np.random.default_rng(3).integers(0, runs, size=(500, runs))
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        low, high = np.nanpercentile(stat_mean(matrix[draws], axis=1), [2.5, 97.5], axis=0)
    np.testing.assert_allclose(band.low, low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(band.high, high, rtol=0, atol=1e-12)
    assert np.isnan(band.low[0]) and np.isfinite(band.low[1:]).all()


def test_the_mean_ci_with_an_infinite_value_is_the_gathered_one():
    # Through draw counts a run never drawn would add 0 * inf = NaN: such a matrix is gathered.
    matrix = np.array([[1.0, 2.0], [np.inf, 3.0], [2.0, np.nan], [4.0, 5.0]])
    draws = np.random.default_rng(2).integers(0, 4, size=(300, 4))
    with np.errstate(invalid="ignore"):   # inf - inf where percentiles interpolate between infs
        band = band_bootstrap(matrix, stat_mean(matrix), reps=300, seed=2)
        low, high = np.percentile(stat_mean(matrix[draws], axis=1), [2.5, 97.5], axis=0)
    np.testing.assert_array_equal(band.low, low)
    np.testing.assert_array_equal(band.high, high)
    assert band.low[0] == 1.5


def test_unknown_x_range_is_a_config_error_with_a_suggestion():
    with pytest.raises(ConfigError, match="unknown x range 'unoin'") as info:
        common_grid([np.array([0.0, 1.0])], "unoin")
    assert "did you mean 'union'?" in info.value.hint


@pytest.mark.parametrize("registry", [AGGREGATES, RUN_BANDS, X_RANGES], ids=lambda r: r.what)
def test_every_registered_choice_loads_its_implementation_from_this_package(registry):
    loaded = {name: registry.load(name) for name in registry if registry[name].target}
    assert loaded, registry
    assert all(callable(f) and f.__module__.startswith("rlplot.aggregate") for f in loaded.values())
    assert set(registry) - set(loaded) <= {"none"}   # only "none" has nothing to run
