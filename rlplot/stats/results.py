"""What ``rlplot compare`` computes, as small frozen dataclasses of numpy arrays.

Tables (``rlplot.stats.tables``) and figures (``rlplot.figure.compare``) read only these.
Every CI is a percentile interval of a stratified bootstrap at ``level`` percent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import Notice
from .matrix import ScoreMatrix


@dataclass(frozen=True)
class Settings:
    """Bootstrap replicates, CI level in percent, seed, and the optimality-gap threshold."""

    reps: int = 2000
    level: float = 95.0
    seed: int = 0
    gamma: float = 1.0


@dataclass(frozen=True)
class IntervalEstimates:
    """Aggregate metrics per algorithm: point, low, high of shape (n_algorithms, n_metrics)."""

    algorithms: tuple[str, ...]
    metrics: tuple[str, ...]
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    counts: np.ndarray     # runs per (algorithm, task), shape (n_algorithms, n_tasks)
    settings: Settings

    def get(self, algorithm: str, metric: str) -> tuple[float, float, float]:
        """(point, low, high) of one algorithm's metric."""
        a, m = self.algorithms.index(algorithm), self.metrics.index(metric)
        return float(self.point[a, m]), float(self.low[a, m]), float(self.high[a, m])


@dataclass(frozen=True)
class Profiles:
    """Performance profiles: fraction above each ``tau`` (n_tau,); point, low, high (n_algorithms, n_tau).

    ``kind`` is ``runs`` (score distribution) or ``tasks`` (average-score distribution);
    ``scale`` how tau is spaced (``linear`` or ``log``).
    """

    algorithms: tuple[str, ...]
    kind: str
    scale: str
    tau: np.ndarray
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    settings: Settings


@dataclass(frozen=True)
class Improvements:
    """P(X > Y) for each pair (X, Y): point, low, high of shape (n_pairs,)."""

    pairs: tuple[tuple[str, str], ...]
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    settings: Settings


@dataclass(frozen=True)
class Curves:
    """Sample-efficiency curves: ``statistic`` of normalized scores at each x of the grid (n_grid,);
    point, low, high of shape (n_algorithms, n_grid)."""

    algorithms: tuple[str, ...]
    statistic: str
    x: np.ndarray
    x_label: str
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    settings: Settings
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Everything one ``rlplot compare`` run reports, computed from one (normalized) score matrix."""

    matrix: ScoreMatrix
    settings: Settings
    intervals: IntervalEstimates
    profiles: Profiles | None = None
    improvements: Improvements | None = None
    curves: Curves | None = None

    @property
    def notices(self) -> tuple[Notice, ...]:
        """The scores' and curves' notices, in order."""
        return self.matrix.notices + (self.curves.notices if self.curves else ())
