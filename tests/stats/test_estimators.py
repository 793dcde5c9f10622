"""Point estimates equal rliable's on equal-count matrices (to 1e-12), and the task-weighted
definitions for unequal counts do what docs/compare.md says."""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlplot.stats import compare, estimators, from_cells, from_rliable

from .conftest import rly, rly_metrics, score_dict

TOL = 1e-12
RLIABLE_AGGREGATES = {
    "median": rly_metrics.aggregate_median,
    "iqm": rly_metrics.aggregate_iqm,
    "mean": rly_metrics.aggregate_mean,
    "optimality_gap": rly_metrics.aggregate_optimality_gap,
}


def flat(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rliable's (runs, tasks) matrix as a block ordered by task, and its counts."""
    return matrix.T.reshape(-1), np.full(matrix.shape[1], matrix.shape[0])


def test_aggregates_equal_rliable(scores):
    result = compare(from_rliable(scores), reps=10, profile=None, pairs=())
    for a, (name, matrix) in enumerate(scores.items()):
        for m, metric in enumerate(result.intervals.metrics):
            assert result.intervals.point[a, m] == pytest.approx(RLIABLE_AGGREGATES[metric](matrix),
                                                                 abs=TOL, rel=0)


def test_profiles_equal_rliable(scores):
    tau = np.linspace(-0.5, 1.5, 41)
    for kind, use_runs in (("runs", True), ("tasks", False)):
        ours = compare(from_rliable(scores), reps=10, profile=kind, tau=tau, pairs=()).profiles
        theirs, _ = rly.create_performance_profile(scores, tau, use_score_distribution=use_runs, reps=5)
        for a, name in enumerate(scores):
            np.testing.assert_allclose(ours.point[a], theirs[name], atol=TOL, rtol=0)
        assert ours.kind == kind and np.array_equal(ours.tau, tau)


def test_improvement_equals_rliable_for_every_pair(scores):
    ours = compare(from_rliable(scores), reps=10, profile=None, pairs="all").improvements
    assert ours.pairs == (("a", "b"), ("a", "c"), ("b", "c"))
    for (x, y), value in zip(ours.pairs, ours.point):
        assert value == pytest.approx(rly_metrics.probability_of_improvement(scores[x], scores[y]),
                                      abs=TOL, rel=0)


def test_default_pairs_are_the_first_against_each_other(scores):
    assert compare(from_rliable(scores), reps=5).improvements.pairs == (("a", "b"), ("a", "c"))


# Equal-count matrices of few distinct values: ties everywhere, constant columns, one run,
# one task all occur.
equal_matrices = st.tuples(st.integers(1, 7), st.integers(1, 5)).flatmap(
    lambda shape: hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 0.0, 0.25, 0.5, 1.0, 2.0,
                                                                           3.5])
                             | st.floats(-5, 5, allow_nan=False, width=32)))


@settings(max_examples=150, deadline=None)
@given(equal_matrices, st.floats(0.1, 3.0))
def test_every_estimator_equals_rliable_on_any_equal_count_matrix(matrix, gamma):
    block, counts = flat(matrix)
    assert estimators.median(block, counts) == pytest.approx(rly_metrics.aggregate_median(matrix), abs=TOL)
    assert estimators.mean(block, counts) == pytest.approx(rly_metrics.aggregate_mean(matrix), abs=TOL)
    assert estimators.iqm(block, counts) == pytest.approx(rly_metrics.aggregate_iqm(matrix), abs=TOL)
    assert estimators.optimality_gap(block, counts, gamma=gamma) == pytest.approx(
        rly_metrics.aggregate_optimality_gap(matrix, gamma), abs=TOL)
    tau = np.unique(np.concatenate([matrix.ravel(), np.linspace(-6, 6, 7)]))
    np.testing.assert_allclose(estimators.run_profile(block, counts, tau),
                               rly.score_distributions(matrix, tau), atol=TOL, rtol=0)
    np.testing.assert_allclose(estimators.task_profile(block, counts, tau),
                               rly.average_score_distributions(matrix, tau), atol=TOL, rtol=0)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4).flatmap(lambda tasks: st.tuples(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.just(tasks)), elements=st.sampled_from([0., 1., 2., 3.])),
    hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.just(tasks)), elements=st.sampled_from([0., 1., 2., 3.])))))
