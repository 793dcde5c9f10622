"""One call from runs grouped by (algorithm, task) to the whole evaluation: what ``rlplot compare``
(and a notebook) calls.

    cells = {("ppo", "hopper"): [run, run, ...], ...}      # Run or Series objects
    result = evaluate(cells, score="last:10%", normalize="minmax", reps=2000, seed=0)
    write_table("results.md", result)                        # rlplot.stats.tables
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from ..data import Run, Series
from .engine import compare
from .curves import sample_efficiency
from .matrix import score_cells
from .normalize import normalize as normalize_matrix
from .results import Comparison
from .scores import DEFAULT_SCORE


def evaluate(cells: Mapping[tuple[str, str], Sequence[Run | Series]], *, score: str = DEFAULT_SCORE,
             normalize: str = "none", panel: int = 0, algorithms: Sequence[str] | None = None,
             tasks: Sequence[str] | None = None, metrics: Sequence[str] | None = None,
             reps: int = 2000, level: float = 95.0, seed: int = 0, gamma: float = 1.0,
             profile: str | None = "runs", tau_scale: str = "linear", tau_points: int = 101,
             pairs="first", curves: bool = True, curve_points: int = 50,
             curve_statistic: str = "iqm", x_label: str | None = None) -> Comparison:
    """Score every run, normalize per task (``none``, ``minmax`` or a reference YAML file), then
    compute interval estimates, profiles, probabilities of improvement and (``curves``)
    sample-efficiency curves of ``curve_statistic``, all with ``level`` % stratified-bootstrap
    CIs from ``seed``."""
    raw = score_cells(cells, score, panel=panel, algorithms=algorithms, tasks=tasks)
    matrix, normalizer = normalize_matrix(raw, normalize)
    result = compare(matrix, metrics=metrics, reps=reps, level=level, seed=seed, gamma=gamma,
                     profile=profile, tau_scale=tau_scale, tau_points=tau_points, pairs=pairs)
    if not curves:
        return result
    efficiency = sample_efficiency(cells, normalizer, statistic=curve_statistic,
                                   points=curve_points, panel=panel,
                                   algorithms=matrix.algorithms, tasks=matrix.tasks, reps=reps,
                                   level=level, seed=seed, gamma=gamma, x_label=x_label)
    return replace(result, curves=efficiency)
