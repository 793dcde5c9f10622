"""The report as plain data: what the HTML page and the Markdown summary show, nothing about how.

The pipeline glue fills these from runs (points already downsampled, curves already smoothed,
the static SVG already drawn); ``page.render_html`` and ``markdown.render_markdown`` only lay them
out. Every container is a small frozen dataclass; arrays are float64 and checked once, here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .._version import __version__
from ..data import Notice
from ..errors import RlplotError
from ..provenance import file_digest


def _floats(values: Sequence[float] | np.ndarray, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise RlplotError(f"{what} must be one-dimensional, got shape {array.shape}")
    array = array.copy()
    array.setflags(write=False)
    return array


def _same_length(owner: str, **arrays: np.ndarray | None) -> None:
    lengths = {name: a.shape[0] for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} {n}" for name, n in lengths.items())
        raise RlplotError(f"{owner}: arrays differ in length ({shown})")


@dataclass(frozen=True)
class Curve:
    """One run in one panel: its drawn points (x, y: shape (n,), the exact logged values) and its
    smoothed curve (smooth_x, smooth_y: shape (m,)), with an optional band (band_low, band_high: (m,)).

    ``color`` is a CSS colour for the run (points and line); None picks from the page's palette.
    """

    run: str
    x: np.ndarray
    y: np.ndarray
    smooth_x: np.ndarray = field(default_factory=lambda: np.empty(0))
    smooth_y: np.ndarray = field(default_factory=lambda: np.empty(0))
    band_low: np.ndarray | None = None
    band_high: np.ndarray | None = None
    color: str | None = None

    def __post_init__(self) -> None:
        for name in ("x", "y", "smooth_x", "smooth_y", "band_low", "band_high"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _floats(value, f"run {self.run!r}: {name}"))
        if (self.band_low is None) != (self.band_high is None):
            raise RlplotError(f"run {self.run!r}: a band needs both band_low and band_high")
        _same_length(f"run {self.run!r} points", x=self.x, y=self.y)
        _same_length(f"run {self.run!r} smoothed curve", smooth_x=self.smooth_x,
                     smooth_y=self.smooth_y, band_low=self.band_low, band_high=self.band_high)


@dataclass(frozen=True)
class Panel:
    """One panel of a chart: a title, a y label and one curve per run (runs in legend order)."""

    title: str
    y_label: str
    curves: tuple[Curve, ...]
    percent: float | None = None     # the value of 100 % on a percent panel (1 or 100); None: plain

    def __post_init__(self) -> None:
        object.__setattr__(self, "curves", tuple(self.curves))
        runs = [c.run for c in self.curves]
        if len(set(runs)) != len(runs):
            raise RlplotError(f"panel {self.title!r}: a run appears twice ({', '.join(runs)})")


@dataclass(frozen=True)
class Chart:
    """1..N panels side by side that share the x axis (and its zoom), plus the static SVG of the same
    chart as rlplot draws it (shown when JavaScript is off and when printing; None: no fallback)."""

    x_label: str
    panels: tuple[Panel, ...]
    svg: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "panels", tuple(self.panels))
        if not self.panels:
            raise RlplotError(f"chart with x {self.x_label!r} has no panels")

    @property
    def runs(self) -> tuple[str, ...]:
        """The chart's run names, in order of first appearance over its panels."""
        return tuple(dict.fromkeys(c.run for p in self.panels for c in p.curves))


@dataclass(frozen=True)
class Table:
    """A table of numbers as shown: a header and rows of cells (numbers are formatted by the page)."""

    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(self.header))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))
        for row in self.rows:
            if len(row) != len(self.header):
                raise RlplotError(f"table row {row!r} has {len(row)} cells for "
                                  f"{len(self.header)} columns")


# A data-quality note on the page is the input Notice it reports (``file[:line]: what``);
# the report's own name for it stays for the library's users.
QualityNote = Notice


@dataclass(frozen=True)
class Section:
    """One run or one group: its chart, its summary numbers and its data-quality notes."""

    title: str
    chart: Chart
    summary: Table | None = None
    notes: tuple[QualityNote, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def runs(self) -> tuple[str, ...]:
        """The run names in this section (what the filter box matches)."""
        return self.chart.runs


@dataclass(frozen=True)
class InputFile:
    """One input of the report for the provenance table: its path as given, sha256 and size in bytes."""

    path: str
    sha256: str
    size: int

    @classmethod
    def of(cls, path: str | os.PathLike, shown_as: str | None = None) -> "InputFile":
        """Hash the file at ``path`` (read-only, in 1 MiB blocks); ``shown_as`` replaces the shown path."""
        sha256, size = file_digest(path)
        return cls(path=shown_as if shown_as is not None else str(path), sha256=sha256, size=size)


@dataclass(frozen=True)
class Report:
    """Everything one report shows.

    ``command`` is the command line that made it, ``data_date`` the date of the data (e.g. the
    newest input's modification time, ISO 8601) - the page carries no other date, so the same
    data give the same bytes. ``counts`` are (label, number) pairs for the header, in order.
    """

    title: str
    command: str
    data_date: str
    sections: tuple[Section, ...]
    counts: tuple[tuple[str, int], ...] = ()
    config_text: str = ""
    inputs: tuple[InputFile, ...] = ()
    notes: tuple[QualityNote, ...] = ()
    version: str = __version__

    def __post_init__(self) -> None:
        for name in ("sections", "counts", "inputs", "notes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "counts", tuple((str(k), int(v)) for k, v in self.counts))

    @property
    def runs(self) -> tuple[str, ...]:
        """Every run name in the report, in order of first appearance."""
        return tuple(dict.fromkeys(r for s in self.sections for r in s.runs))

    @property
    def note_count(self) -> int:
        """Data-quality notes over the report and all its sections."""
        return len(self.notes) + sum(len(s.notes) for s in self.sections)
