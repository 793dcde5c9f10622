"""Sample-efficiency curves: an aggregate (IQM by default) of normalized scores at each x of a
common grid, with stratified-bootstrap CI bands.

Runs are put on the grid by ``rlplot.aggregate.on_grid`` (linear interpolation, never
extrapolation); the default grid spans the x range that every run covers.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..aggregate import common_grid, on_grid
from ..data import Notice, Run, Series
from ..errors import InputError
from . import resampled
from .bootstrap import chunks, percentile_interval, resample_index, streams
from ..choices import AGGREGATE_METRICS
from .engine import check_settings
from .normalize import Normalizer
from .results import Curves

CURVE_STREAM = 1   # curves draw from their own streams: adding them never moves the score CIs


def _series(run: Run | Series, panel: int) -> Series:
    return run.series[panel] if isinstance(run, Run) else run


def _ordered(cells: Mapping[tuple[str, str], Sequence[Run | Series]], algorithms, tasks, panel):
    algorithms = tuple(algorithms) if algorithms is not None else tuple(dict.fromkeys(a for a, _ in cells))
    tasks = tuple(tasks) if tasks is not None else tuple(dict.fromkeys(t for _, t in cells))
    table = {}
    for algorithm in algorithms:
        for task in tasks:
            runs = [_series(r, panel) for r in cells.get((algorithm, task), ())]
            if not runs:
                raise InputError(f"algorithm '{algorithm}' has no runs on task '{task}'",
                                 hint="every algorithm needs at least one run of every task")
            table[algorithm, task] = runs
    return algorithms, tasks, table


def run_grid(table: Mapping[tuple[str, str], list[Series]], algorithm: str, tasks: Sequence[str],
             grid: np.ndarray, normalizer: Normalizer | None) -> tuple[np.ndarray, np.ndarray]:
    """One algorithm's runs on ``grid``, normalized, ordered by task: shape (N, n_grid); and
    runs per task, shape (n_tasks,). NaN where a run does not cover a grid point."""
    rows, counts = [], []
    for task in tasks:
        runs = table[algorithm, task]
        counts.append(len(runs))
        for series in runs:
            y = on_grid(series.x, series.y, grid)
            rows.append(normalizer.scale(task, y) if normalizer is not None else y)
    return np.vstack(rows), np.array(counts, dtype=int)


def sample_efficiency(cells: Mapping[tuple[str, str], Sequence[Run | Series]],
                      normalizer: Normalizer | None = None, *, statistic: str = "iqm",
                      points: int = 50, grid: np.ndarray | None = None, panel: int = 0,
                      algorithms: Sequence[str] | None = None, tasks: Sequence[str] | None = None,
                      reps: int = 2000, level: float = 95.0, seed: int = 0, gamma: float = 1.0,
                      x_label: str | None = None) -> Curves:
    """``statistic`` (an aggregate metric, default IQM) of the normalized runs at each x, with CIs.

    ``cells`` maps (algorithm, task) to runs (a Run uses ``series[panel]``). The grid is
    ``points`` x values over the range every run covers, unless ``grid`` is given; grid
    points some run does not reach are left out with a Notice.
    """
    settings = check_settings(reps, level, seed, gamma)
    metric = AGGREGATE_METRICS.load(AGGREGATE_METRICS.check(statistic))
    algorithms, tasks, table = _ordered(cells, algorithms, tasks, panel)
    every = [s for runs in table.values() for s in runs]
    grid = _shared_grid(every, points) if grid is None else np.sort(np.asarray(grid, dtype=float))
    values = {a: run_grid(table, a, tasks, grid, normalizer) for a in algorithms}
    covered = np.all([np.all(np.isfinite(v), axis=0) for v, _ in values.values()], axis=0)
    notices = ()
    if not covered.all():
        notices = (Notice(f"{int((~covered).sum())} of {len(grid)} grid points lie outside some "
                          "run's x range: left out (curves are never extrapolated)"),)
        if not covered.any():
            raise InputError("no grid point is covered by every run", hint="leave the grid out")
        grid = grid[covered]
        values = {a: (v[:, covered], c) for a, (v, c) in values.items()}
    point, low, high = _curve_estimates(values, algorithms, metric, settings)
    label = x_label if x_label is not None else every[0].x_name
    return Curves(algorithms, statistic, grid, label, point, low, high, settings, notices)


def _shared_grid(every: list[Series], points: int) -> np.ndarray:
    # common_grid's own hint names `render`'s option; say what helps here instead.
    if any(len(s.x) == 0 for s in every):
        raise InputError("a run has no points", hint="sample-efficiency curves need every run")
    if max(float(s.x[0]) for s in every) > min(float(s.x[-1]) for s in every):
        raise InputError("the runs share no x range, so there is no common grid for "
                         "sample-efficiency curves", hint="leave the curves out, or give a grid")
    return common_grid([s.x for s in every], "intersection", points)


def _curve_estimates(values, algorithms, statistic, settings):
    # A replicate is one multiplicity vector over an algorithm's runs, shared by every x (the
    # same resampled runs along the whole curve); each x's statistic is linear or cumulative in
    # it over tables built once per x (resampled.py), so no (reps, n_grid, N) gather and sort.
    rngs = streams(settings.seed, len(algorithms), CURVE_STREAM)
    points, lows, highs = [], [], []
    for algorithm, rng in zip(algorithms, rngs):
        runs, counts = values[algorithm]           # (N, n_grid), (n_tasks,)
        points.append(statistic.on_values(runs.T, counts, gamma=settings.gamma))
        tables = [resampled.prepare(column, counts, settings.gamma) for column in runs.T]
        draws = []
        for part in chunks(settings.reps, runs.shape[0] * (3 + len(tables))):
            size = part.stop - part.start
            m = resampled.multiplicities(resample_index(counts, rng, size), runs.shape[0])
            draws.append(np.stack([statistic.on_resamples(m, table) for table in tables], axis=-1))
        low, high = percentile_interval(np.concatenate(draws), settings.level)
        lows.append(low)
        highs.append(high)
    return np.array(points), np.array(lows), np.array(highs)
