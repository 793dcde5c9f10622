"""The fast path for big logs: only the needed columns, parsed by pyarrow straight into float64.

``read_fast`` returns the same ``Table`` the tolerant readers would (same values,
``missing``/``nonnumeric`` flags and notices) for the columns asked for, or ``None``
when the file is not one it can read exactly; ``read_tables`` then runs the tolerant
reader. It never guesses: pyarrow parses strictly (a row with the wrong number of
fields, a non-numeric cell, a malformed JSON line or a value whose type changes make
it fail), and any failure hands the file to the tolerant reader, which skips and
reports such lines. A partial last line (a run still being written) is read here: the
complete lines go through pyarrow and the last line through the tolerant reader, so
its notice and line number are the tolerant ones.

Chosen by measurement on 10M-row logs (docs/performance.md): pyarrow's CSV
reader is strict about field counts where polars and pandas silently pad or cut rows,
and its JSON reader streams in blocks (1.5 GB peak at 10M rows where polars needed
2.9 GB), is faster there, and rejects duplicate keys instead of keeping the first.
Modules: ``files`` (byte-level scans), ``arrow`` (arrow -> Column), ``csv_columns`` and
``jsonl_columns`` (one reader per kind).
"""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Iterable

from ...data import Table
from ..lines import SkipLog
from ..registry import FORMATS, detect_format
from ..sources import Source
from .files import BigFile, content_end

# Below this size pyarrow's import (~0.15 s, paid once per process) costs about what it
# saves on one file; above it the fast path wins, and by far for many files: 10 seeds of
# 100k rows (3.3 MB each) render in 1.6 s instead of 3.5 s.
FAST_MIN_BYTES = 1024 * 1024
# Once pyarrow is loaded (a big log was read, or many logs are about to be) it wins from far
# smaller logs: a 1 MB CSV in 9 ms instead of 47 ms, 100 KB in 2.0 ms instead of 4.6 ms, and
# the tolerant reader only below ~64 KB (30 KB: 1.6 ms against 2.5 ms).
WARM_MIN_BYTES = 64 * 1024
WARM_FOR_BYTES = 8 * 1024 * 1024   # logs of at least WARM_MIN_BYTES worth importing it for
HEAD_BYTES = 1024 * 1024         # the header, the sniffing sample and the JSONL probe come from here
_BOM = b"\xef\xbb\xbf"
_GZIP = b"\x1f\x8b"


# The generic reader of each kind the fast path can stand in for (JSON documents: never), by
# module: a small log, read by the tolerant path, loads neither.
COLUMN_READERS = {"csv": "csv_columns:read_csv_columns", "jsonl": "jsonl_columns:read_jsonl_columns"}


def column_reader(kind: str):
    """The fast path's column reader of a kind of ``COLUMN_READERS``: (big, wanted, strict) -> Table."""
    import importlib

    module, _, name = COLUMN_READERS[kind].partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def fast_min_bytes() -> int:
    """The smallest log the fast path reads: ``FAST_MIN_BYTES``, less once pyarrow is loaded."""
    return min(FAST_MIN_BYTES, WARM_MIN_BYTES) if "pyarrow" in sys.modules else FAST_MIN_BYTES


def log_sizes(paths: Iterable[str]) -> list[int]:
    """The size in bytes of each log (0 for standard input or a file that cannot be stat-ed)."""
    sizes = []
    for path in paths:
        try:
            sizes.append(os.stat(path).st_size)
        except (OSError, ValueError):
            sizes.append(0)
    return sizes


def worth_warming(sizes: Iterable[int]) -> bool:
    """Whether logs of these ``sizes`` (``log_sizes``) that the fast path would read once pyarrow
    is loaded are worth its import (``WARM_FOR_BYTES`` of logs from ``WARM_MIN_BYTES`` up)."""
    worth = 0
    for size in sizes:
        worth += size if size >= WARM_MIN_BYTES else 0
        if worth >= WARM_FOR_BYTES:
            return True
    return False


def warm_fast_path() -> None:
    """Load pyarrow now, so that every log from ``WARM_MIN_BYTES`` up takes the fast path."""
    try:
        import pyarrow  # noqa: F401  (optional: without it every log takes the tolerant path)
    except ImportError:
        pass


def _big_file(path: str) -> BigFile | None:
    """The start and content bounds of a big, uncompressed log on disk, else None."""
    if path == "-" or not os.path.isfile(path):
        return None
    size = os.path.getsize(path)
    if size < fast_min_bytes():
        return None
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        if head[:2] == _GZIP:
            return None  # gzip: the tolerant reader decompresses it
        end = content_end(fh, size)
    if end is None:
        return None
    return BigFile(path, head, len(_BOM) if head.startswith(_BOM) else 0, end)


def read_fast(path: str, *, format: str | None, columns: Iterable[str], strict: bool = False
              ) -> Table | None:
    """Read the ``columns`` (names as ``columns.find_column`` matches them) of a big CSV/JSONL, or None."""
    plain = plain_log(path, format)
    if plain is None:
        return None
    big, name, kind = plain
    table = column_reader(kind)(big, {c.lower() for c in columns}, strict)
    return table if table is None or table.format == name else replace(table, format=name)


def plain_log(path: str, format: str | None) -> tuple[BigFile, str, str] | None:
    """A big log the fast path can read column-wise: (its bounds, its format, that format's kind:
    csv or jsonl), or None (small, gzipped, no pyarrow, JSON, an adapter that reshapes its
    content: the tolerant path reads it)."""
    big = _big_file(path)
    if big is None:
        return None
    try:
        import pyarrow  # noqa: F401  (optional: without it every file takes the tolerant path)
    except ImportError:
        return None
    sample = big.head[big.start:big.start + 65536].decode("utf-8", "replace")
    name = format or detect_format(Source(name=path, text=sample,
                                          suffix=os.path.splitext(path)[1].lower()))
    entry = FORMATS[name] if name in FORMATS else None
    if entry is None or not entry.plain or entry.kind not in COLUMN_READERS:
        return None
    return big, name, entry.kind


def header_table(path: str, *, format: str | None = None) -> Table | None:
    """The tolerant read of a big log's first megabyte (None for small, gzipped or stdin logs).

    For error messages only: when the columns asked for are not in a big log, its header
    names every column without reading (or holding) millions of rows.
    """
    big = _big_file(path)
    if big is None:
        return None
    text = big.head.decode("utf-8-sig", errors="replace")
    text = text[: max(text.rfind("\n"), 0) + 1] or text  # whole lines only
    source = Source(name=path, text=text, suffix=os.path.splitext(path)[1].lower())
    try:
        tables = FORMATS[format or detect_format(source)].read(source, SkipLog(path))
    except Exception:  # noqa: BLE001  (a head that does not parse: let the full read report it)
        return None
    return tables[0] if len(tables) == 1 else None


__all__ = ["read_fast", "header_table", "log_sizes", "worth_warming", "warm_fast_path", "FAST_MIN_BYTES", "WARM_MIN_BYTES"]
