"""The numbers of an aggregate: a common x grid, per-grid-point statistics over runs, and bands.

Pure numpy; no matplotlib. The statistics, bands and x ranges are the targets of
``rlplot.choices.AGGREGATES``, ``RUN_BANDS`` and ``X_RANGES``. Arrays: a run matrix has
shape (n_runs, n_grid) with NaN where a run does not cover that x (runs are interpolated,
never extrapolated).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..choices import AGGREGATES, RUN_BANDS, X_RANGES
from ..config.schema import RunsSpec
from ..data import Smoothed
from ..errors import ConfigError


@dataclass(frozen=True)
class Band:
    """A band around an aggregate curve, both shape (n_grid,)."""

    low: np.ndarray
    high: np.ndarray


def range_intersection(lows: Sequence[float], highs: Sequence[float]) -> tuple[float, float]:
    """The x range where every run has data, from each run's first and last x."""
    return max(lows), min(highs)


def range_union(lows: Sequence[float], highs: Sequence[float]) -> tuple[float, float]:
    """The x range where any run has data (fewer runs toward the ends)."""
    return min(lows), max(highs)


def common_grid(xs: Sequence[np.ndarray], mode: str = "intersection", points: int = 400) -> np.ndarray:
    """An evenly spaced grid over the runs' shared x range (``intersection``) or all of it (``union``).

    ``xs`` are sorted arrays, one per run. Raises ConfigError when the runs share no x range.
    """
    lows = [float(x[0]) for x in xs if len(x)]
    highs = [float(x[-1]) for x in xs if len(x)]
    if not lows:
        raise ConfigError("no run has any points to aggregate")
    low, high = X_RANGES.load(X_RANGES.check(mode))(lows, highs)
    if low > high:
        raise ConfigError("the runs share no x range", hint="use --x-range union")
    if low == high:
        return np.array([low])
    return np.linspace(low, high, points)


def on_grid(x: np.ndarray, y: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Linear interpolation of one run at ``grid`` (shape (n_grid,)); NaN outside the run's x range."""
    out = np.full(grid.shape, np.nan)
    if len(x) == 0:
        return out
    inside = (grid >= x[0]) & (grid <= x[-1])
    out[inside] = np.interp(grid[inside], x, y)
    return out


def _nanmean(matrix: np.ndarray, axis: int) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        count = np.sum(~np.isnan(matrix), axis=axis)
        total = np.nansum(matrix, axis=axis)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def stat_mean(matrix: np.ndarray, axis: int = 0) -> np.ndarray:
    """Mean over runs, ignoring runs that do not cover a point."""
    return _nanmean(matrix, axis)


def stat_median(matrix: np.ndarray, axis: int = 0) -> np.ndarray:
    """Median over runs, ignoring runs that do not cover a point."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns are NaN, as intended
        return np.nanmedian(matrix, axis=axis)


def stat_iqm(matrix: np.ndarray, axis: int = 0) -> np.ndarray:
    """Interquartile mean over runs: the mean of the middle 50 % (rliable's IQM, trim 25 % each end)."""
    ordered = np.sort(matrix, axis=axis)              # NaN sort last
    valid = np.sum(~np.isnan(matrix), axis=axis, keepdims=True)
    cut = np.floor(valid * 0.25).astype(int)
    ranks = np.arange(matrix.shape[axis]).reshape([-1 if a == (axis % matrix.ndim) else 1
                                                    for a in range(matrix.ndim)])
    keep = (ranks >= cut) & (ranks < valid - cut)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.sum(np.where(keep, ordered, 0.0), axis=axis)
        count = np.sum(keep, axis=axis)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _std(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    count = np.sum(~np.isnan(matrix), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # points covered by one run: sd 0 below
        std = np.nanstd(matrix, axis=0, ddof=1) if matrix.shape[0] > 1 else np.zeros(matrix.shape[1])
    std = np.where(count > 1, std, 0.0)
    return std, count


def band_sd(matrix, center, **_) -> Band:
    """center ± the standard deviation over runs."""
    std, _count = _std(matrix)
    return Band(center - std, center + std)


def band_sem(matrix, center, **_) -> Band:
    """center ± the standard error of the mean over runs."""
    std, count = _std(matrix)
    sem = std / np.sqrt(np.maximum(count, 1))
    return Band(center - sem, center + sem)


def band_bootstrap(matrix, center, *, stat: str = "mean", level: float = 95.0, reps: int = 2000,
                   seed: int = 0) -> Band:
    """Percentile bootstrap CI of ``stat`` over runs (runs resampled with replacement), seeded."""
    rng = np.random.default_rng(seed)
    n_runs = matrix.shape[0]
    func = AGGREGATES.load(stat)
    alpha = (100.0 - level) / 2.0
    # Chunks bound memory at reps × runs × grid floats.
    chunk = max(1, int(2_000_000 // max(1, n_runs * matrix.shape[1])))
    draws = []
    for start in range(0, reps, chunk):
        count = min(chunk, reps - start)
        index = rng.integers(0, n_runs, size=(count, n_runs))
        draws.append(func(matrix[index], axis=1))   # (count, n_grid)
    values = np.concatenate(draws, axis=0)
    with np.errstate(invalid="ignore"):
        lows = np.nanpercentile(values, alpha, axis=0)
        highs = np.nanpercentile(values, 100.0 - alpha, axis=0)
    return Band(lows, highs)


def aggregate_curves(curves: Sequence[Smoothed], spec: RunsSpec
                     ) -> tuple[Smoothed, np.ndarray]:
    """Combine one panel's curves of a group's runs: statistic and band on a common grid.

    Returns the aggregate (x = grid, y = statistic, band) and how many runs cover each
    grid point, shape (n_grid,).
    """
    grid = common_grid([c.x for c in curves], spec.x_range, spec.grid_points)
    matrix = np.vstack([on_grid(c.x, c.y, grid) for c in curves])
    center = AGGREGATES.load(spec.aggregate)(matrix, axis=0)
    low = high = None
    if spec.band != "none" and len(curves) > 1:
        band = RUN_BANDS.load(spec.band)(matrix, center, stat=spec.aggregate, level=spec.level,
                                reps=spec.reps, seed=spec.seed)
        low, high = band.low, band.high
    return (Smoothed(x=grid, y=center, method=spec.aggregate, band_low=low, band_high=high),
            np.sum(~np.isnan(matrix), axis=0))
