"""Per-task normalization: ``none``, ``minmax`` over every run of every algorithm, or
``(score - random) / (expert - random)`` from a YAML file of reference scores.

Every normalization is one affine map per task, (value - low) / (high - low), so the same
map serves final scores and whole learning curves (sample-efficiency curves).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import yaml

from ..data import Notice
from ..errors import ConfigError
from ..registry import unknown_hint
from ..choices import NORMALIZATIONS
from .matrix import ScoreMatrix

MAX_REFERENCE_BYTES = 1_000_000
EXPERT_KEYS = ("expert", "human")


@dataclass(frozen=True)
class Normalizer:
    """One affine map per task: ``(value - low[t]) / (high[t] - low[t])``; low, high shape (n_tasks,)."""

    method: str
    tasks: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    notices: tuple[Notice, ...] = ()
    source: str | None = None   # the reference file, if any

    @property
    def label(self) -> str:
        """How tables and figures name it: ``none``, ``minmax`` or ``references (FILE)``."""
        return f"references ({self.source})" if self.source else self.method

    def scale(self, task: str, values: np.ndarray) -> np.ndarray:
        """Normalize ``values`` (any shape) of one task."""
        i = self.tasks.index(task)
        span = self.high[i] - self.low[i]
        if span == 0.0:   # a constant minmax task: every run scored the same
            return np.zeros_like(np.asarray(values, dtype=float))
        return (np.asarray(values, dtype=float) - self.low[i]) / span

    def apply(self, matrix: ScoreMatrix) -> ScoreMatrix:
        """The matrix with every cell normalized (an unchanged copy for ``none``)."""
        if self.method == "none":
            return matrix.with_cells(matrix.cells, "none", self.notices)
        missing = [t for t in matrix.tasks if t not in self.tasks]
        if missing:
            raise ConfigError(f"no reference scores for task '{missing[0]}'", file=self.source,
                              hint=unknown_hint(missing[0], self.tasks))
        cells = [[self.scale(t, c) for t, c in zip(matrix.tasks, row)] for row in matrix.cells]
        return matrix.with_cells(cells, self.label, self.notices)


def identity(tasks: Sequence[str]) -> Normalizer:
    """No normalization."""
    n = len(tasks)
    return Normalizer("none", tuple(tasks), np.zeros(n), np.ones(n))


def minmax(matrix: ScoreMatrix) -> Normalizer:
    """Per task, the lowest score of any run of any algorithm maps to 0 and the highest to 1."""
    low, high, notices = [], [], []
    for t, task in enumerate(matrix.tasks):
        values = np.concatenate([row[t] for row in matrix.cells])
        low.append(float(values.min()))
        high.append(float(values.max()))
        if low[-1] == high[-1]:
            notices.append(Notice(f"task '{task}': every run scored {low[-1]:g}; "
                                  "its normalized scores are all 0"))
    return Normalizer("minmax", matrix.tasks, np.array(low), np.array(high), tuple(notices))


def from_references(references: Mapping, *, source: str | None = None) -> Normalizer:
    """Reference scores ``{task: {random: R, expert: E}}`` (``human`` may stand for ``expert``)."""
    if not isinstance(references, Mapping) or not references:
        raise ConfigError("reference scores must be a mapping of task -> {random, expert}",
                          file=source, hint="e.g. Pong: {random: -20.7, human: 14.6}")
    tasks, low, high = [], [], []
    for task, entry in references.items():
        random, expert = _reference_pair(str(task), entry, source)
        tasks.append(str(task))
        low.append(random)
        high.append(expert)
    return Normalizer("references", tuple(tasks), np.array(low), np.array(high), source=source)


def _reference_pair(task: str, entry, source: str | None) -> tuple[float, float]:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"task '{task}': expected {{random: R, expert: E}}", file=source)
    unknown = [k for k in entry if k not in ("random", *EXPERT_KEYS)]
    if unknown:
        raise ConfigError(f"task '{task}': unknown key '{unknown[0]}'", file=source,
                          hint=unknown_hint(str(unknown[0]), ("random", *EXPERT_KEYS)))
    experts = [k for k in EXPERT_KEYS if k in entry]
    if "random" not in entry or len(experts) != 1:
        raise ConfigError(f"task '{task}': needs 'random' and one of 'expert' or 'human'",
                          file=source)
    values = []
    for key in ("random", experts[0]):
        value = entry[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise ConfigError(f"task '{task}': {key} must be a finite number, not {value!r}",
                              file=source)
        values.append(float(value))
    if values[0] == values[1]:
        raise ConfigError(f"task '{task}': random and {experts[0]} scores are equal ({values[0]:g})",
                          file=source, hint="normalized scores would divide by zero")
    return values[0], values[1]


def read_references(path: str | Path) -> Normalizer:
    """Load a YAML file of reference scores with ``yaml.safe_load``; ConfigErrors name the file."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read reference scores: {exc.strerror or exc}", file=shown) from None
    if len(raw) > MAX_REFERENCE_BYTES:
        raise ConfigError("reference file is too large", file=shown,
                          hint=f"at most {MAX_REFERENCE_BYTES:,} bytes")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("reference file is not UTF-8 text", file=shown) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"YAML error: {getattr(exc, 'problem', None) or exc}", file=shown,
                          line=mark.line + 1 if mark else None) from None
    return from_references(data, source=shown)


def normalizer(spec: str, matrix: ScoreMatrix) -> Normalizer:
    """``none``, ``minmax``, or a path to a YAML file of reference scores."""
    if spec in NORMALIZATIONS and spec != "references":
        return identity(matrix.tasks) if spec == "none" else minmax(matrix)
    if spec.endswith((".yaml", ".yml")) or Path(spec).is_file():
        return read_references(spec)
    raise ConfigError(f"unknown normalization '{spec}'",
                      hint=unknown_hint(spec, ("none", "minmax")) + ", or a YAML file of reference scores")


def normalize(matrix: ScoreMatrix, spec: str = "none") -> tuple[ScoreMatrix, Normalizer]:
    """The normalized matrix and the per-task map (reused for sample-efficiency curves)."""
    norm = normalizer(spec, matrix)
    return norm.apply(matrix), norm
