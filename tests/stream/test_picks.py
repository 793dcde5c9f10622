"""Streamed picks (rlplot/stream/picks.py) equal figure.downsample.scatter_indices."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.figure.downsample import scatter_indices
from rlplot.stream.picks import ScatterPicks


@settings(max_examples=60, deadline=None)
@given(n=st.integers(10, 60_000), max_points=st.integers(4, 5000), chunk=st.integers(1, 20_000),
       seed=st.integers(0, 2**16))
def test_streamed_picks_equal_scatter_indices(n, max_points, chunk, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    x = np.cumsum(rng.uniform(0.5, 2.0, n))
    picks = ScatterPicks(n, max_points)
    for lo in range(0, n, chunk):
        picks.add(x[lo:lo + chunk], y[lo:lo + chunk])
    px, py = picks.points()
    keep = scatter_indices(y, max_points)
    np.testing.assert_array_equal(px, x[keep])
    np.testing.assert_array_equal(py, y[keep])


def test_fewer_points_than_announced_still_keep_both_ends():
    rng = np.random.default_rng(0)
    y = rng.normal(size=9000)
    x = np.arange(9000.0)
    picks = ScatterPicks(10_000, 400)
    picks.add(x, y)
    px, py = picks.points()
    assert px[0] == 0 and px[-1] == 8999
    assert len(px) <= 400
    assert py.min() == y.min() and py.max() == y.max()


@settings(max_examples=30, deadline=None)
@given(n=st.integers(300, 30_000), max_points=st.integers(20, 2000), seed=st.integers(0, 2**16))
def test_constant_stretches_keep_the_envelope_within_budget(n, max_points, seed):
    # A bucket of equal values gives one envelope point, not two: scatter_indices then spends
    # the spare point on its evenly spaced picks, which the stream had to choose up front.
    rng = np.random.default_rng(seed)
    y = np.round(rng.normal(size=n), 0)
    x = np.arange(n, dtype=np.float64)
    picks = ScatterPicks(n, max_points)
    picks.add(x, y)
    px, py = picks.points()
    keep = scatter_indices(y, max_points)
    assert len(px) <= max(max_points, 4)
    assert abs(len(px) - len(keep)) <= max(1, (max_points // 2 - 2) // 2) + 2   # one per bucket
    assert py.min() == y.min() and py.max() == y.max()
    assert px[0] == 0 and px[-1] == n - 1
