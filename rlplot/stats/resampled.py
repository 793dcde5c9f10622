"""The statistics of ``estimators`` on bootstrap resamples given as run multiplicities.

A stratified resample of one algorithm's N runs is a multiplicity vector m of shape (N,):
how many times each run was drawn (each task's entries sum to its run count). Every
statistic here is then linear or cumulative in m over tables built once from the
original scores (``prepare``), so a chunk of R replicates is a few (R, N) matrix
products and cumulative sums, never a gather-and-sort of R x N values. The results equal
``estimators`` on the resampled values (up to float rounding; tests/stats check it).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimators import exceed_fraction, trim_plan


@dataclass(frozen=True)
class Prepared:
    """Tables of one algorithm's scores: values (N,) ordered by task, counts (n_tasks,)."""

    counts: np.ndarray
    task_sum: np.ndarray       # (N, n_tasks): m @ task_sum / counts = task means of the resample
    clipped_sum: np.ndarray    # the same for min(score, gamma)
    gamma: float
    order: np.ndarray          # (N,) runs by ascending score
    sorted_values: np.ndarray  # (N,)
    trim_weights: np.ndarray   # (N,) in sorted order: a run's IQM weight per draw
    trim_total: float
    trim_cut: float
    exceed: np.ndarray | None  # (N, n_tau): weight of run i above tau_k (run profiles)
    tau: np.ndarray | None


def prepare(values: np.ndarray, counts: np.ndarray, gamma: float = 1.0,
            tau: np.ndarray | None = None) -> Prepared:
    """The tables every resampled statistic of these scores needs (built once per algorithm)."""
    counts = np.asarray(counts, dtype=int)
    task = np.repeat(np.arange(len(counts)), counts)
    per_run = 1.0 / counts[task]
    # Sums first, then one division per task, as np.mean does: a constant task's mean stays exact.
    one_hot = np.zeros((len(values), len(counts)))
    one_hot[np.arange(len(values)), task] = 1.0
    weights, total, cut = trim_plan(tuple(int(n) for n in counts))
    order = np.argsort(values, kind="stable")
    exceed = None
    if tau is not None:
        exceed = (values[:, None] > tau[None, :]) * (per_run / len(counts))[:, None]
    return Prepared(counts, one_hot * values[:, None], one_hot * np.minimum(values, gamma)[:, None],
                    float(gamma), order, values[order], weights[order], float(total), float(cut),
                    exceed, tau)


def multiplicities(index: np.ndarray, n_runs: int) -> np.ndarray:
    """How often each run was drawn: index (R, N) of resampled runs -> counts (R, N), float."""
    reps = index.shape[0]
    flat = (np.arange(reps)[:, None] * n_runs + index).ravel()
    return np.bincount(flat, minlength=reps * n_runs).reshape(reps, n_runs).astype(float)


def task_means(m: np.ndarray, p: Prepared) -> np.ndarray:
    """Task means of each resample: (R, n_tasks)."""
    return (m @ p.task_sum) / p.counts


def median(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.median`` of each resample: (R,)."""
    return np.median(task_means(m, p), axis=-1)


def mean(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.mean`` of each resample: (R,)."""
    return task_means(m, p).mean(axis=-1)


def optimality_gap(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.optimality_gap`` of each resample: (R,)."""
    return p.gamma - ((m @ p.clipped_sum) / p.counts).mean(axis=-1)


def iqm(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.iqm`` of each resample: the trimmed weight of each sorted run, no sorting."""
    w = m[:, p.order] * p.trim_weights
    upper = np.cumsum(w, axis=-1)
    kept = np.clip(np.minimum(upper, p.trim_total - p.trim_cut) - np.maximum(upper - w, p.trim_cut), 0.0, None)
    return kept @ p.sorted_values / (p.trim_total - 2 * p.trim_cut)


def run_profile(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.run_profile`` of each resample at ``p.tau``: (R, n_tau)."""
    return m @ p.exceed


def task_profile(m: np.ndarray, p: Prepared) -> np.ndarray:
    """``estimators.task_profile`` of each resample at ``p.tau``: (R, n_tau)."""
    means = task_means(m, p)
    return exceed_fraction(means, np.full(means.shape[-1], 1.0 / means.shape[-1]), p.tau)


def pair_table(x: np.ndarray, counts_x: np.ndarray, y: np.ndarray, counts_y: np.ndarray) -> list[np.ndarray]:
    """Per task, (1 + sign(x_i - y_j)) / 2 / (n_x n_y n_tasks): shape (n_x[t], n_y[t]) each."""
    ox = np.concatenate(([0], np.cumsum(counts_x)))
    oy = np.concatenate(([0], np.cumsum(counts_y)))
    tasks = len(counts_x)
    return [(1.0 + np.sign(x[ox[t]:ox[t + 1], None] - y[None, oy[t]:oy[t + 1]]))
            / (2.0 * counts_x[t] * counts_y[t] * tasks) for t in range(tasks)]


def improvement(mx: np.ndarray, my: np.ndarray, table: list[np.ndarray], counts_x: np.ndarray,
                counts_y: np.ndarray) -> np.ndarray:
    """``estimators.improvement`` of each pair of resamples: sum over tasks of mx_t W_t my_t, (R,)."""
    if len(set(counts_x.tolist())) == 1 and len(set(counts_y.tolist())) == 1:
        reps, tasks = mx.shape[0], len(counts_x)
        x = mx.reshape(reps, tasks, -1).transpose(1, 0, 2)          # (tasks, R, n_x)
        y = my.reshape(reps, tasks, -1).transpose(1, 0, 2)
        return (np.matmul(x, np.stack(table)) * y).sum(axis=(0, 2))
    ox = np.concatenate(([0], np.cumsum(counts_x)))
    oy = np.concatenate(([0], np.cumsum(counts_y)))
    return sum(((mx[:, ox[t]:ox[t + 1]] @ w) * my[:, oy[t]:oy[t + 1]]).sum(axis=-1)
               for t, w in enumerate(table))
