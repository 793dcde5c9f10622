"""From pyarrow to rlplot: parsing a file piece by piece into float64 ``Column``s."""
from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from ...data import Column, Table
from ..lines import SkipLog
from . import files

BLOCK_BYTES = 16 * 1024 * 1024   # pyarrow block size: fewer, bigger blocks parse faster here


class Refused(Exception):
    """pyarrow refused a piece of the file (the tolerant reader must read it)."""


def iter_pieces(path: str, start: int, stop: int, read: Callable, convert: Callable,
                segment_bytes: int | None = None) -> Iterator[dict[str, Column]]:
    """Parse [start, stop) piece by piece with ``read(stream)``; yield ``convert(table)`` -> {name: Column}.

    Each piece's arrow table is freed before the next is read, so only one piece of the
    file is ever parsed at a time. Raises ``Refused`` when pyarrow refuses a piece.
    """
    import pyarrow as pa

    for lo, hi in files.segments(path, start, stop, segment_bytes):
        try:
            table = read(pa.OSFile(path).get_stream(lo, hi - lo))
        except (pa.ArrowException, ValueError) as exc:
            raise Refused(str(exc)) from exc
        columns = convert(table)
        del table
        pa.default_memory_pool().release_unused()
        yield columns


def read_pieces(path: str, start: int, stop: int, read: Callable, convert: Callable
                ) -> dict[str, list[Column]] | None:
    """Parse [start, stop) piece by piece with ``read(stream)``; ``convert(table)`` -> {name: Column}.

    Converting each piece to numpy and freeing its arrow table keeps the peak near
    the size of the result (at 10M-row JSONL: ~1 GB instead of ~1.8 GB in one read).
    Returns the Columns of every piece by name, or None if pyarrow refused the file.
    """
    parts: dict[str, list] = {}
    try:
        for piece in iter_pieces(path, start, stop, read, convert):
            for name, column in piece.items():
                parts.setdefault(name, []).append(column)
    except Refused:
        return None
    return parts


def joined(name: str, pieces: list[Column]) -> Column:
    """One Column from the same column of consecutive pieces."""
    if len(pieces) == 1:
        return pieces[0]
    return Column(name, np.concatenate([p.values for p in pieces]),
                  np.concatenate([p.missing for p in pieces]),
                  np.concatenate([p.nonnumeric for p in pieces]))


def column(name: str, chunked) -> Column:
    """A float64 arrow column -> an rlplot Column (null = missing; nothing is non-numeric here)."""
    values = np.asarray(chunked.to_numpy(), dtype=np.float64)
    if chunked.null_count:
        missing = np.asarray(chunked.is_null().to_numpy(), dtype=bool)
        if not values.flags.writeable:
            values = values.copy()
        values[missing] = np.nan
    else:
        missing = np.zeros(values.shape[0], dtype=bool)
    return Column(name, values, missing, np.zeros(values.shape[0], dtype=bool))


class ShiftedSkipLog(SkipLog):
    """A SkipLog for a few lines read out of place: line ``first`` of the snippet is ``actual``."""

    def __init__(self, source: str, strict: bool, first: int, actual: int):
        super().__init__(source, strict)
        self._shift = actual - first

    def skip(self, line, what):
        """Record (or raise for) a skipped line under its number in the whole file."""
        super().skip(None if line is None else line + self._shift, what)


def appended(columns: dict[str, Column], extra: Table) -> dict[str, Column]:
    """Columns with the rows of ``extra`` (the tolerant read of the last line) appended."""
    out = {}
    n_extra = extra.n_rows
    for name, col in columns.items():
        add = extra.columns.get(name)
        if add is None:
            add = Column(name, np.full(n_extra, np.nan), np.ones(n_extra, bool), np.zeros(n_extra, bool))
        out[name] = Column(name, np.concatenate([col.values, add.values]),
                           np.concatenate([col.missing, add.missing]),
                           np.concatenate([col.nonnumeric, add.nonnumeric]))
    return out
