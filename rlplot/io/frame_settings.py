"""A run's settings from data in memory: the columns that hold one value per run.

A notebook frame has no config file; what a sweep varies (``lr``, ``algo``, ``seed``) is
a column repeated on every row of a run. ``setting_names`` finds the asked keys among a
frame's columns; ``run_settings`` gives, per run, the one value each holds there (or the
values it takes, when it is not constant), read from the frame's own cells so that text
(``"ppo"``) keeps its text. Imported only by ``rlplot.io.frames``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .frame_columns import RawColumn, dictionary_of, label_of, plain_cell

SHOWN_VALUES = 4   # values named when a setting is not constant within a run


@dataclass(frozen=True)
class Settings:
    """One run's settings: key -> its value, and the keys whose value changes within the run."""

    values: Mapping[str, Any]
    varying: Mapping[str, tuple[str, ...]]   # key -> the first few values it takes (as text)
    columns: tuple[str, ...] = ()            # the keys asked for that name a column of the frame


def setting_names(names: Sequence[str], keys: Iterable[str]) -> dict[str, str]:
    """Key as asked -> the frame's column for it: the same name, else the one equal up to case."""
    found: dict[str, str] = {}
    for key in keys:
        if key in names:
            found[key] = key
            continue
        same = [name for name in names if name.lower() == key.lower()]
        if len(same) == 1:
            found[key] = same[0]
    return found


def run_settings(raw: Mapping[str, RawColumn], columns: Mapping[str, str],
                 groups: Sequence[np.ndarray]) -> list[Settings]:
    """Each run's settings (``groups[i]``: run i's row indices); a key null throughout a run is absent."""
    values: list[dict] = [{} for _ in groups]
    varying: list[dict] = [{} for _ in groups]
    for key, column in columns.items():
        indices, distinct = dictionary_of(raw[column])
        cells: dict[int, object] = {}   # plain cells, made only for the values looked at
        for run, rows in enumerate(groups):
            codes = indices[rows]
            codes = codes[codes >= 0]                            # -1: a null
            unique, first = np.unique(codes, return_index=True)
            held = unique[np.argsort(first, kind="stable")]     # in the run's row order
            chosen, texts = _first_values(held, distinct, cells)
            if len(texts) == 1:
                values[run][key] = chosen
            elif texts:
                varying[run][key] = tuple(texts[:SHOWN_VALUES])
    return [Settings(v, w, tuple(columns)) for v, w in zip(values, varying)]


def _first_values(held: np.ndarray, distinct, cells: dict) -> tuple[object, list[str]]:
    """The first non-null cell of ``held`` (codes into ``distinct``, in row order) and the distinct
    labels of its cells, up to one more than are shown: a metric column of a million values is
    known to vary after a few of them."""
    chosen, texts = None, {}
    for code in held.tolist():
        cell = cells[code] if code in cells else cells.setdefault(code, plain_cell(distinct[code]))
        if cell is None:
            continue
        chosen = cell if chosen is None else chosen
        texts.setdefault(label_of(cell), None)
        if len(texts) > SHOWN_VALUES:
            break
    return chosen, list(texts)

