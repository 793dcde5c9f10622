"""``--data-out``: every point of every panel as long-form CSV, so a figure's numbers can be checked.

Columns, exactly and in this order: ``run,panel,x,y,smoothed,band_low,band_high``
(panel = the metric column's name; band cells are empty without a band). Rows are
in x order within each run and panel. An aggregate figure adds, after the runs, one
row per grid point of each group's curve: ``run`` = "<group> (aggregate)", ``y``
empty, ``smoothed`` = the statistic, the band its band. Floats are written with the
shortest text that reads back to the same float64. The file is written atomically.
"""
from __future__ import annotations

import csv
import os
from typing import Iterator, Sequence

import numpy as np

from .atomic import atomic_output
from .errors import OutputError

COLUMNS = ("run", "panel", "x", "y", "smoothed", "band_low", "band_high")


STDIN = "-"


def _same_file(path: str, other: os.stat_result) -> bool:
    try:
        mine = os.stat(path)
    except OSError:   # not there yet: it is no input
        return False
    return (mine.st_dev, mine.st_ino) == (other.st_dev, other.st_ino)


def _stdin_identity() -> os.stat_result | None:
    """The file behind standard input when it is a regular file (``< in.csv``), else None."""
    import stat
    import sys

    try:
        info = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):   # replaced by a test runner or notebook
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def is_input(path: str, inputs: Sequence[str]) -> str | None:
    """Whether writing ``path`` would overwrite an input: None if not, else a hint suffix
    ('' for a named input; for ``-``, that standard input is that file)."""
    real = os.path.realpath(path)
    if real in {os.path.realpath(p) for p in inputs if p != STDIN}:
        return ""
    stdin = _stdin_identity() if STDIN in inputs else None
    if stdin is not None and _same_file(path, stdin):
        return "; standard input is this file"
    return None


def refuse_odd_name(path: str) -> None:
    """Refuse an output name with a line break or other control character: printed as one
    line per path, it would read as two paths (or hide what follows)."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(path)):
        raise OutputError(f"the output name {str(path)!r} holds a line break or control character",
                          hint="choose a name without one")


def check_data_out(path: str, inputs: Sequence[str], outputs: Sequence[str] = ()) -> None:
    """Refuse a data-out path that is an input log (standard input too, by its file identity),
    one of the figure outputs, or a name with a line break."""
    refuse_odd_name(path)
    real = os.path.realpath(path)
    hit = is_input(path, inputs)
    if hit is not None:
        raise OutputError("--data-out would overwrite an input", file=path,
                          hint="choose another --data-out path" + hit)
    if real in {os.path.realpath(p) for p in outputs}:
        raise OutputError("--data-out is also a figure output", file=path,
                          hint="give the CSV its own name")


def _texts(values: np.ndarray | None, n: int) -> Sequence[str]:
    # repr of a Python float is the shortest text that reads back to the same float64
    # (and twice as fast as numpy's astype(str)).
    if values is None:
        return ("",) * n
    return list(map(repr, np.asarray(values, dtype=np.float64).tolist()))


def data_parts(prepared) -> Iterator[tuple]:
    """The ``--data-out`` rows of a ``pipeline.Prepared`` in blocks that share a run and a panel:
    ``(run, panel, x, y, smoothed, band_low, band_high)``, arrays of shape (n,) or None (an
    aggregate has no logged y; a curve without a band has no band). Runs first, then aggregates."""
    for run, per_panel in zip(prepared.runs, prepared.smoothed):
        for series, smoothed in zip(run.series, per_panel):
            yield (run.label, series.name, series.x, series.y, smoothed.y, smoothed.band_low,
                   smoothed.band_high)
    if not prepared.aggregated:
        return
    names = [series.name for series in prepared.runs[0].series]
    for group in prepared.groups:
        for name, curve in zip(names, group.curves):
            yield (f"{group.label} (aggregate)", name, curve.x, None, curve.y, curve.band_low,
                   curve.band_high)


def data_rows(prepared) -> Iterator[tuple[str, ...]]:
    """The CSV rows (without the header) of a ``pipeline.Prepared``, run by run, panel by panel."""
    for run, panel, *values in data_parts(prepared):
        n = len(values[0])
        yield from zip((run,) * n, (panel,) * n, *(_texts(v, n) for v in values))


def write_data_csv(prepared, path: str) -> str:
    """Write the long-form CSV of ``prepared`` to ``path`` atomically; returns the path."""
    with atomic_output(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(data_rows(prepared))
    return str(path)
