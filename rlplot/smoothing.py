"""Smoothing methods: a registry of pure functions ``(x, y, **params) -> y_smoothed``.

Each method is one entry in ``METHODS``; x is sorted ascending and finite, arrays
have shape (n,). Smoothing always sees every point; only drawing is downsampled.
A method may also declare a ``notes`` function that says, without smoothing, when
its parameters make little sense for a series (a window longer than the data...);
``smooth_series`` turns those into notices. Nothing here imports matplotlib.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .data import Notice, Series, Smoothed
from .errors import ConfigError

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
# Gaussian: grid spacing as a share of sigma for the binned (FFT-free) convolution,
# and the kernel cut-off in sigmas.
GAUSSIAN_GRID_PER_SIGMA = 16
GAUSSIAN_TRUNCATE = 5.0
GAUSSIAN_MAX_GRID = 1 << 22
GAUSSIAN_EXACT_PAIRS = 2_000_000   # up to this many point pairs within reach: exact sums
# TWEMA / gaussian defaults when no scale is given: a share of the x range.
DEFAULT_SCALE_FRACTION = 0.02
BAND_METHODS = ("none", "residual")


@dataclass(frozen=True)
class Method:
    """One smoothing method: its function, the parameters it reads, and its notes about a series."""

    name: str
    func: Callable[..., np.ndarray]
    params: tuple[str, ...]
    help: str
    label: str
    notes: Callable[..., tuple[str, ...]] | None = None


METHODS: dict[str, Method] = {}


def register(name: str, params: tuple[str, ...], help: str, *, label: str | None = None,
             notes: Callable[..., tuple[str, ...]] | None = None):
    """Decorator adding a smoothing function to the registry under ``name``."""
    def add(func):
        METHODS[name] = Method(name, func, params, help, label or name, notes)
        return func
    return add


def _check(method: str, param: str, value, ok: bool, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"smoothing {method}: {param}={value!r} is out of range",
                          hint=f"allowed: {allowed}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(float(value))


def _positive_or_none(method: str, param: str, value) -> None:
    _check(method, param, value, value is None or (_is_number(value) and value > 0),
           f"a number > 0 in x units, or null for {DEFAULT_SCALE_FRACTION:.0%} of the x range")


def _span(x: np.ndarray) -> float:
    return float(x[-1] - x[0]) if len(x) else 0.0


def _scale(value, x: np.ndarray) -> float:
    """A scale in x units: the given value, else a share of the x range (1 for a single x)."""
    if value is not None:
        return float(value)
    span = _span(x)
    return DEFAULT_SCALE_FRACTION * span if span > 0 else 1.0


def _on_finite(x, y: np.ndarray, smooth: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply ``smooth(x, y)`` to the finite values only (NaN/inf pass through in place);
    a constant series comes back as is. ``x`` may be None for index-based methods."""
    y = np.asarray(y, dtype=np.float64)
    finite = np.isfinite(y)
    if finite.all():
        if y.size == 0 or y[0] == y[-1] and np.all(y == y[0]):
            return y.copy()
        return smooth(x, y)
    out = y.copy()
    values = y[finite]
    if values.size and not np.all(values == values[0]):
        out[finite] = smooth(None if x is None else np.asarray(x, dtype=np.float64)[finite], values)
    return out


# ---------------------------------------------------------------------------- LOWESS

def _lowess_notes(x, y, *, frac=0.2, it=0, delta="auto", bandwidth=None) -> tuple[str, ...]:
    n = len(x)
    if bandwidth is not None and n > 1 and bandwidth > _span(x):
        return (f"lowess: bandwidth={bandwidth:g} is wider than the x range ({_span(x):g}); "
                "the curve is close to a straight line fit",)
    if bandwidth is None and n >= 3 and int(frac * n + 1e-10) < 3:
        return (f"lowess: frac={frac:g} leaves fewer than 3 of {n} points in each fit; "
                "the curve follows the raw points",)
    return ()


@register("lowess", ("frac", "it", "delta", "bandwidth"),
          "locally weighted linear regression (tricube); frac = share of points in each fit, "
          "or bandwidth = half-width in x units", label="LOWESS", notes=_lowess_notes)
