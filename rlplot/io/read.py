"""Reading a log file into Tables: the fast columnar path when it fits, else the tolerant readers."""
from __future__ import annotations

from typing import Iterable

from ..data import Table
from ..errors import InputError
from .lines import SkipLog
from .registry import FORMATS, detect_format
from .sources import Source, read_source


def tables_from_source(source: Source, format: str | None = None,
                       strict: bool = False) -> tuple[Table, ...]:
    """Read an already opened source (see ``read_tables``)."""
    if not source.text.strip("\x00 \t\r\n\ufeff"):
        raise InputError("the log is empty", file=source.name,
                         hint="the run may not have written anything yet")
    name = format or detect_format(source)
    if name not in FORMATS:
        raise InputError(f"unknown format '{name}'", file=source.name,
                         hint="choose one of: " + FORMATS.listing())
    try:
        return FORMATS[name].read(source, SkipLog(source.name, strict))
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        # A forced --format that does not fit the content: still one clear line.
        raise InputError(f"does not look like a '{name}' log ({type(exc).__name__}: {exc})",
                         file=source.name,
                         hint="drop --format to detect it from the content" if format else None
                         ) from None


def read_tables(path: str, *, format: str | None = None, strict: bool = False,
                columns: Iterable[str] | None = None) -> tuple[Table, ...]:
    """Read one log file into one Table per run it holds (most formats hold one).

    ``format`` forces a registry entry instead of detecting it; malformed lines are
    skipped and listed in each ``Table.skipped`` (with ``strict`` the first raises).
    ``columns`` (names as ``columns.find_column`` matches them, aliases included) lets a
    big plain CSV/JSONL take the fast columnar path, which returns only those columns.
    """
    if columns is not None:
        from . import fast   # pyarrow: only for big logs

        table = fast.read_fast(path, format=format, columns=columns, strict=strict)
        if table is not None:
            return (table,)
    return tables_from_source(read_source(path, columns=columns), format, strict)


def read_log(path: str, *, format: str | None = None, strict: bool = False,
             columns: Iterable[str] | None = None) -> Table:
    """Read a single-run log (CSV, TSV, JSONL, JSON, any adapter; ``.gz``; ``-`` = stdin) into a Table."""
    tables = read_tables(path, format=format, strict=strict, columns=columns)
    if len(tables) != 1:
        names = ", ".join(str(t.run) for t in tables[:5])
        raise InputError(f"holds {len(tables)} runs ({names}{', …' if len(tables) > 5 else ''})",
                         file=tables[0].source,
                         hint="use read_tables() to get one table per run")
    return tables[0]


def read_header(path: str, *, format: str | None = None) -> Table | None:
    """The tolerant read of a big log's first megabyte, for error messages (None for small logs)."""
    from . import fast

    return fast.header_table(path, format=format)
