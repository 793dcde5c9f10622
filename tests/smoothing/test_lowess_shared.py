"""LOWESS of many series sharing x (``lowess_shared``): statsmodels' curve of each, to the bit."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rlplot.data import Series
from rlplot.smoothing import smooth_many, smooth_series
from rlplot.smoothing.lowess import SHARED_MIN_SERIES, smooth_lowess, smooth_lowess_together, \
    statsmodels_lowess_kernel
from rlplot.smoothing.lowess_shared import fit_plan, lowess_many


def statsmodels_curve(x: np.ndarray, y: np.ndarray, frac: float, delta: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        fitted, _ = statsmodels_lowess_kernel()(np.ascontiguousarray(y), x, x, np.ones_like(x),
                                                frac=frac, it=0, delta=delta, given_xvals=False)
    return fitted[:, 1]


@st.composite
def shared_x(draw):
    n = draw(st.integers(3, 400))
    if draw(st.booleans()):   # repeated x: statsmodels copies a tied point's fit
        x = np.sort(draw(st.lists(st.integers(0, max(2, n // 3)), min_size=n, max_size=n)))
    else:
        x = np.sort(draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)))
    x = np.asarray(x, dtype=np.float64)
    frac = draw(st.sampled_from([0.05, 0.2, 0.5, 1.0]) | st.floats(0.01, 1.0))
    delta = draw(st.sampled_from([0.0, 0.01 * (x[-1] - x[0])]) | st.floats(0.0, 50.0))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    series = draw(st.sampled_from([1, 2, 3, 8]) | st.integers(1, 40))   # both loops of _window_sums
    return x, frac, delta, np.random.default_rng(seed).normal(size=(n, series))


@settings(max_examples=200, deadline=None)
@given(case=shared_x())
@example(case=(np.arange(10.0), 0.2, 3.0, np.random.default_rng(0).normal(size=(10, 3))))
def test_each_curve_is_statsmodels_bit_for_bit(case):
    x, frac, delta, ys = case
    got = lowess_many(x, ys, frac, delta)
    for column in range(ys.shape[1]):
        want = statsmodels_curve(x, ys[:, column], frac, delta)
        assert np.array_equal(got[:, column], want, equal_nan=True)


def test_the_plan_fits_every_point_without_delta_and_skips_within_it():
    x = np.arange(20.0)
    assert fit_plan(x, 0.0).anchors.tolist() == list(range(20))
    plan = fit_plan(x, 4.0)
    # statsmodels jumps to the last point within delta and interpolates the ones between;
    # near the end (no point past the cut) it steps to the next-to-last point, then the last.
    assert plan.anchors.tolist() == [0, 4, 8, 12, 16, 18, 19]
    assert plan.between.tolist() == [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17]
    assert plan.below.tolist() == [0] * 3 + [4] * 3 + [8] * 3 + [12] * 3 + [16]
    assert plan.above.tolist() == [4] * 3 + [8] * 3 + [12] * 3 + [16] * 3 + [18]


def test_tied_x_copies_the_fit_of_its_anchor():
    x = np.array([0.0, 1.0, 1.0, 1.0, 2.0, 3.0])
    plan = fit_plan(x, 0.0)
    assert plan.anchors.tolist() == [0, 1, 4, 5]
    assert plan.tie_points.tolist() == [2, 3] and plan.tie_anchors.tolist() == [1, 1]


def _seeds(count: int, n: int = 300, nan_at: int | None = None) -> list[tuple]:
    rng = np.random.default_rng(7)
    x = np.arange(n) * 10.0
    pairs = []
    for _ in range(count):
        y = rng.normal(size=n)
        if nan_at is not None:
            y[nan_at] = np.nan
        pairs.append((x, y))
    return pairs


def test_series_sharing_x_are_smoothed_together_exactly_as_alone():
    pairs = _seeds(SHARED_MIN_SERIES + 2) + [(np.arange(300) * 3.0, np.arange(300.0) % 7)]
    together = smooth_lowess_together(pairs, frac=0.2)
    assert sorted(together) == list(range(SHARED_MIN_SERIES + 2))   # the odd one out is left
    for index, curve in together.items():
        assert np.array_equal(curve, smooth_lowess(*pairs[index], frac=0.2))


def test_missing_values_stay_in_place_and_group_by_the_finite_x():
    pairs = _seeds(SHARED_MIN_SERIES, nan_at=5)
    together = smooth_lowess_together(pairs, frac=0.3)
    assert len(together) == SHARED_MIN_SERIES
    for index, curve in together.items():
        alone = smooth_lowess(*pairs[index], frac=0.3)
        assert np.isnan(curve[5]) and np.array_equal(curve, alone, equal_nan=True)


@pytest.mark.parametrize("params", [{"frac": 0.2, "it": 1}, {"frac": "auto"},
                                    {"frac": 0.2, "bandwidth": 50.0}])
def test_settings_it_cannot_share_are_left_to_one_by_one(params):
    assert smooth_lowess_together(_seeds(SHARED_MIN_SERIES), **params) == {}


def test_too_few_series_are_left_to_one_by_one():
    assert smooth_lowess_together(_seeds(SHARED_MIN_SERIES - 1), frac=0.2) == {}


def test_smooth_many_gives_what_smooth_series_gives_each():
    series = [Series("acc", x, y) for x, y in _seeds(SHARED_MIN_SERIES + 1)]
    params = {"frac": 0.25, "it": 0, "delta": "auto"}
    many = smooth_many(series, "lowess", params, band="residual", band_k=1.5)
    for one, done in zip(series, many):
        alone = smooth_series(one, "lowess", params, band="residual", band_k=1.5)
        assert np.array_equal(done.y, alone.y)
        assert np.array_equal(done.band_low, alone.band_low)
        assert done.params == alone.params and done.notices == alone.notices


def test_a_big_group_is_smoothed_in_chunks_with_the_same_result(monkeypatch):
    from rlplot.smoothing import lowess

    monkeypatch.setattr(lowess, "SHARED_CHUNK_SERIES", 3)
    pairs = _seeds(SHARED_MIN_SERIES + 2)
    together = smooth_lowess_together(pairs, frac=0.2)
    assert sorted(together) == list(range(len(pairs)))
    for index, curve in together.items():
        assert np.array_equal(curve, smooth_lowess(*pairs[index], frac=0.2))
