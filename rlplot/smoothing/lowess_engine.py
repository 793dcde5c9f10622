"""rlplot's LOWESS engine: tricube local linear fits at anchors, linear interpolation in between.

The same regression as statsmodels; it also takes a fixed half-width (``bandwidth``)
and, above ``LOWESS_BINNED_ABOVE`` points, sums the points of each bin once instead
of once per fit. Arrays have shape (n,) with x sorted ascending.
"""
from __future__ import annotations

import numpy as np

from .method import span

# Above this many points, delta='auto' lets LOWESS interpolate between fits; below
# it every point gets its own fit (exact, like statsmodels with delta=0).
LOWESS_AUTO_DELTA_POINTS = 5000
LOWESS_AUTO_DELTA_FRACTION = 0.0025
# With delta='auto', fits are at most this share of the narrowest local window apart.
LOWESS_AUTO_DELTA_OF_RADIUS = 0.1
# Above this many points LOWESS sums the points of each bin once instead of per fit;
# each local window then holds at least LOWESS_BINS_PER_WINDOW bins.
LOWESS_BINNED_ABOVE = 20000
LOWESS_BINS_PER_WINDOW = 256


def window_points(n: int, frac: float) -> int:
    """Points in each local fit of ``n`` with ``frac``: statsmodels' k (at least 2, at most n)."""
    return min(max(int(frac * n + 1e-10), 2), n)


def bin_points(k: int) -> int:
    """Points per bin when binned, for windows of ``k`` points (>= LOWESS_BINS_PER_WINDOW bins each)."""
    return max(1, k // LOWESS_BINS_PER_WINDOW)


def delta_probes(n: int) -> np.ndarray:
    """The point indices 'auto' delta reads the window radius at: 257 spread over ``n`` points."""
    return np.unique(np.linspace(0, n - 1, 257).astype(np.int64))


def auto_delta(x_span: float, narrowest: float) -> float:
    """'auto' delta of a series spanning ``x_span`` whose narrowest window radius is ``narrowest``."""
    return min(LOWESS_AUTO_DELTA_FRACTION * x_span, LOWESS_AUTO_DELTA_OF_RADIUS * narrowest)


def fit_lowess(x, y, *, frac, it, delta, bandwidth, binned_above=LOWESS_BINNED_ABOVE):
    """LOWESS of y on x at every x: ``frac`` of the points per fit, or ``bandwidth`` x units each side."""
    n = len(x)
    k = window_points(n, frac)
    # One row per point; fits read per-bin moments. Bins hold one point each up to
    # `binned_above` points, which makes the sums below exactly statsmodels' regression.
    if n <= binned_above:
        ids = np.arange(n)
    elif bandwidth is None:
        ids = np.arange(n) // bin_points(k)
    else:
        ids = np.floor((x - x[0]) / (2.0 * bandwidth / LOWESS_BINS_PER_WINDOW)).astype(np.int64)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ids)) + 1))
    sizes = np.diff(np.append(starts, n))
    single = len(starts) == n
    # Each bin sits at its plain mean x (sorted, so windows are found by searchsorted);
    # its moments are taken about that centre, weighted by the robustness weights.
    center = x if single else np.add.reduceat(x, starts) / sizes
    offset = None if single else x - np.repeat(center, sizes)
    anchors = _anchors(x, k, delta, bandwidth)
    radius = _radius(x, x[anchors], k, bandwidth)
    y_center = float(np.mean(y))
    yc = y - y_center
    weights = np.ones(n)
    for done in range(it + 1):
        if single:
            moments = (weights, None, None, weights * yc, None)
        else:
            wo = weights * offset
            moments = tuple(np.add.reduceat(v, starts) for v in
                            (weights, wo, wo * offset, weights * yc, wo * yc))
        fit = _local_fits(x[anchors], radius, center, moments, yc[anchors]) + y_center
        fitted = np.interp(x, x[anchors], fit)
        if done < it:
            weights = _robust_weights(y - fitted)
    return fitted


def resolve_delta(x, k, delta, bandwidth) -> float:
    """``delta`` in x units; 'auto' is 0 up to 5,000 points, else 0.25 % of the x range or a
    tenth of the narrowest window (sampled at 257 points), whichever is smaller."""
    n = len(x)
    if delta != "auto":
        return float(delta)
    if n <= LOWESS_AUTO_DELTA_POINTS:
        return 0.0
    narrowest = float(np.min(_radius(x, x[delta_probes(n)], k, bandwidth)))
    return auto_delta(span(x), narrowest)


