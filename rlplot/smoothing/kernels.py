"""Kernel averages: the edge-normalised moving average (a box over points), the Gaussian (over x
units, irregular x ok), and ``none`` (no kernel: the data itself)."""
from __future__ import annotations

import numpy as np

from .method import Method, on_finite, span, wider_than_x_range
from .params import check_positive_or_none, check_range, is_integer, scale_or_default

# Gaussian: grid spacing as a share of sigma for the binned (FFT-free) convolution,
# and the kernel cut-off in sigmas.
GAUSSIAN_GRID_PER_SIGMA = 16
GAUSSIAN_TRUNCATE = 5.0
GAUSSIAN_MAX_GRID = 1 << 22
GAUSSIAN_EXACT_PAIRS = 2_000_000   # up to this many point pairs within reach: exact sums


def rolling_notes(x, y, *, window=21) -> tuple[str, ...]:
    """Say when the window is longer than the series."""
    if window > len(x):
        return (f"rolling: window={window} is longer than the series ({len(x)} points); "
                "the curve flattens towards the series mean",)
    return ()


def smooth_rolling(x: np.ndarray, y: np.ndarray, *, window: int = 21) -> np.ndarray:
    """Mean of the points ``i-(N-1)/2 .. i+(N-1)/2`` that exist (fewer at the edges)."""
    check_range("rolling", "window", window, is_integer(window) and window >= 1 and window % 2 == 1,
                "an odd integer >= 1 (the point plus (window-1)/2 points each side)")
    half = (int(window) - 1) // 2
    return on_finite(None, y, lambda _, values: _box_mean(values, half))


def _box_mean(values: np.ndarray, half: int) -> np.ndarray:
    n = values.size
    center = float(np.mean(values))  # sums of centred values lose less to cancellation
    cum = np.empty(n + 1)
    cum[0] = 0.0
    np.cumsum(values - center, out=cum[1:])
    if 2 * half + 1 <= n:
        # Interior: full windows, by slices (no index arrays); edges: partial windows.
        out = np.empty(n)
        out[half:n - half] = (cum[2 * half + 1:] - cum[:n - 2 * half]) / (2 * half + 1)
        edge = np.arange(half)
        out[:half] = cum[edge + half + 1] / (edge + half + 1)
        right = np.arange(n - half, n)
        out[n - half:] = (cum[n] - cum[right - half]) / (n - right + half)
    else:
        index = np.arange(n)
        lo = np.maximum(index - half, 0)
        hi = np.minimum(index + half + 1, n)
        out = (cum[hi] - cum[lo]) / (hi - lo)
    out += center
    return out


def smooth_gaussian(x: np.ndarray, y: np.ndarray, *, sigma: float | None = None) -> np.ndarray:
    """``Σ_j K(x_i-x_j)·y_j / Σ_j K(x_i-x_j)``, K Gaussian with ``sigma`` (default 2 % of the x range).

    Exact sums (kernel cut at 5 sigma) when at most 2e6 point pairs are within reach;
    else points are spread linearly onto a grid of 16 nodes per sigma, the grid is
    convolved and read back linearly (measured error < 1e-4 of the y range).
    """
    check_positive_or_none("gaussian", "sigma", sigma)

    def fit(xs, values):
        if span(xs) == 0:   # every point at one x: each kernel weighs them all equally
            return np.full(values.shape, float(np.mean(values)))
        scale = scale_or_default(sigma, xs)
        cells = span(xs) / scale * GAUSSIAN_GRID_PER_SIGMA
        reach = GAUSSIAN_TRUNCATE * scale
        # Point pairs within reach, estimated from 1,025 evenly spread points (cheap at 1e7).
        probe = xs[np.linspace(0, len(xs) - 1, min(len(xs), 1025)).astype(np.int64)]
        pairs = len(xs) * float(np.mean(np.searchsorted(xs, probe + reach, side="right")
                                         - np.searchsorted(xs, probe - reach, side="left")))
        if pairs <= GAUSSIAN_EXACT_PAIRS or cells > GAUSSIAN_MAX_GRID:
            return _gaussian_direct(xs, values, scale)
        return _gaussian_grid(xs, values, scale)
    return on_finite(x, y, fit)


def _gaussian_direct(x, y, sigma, chunk=1 << 22):
    """The exact kernel sums over the points within the cut-off, in padded blocks."""
    center = float(np.mean(y))
    yc = y - center
    reach = GAUSSIAN_TRUNCATE * sigma
    lo = np.searchsorted(x, x - reach, side="left")
    hi = np.searchsorted(x, x + reach, side="right")
    out = np.empty_like(y)
    n = len(x)
    start = 0
    while start < n:
        width = int((hi - lo)[start:start + 64].max())
        take = max(1, chunk // max(width, 1))
        stop = min(n, start + take)
        width = int((hi - lo)[start:stop].max())
        cols = lo[start:stop, None] + np.arange(width)
        inside = cols < hi[start:stop, None]
        cols = np.minimum(cols, n - 1)
        k = np.where(inside, np.exp(-0.5 * ((x[cols] - x[start:stop, None]) / sigma) ** 2), 0.0)
        out[start:stop] = (k * yc[cols]).sum(1) / k.sum(1)
        start = stop
    return out + center


def _gaussian_grid(x, y, sigma):
    """Linear binning onto a regular grid, a truncated Gaussian convolution, linear read-back."""
    from scipy.ndimage import gaussian_filter1d

    center = float(np.mean(y))
    pos = x - x[0]
    pos *= GAUSSIAN_GRID_PER_SIGMA / sigma
    size = int(pos[-1]) + 2
    base = pos.astype(np.int64)   # pos >= 0, so truncation is floor
    frac = pos - base
    # x is sorted, so each grid cell's points are one slice: sums by reduceat, not bincount.
    starts = np.searchsorted(base, np.arange(size - 1))
    count = np.diff(np.append(starts, len(x))).astype(np.float64)
    occupied = count > 0
    safe = np.minimum(starts, len(x) - 1)

    def cell_sums(values):
        return np.where(occupied, np.add.reduceat(values, safe), 0.0)
    s_frac = cell_sums(frac)
    # Sums of y - center per cell, without a centred copy of y: Σy - c·count.
    s_y = cell_sums(y) - center * count
    frac *= y
    s_fy = cell_sums(frac) - center * s_frac
    # A point spreads 1 - frac onto its cell's left node and frac onto the right one.
    mass = np.zeros(size)
    total = np.zeros(size)
    mass[:-1] += count - s_frac
    mass[1:] += s_frac
    total[:-1] += s_y - s_fy
    total[1:] += s_fy
    smooth = dict(sigma=GAUSSIAN_GRID_PER_SIGMA, mode="constant", cval=0.0,
                  truncate=GAUSSIAN_TRUNCATE)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = gaussian_filter1d(total, **smooth) / gaussian_filter1d(mass, **smooth) + center
    return np.interp(pos, np.arange(size, dtype=np.float64), ratio)


def smooth_none(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The identity: the 'smoothed' line is the data itself."""
    return np.array(y, dtype=np.float64, copy=True)


ROLLING = Method(smooth_rolling, ("window",), rolling_notes)
GAUSSIAN = Method(smooth_gaussian, ("sigma",),
                  wider_than_x_range("gaussian", "sigma", "wider than", "the mean"))
NONE = Method(smooth_none, ())
