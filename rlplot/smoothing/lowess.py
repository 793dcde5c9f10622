"""LOWESS: statsmodels' compiled kernel up to 20,000 points, rlplot's engine above and for a bandwidth;
``frac='auto'`` is chosen per series by cross-validation (``bandwidth.choose_frac``)."""
from __future__ import annotations

import functools

import numpy as np

from .bandwidth import DEFAULT_FRAC, choose_frac
from .lowess_engine import LOWESS_BINNED_ABOVE, fit_lowess, resolve_delta, window_points
from .method import Method, finite_points, on_finite, span
from .params import check_range, is_integer, is_number


def lowess_notes(x, y, *, frac=0.2, it=0, delta="auto", bandwidth=None) -> tuple[str, ...]:
    """Say when the window is wider than the x range or holds fewer than 3 points."""
    n = len(x)
    if bandwidth is not None and n > 1 and bandwidth > span(x):
        return (f"lowess: bandwidth={bandwidth:g} is wider than the x range ({span(x):g}); "
                "the curve is close to a straight line fit",)
    if bandwidth is None and n >= 3 and is_number(frac) and int(frac * n + 1e-10) < 3:
        return (f"lowess: frac={frac:g} leaves fewer than 3 of {n} points in each fit; "
                "the curve follows the raw points",)
    return ()


def check_lowess(frac, it, delta, bandwidth) -> None:
    """Raise the ConfigError of the first LOWESS parameter out of range."""
    check_range("lowess", "frac", frac, frac == "auto" or (is_number(frac) and 0 < frac <= 1),
                "0 < frac <= 1, or 'auto' (chosen by cross-validation)")
    check_range("lowess", "it", it, is_integer(it) and 0 <= it <= 10, "an integer 0..10")
    check_range("lowess", "delta", delta, delta == "auto" or (is_number(delta) and delta >= 0),
                "'auto' or a number >= 0 (x units)")
    check_range("lowess", "bandwidth", bandwidth,
                bandwidth is None or (is_number(bandwidth) and bandwidth > 0),
                "a number > 0 (x units), or null to use frac")


def smooth_lowess(x: np.ndarray, y: np.ndarray, *, frac: float = 0.2, it: int = 0,
                  delta: float | str = "auto", bandwidth: float | None = None) -> np.ndarray:
    """LOWESS of y on x at every x, as statsmodels computes it (``frac``) or with a fixed half-width.

    Up to 20,000 points with ``frac`` this is statsmodels' ``lowess``; above, and for
    ``bandwidth``, rlplot's engine (same regression; above 20,000 points it sums
    pre-binned moments, >= 256 bins per window; see docs/smoothing.md).
    ``delta='auto'``: see ``lowess_engine.resolve_delta``; ``frac='auto'``: see ``bandwidth``.
    """
    check_lowess(frac, it, delta, bandwidth)

    def fit(xs, ys):
        if _too_few(xs):
            return ys.copy()
        frac_used = auto_frac(xs, ys, bandwidth) if frac == "auto" else frac
        if _by_statsmodels(xs, bandwidth):
            return _statsmodels_lowess(xs, ys, frac_used, it, delta)
        return fit_lowess(xs, ys, frac=float(frac_used), it=int(it), delta=delta,
                          bandwidth=None if bandwidth is None else float(bandwidth))
    return on_finite(x, y, fit)


def _too_few(xs: np.ndarray) -> bool:
    # Fewer than 3 points or one x: nothing to regress, the points are the curve.
    return len(xs) < 3 or span(xs) == 0


def _by_statsmodels(xs: np.ndarray, bandwidth) -> bool:
    # Which fits are statsmodels' (its kernel, or bit for bit lowess_shared): frac windows up
    # to LOWESS_BINNED_ABOVE points; above it, or with a bandwidth, rlplot's engine fits.
    return bandwidth is None and len(xs) <= LOWESS_BINNED_ABOVE


