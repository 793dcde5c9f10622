"""``frac: auto``: LOWESS's frac chosen per series by leave-one-out cross-validation on binned data.

The points are cut into at most ``AUTO_BINS`` consecutive equal-count bins (one point per
bin for short series) and each bin becomes its mean x and mean y. For every frac of
``FRAC_GRID`` (the same share of bins as of points, since bins hold equal counts), each
bin's mean is predicted by LOWESS's local linear fit of the *other* bins (tricube weights
times the bin counts) and the squared errors are averaged. Binning keeps the optimum where
it is: a bin mean of c points has c times less noise variance and there are c times fewer
of them, which is the same trade-off of bias against variance. Cost: one pass over the
points plus a few thousand bin fits, whatever the series length.

The choice is the *widest* frac whose error is within half a standard error of the
smallest (a half-SE rule): flat error curves, as on pure noise or a straight line, pick a
wide frac instead of the noisiest of near-ties; sharp changes still pick a narrow one.
Deterministic (no randomness, ties go to the wider frac). No matplotlib.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .lowess_engine import window_points

# Candidate fracs: an E-series from 1 % to 100 % of the points, so a chosen value reads well
# ("frac=auto→0.012") and is exactly the value used.
FRAC_GRID = (0.01, 0.012, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15,
             0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
AUTO_BINS = 512             # most bins the cross-validation fits
AUTO_MIN_BINS_PER_FIT = 5   # a frac must put at least this many bins in each local fit
AUTO_MIN_POINTS = 10        # below this a series is too short to choose: DEFAULT_FRAC
AUTO_SE_SHARE = 0.5         # widest frac within this many standard errors of the best
DEFAULT_FRAC = 0.2          # the seed chart's frac, used when nothing can be chosen


def binned_means(x: np.ndarray, y: np.ndarray, bins: int = AUTO_BINS
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean x, mean y and count of at most ``bins`` consecutive equal-count bins of sorted x, y (n,)."""
    n = len(x)
    if n <= bins:
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), np.ones(n)
    edges = np.linspace(0, n, bins + 1).round().astype(np.int64)
    counts = np.diff(edges).astype(np.float64)
    starts = edges[:-1]
    return np.add.reduceat(x, starts) / counts, np.add.reduceat(y, starts) / counts, counts


def loo_errors(xc: np.ndarray, yc: np.ndarray, counts: np.ndarray, frac: float) -> np.ndarray:
    """``count_i · (ȳ_i − fit_without_i(x_i))²`` per bin, shape (m,): LOWESS's local linear fit
    over the ``frac·m`` nearest bins (statsmodels' window rule), bin i itself left out.
    NaN where the other bins cannot define a line."""
    m = len(xc)
    k = window_points(m, frac)
    # statsmodels' window: slide right while x0 > (x[left] + x[left+k]) / 2.
    left = np.searchsorted(xc[:m - k] + xc[k:], 2.0 * xc, side="left") if k < m \
        else np.zeros(m, dtype=np.int64)
    rows = np.arange(m)
    # Each bin's window as a row of k consecutive bins (windows of a sorted x are contiguous).
    d = sliding_window_view(xc, k)[left] - xc[:, None]
    radius = np.maximum(-d[:, 0], d[:, -1])
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.abs(d) * np.where(radius > 0, 1.0 / radius, 0.0)[:, None]
    np.minimum(u, 1.0, out=u)
    u *= u * u
    np.subtract(1.0, u, out=u)
    w = u * u * u                                     # tricube
    w *= sliding_window_view(counts, k)[left]
    own = rows - left                                 # the bin itself in its window (ties: maybe not)
    inside = own < k
    w[rows[inside], own[inside]] = 0.0                # leave the bin itself out
    ys = sliding_window_view(yc, k)[left]
    wd = w * d
    s0, s1, s2 = w.sum(1), wd.sum(1), (wd * d).sum(1)
    sy, sdy = (w * ys).sum(1), (wd * ys).sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = s0 * s2 - s1 * s1
        line = det > 1e-12 * s0 * s2                  # else: a weighted mean (one x value)
        fit = np.where(line, (s2 * sy - s1 * sdy) / np.where(line, det, 1.0), sy / s0)
    return counts * (yc - fit) ** 2


def cv_curve(x: np.ndarray, y: np.ndarray, bins: int = AUTO_BINS
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate fracs, their mean leave-one-out squared error and its standard error,
    each shape (g,); fracs that leave fewer than 5 bins per fit are not candidates."""
    xc, yc, counts = binned_means(x, y, bins)
    m = len(xc)
    grid = np.array([f for f in FRAC_GRID if f * m + 1e-10 >= AUTO_MIN_BINS_PER_FIT] or [1.0])
    errors = np.array([loo_errors(xc, yc, counts, float(f)) for f in grid])
    total = counts.sum()
    score = errors.sum(1) / total
    spread = np.std(errors / (total / m), axis=1) / np.sqrt(m)
    bad = ~np.isfinite(errors).all(1)
    score[bad], spread[bad] = np.inf, 0.0
    return grid, score, spread


def choose_frac(x: np.ndarray, y: np.ndarray) -> float:
    """The frac LOWESS should use for sorted, finite x and y (n,): the widest candidate whose
    leave-one-out error is within half a standard error of the best; 0.2 for < 10 points."""
    if len(x) < AUTO_MIN_POINTS or x[-1] == x[0]:
        return DEFAULT_FRAC
    grid, score, spread = cv_curve(x, y)
    best = int(np.argmin(score))
    if not np.isfinite(score[best]):
        return DEFAULT_FRAC
    near = np.flatnonzero(score <= score[best] + AUTO_SE_SHARE * spread[best])
    return float(grid[near.max()])
