"""Sample-efficiency curves: the grid (no extrapolation), normalization, rliable's IQM per x, CIs."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.data import Series
from rlplot.errors import InputError
from rlplot.stats import evaluate, sample_efficiency
from rlplot.stats.normalize import from_references

from .conftest import rly, rly_metrics


def line(slope: float, start: float = 0.0, stop: float = 100.0, n: int = 21, offset: float = 0.0) -> Series:
    x = np.linspace(start, stop, n)
    return Series("return", x, offset + slope * x, "env_steps")


def test_curves_follow_the_runs_on_the_shared_x_range():
    cells = {("a", "t"): [line(1.0, 0, 100), line(1.0, 10, 120)], ("a", "u"): [line(2.0, 5, 90)]}
    curves = sample_efficiency(cells, points=9, statistic="mean", reps=50)
    np.testing.assert_allclose(curves.x, np.linspace(10, 90, 9))     # every run covers 10..90
    # mean of task means: t gives x, u gives 2x -> 1.5 x
    np.testing.assert_allclose(curves.point[0], 1.5 * curves.x)
    assert curves.x_label == "env_steps" and curves.statistic == "mean"
    assert curves.notices == ()


def test_iqm_at_each_x_equals_rliable_on_the_frames():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 50, 11)
    frames = rng.normal(size=(5, 3, len(x))).cumsum(axis=2)          # (runs, tasks, frames)
    cells = {("a", f"t{t}"): [Series("r", x, frames[r, t]) for r in range(5)] for t in range(3)}
    curves = sample_efficiency(cells, grid=x, reps=20)
    expected = [rly_metrics.aggregate_iqm(frames[..., i]) for i in range(len(x))]
    np.testing.assert_allclose(curves.point[0], expected, atol=1e-12, rtol=0)


def test_curve_cis_agree_with_rliable_frame_by_frame():
    rng = np.random.default_rng(1)
    x = np.linspace(0, 10, 4)
    frames = rng.gamma(2.0, 0.3, (8, 3, len(x))) + np.linspace(0, 1, 3)[None, :, None]
    cells = {("a", f"t{t}"): [Series("r", x, frames[r, t]) for r in range(8)] for t in range(3)}
    curves = sample_efficiency(cells, grid=x, reps=2000, seed=4)
    np.random.seed(4)
    iqm_per_frame = lambda s: np.array([rly_metrics.aggregate_iqm(s[..., i]) for i in range(s.shape[-1])])
    _, theirs = rly.get_interval_estimates({"a": frames}, iqm_per_frame, reps=2000)
    width = curves.high[0] - curves.low[0]
    assert np.all(np.abs(theirs["a"][0] - curves.low[0]) <= 0.12 * width)
    assert np.all(np.abs(theirs["a"][1] - curves.high[0]) <= 0.12 * width)


def test_curves_are_normalized_with_the_scores_map():
    cells = {("a", "t"): [line(1.0)], ("b", "t"): [line(0.5)]}
    norm = from_references({"t": {"random": 0.0, "expert": 50.0}})
    curves = sample_efficiency(cells, norm, points=3, reps=10)
    np.testing.assert_allclose(curves.point, [[0.0, 1.0, 2.0], [0.0, 0.5, 1.0]])
    np.testing.assert_array_equal(curves.low, curves.point)             # one run: nothing to resample


def test_grid_points_outside_a_run_are_left_out_with_a_notice():
    cells = {("a", "t"): [line(1.0, 0, 100), line(1.0, 0, 50)]}
    curves = sample_efficiency(cells, grid=[0, 25, 50, 75, 100], statistic="mean", reps=10)
    np.testing.assert_allclose(curves.x, [0, 25, 50])
    assert "2 of 5 grid points" in str(curves.notices[0]) and "never extrapolated" in str(curves.notices[0])
    with pytest.raises(InputError, match="no grid point"):
        sample_efficiency(cells, grid=[150, 200], reps=10)


def test_runs_without_a_shared_x_range_say_so():
    cells = {("a", "t"): [line(1.0, 0, 10), line(1.0, 20, 30)]}
    with pytest.raises(InputError, match="share no x range") as info:
        sample_efficiency(cells, reps=10)
    assert "leave the curves out" in info.value.hint
    with pytest.raises(InputError, match="no grid point is covered by every run"):
        sample_efficiency(cells, grid=[5.0, 25.0], reps=10)
    with pytest.raises(InputError, match="no points"):
        sample_efficiency({("a", "t"): [Series("r", np.array([]), np.array([]))]}, reps=10)


def test_a_missing_cell_is_named():
    with pytest.raises(InputError, match="'a' has no runs on task 'u'"):
        sample_efficiency({("a", "t"): [line(1.0)], ("b", "u"): [line(1.0)]}, reps=10)


def test_curves_are_seeded_and_independent_of_the_score_cis():
    rng = np.random.default_rng(2)
    cells = {(a, t): [Series("r", np.arange(10.0), rng.normal(size=10).cumsum()) for _ in range(4)]
             for a in "ab" for t in "xyz"}
    one = evaluate(cells, reps=100, seed=9, curve_points=5)
    two = evaluate(cells, reps=100, seed=9, curve_points=5)
    without = evaluate(cells, reps=100, seed=9, curves=False)
    np.testing.assert_array_equal(one.curves.low, two.curves.low)
    np.testing.assert_array_equal(one.intervals.low, without.intervals.low)
    assert without.curves is None and one.curves.point.shape == (2, 5)
