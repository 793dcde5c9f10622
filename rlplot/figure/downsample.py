"""Choosing which points to draw: an extreme-preserving downsample (no matplotlib here).

Smoothing always uses every point; only what is drawn is thinned, so a million-point
scatter costs the same to draw as a few thousand while keeping its envelope.
"""
from __future__ import annotations

import numpy as np


def minmax_indices(y: np.ndarray, max_points: int) -> np.ndarray:
    """Indices (sorted, unique) of at most ``max_points`` points of ``y`` (shape (n,)).

    Splits the points into equal-count buckets and keeps each bucket's minimum and
    maximum, plus the first and last point, so the drawn envelope equals the data's
    at bucket resolution and the global extremes are always drawn.
    """
    n = int(y.shape[0])
    if n <= max_points:
        return np.arange(n)
    buckets = max(1, (max_points - 2) // 2)
    inner = n - 2
    # Bucket edges over the inner points 1..n-2; equal counts except the last.
    size = -(-inner // buckets)
    padded = np.full(buckets * size, np.nan)
    padded[:inner] = y[1:n - 1]
    blocks = padded.reshape(buckets, size)
    valid_rows = ~np.all(np.isnan(blocks), axis=1)
    with np.errstate(invalid="ignore"):
        lo = np.nanargmin(np.where(np.isnan(blocks[valid_rows]), np.inf, blocks[valid_rows]), axis=1)
        hi = np.nanargmax(np.where(np.isnan(blocks[valid_rows]), -np.inf, blocks[valid_rows]), axis=1)
    offsets = np.flatnonzero(valid_rows) * size + 1
    picked = np.concatenate(([0], offsets + lo, offsets + hi, [n - 1]))
    return np.unique(picked)