def smooth_lowess(x: np.ndarray, y: np.ndarray, *, frac: float = 0.2, it: int = 0,
                  delta: float | str = "auto", bandwidth: float | None = None) -> np.ndarray:
    """LOWESS of y on x at every x, as statsmodels computes it (``frac``) or with a fixed half-width.

    Up to 20,000 points with ``frac`` this is statsmodels' ``lowess``; above, and for
    ``bandwidth``, rlplot's engine (same regression; above 20,000 points it sums
    pre-binned moments, >= 256 bins per window; see docs/smoothing.md).
    ``delta='auto'``: see ``_resolve_delta``.
    """
    _check("lowess", "frac", frac, _is_number(frac) and 0 < frac <= 1, "0 < frac <= 1")
    _check("lowess", "it", it, isinstance(it, (int, np.integer)) and not isinstance(it, bool)
           and 0 <= it <= 10, "an integer 0..10")
    _check("lowess", "delta", delta, delta == "auto" or (_is_number(delta) and delta >= 0),
           "'auto' or a number >= 0 (x units)")
    _check("lowess", "bandwidth", bandwidth, bandwidth is None or (_is_number(bandwidth)
                                                                 and bandwidth > 0),
           "a number > 0 (x units), or null to use frac")

    def fit(xs, ys):
        if len(xs) < 3 or _span(xs) == 0:
            return ys.copy()
        if bandwidth is None and len(xs) <= LOWESS_BINNED_ABOVE:
            # statsmodels itself: exact (or its own delta interpolation) and fast at this size.
            k = min(max(int(frac * len(xs) + 1e-10), 2), len(xs))
            xs = np.ascontiguousarray(xs, dtype=np.float64)
            ys = np.ascontiguousarray(ys, dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):   # windows of one tied x
                fitted, _ = statsmodels_lowess_kernel()(
                    ys, xs, xs, np.ones_like(xs), frac=float(frac), it=int(it),
                    delta=_resolve_delta(xs, k, delta, None), given_xvals=False)
            return fitted[:, 1]
        return _lowess(xs, ys, frac=float(frac), it=int(it), delta=delta,
                       bandwidth=None if bandwidth is None else float(bandwidth))
    return _on_finite(x, y, fit)


@functools.lru_cache(maxsize=None)
def statsmodels_lowess_kernel():
    """statsmodels' compiled LOWESS (what ``statsmodels...lowess`` calls for sorted data).

    Importing it the public way runs ``statsmodels.nonparametric/__init__``, which pulls in
    pandas and scipy: ~0.5 s, more than the rest of a small render. The compiled module
    needs only numpy, so it is loaded from its file; any surprise falls back to the import.
    """
    import importlib.machinery
    import importlib.util
    import os

    name = "statsmodels.nonparametric._smoothers_lowess"
    try:
        spec = importlib.util.find_spec("statsmodels")
        folder = os.path.join(spec.submodule_search_locations[0], "nonparametric")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_smoothers_lowess" + suffix)
            if os.path.exists(path):
                loader = importlib.machinery.ExtensionFileLoader(name, path)
                module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
                loader.exec_module(module)
                return module.lowess
    except (ImportError, AttributeError, TypeError, OSError):
        pass
    from statsmodels.nonparametric._smoothers_lowess import lowess
    return lowess


def _lowess(x, y, *, frac, it, delta, bandwidth, binned_above=LOWESS_BINNED_ABOVE):
    """rlplot's LOWESS engine: tricube local linear fits at anchors, linear in between."""
    n = len(x)
    k = min(max(int(frac * n + 1e-10), 2), n)
    # One row per point; fits read per-bin moments. Bins hold one point each up to
    # `binned_above` points, which makes the sums below exactly statsmodels' regression.
    if n <= binned_above:
        ids = np.arange(n)
    elif bandwidth is None:
        ids = np.arange(n) // max(1, k // LOWESS_BINS_PER_WINDOW)
    else:
        ids = np.floor((x - x[0]) / (2.0 * bandwidth / LOWESS_BINS_PER_WINDOW)).astype(np.int64)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ids)) + 1))
    sizes = np.diff(np.append(starts, n))
    single = len(starts) == n
    # Each bin sits at its plain mean x (sorted, so windows are found by searchsorted);
    # its moments are taken about that centre, weighted by the robustness weights.
    center = x if single else np.add.reduceat(x, starts) / sizes
    offset = None if single else x - np.repeat(center, sizes)
    anchors = _lowess_anchors(x, k, delta, bandwidth)
    radius = _lowess_radius(x, x[anchors], k, bandwidth)
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
        fit = _lowess_fits(x[anchors], radius, center, moments, yc[anchors]) + y_center
        fitted = np.interp(x, x[anchors], fit)
        if done < it:
            weights = _robust_weights(y - fitted)
    return fitted


