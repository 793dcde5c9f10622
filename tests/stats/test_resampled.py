"""The bootstrap's multiplicity forms equal the estimators on the resampled scores themselves."""
from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlplot.stats import estimators, resampled
from rlplot.stats.bootstrap import resample_index

cells = st.lists(hnp.arrays(np.float64, st.integers(1, 6),
                            elements=st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(-3, 3, width=32)),
                 min_size=1, max_size=5)


@settings(max_examples=120, deadline=None)
@given(cells, st.floats(0.2, 2.0), st.integers(0, 2 ** 32 - 1))
@example([np.array([0.5]), np.array([1.0, 2.0 ** -52, 2.0 ** -52, 2.0 ** -52])], 1.0, 0)
def test_every_statistic_of_a_resample_two_ways(task_cells, gamma, seed):
    values = np.concatenate(task_cells)
    counts = np.array([len(c) for c in task_cells])
    tau = np.unique(np.concatenate([values, [-4.0, 0.25, 4.0]]))
    index = resample_index(counts, np.random.default_rng(seed), 16)
    block = values[index]                                       # (16, N): the resampled scores
    m = resampled.multiplicities(index, len(values))
    assert np.all(m.sum(axis=1) == len(values))
    p = resampled.prepare(values, counts, gamma, tau)
    pairs = [(estimators.median(block, counts), resampled.median(m, p)),
             (estimators.mean(block, counts), resampled.mean(m, p)),
             (estimators.iqm(block, counts), resampled.iqm(m, p)),
             (estimators.optimality_gap(block, counts, gamma=gamma), resampled.optimality_gap(m, p)),
             (estimators.run_profile(block, counts, tau), resampled.run_profile(m, p))]
    # A task mean within rounding of a threshold may land on either side of it: the two ways
    # add the same scores in another order (hypothesis found 0.5 + 2.2e-16 / 2 against 0.5).
    # The task profile is compared at the thresholds no resample's task mean is that close to.
    clear = ~np.any(np.abs(resampled.task_means(m, p)[..., None] - tau) < 1e-9, axis=(0, 1))
    pairs.append((estimators.task_profile(block, counts, tau)[:, clear],
                  resampled.task_profile(m, p)[:, clear]))
    for direct, via_counts in pairs:
        np.testing.assert_allclose(via_counts, direct, atol=1e-9, rtol=0)


@settings(max_examples=80, deadline=None)
@given(cells, st.data())
def test_improvement_of_resamples_two_ways(x_cells, data):
    y_cells = [data.draw(hnp.arrays(np.float64, st.integers(1, 5), elements=st.sampled_from([0.0, 0.5, 1.0, 2.0])))
               for _ in x_cells]
    x, y = np.concatenate(x_cells), np.concatenate(y_cells)
    cx, cy = np.array([len(c) for c in x_cells]), np.array([len(c) for c in y_cells])
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    ix, iy = resample_index(cx, rng, 12), resample_index(cy, rng, 12)
    direct = estimators.improvement(x[ix], cx, y[iy], cy)
    table = resampled.pair_table(x, cx, y, cy)
    via_counts = resampled.improvement(resampled.multiplicities(ix, len(x)), resampled.multiplicities(iy, len(y)),
                                       table, cx, cy)
    np.testing.assert_allclose(via_counts, direct, atol=1e-12, rtol=0)
