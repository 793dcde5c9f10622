"""Turning the raw cells of one column (strings or JSON values) into a float64 ``Column``."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..data import Column
from .timestamps import with_iso_times

# Words that mean "no value" in logs written by pandas, R, W&B and friends.
MISSING_WORDS = frozenset({"", "null", "none", "na", "n/a", "nil"})


def _to_float(value) -> float:
    try:
        return float(value)
    except OverflowError:  # a JSON integer with hundreds of digits
        return math.copysign(math.inf, value)


def _all_numbers(cells) -> np.ndarray | None:
    """The cells as float64 when every one is a number or a numeric string, else None.

    numpy converts strings with Python's float() rules, so this is the loop below
    without the per-cell Python work (~6x faster); blanks, "null", text and booleans
    make it fail and the loop sorts them out.
    """
    kinds = {type(cell) for cell in cells}
    if not kinds or not (kinds <= {str} or kinds <= {float, int}):
        return None
    try:
        return np.array(cells, dtype=np.float64)
    except (ValueError, OverflowError, TypeError):
        return None


def column_from_cells(name: str, cells) -> Column:
    """Build a Column from a sequence of cells of shape (n_rows,).

    ``None`` and blank/"null"-like strings are missing; numbers and numeric strings
    (``"0.5"``, ``"nan"``, ``"-inf"``) are values; anything else (booleans, text,
    lists, objects) is non-numeric.
    """
    n = len(cells)
    values = _all_numbers(cells)
    if values is not None:
        return Column(name=name, values=values, missing=np.zeros(n, dtype=bool),
                      nonnumeric=np.zeros(n, dtype=bool))
    values = np.full(n, np.nan, dtype=np.float64)
    missing = np.zeros(n, dtype=bool)
    nonnumeric = np.zeros(n, dtype=bool)
    for i, cell in enumerate(cells):
        kind = type(cell)
        if kind is float or kind is int:
            values[i] = _to_float(cell)
        elif cell is None:
            missing[i] = True
        elif kind is str:
            text = cell.strip()
            if text.lower() in MISSING_WORDS:
                missing[i] = True
                continue
            try:
                values[i] = float(text)
            except ValueError:
                nonnumeric[i] = True
        else:
            nonnumeric[i] = True
    return with_iso_times(Column(name=name, values=values, missing=missing, nonnumeric=nonnumeric), cells)


def column_from_sparse(name: str, n_rows: int, rows: Sequence[int], cells: Sequence) -> Column:
    """A Column of ``n_rows`` rows from the cells of the rows that have one (``rows`` ascending);
    every other row is missing. Costs the cells present plus one fill of the arrays."""
    present = column_from_cells(name, cells)
    if len(rows) == n_rows:
        return present
    values = np.full(n_rows, np.nan, dtype=np.float64)
    missing = np.ones(n_rows, dtype=bool)
    nonnumeric = np.zeros(n_rows, dtype=bool)
    at = np.asarray(rows, dtype=np.intp)
    values[at] = present.values
    missing[at] = present.missing
    nonnumeric[at] = present.nonnumeric
    return Column(name=name, values=values, missing=missing, nonnumeric=nonnumeric)


def unique_names(names: list[str]) -> list[str]:
    """Give blank names a positional name and repeated names a ``.1``, ``.2`` suffix (as pandas does)."""
    seen: dict[str, int] = {}
    result = []
    for i, raw in enumerate(names):
        name = raw.strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        result.append(name)
    return result