def test_improvement_equals_rliable_with_ties_and_unequal_algorithm_counts(pair):
    x, y = pair
    bx, cx = flat(x)
    by, cy = flat(y)
    ours = estimators.improvement(bx, cx, by, cy)
    assert ours == pytest.approx(rly_metrics.probability_of_improvement(x, y), abs=TOL)
    assert ours + estimators.improvement(by, cy, bx, cx) == pytest.approx(1.0, abs=TOL)


def expanded(cells: list[np.ndarray]) -> np.ndarray:
    """Each run of a task with n runs repeated lcm/n times: every task the same weight."""
    lcm = math.lcm(*(len(c) for c in cells))
    return np.concatenate([np.repeat(c, lcm // len(c)) for c in cells])


ragged_cells = st.lists(hnp.arrays(np.float64, st.integers(1, 6),
                                   elements=st.sampled_from([0., 0.5, 1., 2.]) | st.floats(-3, 3, width=32)),
                        min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(ragged_cells)
def test_unequal_counts_weigh_every_task_equally(cells):
    block = np.concatenate(cells)
    counts = np.array([len(c) for c in cells])
    means = np.array([c.mean() for c in cells])
    assert estimators.mean(block, counts) == pytest.approx(means.mean(), abs=TOL)
    assert estimators.median(block, counts) == pytest.approx(np.median(means), abs=TOL)
    assert estimators.iqm(block, counts) == pytest.approx(
        scipy.stats.trim_mean(expanded(cells), 0.25), abs=1e-9)
    clipped = np.array([np.minimum(c, 1.0).mean() for c in cells])
    assert estimators.optimality_gap(block, counts) == pytest.approx(1.0 - clipped.mean(), abs=TOL)
    tau = np.array([-1.0, 0.0, 0.5, 1.0, 2.5])
    expected = np.mean([[np.mean(c > t) for t in tau] for c in cells], axis=0)
    np.testing.assert_allclose(estimators.run_profile(block, counts, tau), expected, atol=TOL)
    assert block.min() - TOL <= estimators.iqm(block, counts) <= block.max() + TOL


def test_iqm_weights_a_task_with_fewer_runs_up():
    # task 0: one run at 10; task 1: three runs at 0. Flattened, 10 would be trimmed away;
    # weighed per task, half of the weight sits at 10 and the IQM lands in the middle.
    block, counts = np.array([10.0, 0.0, 0.0, 0.0]), np.array([1, 3])
    assert estimators.iqm(block, counts) == pytest.approx(5.0)
    assert scipy.stats.trim_mean(block, 0.25) == pytest.approx(0.0)


def test_estimators_vectorise_over_leading_axes():
    rng = np.random.default_rng(3)
    counts = np.array([2, 4, 3])
    block = rng.normal(size=(6, 5, counts.sum()))
    for function in (estimators.median, estimators.mean, estimators.iqm, estimators.optimality_gap):
        batched = function(block, counts)
        assert batched.shape == (6, 5)
        assert batched[4, 2] == pytest.approx(function(block[4, 2], counts), abs=TOL)
    tau = np.linspace(-1, 1, 9)
    assert estimators.run_profile(block, counts, tau).shape == (6, 5, 9)
    np.testing.assert_allclose(estimators.run_profile(block, counts, tau)[1, 3],
                               estimators.run_profile(block[1, 3], counts, tau), atol=TOL)


def test_ragged_matrix_point_estimates_through_compare():
    cells = {("a", "t1"): [1.0, 2.0, 3.0], ("a", "t2"): [5.0], ("b", "t1"): [0.0, 0.0], ("b", "t2"): [4.0, 6.0]}
    result = compare(from_cells(cells), reps=20, profile=None)
    assert result.intervals.get("a", "mean")[0] == pytest.approx((2.0 + 5.0) / 2)
    assert result.intervals.get("b", "median")[0] == pytest.approx((0.0 + 5.0) / 2)
    # t1: a beats both b runs with every run (1); t2: 5 vs {4, 6} -> 1/2; mean 3/4
    assert result.improvements.point[0] == pytest.approx(0.75)
    assert not result.matrix.equal_counts
    assert any("runs per task differ" in str(n) for n in result.notices)


def test_rliable_shaped_helper_is_consistent():
    data = score_dict(seed=4)
    matrix = from_rliable(data, tasks=["p", "q", "r", "s"])
    assert matrix.tasks == ("p", "q", "r", "s")
    for name, array in matrix.to_rliable().items():
        np.testing.assert_array_equal(array, data[name])
