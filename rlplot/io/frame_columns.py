"""One in-memory column (a narwhals Series, a numpy array or a Python list) -> a float64 ``Column``.

The flags follow the file readers so that cleaning reports the same drops for a
DataFrame as for the CSV it came from: null, None and NaN are *missing*; numbers and
numeric strings are values (``"0.5"`` -> 0.5, as the CSV reader reads them); other
strings, booleans and nested values are *non-numeric*. Datetimes and dates become
epoch seconds (UTC) and durations seconds, so a time axis can use them. Imported only
by ``rlplot.io.frames``: the CLI never loads narwhals.
"""
from __future__ import annotations

import sys
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
# Arrow dictionary-encodes text ~10x faster than a Python pass, but importing pyarrow
# costs 0.2-0.5 s: below this many rows (unless pyarrow is loaded already, as pandas
# 3 does) the Python pass is the faster of the two.
ARROW_MIN_ROWS = 1_000_000


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
        column = text_column(name, array)
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
    elif isinstance(dtype, (nw.String, nw.Categorical, nw.Enum, nw.Object, nw.Unknown)):
        column = text_column(name, series)
    else:  # booleans, lists, structs, binary, times of day: not one number per row
        column = _not_numbers(name, len(series))
    return _with_nulls(column, nulls)


def column_from_raw(name: str, raw: RawColumn) -> Column:
    """Convert whichever form a column came in: narwhals Series, numpy array or list of cells."""
    if isinstance(raw, nw.Series):
        return column_from_series(name, raw)
    if isinstance(raw, np.ndarray):
        return column_from_array(name, raw)
    return text_column(name, raw)


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


def use_arrow(n_rows: int) -> bool:
    """Whether Arrow or a Python pass should find a column's distinct values."""
    return n_rows >= ARROW_MIN_ROWS or "pyarrow" in sys.modules


def dictionary_of(raw: RawColumn, text_only: bool = False) -> tuple[np.ndarray, list] | None:
    """Each row's index (n_rows,) into the column's distinct values (-1: null), and those values.

    A text column of a million rows holds a handful of labels: each is then parsed once,
    not a million times. None, with ``text_only``, for a column that is not all text.
    """
    if use_arrow(len(raw)):
        encoded = _arrow_dictionary(raw, text_only)
        if encoded is not None:
            return encoded
    cells = raw_cells(raw)
    if text_only and not {type(cell) for cell in cells} <= {str, type(None)}:
        return None
    return _python_dictionary(cells)


def _arrow_dictionary(raw: RawColumn, text_only: bool) -> tuple[np.ndarray, list] | None:
    """``dictionary_of`` in Arrow's native code; None when Arrow cannot hold the column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if isinstance(raw, nw.Series) and not isinstance(raw.dtype, (nw.Object, nw.Unknown)):
            if isinstance(raw.dtype, (nw.Categorical, nw.Enum)):
                raw = raw.cast(nw.String)
            array = raw.to_arrow()
        elif isinstance(raw, np.ndarray) and raw.dtype.kind != "O":
            array = pa.array(raw)
        else:
            # Python objects: Arrow would coerce mixed ones (False -> 0.0), so text only.
            cells = raw_cells(raw)
            if not {type(cell) for cell in cells} <= {str, type(None)}:
                return None
            array = pa.array(cells, type=pa.string())
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if text_only and not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return None
    if pa.types.is_nested(kind) or pa.types.is_dictionary(kind):
        return None
    encoded = pc.dictionary_encode(array)
    indices = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(), dtype=np.int64)
    return indices, encoded.dictionary.to_pylist()


def text_column(name: str, raw: RawColumn) -> Column:
    """A column of text (or mixed) cells, read as the CSV reader reads its cells.

    Each distinct text is converted once; mixed Python objects go cell by cell.
    """
    encoded = dictionary_of(raw, text_only=True)
    if encoded is None:
        return column_from_cells(name, raw_cells(raw))
    indices, distinct = encoded
    # One more entry for the nulls (index -1 picks the last one).
    each = column_from_cells(name, [*plain_cells(distinct), None])
    return Column(name, each.values[indices], each.missing[indices], each.nonnumeric[indices])


def codes_of(raw: RawColumn, blank: str) -> tuple[np.ndarray, list[str]]:
    """Integer code (n_rows,) of each row's label and the labels in order of first appearance.

    A null or blank label is ``blank``; values whose labels are equal (1 and 1.0) share a code.
    """
    indices, distinct = dictionary_of(raw)
    n = indices.shape[0]
    if n == 0:
        return indices, []
    distinct = [*plain_cells(distinct), None]   # index -1: null
    seen, first = np.unique(indices, return_index=True)
    labels: dict[str, int] = {}
    remap = np.zeros(len(distinct), dtype=np.int64)
    for position in np.argsort(first, kind="stable"):
        value = int(seen[position])
        remap[value] = labels.setdefault(label_of(distinct[value]) or blank, len(labels))
    return remap[indices], list(labels)


def _python_dictionary(cells: list) -> tuple[np.ndarray, list]:
    """``dictionary_of`` in Python; cells are keyed by type too (True is not 1)."""
    first: dict = {}
    try:
        indices = np.fromiter((-1 if c is None else first.setdefault((type(c), c), len(first))
                               for c in cells), dtype=np.int64, count=len(cells))
        return indices, [value for _, value in first]
    except TypeError:  # unhashable cells (lists): go by their labels
        first = {}
        indices = np.fromiter((first.setdefault(label_of(c), len(first)) for c in cells),
                              dtype=np.int64, count=len(cells))
        return indices, list(first)
