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


# Bounds that keep every allowed runs.reps and runs.grid_points within memory and time:
# a run matrix of 20M values is 160 MB; a bootstrap block of 8M values is 64 MB; 1e9
# resampled values take 10-30 s (1,000 runs × 2,000 reps × 400 points is 0.8e9).
MAX_MATRIX_VALUES = 20_000_000
BOOTSTRAP_BLOCK_VALUES = 8_000_000
MAX_BOOTSTRAP_WORK = 1_000_000_000


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
    """Percentile bootstrap CI of ``stat`` over runs (runs resampled with replacement), seeded.

    Memory stays bounded whatever ``reps`` and the grid: the grid is done in blocks of
    columns (each block sees the same resamples, drawn again from the seed) and each block's
    resamples in chunks. Work beyond MAX_BOOTSTRAP_WORK is refused before it starts."""
    n_runs, n_grid = matrix.shape
    check_bootstrap_work(reps, n_runs, n_grid)
    func = AGGREGATES.load(stat)
    alpha = (100.0 - level) / 2.0
    width = max(1, min(n_grid, BOOTSTRAP_BLOCK_VALUES // reps))     # columns per block
    chunk = max(1, int(2_000_000 // max(1, n_runs * width)))        # resamples per chunk
    lows, highs = np.empty(n_grid), np.empty(n_grid)
    for start in range(0, n_grid, width):
        resampled = _resampler(func, matrix[:, start:start + width])
        rng = np.random.default_rng(seed)    # the same resamples for every block
        draws = []
        for first in range(0, reps, chunk):
            count = min(chunk, reps - first)
            draws.append(resampled(rng.integers(0, n_runs, size=(count, n_runs))))   # (count, width)
        values = np.concatenate(draws, axis=0)
        lows[start:start + width], highs[start:start + width] = _percentiles(values, alpha)
    return Band(lows, highs)


def _resampler(func, block: np.ndarray):
    """``func`` over the runs of each resample, as a function of the draws: ``block`` (n_runs,
    width); the function takes ``index`` (count, n_runs), the runs each resample draws, and
    returns (count, width)."""
    if func is not stat_mean or np.isinf(block).any():   # a run never drawn adds 0 * inf = NaN
        return lambda index: func(block[index], axis=1)
    # A resample's mean only needs how often it drew each run: one matrix product of those
    # counts with the block, instead of gathering count × n_runs × width values (1,000 runs:
    # 0.2 s instead of 8 s). Equal to the gathered mean up to float rounding. What does not
    # depend on the draws is made once per block, not once per chunk of resamples.
    n_runs = block.shape[0]
    covered = ~np.isnan(block)
    filled = np.where(covered, block, 0.0)
    # Every run covers every grid point (the usual case): each resample sees n_runs values at
    # every point, exactly (whole counts), so the second product is not needed.
    weight = None if covered.all() else covered.astype(np.float64)

    def mean_of(index: np.ndarray) -> np.ndarray:
        count = index.shape[0]
        drawn = np.bincount((index + n_runs * np.arange(count)[:, None]).ravel(),
                            minlength=count * n_runs).reshape(count, n_runs).astype(np.float64)
        total = drawn @ filled
        if weight is None:
            return total / n_runs
        seen = drawn @ weight
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(seen > 0, total / np.maximum(seen, 1.0), np.nan)
    return mean_of


def _percentiles(values: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The ``alpha`` and ``100 - alpha`` percentiles of each column of ``values`` (reps, width).

    Columns without NaN go through ``np.percentile`` at once; nanpercentile, which loops over
    columns in Python, only gets the few that have NaN (grid points some resamples miss)."""
    gappy = np.isnan(values).any(axis=0)
    low, high = np.empty(values.shape[1]), np.empty(values.shape[1])
    full = ~gappy
    if full.any():
        low[full], high[full] = np.percentile(values[:, full], [alpha, 100.0 - alpha], axis=0)
    if gappy.any():
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # grid points no run covers: NaN
            low[gappy], high[gappy] = np.nanpercentile(values[:, gappy], [alpha, 100.0 - alpha],
                                                       axis=0)
    return low, high


def check_bootstrap_work(reps: int, n_runs: int, n_grid: int) -> None:
    """Refuse a ci band whose resampling (reps × runs × grid points) would take minutes."""
    work = reps * n_runs * n_grid
    if work > MAX_BOOTSTRAP_WORK:
        raise ConfigError(f"the ci band would resample {reps:,} times × {n_runs:,} runs × {n_grid:,} "
                          f"grid points = {work:.3g} values, more than {MAX_BOOTSTRAP_WORK:.3g}",
                          hint="lower runs.reps or runs.grid_points, or use --band sem or sd")


def check_matrix_size(n_runs: int, n_grid: int) -> None:
    """Refuse an aggregate whose run matrix (runs × grid points) would not fit in memory."""
    if n_runs * n_grid > MAX_MATRIX_VALUES:
        raise ConfigError(f"aggregating {n_runs:,} runs at {n_grid:,} grid points needs "
                          f"{n_runs * n_grid:,} values, more than {MAX_MATRIX_VALUES:,}",
                          hint="lower runs.grid_points")


def aggregate_curves(curves: Sequence[Smoothed], spec: RunsSpec
                     ) -> tuple[Smoothed, np.ndarray]:
    """Combine one panel's curves of a group's runs: statistic and band on a common grid.

    Returns the aggregate (x = grid, y = statistic, band) and how many runs cover each
    grid point, shape (n_grid,).
    """
    check_matrix_size(len(curves), spec.grid_points)
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