def auto_frac(x: np.ndarray, y: np.ndarray, bandwidth=None) -> float:
    """The frac ``frac='auto'`` means for finite, sorted x, y (n,); unused (0.2) beside a bandwidth."""
    return DEFAULT_FRAC if bandwidth is not None else choose_frac(x, y)


def resolve_lowess(x: np.ndarray, y: np.ndarray, params: dict) -> tuple[dict, tuple[str, ...]]:
    """``params`` with ``frac='auto'`` replaced by the frac chosen for this series, and the names
    chosen (``("frac",)``, or ``()`` when nothing was auto or a bandwidth makes frac unused)."""
    if params.get("frac") != "auto":
        return params, ()
    finite = np.isfinite(y)
    bandwidth = params.get("bandwidth")
    chosen = auto_frac(np.asarray(x, dtype=np.float64)[finite], np.asarray(y)[finite], bandwidth)
    return {**params, "frac": chosen}, (() if bandwidth is not None else ("frac",))


def _statsmodels_lowess(x: np.ndarray, y: np.ndarray, frac, it, delta) -> np.ndarray:
    # statsmodels itself: exact (or its own delta interpolation) and fast at this size.
    k = window_points(len(x), frac)
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):   # windows of one tied x
        fitted, _ = statsmodels_lowess_kernel()(
            y, x, x, np.ones_like(x), frac=float(frac), it=int(it),
            delta=resolve_delta(x, k, delta, None), given_xvals=False)
    return fitted[:, 1]


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


# Series sharing one x smoothed together (``lowess_shared``) from this many up: below it,
# statsmodels one series at a time is as fast (10,000 points: 4 series ~0.09 s either way).
SHARED_MIN_SERIES = 8
SHARED_CHUNK_SERIES = 128   # series smoothed in one pass: their stacked arrays stay ~10 MB each


def smooth_lowess_together(pairs, *, frac=0.2, it=0, delta="auto", bandwidth=None
                           ) -> dict[int, np.ndarray]:
    """``smooth_lowess`` of the ``pairs`` [(x, y), ...] that share their finite x with at least
    ``SHARED_MIN_SERIES - 1`` others, by index: the same bits, weights computed once per x
    (statsmodels' fits with ``it=0``; other series and settings are left to ``smooth_lowess``)."""
    check_lowess(frac, it, delta, bandwidth)
    if it != 0 or bandwidth is not None or not is_number(frac):
        return {}
    groups: dict[bytes, list[int]] = {}
    fitted: dict[int, tuple] = {}
    for index, (x, y) in enumerate(pairs):
        points = finite_points(x, y)   # the series smooth_lowess would fit, as it would
        if points is None or _too_few(points[0]) or not _by_statsmodels(points[0], bandwidth):
            continue
        xs, ys, finite = points
        xs = np.ascontiguousarray(xs, dtype=np.float64)
        groups.setdefault(xs.tobytes(), []).append(index)
        fitted[index] = (xs, ys, finite, np.asarray(y, dtype=np.float64))
    from .lowess_shared import lowess_many   # only when 8 or more series share x

    out = {}
    for members in groups.values():
        if len(members) < SHARED_MIN_SERIES:
            continue
        xs = fitted[members[0]][0]
        delta_x = resolve_delta(xs, window_points(len(xs), frac), delta, None)
        for first in range(0, len(members), SHARED_CHUNK_SERIES):   # bounded memory, same bits
            chunk = members[first:first + SHARED_CHUNK_SERIES]
            curves = lowess_many(xs, np.column_stack([fitted[i][1] for i in chunk]), float(frac),
                                 delta_x)
            for column, index in enumerate(chunk):
                _, _, finite, y = fitted[index]
                curve = y.copy()
                curve[finite] = curves[:, column]
                out[index] = curve
    return out


LOWESS = Method(smooth_lowess, ("frac", "it", "delta", "bandwidth"), lowess_notes, resolve_lowess,
                smooth_lowess_together)
