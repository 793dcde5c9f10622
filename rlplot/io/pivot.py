"""Long scalar events (step, tag, value[, wall time]) -> one wide Table: a row per step, a column per tag.

Event files and tracker stores log each metric as its own stream of ``(step, value)``
points. rlplot's stages work on tables, so the streams are pivoted: one row per step,
one column per tag, NaN (flagged missing) where a tag has no point at that step. A
step that a tag logs again (a resumed job writing a second event file) opens a new row
after the ones already seen, so file order is kept and cleaning applies the restart
policy instead of this reader hiding the repeat. Vectorised: O(n log n) in the events.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..data import Column, Notice, Table
from .cells import unique_names


def occurrence(keys: np.ndarray) -> np.ndarray:
    """For each element, how many earlier elements (in array order) hold the same key; shape (n,)."""
    n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    out = np.empty(n, dtype=np.int64)
    out[order] = np.arange(n) - run_start
    return out


def _row_ids(step: np.ndarray, tag_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of each event and the event that opened each row (rows in order of first appearance)."""
    n = step.shape[0]
    # The k-th point a tag logs at a step goes to row (step, k).
    per_tag = occurrence(np.stack([tag_id.astype(np.int64), step], axis=1).view(
        np.dtype([("t", np.int64), ("s", np.int64)])).ravel())
    key = np.stack([step, per_tag], axis=1).view(
        np.dtype([("s", np.int64), ("k", np.int64)])).ravel()
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    # np.unique numbers rows by key; renumber them by the event that opened them.
    by_appearance = np.argsort(first, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(by_appearance.shape[0])
    return rank[inverse.reshape(n)], first[by_appearance]


def wide_from_long(source: str, fmt: str, step: np.ndarray, tag_id: np.ndarray,
                   tags: Sequence[str], values: np.ndarray, wall: np.ndarray | None = None, *,
                   step_name: str = "step", wall_name: str = "wall_time", run: str | None = None,
                   skipped: tuple[Notice, ...] = (), notes: tuple[Notice, ...] = ()) -> Table:
    """Pivot events into a Table with columns ``step_name``, ``wall_name`` (if given) and one per tag.

    ``step`` (int64), ``tag_id`` (indices into ``tags``), ``values`` and ``wall`` (epoch
    seconds) have shape (n_events,), in file order. A row's wall time is that of the event
    that opened it.
    """
    step = np.asarray(step, dtype=np.int64)
    tag_id = np.asarray(tag_id, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    rows, opener = _row_ids(step, tag_id)
    n_rows = opener.shape[0]
    none = np.zeros(n_rows, dtype=bool)
    columns = {step_name: Column(step_name, step[opener].astype(np.float64), none, none)}
    if wall is not None:
        columns[wall_name] = Column(wall_name, np.asarray(wall, dtype=np.float64)[opener], none, none)
    fixed = len(columns)
    names = unique_names(list(columns) + list(tags))[fixed:]   # a tag named 'step' becomes 'step.1'
    for index, tag in enumerate(names):
        mine = tag_id == index
        column = np.full(n_rows, np.nan)
        column[rows[mine]] = values[mine]
        present = np.zeros(n_rows, dtype=bool)
        present[rows[mine]] = True
        columns[tag] = Column(tag, column, ~present, none)
    return Table(source=source, format=fmt, n_rows=n_rows, columns=columns, skipped=skipped,
                 run=run, notes=notes)
