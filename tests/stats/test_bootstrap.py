"""The stratified bootstrap: resamples stay within tasks, numbers are seeded and chunk-free,
CIs agree with rliable's (arch) within Monte Carlo error and cover known values at ~95 %."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import norm

from rlplot.errors import ConfigError
from rlplot.stats import bootstrap, compare, from_cells, from_rliable

from .conftest import rly, rly_metrics

RLIABLE_FUNCS = (rly_metrics.aggregate_median, rly_metrics.aggregate_iqm,
                 rly_metrics.aggregate_mean, rly_metrics.aggregate_optimality_gap)


def test_resample_index_draws_each_task_from_its_own_runs():
    counts = np.array([3, 1, 4])
    index = bootstrap.resample_index(counts, np.random.default_rng(0), 500)
    assert index.shape == (500, 8)
    assert np.all((index[:, :3] >= 0) & (index[:, :3] < 3))
    assert np.all(index[:, 3] == 3)                      # a task with one run: always that run
    assert np.all((index[:, 4:] >= 4) & (index[:, 4:] < 8))
    assert set(np.unique(index[:, 4:])) == {4, 5, 6, 7}  # with replacement, every run reachable


def test_chunk_size_does_not_change_the_numbers(monkeypatch):
    matrix = from_cells({("a", "t"): [1.0, 2.0, 4.0], ("a", "u"): [0.0, 3.0], ("b", "t"): [2.0, 2.5],
                         ("b", "u"): [1.0, 1.5, 5.0, 6.0]})
    whole = compare(matrix, reps=300, seed=3)
    monkeypatch.setattr(bootstrap, "CHUNK_ELEMENTS", 7)   # a few replicates per chunk
    monkeypatch.setattr("rlplot.stats.engine.chunks",
                        lambda reps, per_rep: bootstrap.chunks(reps, per_rep, budget=7 * per_rep))
    chunked = compare(matrix, reps=300, seed=3)
    np.testing.assert_array_equal(whole.intervals.low, chunked.intervals.low)
    np.testing.assert_array_equal(whole.profiles.high, chunked.profiles.high)
    np.testing.assert_array_equal(whole.improvements.low, chunked.improvements.low)


def test_same_seed_same_numbers_other_seed_other_numbers(scores):
    matrix = from_rliable(scores)
    one, two = compare(matrix, reps=200, seed=11), compare(matrix, reps=200, seed=11)
    other = compare(matrix, reps=200, seed=12)
    for field in ("low", "high"):
        np.testing.assert_array_equal(getattr(one.intervals, field), getattr(two.intervals, field))
    assert not np.array_equal(one.intervals.low, other.intervals.low)
    np.testing.assert_array_equal(one.intervals.point, other.intervals.point)


def test_an_algorithms_cis_do_not_depend_on_the_others(scores):
    both = compare(from_rliable(scores), reps=200, seed=5, pairs=())
    alone = compare(from_rliable({"a": scores["a"]}), reps=200, seed=5, pairs=(),
                    tau=both.profiles.tau)
    np.testing.assert_array_equal(both.intervals.low[0], alone.intervals.low[0])
    np.testing.assert_array_equal(both.profiles.high[0], alone.profiles.high[0])


def task_shifted(seed: int, runs: int, tasks: int) -> np.ndarray:
    # Tasks far apart: a bootstrap that mixed runs across tasks would give much wider CIs.
    rng = np.random.default_rng(seed)
    return rng.gamma(2.0, 0.2, (runs, tasks)) + np.linspace(0.0, 2.0, tasks)


def within_mc_error(ours_low, ours_high, theirs, share: float = 0.12) -> None:
    """Both bounds within ``share`` of our CI width of rliable's (~5 Monte Carlo sd)."""
    width = np.maximum(ours_high - ours_low, 1e-12)
    assert np.all(np.abs(theirs[0] - ours_low) <= share * width), (theirs[0], ours_low)
    assert np.all(np.abs(theirs[1] - ours_high) <= share * width), (theirs[1], ours_high)


