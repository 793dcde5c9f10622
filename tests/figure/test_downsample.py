"""The extreme-preserving downsample: budget, envelope per bucket, first/last and global extremes."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.figure.downsample import bucket_size, minmax_indices, scatter_indices


def buckets_of(n, max_points):
    """The buckets minmax_indices promises: runs of bucket_size over the inner points 1..n-2."""
    size = bucket_size(n, max_points)
    starts = np.arange(1, n - 1, size)
    return [(int(s), int(min(s + size, n - 1))) for s in starts]


def check_envelope(y, max_points):
    keep = minmax_indices(y, max_points)
    n = len(y)
    assert len(keep) <= max(max_points, 4)   # first, last, min and max at the least
    assert np.all(np.diff(keep) > 0)               # sorted and unique
    assert keep[0] == 0 and keep[-1] == n - 1       # first and last always drawn
    assert y[keep].min() == y.min() and y[keep].max() == y.max()   # global extremes drawn
    if n > max(max_points, 4):
        kept = set(keep.tolist())
        for lo, hi in buckets_of(n, max_points):
            inside = np.array([i for i in range(lo, hi) if i in kept])
            assert y[inside].min() == y[lo:hi].min()
            assert y[inside].max() == y[lo:hi].max()
    return keep


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=400),
       max_points=st.integers(2, 60))
def test_envelope_is_kept_per_bucket(values, max_points):
    check_envelope(np.array(values), max_points)


@pytest.mark.parametrize("n,max_points", [(1_000_000, 4000), (10_007, 4000), (5, 4), (3, 2)])
def test_big_and_awkward_sizes_keep_ends_extremes_and_budget(n, max_points):
    rng = np.random.default_rng(n)
    y = rng.normal(size=n).cumsum()
    keep = check_envelope(y, max_points) if n < 20000 else minmax_indices(y, max_points)
    assert keep[0] == 0 and keep[-1] == n - 1 and len(keep) <= max(max_points, 4)
    assert y[keep].max() == y.max() and y[keep].min() == y.min()
    if n > 100_000:
        # At least half the budget is used on a big series.
        assert len(keep) > max_points // 2


def test_small_series_is_drawn_whole():
    np.testing.assert_array_equal(minmax_indices(np.arange(10.0), 4000), np.arange(10))


def test_a_spike_between_picks_is_drawn():
    y = np.zeros(100_000)
    y[54_321] = 7.0
    y[77_777] = -3.0
    keep = minmax_indices(y, 500)
    assert 54_321 in keep and 77_777 in keep


def test_non_finite_values_never_win_a_bucket():
    y = np.linspace(0.0, 1.0, 1000)
    y[100:110] = np.nan
    y[500] = np.inf
    keep = minmax_indices(y, 50)
    inner = keep[(keep > 0) & (keep < 999)]
    assert np.all(np.isfinite(y[inner]))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=400),
       max_points=st.integers(2, 60))
def test_scatter_keeps_the_half_budget_envelope_within_budget(values, max_points):
    y = np.array(values)
    keep = scatter_indices(y, max_points)
    assert len(keep) <= max(max_points, 4) and np.all(np.diff(keep) > 0)
    assert set(minmax_indices(y, max_points // 2).tolist()) <= set(keep.tolist()) \
        or len(y) <= max(max_points, 4)
    assert y[keep].min() == y.min() and y[keep].max() == y.max()


def test_scatter_shows_the_inside_of_a_dense_cloud():
    rng = np.random.default_rng(3)
    y = rng.normal(size=200_000)
    keep = scatter_indices(y, 4000)
    assert 3900 <= len(keep) <= 4000
    drawn = y[keep]
    # Extremes alone would leave the middle empty; the drawn cloud has its share of it.
    assert np.mean(np.abs(drawn) < 1.0) > 0.3
    check_envelope(y[:50_000], 2000)   # and the envelope still holds per bucket
