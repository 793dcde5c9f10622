"""LOWESS of many series that share one x, bit for bit what statsmodels gives each of them.

With ``it=0`` (the default) statsmodels fits each anchor point as ``Σ p_j·y_j`` over its window,
with projection weights p that depend on x alone, and fills the points between anchors by linear
interpolation (its ``delta``). Seeds logged at the same steps share x, so the weights are
computed once and applied to every series: one pass over each window for all of them instead of
one statsmodels call per series. Every operation is statsmodels' own
(``statsmodels/nonparametric/_smoothers_lowess.pyx``), in its order: the sliding window, the
tricube weights and their numpy sum, sequential sums over each window, the interpolation; so
each curve is statsmodels' to the bit (tests/smoothing/test_lowess_shared.py checks it).
Arrays: x (n,) sorted ascending and finite, ys (n, series).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Anchors × window elements handled at once: bounds the weight arrays (~16 MB each).
BLOCK_ELEMENTS = 1 << 21


@dataclass(frozen=True)
class FitPlan:
    """statsmodels' schedule for one x: the points it fits, and how it fills the others."""

    anchors: np.ndarray        # (m,) indices fitted by weighted regression, ascending
    tie_points: np.ndarray     # points tied with an anchor's x: they copy its fit
    tie_anchors: np.ndarray
    between: np.ndarray        # points interpolated linearly ...
    below: np.ndarray          # ... between the fit at this point (an anchor or a tie)
    above: np.ndarray          # ... and at this anchor


def fit_plan(x: np.ndarray, delta: float) -> FitPlan:
    """The anchors statsmodels fits for sorted ``x`` (n,) with ``delta`` (its ``update_indices``)."""
    n = len(x)
    anchors, tie_points, tie_anchors, gaps = [], [], [], []
    i, last = 0, -1
    while True:
        anchors.append(i)
        if last < i - 1:
            gaps.append((last, i))
        tie_end = int(np.searchsorted(x, x[i], side="right"))
        if tie_end > i + 1:              # repeated x: the same fit, and the last one counts as fitted
            tie_points.extend(range(i + 1, tie_end))
            tie_anchors.extend([i] * (tie_end - i - 1))
        last = max(i, tie_end - 1)
        if last >= n - 1:
            break
        beyond = int(np.searchsorted(x, x[i] + delta, side="right"))   # first x past the cut
        k = min(beyond, n - 1)
        i = max(k - 1, last + 1)
    between = [np.arange(lo + 1, hi) for lo, hi in gaps]
    counts = [hi - lo - 1 for lo, hi in gaps]
    as_int = lambda values: np.asarray(values, dtype=np.int64)   # noqa: E731
    return FitPlan(as_int(anchors), as_int(tie_points), as_int(tie_anchors),
                   np.concatenate(between) if between else as_int([]),
                   np.repeat(as_int([lo for lo, _ in gaps]), counts),
                   np.repeat(as_int([hi for _, hi in gaps]), counts))


def lowess_many(x: np.ndarray, ys: np.ndarray, frac: float, delta: float) -> np.ndarray:
    """statsmodels' LOWESS (``it=0``) of every column of ``ys`` (n, r) on ``x`` (n,): (n, r)."""
    n = len(x)
    k = min(max(int(frac * n + 1e-10), 2), n)
    plan = fit_plan(x, delta)
    fitted = np.empty_like(ys)
    mids = (x[: n - k] + x[k:]) / 2.0
    step = max(1, BLOCK_ELEMENTS // k)
    for start in range(0, len(plan.anchors), step):
        at = plan.anchors[start:start + step]
        fitted[at] = _fits(x, ys, at, k, mids)
    fitted[plan.tie_points] = fitted[plan.tie_anchors]
    if len(plan.between):
        lo, hi = x[plan.below], x[plan.above]
        a = ((x[plan.between] - lo) / (hi - lo))[:, None]
        fitted[plan.between] = a * fitted[plan.above] + (1.0 - a) * fitted[plan.below]
    return fitted


def _fits(x, ys, at, k, mids) -> np.ndarray:
    """The regression at the anchors ``at`` (m,) of every series: (m, r)."""
    xval = x[at]
    # statsmodels slides its k-point window right while xval > (x[left] + x[left + k]) / 2.
    left = np.searchsorted(mids, xval, side="left") if len(mids) else np.zeros(len(at), np.int64)
    cols = left[:, None] + np.arange(k)
    xw = x[cols]
    radius = np.fmax(xval - x[left], x[left + k - 1] - xval)
    with np.errstate(divide="ignore", invalid="ignore"):   # a window of one tied x
        dist = np.abs(xw - xval[:, None]) / radius[:, None]
        cube = dist * dist * dist
        weights = 1.0 - cube
        weights = weights * weights * weights
        total = np.sum(weights, axis=1)
        ok = np.count_nonzero(weights > 1e-12, axis=1) >= 2
        weights /= total[:, None]
        # Sequential sums (cumsum), as statsmodels' loops add them from 0.0 (+ 0.0: an all
        # -0.0 sum is +0.0 there).
        mean = np.cumsum(weights * xw, axis=1)[:, -1] + 0.0
        dev = xw - mean[:, None]
        spread = np.fmax(np.cumsum(weights * (dev * dev), axis=1)[:, -1] + 0.0, 1e-12)
        project = weights * (1.0 + (xval - mean)[:, None] * dev / spread[:, None])
    out = _window_sums(project, ys, cols)
    out[~ok] = ys[at[~ok]]     # fewer than two weighted points: the point's own value
    return out


def _window_sums(project: np.ndarray, ys: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``Σ_j project[a, j] · ys[cols[a, j]]`` for every anchor a and series, where ``cols`` (m, k)
    holds each anchor's window of consecutive rows: (m, r), each sum
    added in window order from 0.0, as statsmodels adds them (never BLAS, never pairwise).

    The Python loop runs over the anchors or over the window, whichever is shorter. Over the
    anchors, numpy's reduction down axis 0 of a C-contiguous (k, r) block adds its rows one
    after another (the inner loop runs along the r series); with a single series that block
    would be one contiguous run, which numpy sums pairwise, so one series loops over the window.
    """
    (m, k), r = cols.shape, ys.shape[1]
    if m < k and r > 1:
        out = np.empty((m, r))
        block = np.empty((k, r))
        for a, first in enumerate(cols[:, 0].tolist()):
            np.multiply(project[a, :, None], ys[first:first + k], out=block)
            np.add.reduce(block, axis=0, out=out[a])
        return out + 0.0      # an all -0.0 sum is +0.0 in statsmodels' loop
    out = np.zeros((m, r))
    for j in range(k):   # statsmodels adds p_j·y_j to 0.0 in window order
        out += project[:, j, None] * ys[cols[:, j]]
    return out