def _resolve_delta(x, k, delta, bandwidth) -> float:
    """``delta`` in x units; 'auto' is 0 up to 5,000 points, else 0.25 % of the x range or a
    tenth of the narrowest window (sampled at 257 points), whichever is smaller."""
    n = len(x)
    if delta != "auto":
        return float(delta)
    if n <= LOWESS_AUTO_DELTA_POINTS:
        return 0.0
    probes = np.unique(np.linspace(0, n - 1, 257).astype(np.int64))
    narrowest = float(np.min(_lowess_radius(x, x[probes], k, bandwidth)))
    return min(LOWESS_AUTO_DELTA_FRACTION * _span(x), LOWESS_AUTO_DELTA_OF_RADIUS * narrowest)


def _lowess_anchors(x, k, delta, bandwidth) -> np.ndarray:
    """Indices of the points fitted; the others are interpolated linearly between them."""
    n = len(x)
    delta = _resolve_delta(x, k, delta, bandwidth)
    if delta <= 0:
        cells = x
    else:
        cells = np.floor((x - x[0]) / delta)
    change = np.flatnonzero(np.diff(cells)) + 1
    # The first and the last point of every delta-wide cell (every distinct x if delta = 0).
    return np.unique(np.concatenate(([0, n - 1], change, change - 1)))


def _lowess_radius(x, at, k, bandwidth) -> np.ndarray:
    """Half-width of the window around each of ``at``: the k-nearest-points radius, or the bandwidth."""
    if bandwidth is not None:
        return np.full(len(at), bandwidth)
    n = len(x)
    # statsmodels slides a k-point window right while x0 > (x[left] + x[left+k]) / 2;
    # that sum is non-decreasing in `left`, so a binary search finds the same window.
    left = np.searchsorted(x[: n - k] + x[k:], 2.0 * at, side="left") if k < n \
        else np.zeros(len(at), dtype=np.int64)
    return np.maximum(at - x[left], x[left + k - 1] - at)


def _lowess_fits(at, radius, center, moments, own_y, chunk=1 << 21):
    """Tricube-weighted linear regression at each of ``at`` from per-bin moments.

    ``moments`` per bin, about its ``center`` c: Σw, Σw(x-c), Σw(x-c)², Σw·y, Σw(x-c)y
    (None for zeros, i.e. one point per bin). A fit with fewer than two weighted bins
    returns ``own_y``, the anchor's own value, as statsmodels does.
    """
    s0, s1, s2, sy, sxy = moments
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
            slope = np.where(var > 1e-12 * r[:, 0] ** 2, cov / var, 0.0)
            value = my - slope * mt
        enough = (w > 1e-12).sum(1) >= 2
        fits[block] = np.where(enough, value, own_y[block])
        start += take
    return fits


def _robust_weights(residual: np.ndarray) -> np.ndarray:
    """statsmodels' bisquare robustness weights from the residuals of the last pass."""
    magnitude = np.abs(residual)
    median = float(np.median(magnitude))
    if median == 0:
        return (magnitude == 0).astype(np.float64)
    u = np.minimum(magnitude / (6.0 * median), 1.0)
    return (1.0 - u * u) ** 2


# ---------------------------------------------------------------------------- EMAs

@register("ema", ("weight",),
          "TensorBoard's debiased exponential moving average; weight = share of the previous value",
          label="EMA")
def smooth_ema(x: np.ndarray, y: np.ndarray, *, weight: float = 0.6) -> np.ndarray:
    """TensorBoard's EMA: ``last = last*w + (1-w)*y; out = last / (1 - w**k)``; NaN/inf pass through."""
    _check("ema", "weight", weight, _is_number(weight) and 0 <= weight < 1, "0 <= weight < 1")
    weight = float(weight)
    # TensorBoard leaves a constant series as is (_on_finite does).
    return _on_finite(None, y, lambda _, values: _ema(values, weight))


def _ema(values: np.ndarray, weight: float) -> np.ndarray:
    from scipy.signal import lfilter

    last = lfilter([1.0 - weight], [1.0, -weight], values)
    if weight > 0:
        # 1 - w**k rounds to exactly 1.0 once w**k < 2**-54: only the head needs dividing.
        head = min(values.size, int(math.ceil(-54 * math.log(2) / math.log(weight))) + 1)
        last[:head] /= 1.0 - np.power(weight, np.arange(1, head + 1, dtype=np.float64))
    return last


