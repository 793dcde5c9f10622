"""Timestamps in logs: ISO-8601 text cells read as Unix seconds, and epoch numbers in any unit.

Logs write time three ways: Unix seconds (TensorBoard's wall time, W&B's ``_timestamp``),
Unix milliseconds (MLflow, many JavaScript-minded loggers) and ISO-8601 text
(``2024-05-01T12:00:03.250Z``, Python's ``datetime.isoformat()``). Everything here turns
them into float64 Unix seconds. Text without a UTC offset is read as UTC, so a wall-clock
axis (drawn in UTC) shows the clock times the log wrote.
"""
from __future__ import annotations

import datetime
import re
from typing import Sequence

import numpy as np

from ..data import Column

# A date, then optionally a time (after "T" or one space) with seconds, fractions and an
# offset: the shapes datetime.fromisoformat reads on Python 3.11+. Checked first so that
# numbers and words never reach the parser.
_ISO = re.compile(r"\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?"
                  r"\s*(Z|[+-]\d{2}(:?\d{2})?)?)?\s*")
_UTC = datetime.timezone.utc

# Unix time in each unit spans these magnitudes between 1990 and 2100 (seconds: 6.3e8–4.1e9).
UNIX_SECONDS = (6.3e8, 4.1e9)
_UNITS = (("s", 1.0), ("ms", 1e3), ("us", 1e6), ("ns", 1e9))


def iso_seconds(text: str) -> float | None:
    """An ISO-8601 date or date-time as Unix seconds (no offset = UTC), else None."""
    if not isinstance(text, str) or not _ISO.fullmatch(text):
        return None
    stripped = text.strip().replace(",", ".")
    if stripped.endswith(("z", "Z")):
        stripped = stripped[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(stripped)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_UTC)
    return moment.timestamp()


def with_iso_times(column: Column, cells: Sequence) -> Column:
    """``column`` with its ISO-8601 text cells read as Unix seconds, when it holds no number
    and its first text cell is a date; other columns are returned unchanged.

    Cells that are not dates stay non-numeric (cleaning reports them); ``cells`` are the raw
    cells the column was built from, shape (n_rows,).
    """
    text_rows = np.flatnonzero(column.nonnumeric)
    if not text_rows.size or (~column.missing & ~column.nonnumeric).any():
        return column
    if iso_seconds(cells[int(text_rows[0])]) is None:
        return column
    values = column.values.copy()
    nonnumeric = column.nonnumeric.copy()
    for row in text_rows:
        seconds = iso_seconds(cells[int(row)])
        if seconds is not None:
            values[row] = seconds
            nonnumeric[row] = False
    return Column(column.name, values, column.missing, nonnumeric)


def epoch_unit(values: np.ndarray) -> tuple[str, float] | None:
    """The unit of Unix time that ``values`` are in (``("ms", 1e3)``, ...), judged on their
    median; None when they are not Unix time in any unit (an elapsed time, a step)."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    middle = float(np.median(finite))
    for unit, per_second in _UNITS:
        if UNIX_SECONDS[0] * per_second <= middle <= UNIX_SECONDS[1] * per_second:
            return unit, per_second
    return None


def to_unix_seconds(values: np.ndarray) -> np.ndarray | None:
    """Unix time in seconds from Unix time in s, ms, µs or ns; None when ``values`` are not Unix time."""
    unit = epoch_unit(values)
    return None if unit is None else values / unit[1]
