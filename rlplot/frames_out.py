"""Data out: plain columns -> a data frame of the library the user's data came in.

A notebook user who passed a polars DataFrame gets polars back, pandas gets pandas, a
pyarrow Table a pyarrow Table, and a dict (or records) a dict of numpy arrays. The
columns go through one pyarrow Table (pyarrow is a core dependency) and narwhals'
``from_arrow`` builds the user's library from it, so no library is special-cased.
NaN in a float column is an empty cell (``--data-out`` writes none): it becomes null
where the library has one (polars, pyarrow) and stays NaN in pandas and numpy.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import narwhals.stable.v2 as nw
import numpy as np

from .errors import InputError
from .export import COLUMNS
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
    """The narwhals implementation to build the output with; None for a pyarrow Table."""
    frame = nw.from_native(native, pass_through=True)
    if isinstance(frame, nw.DataFrame):
        impl = frame.implementation
    elif isinstance(frame, nw.LazyFrame) and frame.implementation is nw.Implementation.POLARS:
        impl = frame.implementation   # a polars LazyFrame in: an eager polars DataFrame out
    else:
        return None   # another lazy engine or a PyCapsule exporter: a pyarrow Table
    return None if impl is nw.Implementation.PYARROW else impl


def _arrow_column(values: ColumnValues):
    import pyarrow as pa

    array = np.asarray(values)
    if array.dtype.kind == "f":
        return pa.array(array, from_pandas=True)   # NaN -> null
    if array.dtype.kind in "USO":
        return pa.array([None if v is None else str(v) for v in array.tolist()], type=pa.string())
    return pa.array(array)


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
    import pyarrow as pa

    table = pa.table({name: _arrow_column(values) for name, values in columns.items()})
    backend = _backend(native)
    if backend is None:
        return table
    return nw.from_arrow(table, backend=backend).to_native()


def prepared_columns(prepared) -> dict[str, np.ndarray]:
    """The ``--data-out`` rows of a ``pipeline.Prepared`` as columns: ``run, panel`` (str) and floats.

    Same rows in the same order as ``export.data_rows``; an empty cell there is NaN here.
    """
    parts: list[tuple] = []
    for run, per_panel in zip(prepared.runs, prepared.smoothed):
        for series, smoothed in zip(run.series, per_panel):
            parts.append((run.label, series.name, series.x, series.y, smoothed.y,
                          smoothed.band_low, smoothed.band_high))
    if prepared.aggregated:
        names = [series.name for series in prepared.runs[0].series]
        for group in prepared.groups:
            for name, curve in zip(names, group.curves):
                parts.append((f"{group.label} (aggregate)", name, curve.x, None, curve.y,
                              curve.band_low, curve.band_high))
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
