"""Time axes: ``--x wall`` (each point's wall-clock time) and ``--x relative`` (time since the
run's first point, TensorBoard's "relative"), computed from whatever timestamps a run has.

A run's timestamps are a column of the "time" role (``columns.ROLE_ALIASES``): Unix time
(TensorBoard's and MLflow's ``wall_time``, W&B's ``_timestamp``, a CSV ``timestamp`` in
seconds, milliseconds or ISO-8601 text) or an elapsed time (W&B's ``_runtime``, SB3's
``time/time_elapsed``, a monitor's ``t``). Wall time needs Unix time; relative time takes
Unix time when there is some, else an elapsed time, and starts at 0 at the first point.
Both are in seconds; the figure picks the unit its ticks read best in.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np

from ..choices import TIME_AXES
from ..columns import find_column, numeric_columns
from ..data import Column, Table
from ..errors import ColumnError
from ..io.timestamps import to_unix_seconds

WALL, RELATIVE = "wall", "relative"
# The name of the x column each time axis adds to a run's table (and its series' x_name).
X_NAMES = {WALL: "wall time", RELATIVE: "relative time"}
# The x kind a figure is marked with (Prepared.x_kind): a time axis, or the values of a column.
VALUE = "value"


def is_time_axis(x: str | None) -> bool:
    """Whether ``data.x`` asks for a time axis rather than a column."""
    return x in TIME_AXES


def x_kind(x: str | None) -> str:
    """``wall``, ``relative`` or ``value`` (a column's own values) for a ``data.x``."""
    return x if is_time_axis(x) else VALUE


def time_columns(table: Table, aliases: Mapping[str, Sequence[str]]
                 ) -> tuple[list[tuple[str, np.ndarray]], list[str]]:
    """The run's timestamp columns: ``[(name, Unix seconds)]`` and the names of elapsed-time
    columns, each in the order of the "time" role's aliases."""
    unix, elapsed, seen = [], [], set()
    for wanted in ("time", *aliases.get("time", ())):
        name = find_column(table, wanted, {})
        if name is None or name in seen or name not in numeric_columns(table):
            continue
        seen.add(name)
        seconds = to_unix_seconds(table.columns[name].values)
        if seconds is not None:
            unix.append((name, seconds))
        else:
            elapsed.append(name)
    return unix, elapsed


def with_time_x(table: Table, axis: str, aliases: Mapping[str, Sequence[str]]) -> Table:
    """``table`` with the x column of a time axis added under ``X_NAMES[axis]``; ColumnError when
    the run has no timestamps that axis can use."""
    unix, elapsed = time_columns(table, aliases)
    source = table.columns[unix[0][0] if unix else elapsed[0]] if unix or elapsed else None
    if axis == WALL and not unix:
        hint = (f"it has only the elapsed time '{elapsed[0]}': use --x relative" if elapsed
                else _no_time_hint(table))
        raise ColumnError("no wall-clock time in this run", file=table.source, hint=hint)
    if source is None:
        raise ColumnError("no timestamps in this run", file=table.source, hint=_no_time_hint(table))
    seconds = unix[0][1] if unix else source.values.astype(np.float64)
    if axis == RELATIVE:
        usable = ~source.missing & ~source.nonnumeric & np.isfinite(seconds)
        if usable.any():
            seconds = seconds - seconds[usable].min()
    name = X_NAMES[axis]
    column = Column(name, seconds, source.missing, source.nonnumeric)
    return replace(table, columns={**table.columns, name: column})


def _no_time_hint(table: Table) -> str:
    numeric = numeric_columns(table)
    shown = ", ".join(numeric[:12]) + (", …" if len(numeric) > 12 else "")
    return ("a time axis needs a timestamp column (wall_time, _timestamp, timestamp, time, … "
            f"in Unix s/ms or ISO-8601) or an elapsed time; numeric columns: {shown or 'none'}")