def _anchors(x, k, delta, bandwidth) -> np.ndarray:
    """Indices of the points fitted; the others are interpolated linearly between them."""
    n = len(x)
    delta = resolve_delta(x, k, delta, bandwidth)
    if delta <= 0:
        cells = x
    else:
        cells = np.floor((x - x[0]) / delta)
    change = np.flatnonzero(np.diff(cells)) + 1
    # The first and the last point of every delta-wide cell (every distinct x if delta = 0).
    return np.unique(np.concatenate(([0, n - 1], change, change - 1)))


def _radius(x, at, k, bandwidth) -> np.ndarray:
    """Half-width of the window around each of ``at``: the k-nearest-points radius, or the bandwidth."""
    if bandwidth is not None:
        return np.full(len(at), bandwidth)
    n = len(x)
    # statsmodels slides a k-point window right while x0 > (x[left] + x[left+k]) / 2;
    # that sum is non-decreasing in `left`, so a binary search finds the same window.
    left = np.searchsorted(x[: n - k] + x[k:], 2.0 * at, side="left") if k < n \
        else np.zeros(len(at), dtype=np.int64)
    return np.maximum(at - x[left], x[left + k - 1] - at)


def _local_fits(at, radius, center, moments, own_y, chunk=1 << 21):
    """Tricube-weighted linear regression at each of ``at`` from per-bin moments.

    ``moments`` per bin, about its ``center`` c: Σw, Σw(x-c), Σw(x-c)², Σw·y, Σw(x-c)y
    (None for zeros, i.e. one point per bin). A fit with fewer than two weighted bins
    returns ``own_y``, the anchor's own value, as statsmodels does.
    """
    lo = np.searchsorted(center, at - radius, side="right")
    hi = np.searchsorted(center, at + radius, side="left")
    fits = np.empty(len(at))
    widths = hi - lo
    order = np.argsort(widths, kind="stable")
    last = len(center) - 1
    start = 0
    while start < len(at):
        # Anchors of similar width share one padded 2-D block of bins.
        take = max(1, chunk // max(int(widths[order[start]]), 1))
        block = order[start:start + take]
        width = max(int(widths[block].max()), 1)
        cols = lo[block, None] + np.arange(width)
        inside = cols < hi[block, None]
        cols = np.minimum(cols, last)
        r = radius[block, None]
        d = center[cols] - at[block, None]
        with np.errstate(all="ignore"):   # a tiny radius: u overflows to inf, clipped to 1
            u = np.minimum(np.where(r > 0, np.abs(d) / np.where(r > 0, r, 1.0), 0.0), 1.0)
        tri = np.where(inside, (1.0 - u ** 3) ** 3, 0.0)
        fits[block] = _weighted_line(tri, d, cols, r[:, 0], moments, own_y[block])
        start += take
    return fits


def _weighted_line(tri, d, cols, r, moments, own_y):
    """The value at the anchor of the line fitted with tricube weights ``tri`` (anchors × bins)."""
    s0, s1, s2, sy, sxy = moments
    w = tri * s0[cols]
    # About the anchor, a bin adds Σw·t = S0·d + S1, Σw·t² = S0·d² + 2d·S1 + S2,
    # Σw·y = Sy and Σw·t·y = d·Sy + Sxy, with t = x - anchor and d = c - anchor.
    sw = w.sum(1)
    st = (w * d).sum(1)
    stt = (w * d * d).sum(1)
    syy = (tri * sy[cols]).sum(1)
    sty = (tri * sy[cols] * d).sum(1)
    if s1 is not None:
        t1 = tri * s1[cols]
        st += t1.sum(1)
        stt += (2.0 * d * t1 + tri * s2[cols]).sum(1)
        sty += (tri * sxy[cols]).sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mt = st / sw
        my = syy / sw
        var = stt / sw - mt * mt
        cov = sty / sw - mt * my
        slope = np.where(var > 1e-12 * r ** 2, cov / var, 0.0)
        value = my - slope * mt
    enough = (w > 1e-12).sum(1) >= 2
    return np.where(enough, value, own_y)


def _robust_weights(residual: np.ndarray) -> np.ndarray:
    """statsmodels' bisquare robustness weights from the residuals of the last pass."""
    magnitude = np.abs(residual)
    median = float(np.median(magnitude))
    if median == 0:
        return (magnitude == 0).astype(np.float64)
    u = np.minimum(magnitude / (6.0 * median), 1.0)
    return (1.0 - u * u) ** 2