def test_aggregate_cis_agree_with_rliable_within_monte_carlo_error():
    # sd of a 2.5 % bound from 2,000 replicates is ~2 % of the CI width: 12 % is ~5 sd
    data = {"x": task_shifted(1, 10, 5)}
    ours = compare(from_rliable(data), reps=2000, seed=1, profile=None, pairs=()).intervals
    np.random.seed(1)  # rliable's StratifiedBootstrap draws from numpy's global generator
    _, theirs = rly.get_interval_estimates(data, lambda s: np.array([f(s) for f in RLIABLE_FUNCS]),
                                           reps=2000)
    within_mc_error(ours.low[0], ours.high[0], theirs["x"])


def test_improvement_cis_agree_with_rliable():
    # rliable calls scipy's mannwhitneyu per task and replicate (~2 ms each): 1,000 replicates
    # of two tasks keep this test short; their bounds then have ~3 % sd, ours (4,000) ~1.6 %.
    x, y = task_shifted(2, 8, 2), task_shifted(3, 6, 2) + 0.1
    ours = compare(from_rliable({"x": x, "y": y}), reps=4000, seed=2, profile=None).improvements
    np.random.seed(2)
    _, theirs = rly.get_interval_estimates({"xy": [x, y]}, rly_metrics.probability_of_improvement,
                                           reps=1000)
    within_mc_error(ours.low, ours.high, theirs["xy"], share=0.18)


def test_profile_cis_agree_with_rliable():
    x = task_shifted(3, 8, 4)
    ours = compare(from_rliable({"x": x}), reps=2000, seed=3, tau=np.linspace(0.2, 2.4, 12)).profiles
    np.random.seed(3)
    _, theirs = rly.create_performance_profile({"x": x}, ours.tau, reps=2000)
    # profile values are multiples of 1/32 here: a bound may sit one step away
    assert np.max(np.abs(theirs["x"][0] - ours.low[0])) <= 1 / 32 + 1e-12
    assert np.max(np.abs(theirs["x"][1] - ours.high[0])) <= 1 / 32 + 1e-12
    assert np.mean(np.abs(theirs["x"] - np.stack([ours.low[0], ours.high[0]]))) < 1 / 64


def test_stratified_cis_are_narrower_than_pooled_ones_when_tasks_differ():
    data = task_shifted(4, 10, 5)
    stratified = compare(from_rliable({"x": data}), reps=1000, profile=None, pairs=()).intervals
    pooled = compare(from_rliable({"x": data.reshape(-1, 1)}), reps=1000, profile=None, pairs=()).intervals
    m = stratified.metrics.index("mean")
    assert stratified.point[0, m] == pytest.approx(pooled.point[0, m])
    assert (stratified.high - stratified.low)[0, m] < 0.5 * (pooled.high - pooled.low)[0, m]


MUS = np.array([0.1, 0.3, 0.5, 0.7, 0.9])   # symmetric about 0.5: median, IQM, mean all 0.5
SIGMA = 0.2


def true_values() -> dict[str, float]:
    d = (MUS - 1.0) / SIGMA
    clipped = MUS - ((MUS - 1.0) * norm.cdf(d) + SIGMA * norm.pdf(d))    # E[min(X, 1)]
    return {"median": 0.5, "iqm": 0.5, "mean": 0.5, "optimality_gap": 1.0 - clipped.mean(),
            "improvement": float(np.mean(norm.cdf(-0.1 / (SIGMA * np.sqrt(2))))), "profile": 0.5}


