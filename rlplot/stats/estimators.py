"""Point estimators on one algorithm's runs, vectorised over bootstrap replicates.

A *block* holds runs on its last axis, ordered by task: shape (..., N) with
``N = counts.sum()`` and the first ``counts[0]`` runs from task 0, and so on. Leading
axes are bootstrap replicates (and grid points for sample-efficiency curves); every
estimator returns the block's shape without its last axis (profiles add one for tau).
The aggregates share one signature, ``f(block, counts, gamma=1.0)``, so that
``AGGREGATE_METRICS.load(name)`` finds any of them.

Each task weighs the same, whatever its number of runs. With equal counts every
estimator is exactly rliable's (``metrics.aggregate_*``, ``probability_of_improvement``,
``create_performance_profile``), which takes a (num_runs, num_tasks) matrix instead.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np


def offsets(counts: np.ndarray) -> np.ndarray:
    """Start of each task's runs in a block, then N: shape (n_tasks + 1,)."""
    return np.concatenate(([0], np.cumsum(counts))).astype(int)


def task_means(block: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mean of each task's runs: shape (..., n_tasks)."""
    counts = np.asarray(counts)
    if len(set(counts.tolist())) == 1:   # equal counts: one reshape, no index arithmetic
        return block.reshape(*block.shape[:-1], len(counts), int(counts[0])).mean(axis=-1)
    sums = np.add.reduceat(block, offsets(counts)[:-1], axis=-1)
    return sums / counts


def median(block: np.ndarray, counts: np.ndarray, **_) -> np.ndarray:
    """Median over tasks of the task means (rliable's ``aggregate_median``)."""
    return np.median(task_means(block, counts), axis=-1)


def mean(block: np.ndarray, counts: np.ndarray, **_) -> np.ndarray:
    """Mean over tasks of the task means (rliable's ``aggregate_mean``)."""
    return task_means(block, counts).mean(axis=-1)


def optimality_gap(block: np.ndarray, counts: np.ndarray, gamma: float = 1.0, **_) -> np.ndarray:
    """``gamma`` minus the mean over tasks of the task means of min(score, gamma) (rliable's)."""
    return gamma - task_means(np.minimum(block, gamma), counts).mean(axis=-1)


@lru_cache(maxsize=64)
def trim_plan(counts: tuple[int, ...]) -> tuple[np.ndarray, float, float]:
    """IQM weights per run (N,), their total and the weight cut from each end.

    Each run of a task with n runs counts L / n times (L = lcm of the counts), so every
    task has L "virtual runs"; a quarter of those is cut from each end as scipy's
    trim_mean does (floor(0.25 * total)). Equal counts: weight 1 each, rliable's IQM.
    """
    lcm = math.lcm(*counts)
    total = lcm * len(counts)
    if total > 2 ** 50:   # integer weights would lose precision: cut exactly a quarter instead
        weights = np.repeat([1.0 / n for n in counts], counts)
        weights.flags.writeable = False     # cached: shared by every caller
        return weights, float(len(counts)), len(counts) / 4.0
    weights = np.repeat([lcm // n for n in counts], counts).astype(float)
    weights.flags.writeable = False
    return weights, float(total), float(total // 4)


def iqm(block: np.ndarray, counts: np.ndarray, **_) -> np.ndarray:
    """Interquartile mean over all runs and tasks, each task weighing the same (rliable's ``aggregate_iqm``).

    A run of a task with n runs counts L/n times (L = lcm of the counts); then 25 % of
    the weight is trimmed from each end as ``scipy.stats.trim_mean`` does.
    """
    counts = tuple(int(n) for n in counts)
    ordered = np.sort(block, axis=-1)
    if len(set(counts)) == 1:
        total = ordered.shape[-1]
        cut = total // 4
        return ordered[..., cut:total - cut].mean(axis=-1)
    weights, total, cut = trim_plan(counts)
    w = weights[np.argsort(block, axis=-1, kind="stable")]
    upper = np.cumsum(w, axis=-1)
    kept = np.clip(np.minimum(upper, total - cut) - np.maximum(upper - w, cut), 0.0, None)
    return (ordered * kept).sum(axis=-1) / (total - 2 * cut)


def exceed_fraction(block: np.ndarray, weights: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """For each tau (n_tau,), the summed ``weights`` (N,) of the values > tau: shape (..., n_tau)."""
    # one bincount over tau bins per row instead of a (rows, N, n_tau) comparison
    lead = block.shape[:-1]
    rows = int(np.prod(lead)) if lead else 1
    flat = block.reshape(rows, block.shape[-1])
    above = np.searchsorted(tau, flat, side="left")       # how many tau are < each value
    bins = len(tau) + 1
    index = (np.arange(rows)[:, None] * bins + above).ravel()
    sums = np.bincount(index, weights=np.broadcast_to(weights, flat.shape).ravel(),
                       minlength=rows * bins).reshape(rows, bins)
    # weight above tau[k] = weight in bins k+1 .. n_tau
    tail = np.cumsum(sums[:, ::-1], axis=-1)[:, ::-1][:, 1:]
    return tail.reshape(*lead, len(tau))


def run_profile(block: np.ndarray, counts: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Score distribution: fraction of runs with score > tau, each task weighing the same.

    tau shape (n_tau,) ascending; returns shape (..., n_tau). rliable's
    ``create_performance_profile`` with ``use_score_distribution=True``.
    """
    counts = np.asarray(counts)
    weights = np.repeat(1.0 / (len(counts) * counts), counts)
    return exceed_fraction(block, weights, np.asarray(tau, dtype=float))


def task_profile(block: np.ndarray, counts: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Average-score distribution: fraction of tasks whose mean score is > tau; shape (..., n_tau)."""
    means = task_means(block, counts)
    weights = np.full(means.shape[-1], 1.0 / means.shape[-1])
    return exceed_fraction(means, weights, np.asarray(tau, dtype=float))


def improvement(block_x: np.ndarray, counts_x: np.ndarray, block_y: np.ndarray,
                counts_y: np.ndarray) -> np.ndarray:
    """P(X > Y): per task the Mann-Whitney U of X over Y / (n_x n_y), ties counting 1/2,
    averaged over tasks (rliable's ``probability_of_improvement``). Blocks share leading axes."""
    counts_x, counts_y = np.asarray(counts_x), np.asarray(counts_y)
    if len(set(counts_x.tolist())) == 1 and len(set(counts_y.tolist())) == 1:
        x = block_x.reshape(*block_x.shape[:-1], len(counts_x), int(counts_x[0]), 1)
        y = block_y.reshape(*block_y.shape[:-1], len(counts_y), 1, int(counts_y[0]))
        per_task = _u_fraction(x, y)
    else:
        ox, oy = offsets(counts_x), offsets(counts_y)
        per_task = np.stack([
            _u_fraction(block_x[..., ox[t]:ox[t + 1], None], block_y[..., None, oy[t]:oy[t + 1]])
            for t in range(len(counts_x))], axis=-1)
    return per_task.mean(axis=-1)


def _u_fraction(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # x (..., n_x, 1) against y (..., 1, n_y): share of pairs with x > y, ties 1/2.
    wins = np.count_nonzero(x > y, axis=(-2, -1))
    ties = np.count_nonzero(x == y, axis=(-2, -1))
    return (wins + 0.5 * ties) / (x.shape[-2] * y.shape[-1])
