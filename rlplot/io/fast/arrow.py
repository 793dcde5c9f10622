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

    The next piece is parsed in a background thread while the caller works on this one
    (pyarrow parses without the GIL), so at most two pieces of the file are held at a time;
    each piece's arrow table is freed once converted. Raises ``Refused`` when pyarrow
    refuses a piece.
    """
    from concurrent.futures import ThreadPoolExecutor

    bounds = files.segments(path, start, stop, segment_bytes)
    if len(bounds) == 1:   # one piece (most logs): nothing to overlap, no thread to start
        yield _parsed(path, *bounds[0], read, convert)
        return
    with ThreadPoolExecutor(1, thread_name_prefix="rlplot-parse") as pool:
        ahead = [pool.submit(_parsed, path, lo, hi, read, convert) for lo, hi in bounds[:1]]
        for number in range(len(bounds)):
            columns = ahead.pop().result()
            if number + 1 < len(bounds):
                ahead.append(pool.submit(_parsed, path, *bounds[number + 1], read, convert))
            yield columns


def _parsed(path: str, lo: int, hi: int, read: Callable, convert: Callable) -> dict[str, Column]:
    """``convert`` of the arrow table ``read`` makes of bytes [lo, hi) (raises ``Refused``)."""
    import pyarrow as pa

    try:
        table = read(pa.OSFile(path).get_stream(lo, hi - lo))
    except (pa.ArrowException, ValueError) as exc:
        raise Refused(str(exc)) from exc
    columns = convert(table)
    del table
    pa.default_memory_pool().release_unused()
    return columns


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
    parts = [_chunk_arrays(chunk) for chunk in chunked.chunks]
    if not parts:
        values, missing = np.empty(0), np.zeros(0, dtype=bool)
    elif len(parts) == 1:
        values, missing = parts[0]
    else:
        values = np.concatenate([v for v, _ in parts])
        missing = np.concatenate([m for _, m in parts])
    if missing.any():
        if not values.flags.writeable:
            values = values.copy()
        values[missing] = np.nan
    return Column(name, values, missing, np.zeros(values.shape[0], dtype=bool))


def _chunk_arrays(chunk) -> tuple[np.ndarray, np.ndarray]:
    """The values (n,) and null mask (n,) of one arrow array, read from its buffers.

    Not ``to_numpy``: in pyarrow 26 that imports pandas (0.3 s) on first use.
    """
    import pyarrow as pa

    n, offset = len(chunk), chunk.offset
    if chunk.type == pa.null():   # a key no line of the piece has
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    if chunk.type != pa.float64():
        values = np.asarray(chunk.to_numpy(zero_copy_only=False), dtype=np.float64)
        return values, np.asarray(chunk.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    validity, data = chunk.buffers()
    values = np.frombuffer(data, dtype=np.float64, count=offset + n)[offset:]
    if validity is None or chunk.null_count == 0:
        return values, np.zeros(n, dtype=bool)
    valid = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=offset + n,
                          bitorder="little")[offset:]
    return values, valid == 0


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