def test_cis_cover_known_values_at_about_the_nominal_rate():
    truth, trials = true_values(), 300
    hits = dict.fromkeys(truth, 0)
    rng = np.random.default_rng(2024)
    for trial in range(trials):
        x = rng.normal(MUS, SIGMA, (10, 5))
        y = rng.normal(MUS + 0.1, SIGMA, (10, 5))
        result = compare(from_rliable({"x": x, "y": y}), reps=400, seed=trial, tau=np.array([0.5]))
        for m, metric in enumerate(result.intervals.metrics):
            hits[metric] += result.intervals.low[0, m] <= truth[metric] <= result.intervals.high[0, m]
        hits["improvement"] += result.improvements.low[0] <= truth["improvement"] <= result.improvements.high[0]
        hits["profile"] += result.profiles.low[0, 0] <= truth["profile"] <= result.profiles.high[0, 0]
    rates = {k: v / trials for k, v in hits.items()}
    # 300 intervals: binomial sd ~1.3 points; percentile CIs from 10 runs run slightly narrow
    assert all(0.87 <= rate <= 0.99 for rate in rates.values()), rates


ragged = st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(-2, 2, width=32),
                           min_size=1, max_size=5), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(ragged, ragged.map(len), st.integers(0, 2 ** 32 - 1))
def test_intervals_are_ordered_and_stay_within_the_scores(cells_a, _, seed):
    tasks = [f"t{i}" for i in range(len(cells_a))]
    cells = {("a", t): c for t, c in zip(tasks, cells_a)}
    cells.update({("b", t): list(reversed(c)) + [0.5] for t, c in zip(tasks, cells_a)})
    result = compare(from_cells(cells), reps=50, seed=seed)
    est = result.intervals
    assert np.all(est.low <= est.high)
    scores = result.matrix.all_scores()
    mean_like = [est.metrics.index(m) for m in ("median", "iqm", "mean")]
    assert np.all(est.low[:, mean_like] >= scores.min() - 1e-12)
    assert np.all(est.high[:, mean_like] <= scores.max() + 1e-12)
    assert np.all((result.improvements.low >= 0) & (result.improvements.high <= 1))
    assert np.all(np.diff(result.profiles.point, axis=1) <= 1e-12)   # profiles never rise


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_constant_scores_give_zero_width_intervals(value, counts):
    cells = {("a", f"t{i}"): [value] * n for i, n in enumerate(counts)}
    est = compare(from_cells(cells), reps=30, pairs=()).intervals
    np.testing.assert_allclose(est.low, est.point, atol=1e-12, rtol=0)    # up to float rounding
    np.testing.assert_allclose(est.high, est.point, atol=1e-12, rtol=0)
    assert est.get("a", "iqm")[0] == pytest.approx(value)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.just(1), st.integers(1, 6)), elements=st.floats(-3, 3)))
def test_one_run_per_task_has_nothing_to_resample(matrix):
    result = compare(from_rliable({"a": matrix, "b": matrix[:, ::-1]}), reps=30)
    np.testing.assert_allclose(result.intervals.low, result.intervals.point, atol=1e-12, rtol=0)
    np.testing.assert_allclose(result.improvements.high, result.improvements.point, atol=1e-12, rtol=0)


@pytest.mark.parametrize("options, message", [
    ({"reps": 0}, "reps must be"), ({"reps": 2.5}, "reps must be"), ({"level": 100}, "CI level"),
    ({"metrics": ["iqr"]}, "did you mean 'iqm'"), ({"profile": "run"}, "did you mean 'runs'"),
    ({"pairs": [("a", "zz")]}, "unknown algorithm 'zz'"), ({"pairs": [("a", "a")]}, "itself"),
    ({"pairs": "some"}, "unknown pairs"), ({"tau_scale": "logarithmic"}, "tau scale"),
    ({"tau_points": 1}, "at least 2 points"),
])
def test_bad_options_are_config_errors(scores, options, message):
    with pytest.raises(ConfigError, match=message):
        compare(from_rliable(scores), **options)


def test_log_tau_grid_needs_positive_scores():
    result = compare(from_cells({("a", "t"): [0.5, 2.0, 8.0]}), reps=10, tau_scale="log", tau_points=5)
    np.testing.assert_allclose(result.profiles.tau, [0.5, 1.0, 2.0, 4.0, 8.0])
    assert result.profiles.scale == "log"
    with pytest.raises(ConfigError, match="positive scores"):
        compare(from_cells({("a", "t"): [-1.0, 0.0]}), reps=10, tau_scale="log")
