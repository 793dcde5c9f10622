"""One in-memory column (a narwhals Series, a numpy array or a Python list) -> a float64 ``Column``.

The flags follow the file readers so that cleaning reports the same drops for a
DataFrame as for the CSV it came from: null, None and NaN are *missing*; numbers and
numeric strings are values (``"0.5"`` -> 0.5, as the CSV reader reads them); other
strings, booleans and nested values are *non-numeric*. Datetimes and dates become
epoch seconds (UTC) and durations seconds, so a time axis can use them. Imported only
by ``rlplot.io.frames``: the CLI never loads narwhals.
"""
from __future__ import annotations

from typing import Any, Sequence

import narwhals.stable.v2 as nw
import numpy as np

from ..data import Column
from ..errors import ColumnError
from .cells import column_from_cells

RawColumn = Any  # nw.Series | np.ndarray | list: a column as the caller handed it over

# Scalar types libraries use for "no value" inside object columns (pandas' NA and NaT).
_NULL_TYPES = frozenset({"NAType", "NaTType"})
_PER_SECOND = 1e6  # microseconds: every backend is asked for them, then divided alike


def plain_cell(cell):
    """A cell as the JSON reader would see it: numpy scalars unwrapped, NaN and NA as None."""
    if isinstance(cell, np.generic):
        cell = cell.item()
    kind = type(cell)
    if kind is float:
        return None if cell != cell else cell
    if kind.__name__ in _NULL_TYPES:
        return None
    return cell


def plain_cells(cells: Sequence) -> list:
    """``plain_cell`` over a list, skipped when every cell is already a plain str/int/None."""
    if {type(cell) for cell in cells} <= {str, int, type(None)}:
        return list(cells)
    return [plain_cell(cell) for cell in cells]


def _flags(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)


def _numbers(name: str, values: np.ndarray) -> Column:
    values = np.array(values, dtype=np.float64)  # a copy: never a view of the caller's frame
    return Column(name, values, np.isnan(values), np.zeros(values.shape[0], dtype=bool))


def _not_numbers(name: str, n: int) -> Column:
    values, missing, nonnumeric = _flags(n)
    nonnumeric[:] = True
    return Column(name, values, missing, nonnumeric)


def _with_nulls(column: Column, nulls: np.ndarray | None) -> Column:
    """Mark the library's own nulls missing, whatever the cells looked like."""
    if nulls is None or not nulls.any():
        return column
    values = column.values.copy()
    values[nulls] = np.nan
    return Column(column.name, values, column.missing | nulls, column.nonnumeric & ~nulls)


def _epoch(name: str, ticks: np.ndarray, unit: str) -> Column:
    valid = ~np.isnat(ticks)
    values = np.full(ticks.shape[0], np.nan)
    kind = "datetime64" if ticks.dtype.kind == "M" else "timedelta64"
    values[valid] = ticks[valid].astype(f"{kind}[{unit}]").astype(np.int64) / _PER_SECOND
    return Column(name, values, ~valid, np.zeros(ticks.shape[0], dtype=bool))


def column_from_array(name: str, array: np.ndarray) -> Column:
    """A numpy array of shape (n_rows,) as a Column (a masked array's mask is missing)."""
    mask = None
    if isinstance(array, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(array)
        array = np.ma.getdata(array)
    if array.ndim != 1:
        raise ColumnError(f"column '{name}' is not one-dimensional (shape {array.shape})",
                          hint="pass one array of shape (n_rows,) per column")
    kind = array.dtype.kind
    if kind in "fiu":
        column = _numbers(name, array)
    elif kind in "Mm":
        column = _epoch(name, array, "us")
    elif kind in "USO":
        column = column_from_cells(name, plain_cells(array.tolist()))
    else:  # booleans, complex numbers, raw bytes
        column = _not_numbers(name, array.shape[0])
    return _with_nulls(column, mask)


def column_from_series(name: str, series: nw.Series) -> Column:
    """A narwhals Series of any backend (pandas, polars, pyarrow, ...) as a Column."""
    dtype = series.dtype
    nulls = np.asarray(series.is_null().to_numpy(), dtype=bool)
    if dtype.is_numeric():
        column = _numbers(name, series.cast(nw.Float64).to_numpy())
    elif isinstance(dtype, (nw.Datetime, nw.Date)):
        column = _numbers(name, series.dt.timestamp("us").cast(nw.Float64).to_numpy() / _PER_SECOND)
    elif isinstance(dtype, nw.Duration):
        column = _numbers(name, series.dt.total_microseconds().cast(nw.Float64).to_numpy() / _PER_SECOND)
    elif isinstance(dtype, (nw.String, nw.Categorical, nw.Enum)):
        column = column_from_cells(name, plain_cells(series.cast(nw.String).to_list()))
    elif isinstance(dtype, (nw.Object, nw.Unknown)):
        column = column_from_cells(name, plain_cells(series.to_list()))
    else:  # booleans, lists, structs, binary, times of day: not one number per row
        column = _not_numbers(name, len(series))
    return _with_nulls(column, nulls)


def column_from_raw(name: str, raw: RawColumn) -> Column:
    """Convert whichever form a column came in: narwhals Series, numpy array or list of cells."""
    if isinstance(raw, nw.Series):
        return column_from_series(name, raw)
    if isinstance(raw, np.ndarray):
        return column_from_array(name, raw)
    return column_from_cells(name, plain_cells(raw))


def raw_cells(raw: RawColumn) -> list:
    """The column's cells as plain Python values (categoricals as their labels, nulls as None)."""
    if isinstance(raw, nw.Series):
        if isinstance(raw.dtype, (nw.Categorical, nw.Enum)):
            raw = raw.cast(nw.String)
        return plain_cells(raw.to_list())
    if isinstance(raw, np.ndarray):
        return plain_cells(raw.tolist())
    return plain_cells(raw)


def label_of(cell) -> str:
    """A run or tag label: text stripped, whole numbers without '.0' ('' for a null)."""
    if cell is None:
        return ""
    if type(cell) is float and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def codes_of(raw: RawColumn, blank: str) -> tuple[np.ndarray, list[str]]:
    """Integer code (n_rows,) of each row's label and the labels in order of first appearance.

    A null or blank label is ``blank``; values whose labels are equal (1 and 1.0) share a code.
    """
    cells = raw_cells(raw)
    try:
        first: dict = {}
        raw_codes = np.fromiter((first.setdefault(cell, len(first)) for cell in cells), dtype=np.int64)
    except TypeError:  # unhashable cells (lists): go by their labels
        first = {}
        raw_codes = np.fromiter((first.setdefault(label_of(c), len(first)) for c in cells), dtype=np.int64)
    labels: dict[str, int] = {}
    remap = np.array([labels.setdefault(label_of(cell) or blank, len(labels)) for cell in first],
                     dtype=np.int64)
    return remap[raw_codes] if raw_codes.size else raw_codes, list(labels)
