"""Data frames in memory -> rlplot ``Table``s: what a notebook passes instead of a log file.

``tables_from_data`` takes a pandas or polars DataFrame (a polars LazyFrame is
collected, after keeping only the columns asked for), a pyarrow Table, any other
frame narwhals knows or any Arrow PyCapsule exporter, a ``{name: array or list}``
dict, a list of records, a list of any of these (one per run) or a ``{run: frame}``
dict. Frames are read through narwhals, so no library is special-cased; narwhals is
imported only here, never on the CLI's path, and pyarrow only for a text column of a
million rows or more (or when it is loaded already, as pandas 3 does).

``rlplot.plot`` (``rlplot.api``) calls ``read_data`` with ``columns=columns.needed_columns(x,
metrics, aliases)`` and, when ``columns.resolves`` says a name does not resolve, reads again
without ``columns`` so that the error lists every column; ``keys`` asks for the columns
that hold one value per run (``lr``, ``algo``), the runs' settings (``io.frame_settings``).

Wide form: one column per metric, one Table per run (``runs`` names the column whose
values split the rows). Long form (``tag``/``value`` columns, as a TensorBoard scalar
export has them): each run's events are pivoted by ``io.pivot.wide_from_long`` into a
row per step and a column per tag, as the ``tensorboard-long`` file reader does.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import narwhals.stable.v2 as nw
import numpy as np

from ..columns import ROLE_ALIASES, _columns_hint, could_match, find_column
from ..data import Column, Notice, Table
from ..errors import ColumnError, InputError
from .cells import unique_names
from .frame_columns import RawColumn, codes_of, column_from_raw
from .frame_layout import Layout
from .frame_long import long_tables, take
from .frame_settings import Settings, run_settings, setting_names
from .json_reader import flatten_record

ACCEPTED = "a pandas/polars DataFrame, a pyarrow Table, a dict of columns, or a list of these"
LONG_KEYS = ("tag", "value", "step")   # all present (any case): the long form is assumed


@dataclass(frozen=True)
class Opened:
    """One frame wrapped but not converted: its column names and a way to fetch columns."""

    names: list[str]                # unique string names, in frame order
    kind: str                       # pandas, polars, pyarrow, dict, records, ...
    frame: Any                      # nw.DataFrame | nw.LazyFrame | dict[str, RawColumn]
    keys: dict[str, Any]            # name -> the frame's own column label
    notes: tuple[Notice, ...] = ()

    def fetch(self, kept: Sequence[str]) -> tuple[dict[str, RawColumn], int]:
        """The ``kept`` columns (a lazy frame is collected with only those) and the row count."""
        frame = self.frame
        if isinstance(frame, dict):
            return {n: frame[n] for n in kept}, len(next(iter(frame.values())))
        if isinstance(frame, nw.LazyFrame):
            frame = frame.select([self.keys[n] for n in kept]).collect()
        return {n: frame.get_column(self.keys[n]) for n in kept}, len(frame)


@dataclass(frozen=True)
class Plan:
    """How one frame is read: long or wide, its resolved structural columns and the columns kept."""

    long: bool
    runs: str | None
    tag: str | None
    value: str | None
    step: str | None
    kept: list[str]
    keys: dict[str, str]    # setting key -> its column (the keys that name one)


@dataclass(frozen=True)
class DataRun:
    """One run read from memory: its Table and its settings (``read_data``'s ``keys``)."""

    table: Table
    settings: Settings


def tables_from_data(data: Any, *, columns: Iterable[str] | None = None, runs: str | None = None,
                     tag: str | None = None, value: str | None = None, step: str | None = None,
                     long: bool | None = None, source: str = "<data>") -> tuple[Table, ...]:
    """Read in-memory data into one Table per run (see the module docstring for what it takes).

    ``columns`` (names with their aliases, as ``columns.needed_columns`` lists them for
    ``read_tables``; matched by ``columns.could_match``) keeps only those columns, or
    tags in long form; None keeps them all. ``runs`` splits rows by that column's
    values (order of first appearance). Long form is used
    when ``tag`` is given, or ``long`` is True, or (``long`` None) the frame has tag,
    value and step columns; ``step`` names the step column (default: a step-like one).
    Run names: the ``runs`` values, ``run_<i>`` for the i-th frame of a list, a dict's keys.
    """
    return tuple(run.table for run in read_data(
        data, columns=columns, runs=runs, tag=tag, value=value, step=step, long=long, source=source))


def read_data(data: Any, *, columns: Iterable[str] | None = None, keys: Iterable[str] | None = (),
              runs: str | None = None, tag: str | None = None, value: str | None = None,
              step: str | None = None, long: bool | None = None,
              source: str = "<data>") -> tuple[DataRun, ...]:
    """``tables_from_data``, with each run's settings: the value each of ``keys`` (a column
    name, any case; None: every column) holds in that run (see ``io.frame_settings``)."""
    wanted = None if columns is None else frozenset(c.lower() for c in columns)
    layout = Layout(runs, tag, value, step, True if tag is not None else long, wanted,
                    None if keys is None else tuple(keys))
    read: list[DataRun] = []
    for name, part in frame_parts(data, source):
        opened = open_frame(part, source)
        read.extend(_runs_of(opened, plan_of(opened, layout, source), layout, name, source))
    return tuple(read)


def _is_frame(obj: Any) -> bool:
    native = nw.from_native(obj, pass_through=True)
    if isinstance(native, (nw.DataFrame, nw.LazyFrame)):
        return True
    # Series export Arrow streams too: only a stream that is not a column is a frame.
    return hasattr(obj, "__arrow_c_stream__") and not _is_column(obj)


def _is_column(value: Any) -> bool:
    return isinstance(value, (list, tuple, range, np.ndarray)) or \
        isinstance(nw.from_native(value, series_only=True, pass_through=True), nw.Series)


def _is_records(obj: Any) -> bool:
    """A list of dicts holding single values (``[{"step": 0, "acc": 0.5}, ...]``), not of columns."""
    if not (isinstance(obj, (list, tuple)) and obj and all(isinstance(r, Mapping) for r in obj)):
        return False
    return any(not _is_column(v) and not isinstance(v, Mapping) for v in obj[0].values())


def frame_parts(data: Any, source: str) -> list[tuple[str | None, Any]]:
    """Split the input into (run name or None, one frame) pairs."""
    if isinstance(data, Mapping):
        if data and all(_is_frame(v) or _is_records(v) or isinstance(v, Mapping)
                        for v in data.values()):
            return [(str(key), frame) for key, frame in data.items()]
        return [(None, data)]
    if isinstance(data, (list, tuple)) and not _is_records(data):
        if not data:
            raise InputError("no data: the list is empty", file=source, hint="pass " + ACCEPTED)
        return [(f"run_{i}", frame) for i, frame in enumerate(data)]
    return [(None, data)]


def _names_of(keys: Sequence) -> list[str]:
    # Non-string labels (pandas' 0, 1, ... or MultiIndex tuples) get the names a CSV
    # written from the frame would show; tuples read like namespaced metrics (a/b).
    texts = ["/".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in keys]
    return unique_names(texts)


def open_frame(part: Any, source: str) -> Opened:
    """Wrap one frame (or dict of columns, or list of records) without converting any values."""
    if isinstance(part, Mapping):
        return _dict_frame(dict(part), source, "dict")
    if _is_records(part):   # as the JSON reader takes a list of records: nested keys dotted
        records = [flatten_record(dict(record)) for record in part]
        keys = list(dict.fromkeys(k for record in records for k in record))
        return _dict_frame({k: [record.get(k) for record in records] for k in keys}, source, "records")
    frame = _narwhals_frame(part, source)
    notes: tuple[Notice, ...] = ()
    if isinstance(frame, nw.DataFrame) and frame.implementation.is_pandas_like():
        frame, notes = _with_named_index(frame, source)
    keys = frame.collect_schema().names() if isinstance(frame, nw.LazyFrame) else frame.columns
    if not len(keys):
        raise InputError("no data: the frame has no columns", file=source, hint="pass " + ACCEPTED)
    names = _names_of(keys)
    return Opened(names, str(frame.implementation), frame, dict(zip(names, keys)), notes)


def _narwhals_frame(part: Any, source: str):
    try:
        frame = nw.from_native(part, pass_through=True)
        if not isinstance(frame, (nw.DataFrame, nw.LazyFrame)) and _is_frame(part):
            frame = nw.from_native(_arrow_table(part, source))
    except nw.exceptions.DuplicateError:
        keys = getattr(part, "column_names", None)   # pyarrow; pandas-likes have columns
        keys = list(getattr(part, "columns", []) if keys is None else keys)
        repeated = [f"'{k}' ({n} times)" for k, n in Counter(map(str, keys)).items() if n > 1]
        raise ColumnError("repeated column names: " + (", ".join(repeated) or "some"), file=source,
                          hint="give each column its own name (rename them)") from None
    if not isinstance(frame, (nw.DataFrame, nw.LazyFrame)):
        raise InputError(f"cannot read a {type(part).__name__} as data", file=source,
                         hint="pass " + ACCEPTED)
    return frame


def _arrow_table(part: Any, source: str):
    import pyarrow as pa  # any Arrow PyCapsule exporter (duckdb, ibis, ...)

    try:
        return pa.table(part)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise InputError(f"cannot read a {type(part).__name__} as data (Arrow: {exc})", file=source,
                         hint="pass " + ACCEPTED) from None


def _with_named_index(frame: nw.DataFrame, source: str) -> tuple[nw.DataFrame, tuple[Notice, ...]]:
    # df.set_index("step") is common in notebooks; to_csv() would write the index as the
    # first column, so a named index comes back as a column here too.
    native = nw.to_native(frame)
    index_names = [n for n in native.index.names if n is not None]
    if not index_names or any(n in native.columns for n in index_names):
        return frame, ()
    note = Notice("the index (" + ", ".join(map(str, index_names)) + ") became a column", file=source)
    return nw.from_native(native.reset_index(), eager_only=True), (note,)


def _dict_frame(columns: dict, source: str, kind: str) -> Opened:
    if not columns:
        raise InputError("no data: the dict has no columns", file=source, hint="pass " + ACCEPTED)
    names = _names_of(list(columns))
    raw = {name: _raw_column(name, value, source) for name, value in zip(names, columns.values())}
    lengths = {name: len(value) for name, value in raw.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{n}: {k}" for n, k in list(lengths.items())[:6])
        raise InputError("the columns have different lengths", file=source,
                         hint=f"{shown}; every column needs one value per row")
    return Opened(names, kind, raw, {n: n for n in names})


def _raw_column(name: str, value: Any, source: str) -> RawColumn:
    series = nw.from_native(value, series_only=True, pass_through=True)
    if isinstance(series, nw.Series):
        return series
    if isinstance(value, (list, tuple, range)):
        return list(value)
    if isinstance(value, (str, bytes, Mapping)) or np.ndim(value) == 0:
        raise InputError(f"column '{name}' is a {type(value).__name__}, not a sequence of values",
                         file=source, hint="give each column a list or array of values")
    return value if isinstance(value, np.ndarray) else np.asarray(value)


def _header(names: list[str], kind: str, source: str) -> Table:
    """A table of column names only, for lookups and the 'columns: ...' hint."""
    empty = np.zeros(0)
    columns = {n: Column(n, empty, empty.astype(bool), empty.astype(bool)) for n in names}
    return Table(source=source, format=kind, n_rows=0, columns=columns)


def _require(header: Table, wanted: str, role: str, aliases=None) -> str:
    """The column for ``wanted`` (exact, any case, last name part, alias), else a ColumnError."""
    name = find_column(header, wanted, aliases or {})
    if name is None:
        raise ColumnError(f"no column '{wanted}' ({role})", file=header.source,
                          hint=_columns_hint(header, wanted))
    return name


def plan_of(opened: Opened, layout: Layout, source: str) -> Plan:
    """Resolve the structural columns by name (errors list the columns there are) and what to keep."""
    header = _header(opened.names, opened.kind, source)
    lowered = {n.lower() for n in opened.names}
    long = layout.long if layout.long is not None else set(LONG_KEYS) <= lowered
    runs = layout.runs
    if runs is None and long and "run" in lowered:
        runs = "run"   # a TensorBoard export's run column splits runs, as in the file reader
    runs = _require(header, runs, "runs") if runs else None
    tag = value = step = None
    if long:
        tag = _require(header, layout.tag or "tag", "tag")
        value = _require(header, layout.value or "value", "value")
        step = (_require(header, layout.step, "step") if layout.step
                else _require(header, "step", "step", ROLE_ALIASES))
    structural = {n for n in (runs, tag, value, step) if n}
    keys = setting_names(opened.names, opened.names if layout.keys is None else layout.keys)
    # In long form the wanted names pick tags (in frame_long) and the other columns here.
    kept = list(opened.names) if layout.wanted is None else \
        [n for n in opened.names if n in structural or n in keys.values()
         or could_match(n, layout.wanted)]
    return Plan(long, runs, tag, value, step, kept, keys)


def _run_rows(raw: dict, plan: Plan, name: str | None, n_rows: int
              ) -> tuple[list[str | None], list[np.ndarray]]:
    """Each run's label and row indices: split by the runs column when there is one."""
    if plan.runs is None:
        return [name], [np.arange(n_rows)]
    codes, labels = codes_of(raw[plan.runs], "run")
    if name is not None:
        labels = [f"{name}: {label}" for label in labels]
    if not labels:   # no rows at all: one empty table, which says so when a column is asked for
        labels = [name]
    order = np.argsort(codes, kind="stable")
    return labels, np.split(order, np.cumsum(np.bincount(codes, minlength=len(labels)))[:-1])


def _runs_of(opened: Opened, plan: Plan, layout: Layout, name: str | None,
             source: str) -> list[DataRun]:
    """One frame's runs: its Tables (long or wide) and each run's settings."""
    raw, n_rows = opened.fetch(plan.kept)
    labels, groups = _run_rows(raw, plan, name, n_rows)
    settings = run_settings(raw, plan.keys, groups)
    return [DataRun(table, each) for table, each in
            zip(_tables_of(opened, plan, layout, raw, n_rows, labels, groups, source), settings)]


def _tables_of(opened: Opened, plan: Plan, layout: Layout, raw: dict, n_rows: int,
               labels: list[str | None], groups: list[np.ndarray], source: str) -> list[Table]:
    """One frame's Tables, a run each (``groups``: its row indices), long or wide."""
    structural = {plan.runs, plan.tag, plan.value, plan.step}
    columns = {n: column_from_raw(n, r) for n, r in raw.items()
               if n not in structural or n == plan.step}
    if plan.long:
        tag_codes, tag_labels = codes_of(raw[plan.tag], "value")
        step = columns.pop(plan.step)
        return long_tables(groups, labels, step=step, values=column_from_raw(plan.value, raw[plan.value]),
                           tag_codes=tag_codes, tag_labels=tag_labels, extras=columns,
                           wanted=layout.wanted, source=source, fmt=f"{opened.kind}-long",
                           notes=opened.notes)
    if plan.runs is None:
        return [Table(source=source, format=opened.kind, n_rows=n_rows, columns=columns,
                      run=labels[0], notes=opened.notes)]
    return [Table(source=source, format=opened.kind, n_rows=int(rows.shape[0]),
                  columns={n: take(c, rows) for n, c in columns.items()}, run=label,
                  notes=opened.notes)
            for rows, label in zip(groups, labels)]
