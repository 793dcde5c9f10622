"""Plain data passed between the stages: read -> clean -> smooth -> draw -> save.

Every container is a small frozen dataclass holding float64 numpy arrays, so a
stage can never mutate what an earlier stage produced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .errors import format_message


@dataclass(frozen=True)
class Notice:
    """A warning about the input, located like an error: ``file[:line]: what``."""

    what: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return format_message(self.what, file=self.file, line=self.line)


@dataclass(frozen=True)
class Column:
    """One column of a log, shape (n_rows,).

    ``values`` is float64 with NaN where the cell was absent, empty, null or not a
    number; ``missing`` and ``nonnumeric`` tell those cases apart so that cleaning
    can say why it dropped a point.
    """

    name: str
    values: np.ndarray
    missing: np.ndarray      # bool (n_rows,): key absent, empty cell or null
    nonnumeric: np.ndarray   # bool (n_rows,): a value that is not a number ("abc", true, [..])


@dataclass(frozen=True)
class Table:
    """Everything a reader got from one log file: columns in file order plus what it skipped."""

    source: str
    format: str
    n_rows: int
    columns: Mapping[str, Column]
    skipped: tuple[Notice, ...] = ()
    first_line: tuple[int, ...] | None = None  # line number of each row, (n_rows,), when known
    run: str | None = None          # the run's name when one file holds several runs
    notes: tuple[Notice, ...] = ()  # what a format adapter did to the file (records set aside, ...)

    @property
    def names(self) -> list[str]:
        """Column names in file order."""
        return list(self.columns)


@dataclass(frozen=True)
class LoggedBand:
    """A band the log itself records around a metric (W&B's ``<metric>__MIN``/``__MAX``).

    Cleaned like its metric: x sorted ascending, all values finite; x, low, high of shape (m,).
    """

    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    columns: tuple[str, str]   # the (low, high) column names it was read from


@dataclass(frozen=True)
class Series:
    """A cleaned series: x sorted ascending, all values finite; x, y of shape (n,)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    x_name: str = "x"
    band: LoggedBand | None = None   # a min/max band logged with the metric, drawn around its points

    def __len__(self) -> int:
        return int(self.x.shape[0])


@dataclass(frozen=True)
class Smoothed:
    """A smoothed curve evaluated at the series' x; optional band (low, high), all shape (n,).

    ``notices`` are the smoother's warnings (e.g. a window longer than the series).
    """

    x: np.ndarray
    y: np.ndarray
    method: str
    params: Mapping[str, object] = field(default_factory=dict)
    band_low: np.ndarray | None = None
    band_high: np.ndarray | None = None
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Curves:
    """A run's series smoothed for the panels of one config, one per panel; ``made_for`` is what
    they depend on (``runs.smooth.curves_key``), compared before they are used."""

    made_for: object
    per_panel: tuple[Smoothed, ...]


@dataclass(frozen=True)
class Run:
    """One training run ready to draw: its label, source file, one series per panel, and notices."""

    label: str
    source: str
    series: tuple[Series, ...]
    notices: tuple[Notice, ...] = ()
    n_rows: int | None = None  # rows the reader returned: points dropped = n_rows - len(series[i])
    name: str | None = None    # its name inside its source: a tracker's run, a run of a multi-run file
    experiment: str = ""       # the MLflow experiment or W&B project it belongs to
    kind: str = "log"          # the run source it was read from (rlplot.choices.RUN_SOURCES)
    config: Mapping[str, object] | None = None   # its configuration (None: not read yet)
    ref: object = field(default=None, compare=False, repr=False)   # the runs.refs.RunRef read
    # Its series already smoothed (by a reading worker, or while streaming a big log), used
    # when the figure is prepared with the same smoothing; None: smoothed then.
    curves: Curves | None = field(default=None, compare=False, repr=False)

    @property
    def where(self) -> str:
        """``source``, with ``[experiment/name]`` for a run inside a store or a multi-run file:
        messages and ``--group-by`` regexes see this."""
        if self.name is None:
            return self.source
        inside = f"{self.experiment}/{self.name}" if self.experiment else self.name
        return f"{self.source} [{inside}]"


def percent_scale(*arrays: np.ndarray) -> float:
    """The value of 100 % for a percent axis: 100 if the data look like 0–100 percentages, else 1.

    Judged on the logged values (not on a smoothed line or band, which may overshoot 1).
    """
    peak = 0.0
    for values in arrays:
        finite = values[np.isfinite(values)]
        if finite.size:
            peak = max(peak, float(np.max(np.abs(finite))))
    return 100.0 if peak > 1.0 + 1e-9 else 1.0
