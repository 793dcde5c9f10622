"""The score matrix: algorithms × tasks × runs, where runs per (algorithm, task) cell may differ.

rliable lays one algorithm's scores out as an array of shape (num_runs, num_tasks); here
each cell is its own array of shape (n_runs,), so seed counts may differ between tasks.
Every statistic then weighs each task equally (see docs/compare.md), which is exactly
rliable's definition when the counts are equal.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

import numpy as np

from ..data import Notice, Run, Series
from ..errors import InputError
from .scores import DEFAULT_SCORE, ScoreSpec, parse_score, score_run, short_of


@dataclass(frozen=True)
class ScoreMatrix:
    """Scores per algorithm and task: ``cells[a][t]`` has shape (n_runs[a, t],), float64, finite.

    ``score`` is the score spec the runs were scored with, ``normalization`` how the scores
    were normalized (both only describe the numbers: tables and figures print them).
    """

    algorithms: tuple[str, ...]
    tasks: tuple[str, ...]
    cells: tuple[tuple[np.ndarray, ...], ...]
    score: str = DEFAULT_SCORE
    normalization: str = "none"
    notices: tuple[Notice, ...] = ()

    @property
    def counts(self) -> np.ndarray:
        """Runs per cell, int array of shape (n_algorithms, n_tasks)."""
        return np.array([[len(c) for c in row] for row in self.cells], dtype=int).reshape(
            len(self.algorithms), len(self.tasks))

    @property
    def equal_counts(self) -> bool:
        """True when every algorithm has the same number of runs on each of its tasks (rliable's case)."""
        return all(len(set(row)) <= 1 for row in self.counts.tolist())

    def runs(self, algorithm: str) -> tuple[np.ndarray, np.ndarray]:
        """One algorithm's scores ordered by task, shape (N,), and runs per task, shape (n_tasks,)."""
        row = self.cells[self.algorithms.index(algorithm)]
        return np.concatenate(row), np.array([len(c) for c in row], dtype=int)

    def all_scores(self) -> np.ndarray:
        """Every score of every algorithm, shape (total runs,)."""
        return np.concatenate([np.concatenate(row) for row in self.cells])

    def task_means(self) -> np.ndarray:
        """Mean score of each cell, shape (n_algorithms, n_tasks)."""
        return np.array([[float(np.mean(c)) for c in row] for row in self.cells]).reshape(
            len(self.algorithms), len(self.tasks))

    def to_rliable(self) -> dict[str, np.ndarray]:
        """rliable's ``score_dict``: algorithm -> array (num_runs, num_tasks); needs equal counts per algorithm."""
        out = {}
        for algorithm, row in zip(self.algorithms, self.cells):
            if len({len(c) for c in row}) > 1:
                raise InputError(f"algorithm '{algorithm}' has different numbers of runs per task",
                                 hint="rliable needs the same number on every task")
            out[algorithm] = np.stack(row, axis=1)
        return out

    def with_cells(self, cells: Sequence[Sequence[np.ndarray]], normalization: str,
                   notices: Iterable[Notice] = ()) -> "ScoreMatrix":
        """The same matrix with other (e.g. normalized) scores of the same shape."""
        frozen = tuple(tuple(_frozen(c) for c in row) for row in cells)
        return replace(self, cells=frozen, normalization=normalization,
                       notices=self.notices + tuple(notices))


def _frozen(values) -> np.ndarray:
    array = np.array(values, dtype=float).reshape(-1)
    array.flags.writeable = False
    return array


def from_cells(cells: Mapping[tuple[str, str], Sequence[float] | np.ndarray], *,
               algorithms: Sequence[str] | None = None, tasks: Sequence[str] | None = None,
               score: str = DEFAULT_SCORE, normalization: str = "none",
               notices: Iterable[Notice] = ()) -> ScoreMatrix:
    """A ScoreMatrix from ``{(algorithm, task): scores of shape (n_runs,)}``.

    Algorithms and tasks keep their first-seen order unless given. Every algorithm needs
    at least one finite score on every task (an InputError names the cell otherwise);
    a Notice says when seed counts differ between tasks.
    """
    algorithms = tuple(algorithms) if algorithms is not None else tuple(dict.fromkeys(a for a, _ in cells))
    tasks = tuple(tasks) if tasks is not None else tuple(dict.fromkeys(t for _, t in cells))
    if not algorithms or not tasks:
        raise InputError("no runs to compare", hint="check --algo-by and --task-by")
    rows = []
    for algorithm in algorithms:
        row = []
        for task in tasks:
            values = _frozen(cells.get((algorithm, task), ()))
            if values.size == 0:
                raise InputError(f"algorithm '{algorithm}' has no runs on task '{task}'",
                                 hint="every algorithm needs at least one run of every task")
            if not np.all(np.isfinite(values)):
                raise InputError(f"algorithm '{algorithm}', task '{task}': a score is not finite")
            row.append(values)
        rows.append(tuple(row))
    matrix = ScoreMatrix(algorithms, tasks, tuple(rows), str(score), normalization, tuple(notices))
    unequal = counts_notice(matrix)
    return replace(matrix, notices=matrix.notices + unequal)


def from_rliable(score_dict: Mapping[str, np.ndarray], tasks: Sequence[str] | None = None,
                 **kwargs) -> ScoreMatrix:
    """A ScoreMatrix from rliable's layout: algorithm -> array of shape (num_runs, num_tasks)."""
    arrays = {a: np.asarray(s, dtype=float) for a, s in score_dict.items()}
    widths = {s.shape[1] if s.ndim == 2 else -1 for s in arrays.values()}
    if len(widths) != 1 or -1 in widths:
        raise InputError("every score array must have shape (num_runs, num_tasks) with the same tasks")
    width = widths.pop()
    tasks = tuple(tasks) if tasks is not None else tuple(f"task {i}" for i in range(width))
    if len(tasks) != width:
        raise InputError(f"{len(tasks)} task names for {width} task columns")
    cells = {(a, t): s[:, i] for a, s in arrays.items() for i, t in enumerate(tasks)}
    return from_cells(cells, algorithms=tuple(arrays), tasks=tasks, **kwargs)


def counts_notice(matrix: ScoreMatrix) -> tuple[Notice, ...]:
    """A Notice when an algorithm's runs per task differ (each task still weighs the same)."""
    uneven = []
    for algorithm, row in zip(matrix.algorithms, matrix.counts.tolist()):
        if len(set(row)) > 1:
            uneven.append(f"{algorithm} {min(row)}-{max(row)}")
    if not uneven:
        return ()
    return (Notice("runs per task differ (" + ", ".join(uneven) + "): every statistic weighs "
                   "each task equally, so one run counts more on a task with fewer runs "
                   "(rliable would refuse these scores)"),)


def score_cells(cells: Mapping[tuple[str, str], Sequence[Run | Series]],
                spec: ScoreSpec | str = DEFAULT_SCORE, *, panel: int = 0,
                algorithms: Sequence[str] | None = None,
                tasks: Sequence[str] | None = None) -> ScoreMatrix:
    """Score every run of ``{(algorithm, task): runs}``: one ScoreMatrix, with notices.

    A ``Run`` is scored on ``run.series[panel]`` and named by its source in messages.
    """
    spec = parse_score(spec)
    scores: dict[tuple[str, str], list[float]] = {}
    notices: list[Notice] = []
    for key, runs in cells.items():
        values = []
        for run in runs:
            series, source = _series_of(run, panel)
            values.append(score_run(series.x, series.y, spec, source=source))
            short = short_of(len(series), spec)
            if short:
                notices.append(Notice(short, file=source))
        scores[key] = values
    return from_cells(scores, algorithms=algorithms, tasks=tasks, score=str(spec),
                      notices=notices)


def _series_of(run: Run | Series, panel: int) -> tuple[Series, str | None]:
    if isinstance(run, Run):
        if panel >= len(run.series):
            raise InputError(f"the run has no panel {panel}", file=run.source)
        return run.series[panel], run.source
    return run, None
