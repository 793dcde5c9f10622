"""Interval estimates, performance profiles and probabilities of improvement with stratified
bootstrap CIs, all from one pass over shared resamples.

Each algorithm has its own random stream (from ``seed``), so its CIs do not depend on
which other algorithms are compared or on the order they come in; every statistic of an
algorithm (and every pair it is in) is computed on the same resampled runs.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import ConfigError
from ..registry import unknown_hint
from .bootstrap import chunks, percentile_interval, resample_index, streams
from ..choices import AGGREGATE_METRICS, PROFILE_KINDS, TAU_SCALES
from . import resampled
from .estimators import improvement
from .matrix import ScoreMatrix
from .results import Comparison, Improvements, IntervalEstimates, Profiles, Settings


@dataclass(frozen=True)
class _Plan:
    metrics: tuple[str, ...]
    tau: np.ndarray | None        # None: no profiles
    profile: str
    pairs: tuple[tuple[int, int], ...]


def check_settings(reps: int = 2000, level: float = 95.0, seed: int = 0, gamma: float = 1.0) -> Settings:
    """Settings after checking them (ConfigError on nonsense)."""
    if isinstance(reps, bool) or int(reps) != reps or reps < 1:
        raise ConfigError(f"reps must be a whole number of at least 1, not {reps!r}")
    if not 0.0 < float(level) < 100.0:
        raise ConfigError(f"CI level must be between 0 and 100 (percent), not {level!r}",
                          hint="e.g. 95")
    if not np.isfinite(gamma):
        raise ConfigError(f"gamma must be finite, not {gamma!r}")
    return Settings(int(reps), float(level), int(seed), float(gamma))


def tau_grid(matrix: ScoreMatrix, scale: str = "linear", points: int = 101,
             low: float | None = None, high: float | None = None) -> np.ndarray:
    """Thresholds for performance profiles, shape (points,), spanning the scores unless given."""
    TAU_SCALES.check(scale)
    if points < 2:
        raise ConfigError(f"a tau grid needs at least 2 points, not {points}")
    scores = matrix.all_scores()
    if scale == "log":
        positive = scores[scores > 0]
        low = low if low is not None else (float(positive.min()) if positive.size else None)
        high = high if high is not None else (float(positive.max()) if positive.size else None)
        if low is None or high is None or low <= 0 or high <= 0:
            raise ConfigError("a log tau grid needs positive scores", hint="use linear")
        return np.geomspace(low, max(high, low), points)
    low = float(scores.min()) if low is None else float(low)
    high = float(scores.max()) if high is None else float(high)
    return np.linspace(low, max(high, low), points)


def resolve_pairs(algorithms: Sequence[str], pairs) -> tuple[tuple[int, int], ...]:
    """Pairs as index pairs: ``"first"`` (default: the first algorithm against each other),
    ``"all"`` (every unordered pair, earlier first), or explicit (X, Y) names."""
    if pairs is None or pairs == "first":
        return tuple((0, j) for j in range(1, len(algorithms)))
    if pairs == "all":
        return tuple(itertools.combinations(range(len(algorithms)), 2))
    if isinstance(pairs, str):
        raise ConfigError(f"unknown pairs '{pairs}'", hint="first, all, or a list of (X, Y) pairs")
    out = []
    for pair in pairs:
        if len(pair) != 2:
            raise ConfigError(f"a pair needs two algorithms, not {pair!r}")
        names = []
        for name in pair:
            if name not in algorithms:
                raise ConfigError(f"unknown algorithm '{name}' in pair {tuple(pair)}",
                                  hint=unknown_hint(str(name), algorithms))
            names.append(algorithms.index(name))
        if names[0] == names[1]:
            raise ConfigError(f"pair {tuple(pair)} compares an algorithm with itself")
        out.append(tuple(names))
    return tuple(out)


def compare(matrix: ScoreMatrix, *, metrics: Sequence[str] | None = None, reps: int = 2000,
            level: float = 95.0, seed: int = 0, gamma: float = 1.0, profile: str | None = "runs",
            tau: np.ndarray | None = None, tau_scale: str = "linear", tau_points: int = 101,
            pairs="first") -> Comparison:
    """Interval estimates of ``metrics`` (default: median, IQM, mean, optimality gap), performance
    profiles (``profile`` runs|tasks, None for none) and P(X > Y) for ``pairs`` (``()`` for none),
    each with a ``level`` % stratified-bootstrap CI over ``reps`` replicates."""
    settings = check_settings(reps, level, seed, gamma)
    metrics = tuple(AGGREGATE_METRICS.check(m) for m in (metrics or AGGREGATE_METRICS.names))
    if profile is not None:
        PROFILE_KINDS.check(profile)
        tau = np.sort(np.asarray(tau, dtype=float)) if tau is not None else \
            tau_grid(matrix, tau_scale, tau_points)
    plan = _Plan(metrics, tau if profile is not None else None, profile or "runs",
                 resolve_pairs(matrix.algorithms, pairs))
    points, draws = _estimates(matrix, plan, settings), _bootstrap(matrix, plan, settings)
    return _assemble(matrix, plan, settings, points, draws, tau_scale)


def _layout(matrix: ScoreMatrix) -> tuple[list[np.ndarray], list[np.ndarray]]:
    runs = [matrix.runs(a) for a in matrix.algorithms]
    return [values for values, _ in runs], [counts for _, counts in runs]


def _estimates(matrix: ScoreMatrix, plan: _Plan, settings: Settings):
    # Point estimates on the scores as they are: metrics (A, n_metrics), profiles (A, n_tau)
    # or None, improvements (P,).
    values, counts = _layout(matrix)
    metric_values = np.array([[AGGREGATE_METRICS.load(m).on_values(v, c, gamma=settings.gamma)
                               for m in plan.metrics] for v, c in zip(values, counts)])
    profile_values = None
    if plan.tau is not None:
        profile = PROFILE_KINDS.load(plan.profile)
        profile_values = np.array([profile.on_values(v, c, plan.tau) for v, c in zip(values, counts)])
    pair_values = np.array([improvement(values[x], counts[x], values[y], counts[y]) for x, y in plan.pairs])
    return metric_values, profile_values, pair_values


def _bootstrap(matrix: ScoreMatrix, plan: _Plan, settings: Settings):
    # Replicates of every statistic: metrics (reps, A, n_metrics), profiles (reps, A, n_tau)
    # or None, improvements (reps, P). A resample is a multiplicity per run (resampled.py).
    values, counts = _layout(matrix)
    prepared = [resampled.prepare(v, c, settings.gamma, plan.tau) for v, c in zip(values, counts)]
    tables = {(x, y): resampled.pair_table(values[x], counts[x], values[y], counts[y]) for x, y in plan.pairs}
    metrics = [AGGREGATE_METRICS.load(m).on_resamples for m in plan.metrics]
    profile = PROFILE_KINDS.load(plan.profile).on_resamples if plan.tau is not None else None
    rngs = streams(settings.seed, len(values))
    n_tau = 0 if plan.tau is None else len(plan.tau)
    per_rep = 3 * max(len(v) for v in values) + max(len(c) for c in counts) + 2 * n_tau
    parts: list[tuple] = []
    for part in chunks(settings.reps, per_rep):
        size = part.stop - part.start
        m = [resampled.multiplicities(resample_index(c, rng, size), len(v))
             for v, c, rng in zip(values, counts, rngs)]
        parts.append((
            np.stack([np.stack([f(m[a], prepared[a]) for f in metrics], axis=-1) for a in range(len(m))], axis=1),
            None if profile is None else np.stack([profile(m[a], prepared[a]) for a in range(len(m))], axis=1),
            np.stack([resampled.improvement(m[x], m[y], tables[x, y], counts[x], counts[y])
                      for x, y in plan.pairs], axis=-1) if plan.pairs else np.zeros((size, 0)),
        ))
    return tuple(None if parts[0][i] is None else np.concatenate([p[i] for p in parts]) for i in range(3))


def _assemble(matrix, plan, settings, points, draws, tau_scale) -> Comparison:
    (metric_point, profile_point, pair_point), (metric_draws, profile_draws, pair_draws) = points, draws
    low, high = percentile_interval(metric_draws, settings.level)
    intervals = IntervalEstimates(matrix.algorithms, plan.metrics, metric_point, low, high,
                                  matrix.counts, settings)
    profiles = improvements = None
    if plan.tau is not None:
        low, high = percentile_interval(profile_draws, settings.level)
        profiles = Profiles(matrix.algorithms, plan.profile, tau_scale, plan.tau, profile_point,
                            low, high, settings)
    if plan.pairs:
        low, high = percentile_interval(pair_draws, settings.level)
        names = tuple((matrix.algorithms[x], matrix.algorithms[y]) for x, y in plan.pairs)
        improvements = Improvements(names, pair_point, low, high, settings)
    return Comparison(matrix, settings, intervals, profiles, improvements)


def interval_estimates(matrix: ScoreMatrix, **options) -> IntervalEstimates:
    """Only the interval estimates (same numbers as ``compare`` with the same seed)."""
    return compare(matrix, profile=None, pairs=(), **options).intervals


def performance_profiles(matrix: ScoreMatrix, profile: str = "runs", **options) -> Profiles:
    """Only the performance profiles (same numbers as ``compare`` with the same seed)."""
    return compare(matrix, profile=profile, pairs=(), **options).profiles


def probability_of_improvement(matrix: ScoreMatrix, pairs="first", **options) -> Improvements:
    """Only P(X > Y) for ``pairs`` (same numbers as ``compare`` with the same seed)."""
    return compare(matrix, profile=None, pairs=pairs, **options).improvements