def _wider_than_x_range(method: str, param: str, too_wide: str, result: str):
    """A notes hook: warn when a width parameter (x units) exceeds the series' x range."""
    def notes(x, y, **params) -> tuple[str, ...]:
        value = params.get(param)
        if value is not None and len(x) > 1 and value > _span(x):
            return (f"{method}: {param}={value:g} is {too_wide} the x range ({_span(x):g}); "
                    f"the curve is close to {result}",)
        return ()
    return notes


_twema_notes = _wider_than_x_range("twema", "halflife", "longer than", "a running mean")


@register("twema", ("halflife",),
          "time-weighted debiased EMA: weights halve every `halflife` x units, whatever the sampling",
          label="TWEMA", notes=_twema_notes)
def smooth_twema(x: np.ndarray, y: np.ndarray, *, halflife: float | None = None) -> np.ndarray:
    """``out_i = Σ_j≤i 2^(-(x_i-x_j)/h)·y_j / Σ_j≤i 2^(-(x_i-x_j)/h)``: equals TensorBoard's EMA
    with ``weight = 2^(-Δ/h)`` on x evenly spaced by Δ; ``halflife=None`` is 2 % of the x range."""
    _positive_or_none("twema", "halflife", halflife)

    def fit(xs, values):
        rate = math.log(2.0) / _scale(halflife, xs)
        return _twema(xs, values, rate)
    return _on_finite(x, y, fit)


def _twema(x: np.ndarray, v: np.ndarray, rate: float, max_exponent: float = 600.0) -> np.ndarray:
    """``Σ_j≤i e^(-rate·(x_i-x_j))·v_j / Σ_j≤i e^(-rate·(x_i-x_j))`` by cumulative sums in blocks.

    Inside a block ``e^(rate·(x_j - x_start))`` stays below e^600, so the sums cannot
    overflow; the running sums of the previous block carry over, decayed.
    """
    t = (x - x[0]) * rate
    out = np.empty_like(v)
    block_id = (t * (1.0 / max_exponent)).astype(np.int64)   # t >= 0: truncation is floor
    edges = np.concatenate(([0], np.flatnonzero(np.diff(block_id)) + 1, [len(t)]))
    carry_num = carry_den = 0.0
    carry_t = t[0]
    for lo, hi in zip(edges[:-1], edges[1:]):
        grow = np.exp(t[lo:hi] - t[lo])
        num = np.cumsum(v[lo:hi] * grow)
        den = np.cumsum(grow)
        if carry_den:
            back = np.exp(t[lo] - carry_t)   # the carry, decayed to this block's start
            num += carry_num / back
            den += carry_den / back
        out[lo:hi] = num / den
        # Re-base the running sums to this block's last x for the next block.
        carry_num, carry_den = num[-1] / grow[-1], den[-1] / grow[-1]
        carry_t = t[hi - 1]
    return out


# ---------------------------------------------------------------------------- windows

def _rolling_notes(x, y, *, window=21) -> tuple[str, ...]:
    if window > len(x):
        return (f"rolling: window={window} is longer than the series ({len(x)} points); "
                "the curve flattens towards the series mean",)
    return ()


@register("rolling", ("window",),
          "centred moving average over `window` points, normalised at the edges "
          "(baselines / rl-plotter smooth)", label="rolling mean", notes=_rolling_notes)
def smooth_rolling(x: np.ndarray, y: np.ndarray, *, window: int = 21) -> np.ndarray:
    """Mean of the points ``i-(N-1)/2 .. i+(N-1)/2`` that exist (fewer at the edges)."""
    _check("rolling", "window", window, isinstance(window, (int, np.integer))
           and not isinstance(window, bool) and window >= 1 and window % 2 == 1,
           "an odd integer >= 1 (the point plus (window-1)/2 points each side)")
    half = (int(window) - 1) // 2
    return _on_finite(None, y, lambda _, values: _rolling(values, half))


def _rolling(values: np.ndarray, half: int) -> np.ndarray:
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


_gaussian_notes = _wider_than_x_range("gaussian", "sigma", "wider than", "the mean")


@register("gaussian", ("sigma",),
          "Gaussian kernel average with standard deviation `sigma` in x units (irregular x ok)",
          label="Gaussian", notes=_gaussian_notes)
