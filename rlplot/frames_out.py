"""Data out: plain columns -> a data frame of the library the user's data came in.

A notebook user who passed a polars DataFrame gets polars back, pandas gets pandas, a
pyarrow Table a pyarrow Table, and a dict (or records) a dict of numpy arrays.
narwhals' ``from_dict`` builds the user's library, so no library is special-cased
(and a polars user's output does not load pyarrow). NaN in a float column is an
empty cell (``--data-out`` writes none): it becomes null where the library has one
(polars, pyarrow) and stays NaN in pandas and numpy.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import narwhals.stable.v2 as nw
import numpy as np

from .errors import InputError
from .export import COLUMNS, data_parts
from .io.frames import frame_parts

ColumnValues = np.ndarray | Sequence


def native_template(data: Any) -> Any:
    """The frame whose library the output copies (the first of a list or dict), None for plain data."""
    try:
        parts = frame_parts(data, "<data>")
    except InputError:  # an empty list or dict: nothing to copy, plain output
        return None
    first = parts[0][1]
    if isinstance(first, Mapping) or isinstance(first, (list, tuple)):
        return None
    return first


def _backend(native: Any) -> Any:
    """The narwhals implementation to build the output with (a pyarrow Table when none fits)."""
    frame = nw.from_native(native, pass_through=True)
    if isinstance(frame, nw.DataFrame):
        return frame.implementation
    if isinstance(frame, nw.LazyFrame) and frame.implementation is nw.Implementation.POLARS:
        return frame.implementation   # a polars LazyFrame in: an eager polars DataFrame out
    return nw.Implementation.PYARROW  # another lazy engine or a PyCapsule exporter


def _cells_and_type(values: ColumnValues) -> tuple[Any, Any]:
    """A column as an array or Python cells (NaN -> None: an empty cell) and its narwhals dtype."""
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "f":
        array = array.astype(np.float64, copy=False)
        empty = np.isnan(array)
        if not empty.any():
            return array, nw.Float64()
        if empty.all():   # no band: the whole column is empty
            return [None] * array.shape[0], nw.Float64()
        return [None if e else v for v, e in zip(array.tolist(), empty.tolist())], nw.Float64()
    if kind in "iu":
        return array.astype(np.int64, copy=False), nw.Int64()
    if kind == "b":
        return array, nw.Boolean()
    cells = array.tolist()
    if not {type(v) for v in cells} <= {str, type(None)}:
        cells = [None if v is None else str(v) for v in cells]
    return cells, nw.String()


def frame_like(template: Any, columns: Mapping[str, ColumnValues]) -> Any:
    """``columns`` (each of shape (n,)) as a frame of ``template``'s library, in the given order.

    ``template`` is what the user passed in (a frame, a list or dict of frames, a dict
    of columns, records); plain data gives a dict of numpy arrays.
    """
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"columns of different lengths: {lengths}")
    native = native_template(template)
    if native is None:
        return {name: np.asarray(values) for name, values in columns.items()}
    typed = {name: _cells_and_type(values) for name, values in columns.items()}
    return nw.from_dict({name: cells for name, (cells, _) in typed.items()},
                        schema={name: dtype for name, (_, dtype) in typed.items()},
                        backend=_backend(native)).to_native()


def prepared_columns(prepared) -> dict[str, np.ndarray]:
    """The ``--data-out`` rows of a ``pipeline.Prepared`` as columns: ``run, panel`` (str) and floats.

    Same rows in the same order as ``export.data_rows``; an empty cell there is NaN here.
    """
    parts = list(data_parts(prepared))
    return _concatenate(parts)


def _concatenate(parts: list[tuple]) -> dict[str, np.ndarray]:
    def floats(values, n: int) -> np.ndarray:
        return np.full(n, np.nan) if values is None else np.asarray(values, dtype=np.float64)

    sizes = [len(part[2]) for part in parts]
    out = {"run": np.array([p[0] for p, n in zip(parts, sizes) for _ in range(n)], dtype=object),
           "panel": np.array([p[1] for p, n in zip(parts, sizes) for _ in range(n)], dtype=object)}
    for index, name in enumerate(COLUMNS[2:], start=2):
        chunks = [floats(p[index], n) for p, n in zip(parts, sizes)]
        out[name] = np.concatenate(chunks) if chunks else np.zeros(0)
    return out
