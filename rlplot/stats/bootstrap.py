"""The stratified bootstrap, vectorised: resample runs with replacement within each task,
all replicates of a chunk at once, and percentile intervals of any statistic.

rliable (through ``arch``) draws one resample at a time in Python; here a chunk of
replicates is one array of shape (reps, N) (or (reps, N, n_grid) for curves) and every
statistic runs on it once. Uniform draws (one float64 per resampled run) make the numbers
independent of the chunk size: the stream is consumed in the same order either way.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .estimators import offsets

# Elements of the largest temporary array per chunk (float64: 8 bytes each).
CHUNK_ELEMENTS = 2 ** 22


def streams(seed: int, count: int, purpose: int = 0) -> list[np.random.Generator]:
    """``count`` independent generators (one per algorithm) from ``seed``; ``purpose`` separates uses."""
    children = np.random.SeedSequence([int(seed), int(purpose)]).spawn(count)
    return [np.random.Generator(np.random.PCG64(child)) for child in children]


def resample_index(counts: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
    """Indices of one stratified resample per replicate, shape (reps, N): the runs at
    positions of task t are drawn uniformly, with replacement, from task t's own runs."""
    counts = np.asarray(counts, dtype=int)
    size = np.repeat(counts, counts)
    start = np.repeat(offsets(counts)[:-1], counts)
    draws = rng.random((reps, int(counts.sum())))
    return start + np.minimum((draws * size).astype(np.int64), size - 1)


def chunks(reps: int, elements_per_rep: int, budget: int = CHUNK_ELEMENTS) -> Iterator[slice]:
    """Slices of replicates whose temporaries stay under ``budget`` elements."""
    size = max(1, min(reps, budget // max(1, elements_per_rep)))
    for start in range(0, reps, size):
        yield slice(start, min(reps, start + size))


def percentile_interval(draws: np.ndarray, level: float = 95.0) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CI over replicates (axis 0): the (100 - level)/2 and (100 + level)/2 percentiles,
    linear interpolation as ``np.percentile`` and ``arch``'s ``method="percentile"``."""
    tail = (100.0 - level) / 2.0
    low, high = np.percentile(draws, [tail, 100.0 - tail], axis=0)
    return low, high