def smooth_gaussian(x: np.ndarray, y: np.ndarray, *, sigma: float | None = None) -> np.ndarray:
    """``Σ_j K(x_i-x_j)·y_j / Σ_j K(x_i-x_j)``, K Gaussian with ``sigma`` (default 2 % of the x range).

    Exact sums (kernel cut at 5 sigma) when at most 2e6 point pairs are within reach;
    else points are spread linearly onto a grid of 16 nodes per sigma, the grid is
    convolved and read back linearly (measured error < 1e-4 of the y range).
    """
    _positive_or_none("gaussian", "sigma", sigma)

    def fit(xs, values):
        if _span(xs) == 0:   # every point at one x: each kernel weighs them all equally
            return np.full(values.shape, float(np.mean(values)))
        scale = _scale(sigma, xs)
        cells = _span(xs) / scale * GAUSSIAN_GRID_PER_SIGMA
        reach = GAUSSIAN_TRUNCATE * scale
        # Point pairs within reach, estimated from 1,025 evenly spread points (cheap at 1e7).
        probe = xs[np.linspace(0, len(xs) - 1, min(len(xs), 1025)).astype(np.int64)]
        pairs = len(xs) * float(np.mean(np.searchsorted(xs, probe + reach, side="right")
                                         - np.searchsorted(xs, probe - reach, side="left")))
        if pairs <= GAUSSIAN_EXACT_PAIRS or cells > GAUSSIAN_MAX_GRID:
            return _gaussian_direct(xs, values, scale)
        return _gaussian_grid(xs, values, scale)
    return _on_finite(x, y, fit)


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


@register("none", (), "no smoothing: the line joins the raw points", label="raw")
def smooth_none(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The identity: the 'smoothed' line is the data itself."""
    return np.array(y, dtype=np.float64, copy=True)


# ---------------------------------------------------------------------------- series

def residual_band(x: np.ndarray, y: np.ndarray, smoothed: np.ndarray, method: Method,
                  params: dict, k: float) -> tuple[np.ndarray, np.ndarray]:
    """``smoothed ± k·s`` where ``s = sqrt(smooth(residual²))``: a local RMS of the residuals,
    smoothed with the line's own method and parameters, over every point."""
    residual = y - smoothed
    spread = np.sqrt(np.clip(method.func(x, residual * residual, **params), 0.0, None))
    return smoothed - k * spread, smoothed + k * spread


def check_params(method: str, params: dict) -> None:
    """Raise the ConfigError a bad method name or parameter would raise, without any data."""
    entry = _method(method)
    used = {name: params[name] for name in entry.params if name in params}
    entry.func(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0]), **used)


def _method(method: str) -> Method:
    try:
        return METHODS[method]
    except KeyError:
        raise ConfigError(f"unknown smoothing method '{method}'",
                          hint="choose one of: " + ", ".join(METHODS)) from None


def smooth_series(series: Series, method: str, params: dict, *, band: str = "none",
                  band_k: float = 2.0) -> Smoothed:
    """Smooth one series with a registered method (``params`` may hold other methods' keys too),
    optionally with a residual band; the notes about the window become ``Smoothed.notices``."""
    entry = _method(method)
    _check("band", "band", band, band in BAND_METHODS, " or ".join(BAND_METHODS))
    _check("band", "band_k", band_k, _is_number(band_k) and band_k >= 0, "a number >= 0")
    used = {name: params[name] for name in entry.params if name in params}
    x, y = series.x, series.y
    if len(series) == 0:
        return Smoothed(x=x, y=y.copy(), method=method, params=used)
    smoothed = entry.func(x, y, **used)
    notes = entry.notes(x, y, **used) if entry.notes else ()
    low = high = None
    if band == "residual":
        low, high = residual_band(x, y, smoothed, entry, used, float(band_k))
        if method == "none":
            notes += ("band: residual with smoothing 'none' has zero width",)
    return Smoothed(x=x, y=smoothed, method=method, params=used, band_low=low, band_high=high,
                    notices=tuple(Notice(f"{series.name}: {n}") for n in notes))


def describe(method: str, params: dict) -> str:
    """A short human description such as ``LOWESS frac=0.2``."""
    entry = METHODS.get(method)
    shown = " ".join(f"{k}={params[k]}" for k in (entry.params if entry else ())
                     if k in params and params[k] is not None)
    label = entry.label if entry else method
    return f"{label} {shown}".strip()


__all__ = ["METHODS", "Method", "register", "check_params", "smooth_series", "smooth_lowess", "smooth_ema",
           "smooth_twema", "smooth_rolling", "smooth_gaussian", "smooth_none", "residual_band",
           "describe"]
