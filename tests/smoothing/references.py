"""Independent references the smoothing methods are checked against, and a noisy test series."""
from __future__ import annotations

import math

import numpy as np


def noisy(n, seed=0, spread=0.3, irregular=True):
    """``sin(x)`` plus Gaussian noise at n sorted x in [0, 10] (or x = 0..n-1)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 10, n)) if irregular else np.arange(n, dtype=float)
    return x, np.sin(x) + rng.normal(0, spread, n)


def tensorboard_ema(values, weight):
    """TensorBoard's smoothing loop (vz_line_chart2), transcribed: debiased, constant kept, NaN kept."""
    last, num_accum, out = 0.0, 0, []
    is_constant = all(v == values[0] for v in values)
    for next_val in values:
        if is_constant or not math.isfinite(next_val):
            out.append(next_val)
            continue
        last = last * weight + (1 - weight) * next_val
        num_accum += 1
        debias = 1 - weight ** num_accum if weight != 1 else 1
        out.append(last / debias)
    return np.array(out)


def box_reference(y, window):
    """The baselines/rl-plotter smooth: each point averages the window's points that exist."""
    half = (window - 1) // 2
    return np.array([y[max(0, i - half):i + half + 1].mean() for i in range(len(y))])


def gaussian_reference(x, y, sigma, at=None):
    """The full Gaussian kernel average at ``at`` (default: every x), no cut-off."""
    at = x if at is None else at
    k = np.exp(-0.5 * ((at[:, None] - x[None, :]) / sigma) ** 2)
    return (k @ y) / k.sum(axis=1)


def tricube_reference(x, y, bandwidth, at):
    """Fixed-half-width tricube local linear regression, point by point."""
    out = []
    for x0 in at:
        u = np.abs(x - x0) / bandwidth
        w = np.where(u < 1, (1 - u ** 3) ** 3, 0.0)
        mx, my = np.average(x, weights=w), np.average(y, weights=w)
        slope = np.sum(w * (x - mx) * (y - my)) / np.sum(w * (x - mx) ** 2)
        out.append(my + slope * (x0 - mx))
    return np.array(out)
