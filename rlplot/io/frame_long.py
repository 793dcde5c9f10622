"""Long-form frames (one row per logged point: step, tag, value) -> one wide Table per run.

The pivot itself is ``io.pivot.wide_from_long``; what it is handed are event *indices*
(as its values and as its wall time), so that each cell and each row can take the
value and the missing/non-numeric flags of the event it came from, and the step and
any other column (wall time, ...) keep their own values and flags. A step that is
missing or not a number still opens a row (flagged), so cleaning reports it instead of
the pivot hiding it.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..data import Column, Notice, Table
from .cells import unique_names
from ..columns import could_match
from .pivot import wide_from_long

_OPENER = "\x00opener"   # the pivot's wall-time column: the event that opened each row
_MISSING_STEP, _TEXT_STEP = -1, -2


def take(column: Column, rows: np.ndarray, name: str | None = None) -> Column:
    """The rows ``rows`` (indices, (k,)) of a column, optionally renamed."""
    return Column(name or column.name, column.values[rows], column.missing[rows], column.nonnumeric[rows])


def step_keys(step: Column) -> np.ndarray:
    """An int64 pivot key (n_events,) per event: equal steps share one; missing and text steps have their own."""
    usable = ~step.missing & ~step.nonnumeric & ~np.isnan(step.values)
    keys = np.where(step.nonnumeric, _TEXT_STEP, _MISSING_STEP).astype(np.int64)
    keys[usable] = np.unique(step.values[usable], return_inverse=True)[1].reshape(-1)
    return keys


def _cells(values: Column, index: Column, name: str) -> Column:
    """A pivoted column of event indices -> those events' values and flags (absent cells missing)."""
    present = ~index.missing
    events = index.values[present].astype(np.int64)
    out = np.full(present.shape[0], np.nan)
    out[present] = values.values[events]
    missing = ~present
    missing[present] = values.missing[events]
    nonnumeric = np.zeros(present.shape[0], dtype=bool)
    nonnumeric[present] = values.nonnumeric[events]
    return Column(name, out, missing, nonnumeric)


def _local_tags(codes: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Renumber one run's tag codes 0.. in order of first appearance; its tag names in that order."""
    unique, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return rank[inverse.reshape(-1)], [labels[unique[i]] for i in order]


def run_table(events: np.ndarray, *, step: Column, keys: np.ndarray, values: Column,
              tag_codes: np.ndarray, tag_labels: Sequence[str], extras: Mapping[str, Column],
              source: str, fmt: str, run: str | None, notes: tuple[Notice, ...] = ()) -> Table:
    """Pivot the events ``events`` (indices, in frame order) of one run into its wide Table."""
    local, tags = _local_tags(tag_codes[events], tag_labels)
    index = events.astype(np.float64)
    pivoted = wide_from_long(source, fmt, keys[events], local, tags, index, wall=index,
                             step_name=step.name, wall_name=_OPENER, run=run)
    opener = pivoted.columns[_OPENER].values.astype(np.int64)
    tag_names = [n for n in pivoted.columns if n not in (step.name, _OPENER)]
    names = unique_names([step.name, *extras, *tag_names])   # a tag named like an extra column
    columns = {names[0]: take(step, opener)}
    for name, (_, column) in zip(names[1:], extras.items()):
        columns[name] = take(column, opener, name)
    for name, tag in zip(names[1 + len(extras):], tag_names):
        columns[name] = _cells(values, pivoted.columns[tag], name)
    return Table(source=source, format=fmt, n_rows=pivoted.n_rows, columns=columns, run=run, notes=notes)


def long_tables(groups: Sequence[np.ndarray], runs: Sequence[str | None], *, step: Column,
                values: Column, tag_codes: np.ndarray, tag_labels: Sequence[str],
                extras: Mapping[str, Column], wanted: frozenset[str] | None, source: str, fmt: str,
                notes: tuple[Notice, ...] = ()) -> list[Table]:
    """One Table per run; ``groups[i]`` are run i's rows. ``wanted`` keeps only the matching tags."""
    keys = step_keys(step)
    if wanted is not None:
        keep = np.array([could_match(label, wanted) for label in tag_labels], dtype=bool)
        groups = [rows[keep[tag_codes[rows]]] if keep.size else rows[:0] for rows in groups]
    return [run_table(rows, step=step, keys=keys, values=values, tag_codes=tag_codes,
                      tag_labels=tag_labels, extras=extras, source=source, fmt=fmt, run=run,
                      notes=notes)
            for rows, run in zip(groups, runs)]
