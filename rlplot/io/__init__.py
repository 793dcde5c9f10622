"""Reading logs: a registry of input formats, content sniffing, and ``read_log``.

Nothing here imports matplotlib (a test proves it): reading must stay cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..data import Table
from ..errors import InputError
from .csv_reader import read_csv
from .json_reader import parse_json_document, read_json, read_jsonl
from .lines import SkipLog, split_lines
from .sources import Source, read_source


@dataclass(frozen=True)
class InputFormat:
    """One entry of the reader registry."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Source, SkipLog], Table]
    help: str


def _read_csv(source: Source, skips: SkipLog) -> Table:
    return read_csv(source.name, split_lines(source.text), skips)


def _read_jsonl(source: Source, skips: SkipLog) -> Table:
    return read_jsonl(source.name, split_lines(source.text), skips)


def _read_json(source: Source, skips: SkipLog) -> Table:
    document = parse_json_document(source.text)
    if document is None:
        # Many ".json" logs are really JSON Lines; a cut-off list is handled there too.
        return _read_jsonl(source, skips)
    return read_json(source.name, document, skips)


FORMATS: dict[str, InputFormat] = {
    fmt.name: fmt
    for fmt in (
        InputFormat("csv", (".csv", ".tsv", ".txt", ".log"), _read_csv,
                    "delimited text with a header row (',', tab or ';')"),
        InputFormat("jsonl", (".jsonl", ".ndjson"), _read_jsonl,
                    "one JSON object per line"),
        InputFormat("json", (".json",), _read_json,
                    "a JSON list of records, or {column: [values]}"),
    )
}

LOG_SUFFIXES = tuple(s for fmt in FORMATS.values() for s in fmt.suffixes)


def detect_format(source: Source) -> str:
    """Name the format of a source from its content, using the extension only to break ties."""
    head = source.text.lstrip("\ufeff \t\r\n\x00")
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        if source.suffix == ".json":
            return "json"
        first_line = head.split("\n", 1)[0].strip()
        if parse_json_document(first_line) is not None:
            return "jsonl"
        return "json" if parse_json_document(head) is not None else "jsonl"
    for fmt in FORMATS.values():
        if source.suffix in fmt.suffixes and fmt.name != "json":
            return fmt.name
    return "csv"


def read_log(path: str, *, format: str | None = None, strict: bool = False,
             columns: Iterable[str] | None = None) -> Table:
    """Read one log file (CSV, TSV, JSONL, JSON; optionally gzipped; ``-`` = stdin) into a Table.

    Malformed lines are skipped and listed in ``Table.skipped``; with ``strict`` the
    first one raises ``InputError`` instead. ``columns`` (names as ``find_column`` matches
    them) lets big files take the fast path, which returns only those columns.
    """
    if columns is not None:
        from .fast import read_fast

        table = read_fast(path, format=format, columns=columns, strict=strict)
        if table is not None:
            return table
    source = read_source(path)
    if not source.text.strip("\x00 \t\r\n"):
        raise InputError("the log is empty", file=source.name,
                         hint="the run may not have written anything yet")
    name = format or detect_format(source)
    try:
        reader = FORMATS[name]
    except KeyError:
        raise InputError(f"unknown format '{name}'", file=source.name,
                         hint="choose one of: " + ", ".join(FORMATS)) from None
    return reader.read(source, SkipLog(source.name, strict))
