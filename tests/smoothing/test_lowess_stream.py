"""LOWESS on streamed bins (rlplot/smoothing/lowess_stream.py) against the binned engine in memory."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.smoothing.lowess_engine import LOWESS_BINNED_ABOVE, fit_lowess
from rlplot.smoothing.lowess_stream import LowessBins, bin_size

# The streamed curve reads x between bin edges by linear interpolation and fits at the
# delta-cell edges; measured here at <= 3e-6 of the y range on smooth and very uneven x.
TOLERANCE = 1e-4


def _streamed(x, y, frac, chunks, delta="auto"):
    bins = LowessBins(bin_size(len(x), frac))
    for lo, hi in zip(chunks[:-1], chunks[1:]):
        bins.add(x[lo:hi], y[lo:hi])
    return bins.fit(frac, delta).at(x)


def _data(n, seed, uneven):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 1, n)) ** 3 if uneven else np.linspace(0, 1, n)
    x = 1e19 + t * 1e21
    y = 0.35 + 0.28 * t + 0.05 * np.sin(9 * t) + rng.normal(0, 0.013, n)
    return x, y


@settings(max_examples=12, deadline=None)
@given(n=st.integers(LOWESS_BINNED_ABOVE + 1, 120_000), frac=st.sampled_from([0.05, 0.2, 0.6]),
       seed=st.integers(0, 2**16), uneven=st.booleans(), cuts=st.lists(st.floats(0, 1), max_size=8))
def test_streamed_bins_match_the_binned_engine(n, frac, seed, uneven, cuts):
    x, y = _data(n, seed, uneven)
    chunks = sorted({0, n, *(int(c * n) for c in cuts)})
    expected = fit_lowess(x, y, frac=frac, it=0, delta="auto", bandwidth=None)
    got = _streamed(x, y, frac, chunks)
    assert np.max(np.abs(got - expected)) <= TOLERANCE * np.ptp(y)


def test_how_the_pieces_are_cut_changes_nothing():
    x, y = _data(50_000, 3, uneven=True)
    one = _streamed(x, y, 0.2, [0, 50_000])
    many = _streamed(x, y, 0.2, list(range(0, 50_000, 997)) + [50_000])
    np.testing.assert_allclose(one, many, rtol=0, atol=1e-12)


def test_a_numeric_delta_is_used_as_given():
    x, y = _data(40_000, 5, uneven=False)
    bins = LowessBins(bin_size(len(x), 0.2))
    bins.add(x, y)
    curve = bins.fit(0.2, delta=np.ptp(x) / 10)
    assert len(curve.x) == 11
    np.testing.assert_allclose(np.diff(curve.x), np.ptp(x) / 10)


def test_the_bins_follow_a_trend_not_the_noise():
    x, y = _data(60_000, 9, uneven=False)
    truth = 0.35 + 0.28 * np.linspace(0, 1, 60_000) + 0.05 * np.sin(9 * np.linspace(0, 1, 60_000))
    got = _streamed(x, y, 0.05, [0, 20_000, 60_000])
    inner = slice(3000, -3000)
    assert np.max(np.abs(got[inner] - truth[inner])) < 0.01


@pytest.mark.parametrize("n", [30_000, 65_536])
def test_memory_is_per_bin_not_per_point(n):
    x, y = _data(n, 1, uneven=False)
    bins = LowessBins(bin_size(n, 0.2))
    for lo in range(0, n, 4096):
        bins.add(x[lo:lo + 4096], y[lo:lo + 4096])
    kept = sum(part.size for parts in bins._parts for part in parts) + bins._carry[0].size
    assert kept <= 8 * (n // bins.size + 1) + bins.size
