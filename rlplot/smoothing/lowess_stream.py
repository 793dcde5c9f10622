"""LOWESS on streamed bins: the binned engine fed one piece of a sorted series at a time.

``LowessBins`` keeps, per bin of ``size`` consecutive points (the bins ``fit_lowess`` makes
above ``LOWESS_BINNED_ABOVE`` points: ``size = k // LOWESS_BINS_PER_WINDOW``), the moments
the engine's fits read, plus the bin's first and last x; memory is O(bins), not O(points).
``fit`` then runs the engine's own local fits (``lowess_engine._local_fits``) on them.

What differs from ``fit_lowess`` on the whole series in memory, and why (bounded by
tests/smoothing/test_lowess_stream.py):
- the x of a point is known exactly only at bin edges; in between it is interpolated
  linearly by index, so the k-nearest-points radius of a window (and 'auto' delta, which
  is read from it) is approximate where x is uneven inside a bin;
- fits sit at the delta-cell edges themselves, not at the last and first point either
  side of each edge;
- the mean of y and the bin sums are added up piece by piece, so they differ in the last bits.
Only ``it=0`` streams: robustness iterations need every residual again (the caller reads
such a log in memory), and so does ``delta=0`` (one fit per point).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lowess_engine import _local_fits, auto_delta, bin_points, delta_probes, window_points


def bin_size(n: int, frac: float) -> int:
    """Points per bin for a series of ``n`` points, as ``fit_lowess`` bins it (with ``frac``)."""
    return bin_points(window_points(n, frac))


@dataclass(frozen=True)
class Curve:
    """A streamed LOWESS curve: fits at ``x`` (sorted), linear in between; shape (m,)."""

    x: np.ndarray
    y: np.ndarray

    def at(self, x: np.ndarray) -> np.ndarray:
        """The curve at ``x`` (shape (n,)), interpolated linearly between fits as the engine does."""
        return np.interp(x, self.x, self.y)


class LowessBins:
    """Per-bin moments of a sorted, finite series fed piece by piece (``add``), then ``fit``."""

    def __init__(self, size: int):
        self.size = max(1, int(size))
        self.n = 0
        self.sum_y = 0.0
        self._carry = (np.empty(0), np.empty(0))
        self._parts: list[tuple[np.ndarray, ...]] = []

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """Add the next points (x ascending, after every point added so far); shape (m,)."""
        self.n += len(x)
        self.sum_y += float(np.sum(y))
        x = np.concatenate([self._carry[0], x])
        y = np.concatenate([self._carry[1], y])
        full = len(x) // self.size * self.size
        if full:
            self._parts.append(self._moments(x[:full], y[:full], np.arange(0, full, self.size)))
        self._carry = (x[full:].copy(), y[full:].copy())

    @staticmethod
    def _moments(x, y, starts) -> tuple[np.ndarray, ...]:
        # As fit_lowess: each bin at its plain mean x; sums about that centre.
        sizes = np.diff(np.append(starts, len(x)))
        center = np.add.reduceat(x, starts) / sizes
        offset = x - np.repeat(center, sizes)
        return (sizes.astype(np.float64), center, np.add.reduceat(offset, starts),
                np.add.reduceat(offset * offset, starts), np.add.reduceat(y, starts),
                np.add.reduceat(offset * y, starts), x[starts], x[starts + sizes - 1])

    def _bins(self) -> tuple[np.ndarray, ...]:
        parts = list(self._parts)
        if len(self._carry[0]):
            parts.append(self._moments(*self._carry, np.array([0])))
        return tuple(np.concatenate(column) for column in zip(*parts))

    def fit(self, frac: float, delta: float | str = "auto") -> Curve:
        """The LOWESS curve (``frac`` of the points per fit, ``it=0``) at the delta-cell edges."""
        count, center, s1, s2, sum_y, sum_oy, first, last = self._bins()
        n = self.n
        k = window_points(n, frac)
        ends = np.cumsum(count)
        x_of = _IndexToX(np.column_stack([ends - count, ends - 1]).ravel(),
                         np.column_stack([first, last]).ravel())
        y_center = self.sum_y / n
        # The engine's moments about y's mean: Σ(y - ȳ) and Σ(x - c)(y - ȳ).
        moments = (count, s1, s2, sum_y - count * y_center, sum_oy - y_center * s1)
        x0, x1 = float(first[0]), float(last[-1])
        if delta == "auto":
            narrowest = float(np.min(x_of.radius(x_of(delta_probes(n)), k, n)))
            delta = auto_delta(x1 - x0, narrowest)
        cells = int(np.floor((x1 - x0) / delta)) if delta > 0 else 0
        at = np.unique(np.concatenate(([x0, x1], x0 + float(delta) * np.arange(1, cells + 1))))
        at = at[at <= x1]
        own_y = np.interp(at, center, sum_y / count) - y_center
        fits = _local_fits(at, x_of.radius(at, k, n), center, moments, own_y) + y_center
        return Curve(at, fits)


class _IndexToX:
    """x as a function of the point index, exact at bin edges, linear in between."""

    def __init__(self, index: np.ndarray, x: np.ndarray):
        self.index = index.astype(np.float64)
        self.x = x

    def __call__(self, i) -> np.ndarray:
        return np.interp(np.asarray(i, dtype=np.float64), self.index, self.x)

    def radius(self, at: np.ndarray, k: int, n: int) -> np.ndarray:
        """``lowess_engine._radius`` (the k-nearest-points half-width) with x read from the bins."""
        if k >= n:
            left = np.zeros(len(at))
        else:
            # The engine's search of x[i] + x[i+k] >= 2·at, on the known indices, then interpolated.
            grid = np.unique(np.clip(np.concatenate((self.index, self.index - k)), 0, n - k - 1))
            pair = self(grid) + self(grid + k)
            left = np.ceil(np.interp(2.0 * at, pair, grid))
        return np.maximum(at - self(left), self(left + k - 1) - at)
