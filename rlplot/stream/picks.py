"""The points a figure scatters, picked from a stream: ``figure.downsample.scatter_indices`` one
piece at a time.

``scatter_indices`` needs the series' length ``n`` up front (bucket sizes, evenly spaced
picks); a streamed log gives its line count, which is ``n`` unless lines or points are
dropped. The picks then equal ``scatter_indices`` exactly (tests/stream); with fewer points
than expected, the buckets and even picks keep the spacing ``n`` gave, and the last point is
still kept. Memory: the picks plus one partial bucket.
"""
from __future__ import annotations

import numpy as np

from ..figure.downsample import bucket_size


class ScatterPicks:
    """Feed a sorted series piece by piece (``add``); ``points()`` gives the (x, y) to draw."""

    def __init__(self, n: int, max_points: int):
        self.max_points = max(int(max_points), 4)
        self.everything = n <= self.max_points   # nothing to thin: every point is drawn
        half = max_points // 2
        self.size = bucket_size(n, half)
        full = (n - 2) // self.size
        # A bucket of one point gives one envelope point (its min is its max).
        envelope = 2 + full * min(self.size, 2) + min(n - 2 - full * self.size, 2)
        spare = max_points - envelope
        self.even = np.linspace(0, n - 1, spare).round().astype(np.int64) if spare > 0 \
            else np.empty(0, np.int64)
        self.seen = 0
        self._carry = (np.empty(0), np.empty(0), np.empty(0, np.int64))
        self._envelope: list[np.ndarray] = []   # rows: index, x, y
        self._even: list[np.ndarray] = []

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """Add the next points of the series (shape (m,))."""
        index = np.arange(self.seen, self.seen + len(x))
        self.seen += len(x)
        lo, hi = np.searchsorted(self.even, [index[0], index[-1] + 1]) if len(x) else (0, 0)
        hit = self.even[lo:hi] - index[0] if len(x) else self.even[:0]
        if self.everything:
            hit = np.arange(len(x))
        self._even.append(np.stack([index[hit].astype(np.float64), x[hit], y[hit]]))
        if self.everything:
            return
        if len(x) and index[0] == 0:
            self._envelope.append(np.array([[0.0], [x[0]], [y[0]]]))
            x, y, index = x[1:], y[1:], index[1:]
        x = np.concatenate([self._carry[0], x])
        y = np.concatenate([self._carry[1], y])
        index = np.concatenate([self._carry[2], index])
        # Keep a point back: the series' last point is not in a bucket.
        full = max(len(x) - 1, 0) // self.size
        if full:
            self._envelope.append(self._extremes(x[:full * self.size], y[:full * self.size],
                                                 index[:full * self.size], full))
        cut = full * self.size
        self._carry = (x[cut:].copy(), y[cut:].copy(), index[cut:].copy())

    @staticmethod
    def _extremes(x, y, index, buckets) -> np.ndarray:
        rows = y.reshape(buckets, -1)
        start = np.arange(buckets) * rows.shape[1]
        picks = np.concatenate([start + rows.argmin(axis=1), start + rows.argmax(axis=1)])
        return np.stack([index[picks].astype(np.float64), x[picks], y[picks]])

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the picked points, in order: the envelope, and even picks within budget."""
        if self.everything:
            keep = np.concatenate(self._even, axis=1)
            return keep[1], keep[2]
        x, y, index = self._carry
        parts = list(self._envelope)
        if len(x) > 1:
            parts.append(self._extremes(x[:-1], y[:-1], index[:-1], 1))
        if len(x):
            parts.append(np.array([[float(index[-1])], [x[-1]], [y[-1]]]))
        envelope = _unique(np.concatenate(parts, axis=1))
        even = _unique(np.concatenate(self._even, axis=1))
        extra = even[:, ~np.isin(even[0], envelope[0])]
        over = envelope.shape[1] + extra.shape[1] - self.max_points
        if over > 0:   # as scatter_indices: drop the first even picks, never an extreme
            extra = extra[:, over:]
        keep = _unique(np.concatenate([envelope, extra], axis=1))
        return keep[1], keep[2]


def _unique(rows: np.ndarray) -> np.ndarray:
    """Columns of ``rows`` (index, x, y) sorted by index, one per index."""
    _, first = np.unique(rows[0], return_index=True)
    return rows[:, first]
