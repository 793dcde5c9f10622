"""The fast path for big logs: only the needed columns, parsed by pyarrow straight into float64.

``read_fast`` returns the same ``Table`` the tolerant readers would (same values,
``missing``/``nonnumeric`` flags and notices) for the columns asked for, or ``None``
when the file is not one it can read exactly; ``read_log`` then runs the tolerant
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
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import re
from dataclasses import replace
from typing import Iterable

import numpy as np

from ..data import Column, Table
from .cells import MISSING_WORDS, unique_names
from .csv_reader import read_csv, sniff_delimiter
from .json_reader import WRAPPER_KEY, read_jsonl
from .lines import Lines, SkipLog
from .sources import Source

# Below this size pyarrow's import (~0.15 s, paid once per process) costs about what it
# saves on one file; above it the fast path wins, and by far for many files: 10 seeds of
# 100k rows (3.3 MB each) render in 1.6 s instead of 3.5 s.
FAST_MIN_BYTES = 1024 * 1024
BLOCK_BYTES = 16 * 1024 * 1024   # pyarrow block size: fewer, bigger blocks parse faster here
SEGMENT_BYTES = 256 * 1024 * 1024  # read this much at a time, so pyarrow's buffers never hold the whole file
SCAN_BYTES = 16 * 1024 * 1024    # chunk of the cheap validation scan
HEAD_BYTES = 1024 * 1024         # the header, the sniffing sample and the JSONL probe come from here
PROBE_RECORDS = 1000             # JSONL records whose keys name the columns
_SNIFF_ROWS = 20
_BOM = b"\xef\xbb\xbf"


def _case_variants(word: str) -> list[str]:
    return ["".join(chars) for chars in itertools.product(*({c.lower(), c.upper()} for c in word))]


# The tolerant reader compares stripped, lower-cased cells with MISSING_WORDS; pyarrow
# compares exact strings, so list every spelling (padded ones fail and fall back).
NULL_SPELLINGS = sorted({v for word in MISSING_WORDS for v in _case_variants(word)})


def wants(name: str, wanted: set[str]) -> bool:
    """Whether a column could be picked for one of the ``wanted`` (lower-case) names.

    Mirrors ``columns.find_column``: an exact or case-insensitive name, or the last
    part of a namespaced name (``train/acc`` for ``acc``).
    """
    lower = name.lower()
    return lower in wanted or re.split(r"[/.]", name)[-1].lower() in wanted


def read_fast(path: str, *, format: str | None, columns: Iterable[str], strict: bool = False
              ) -> Table | None:
    """Read the ``columns`` (names as ``find_column`` matches them) of a big CSV/JSONL, or return None."""
    if path == "-" or not os.path.isfile(path):
        return None
    size = os.path.getsize(path)
    if size < FAST_MIN_BYTES:
        return None
    try:
        import pyarrow  # noqa: F401  (optional: without it every file takes the tolerant path)
    except ImportError:
        return None
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        if head[:2] == b"\x1f\x8b":
            return None  # gzip: the tolerant reader decompresses it
        end = _content_end(fh, size)
    if end is None:
        return None
    start = len(_BOM) if head.startswith(_BOM) else 0
    wanted = {c.lower() for c in columns}
    from . import FORMATS, detect_format

    suffix_source = Source(name=path, text=head[start:start + 65536].decode("utf-8", "replace"),
                           suffix=os.path.splitext(path)[1].lower())
    name = format or detect_format(suffix_source)
    entry = FORMATS.get(name)
    reader = {"csv": _read_csv, "jsonl": _read_jsonl}.get(entry.kind) if entry and entry.plain else None
    if reader is None:
        return None  # an adapter that reshapes its content, or JSON: the tolerant path reads it
    table = reader(path, head, start, end, wanted, strict)
    return table if table is None or table.format == name else replace(table, format=name)


def header_table(path: str, *, format: str | None = None) -> Table | None:
    """The tolerant read of a big log's first megabyte (None for small, gzipped or stdin logs).

    For error messages only: when the columns asked for are not in a big log, its header
    names every column without reading (or holding) millions of rows.
    """
    if path == "-" or not os.path.isfile(path) or os.path.getsize(path) < FAST_MIN_BYTES:
        return None
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head[:2] == b"\x1f\x8b":
        return None
    from . import FORMATS, detect_format

    text = head.decode("utf-8-sig", errors="replace")
    text = text[: max(text.rfind("\n"), 0) + 1] or text  # whole lines only
    source = Source(name=path, text=text, suffix=os.path.splitext(path)[1].lower())
    try:
        tables = FORMATS[format or detect_format(source)].read(source, SkipLog(path))
    except Exception:  # noqa: BLE001  (a head that does not parse: let the full read report it)
        return None
    return tables[0] if len(tables) == 1 else None


def _content_end(fh, size: int) -> int | None:
    """The file's length without trailing NUL padding (None if the padding is huge)."""
    tail_len = min(size, 1024 * 1024)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    stripped = tail.rstrip(b"\x00")
    if not stripped and tail_len < size:
        return None
    return size - (len(tail) - len(stripped))


def _segments(path: str, start: int, stop: int) -> list[tuple[int, int]]:
    """[start, stop) cut into pieces of about SEGMENT_BYTES that end at a line break."""
    bounds, pos = [start], start + SEGMENT_BYTES
    with open(path, "rb") as fh:
        while pos < stop:
            fh.seek(pos)
            chunk = fh.read(min(1024 * 1024, stop - pos))
            hit = chunk.find(b"\n")
            if hit < 0:
                break  # a huge line (or CR-only breaks): keep the rest in one piece
            pos += hit + 1
            if pos < stop:
                bounds.append(pos)
            pos += SEGMENT_BYTES
    bounds.append(stop)
    return list(zip(bounds[:-1], bounds[1:]))


def _read_pieces(path: str, start: int, stop: int, read, convert) -> dict[str, list] | None:
    """Parse [start, stop) piece by piece with ``read(stream)``; ``convert(table)`` -> {name: Column}.

    Converting each piece to numpy and freeing its arrow table keeps the peak near
    the size of the result (at 10M-row JSONL: ~1 GB instead of ~1.8 GB in one read).
    Returns the Columns of every piece by name, or None if pyarrow refused the file.
    """
    import pyarrow as pa

    parts: dict[str, list] = {}
    for lo, hi in _segments(path, start, stop):
        try:
            table = read(pa.OSFile(path).get_stream(lo, hi - lo))
        except (pa.ArrowException, ValueError):
            return None
        for name, column in convert(table).items():
            parts.setdefault(name, []).append(column)
        del table
        pa.default_memory_pool().release_unused()
    return parts


def _joined(name: str, pieces: list[Column]) -> Column:
    if len(pieces) == 1:
        return pieces[0]
    return Column(name, np.concatenate([p.values for p in pieces]),
                  np.concatenate([p.missing for p in pieces]),
                  np.concatenate([p.nonnumeric for p in pieces]))


def _scan(path: str, start: int, stop: int, forbidden: bytes) -> tuple[bool, int, bool]:
    """One pass over [start, stop): (no forbidden byte, number of LFs, any CR)."""
    lf, cr = 0, False
    with open(path, "rb") as fh:
        fh.seek(start)
        left = stop - start
        while left > 0:
            chunk = fh.read(min(SCAN_BYTES, left))
            if not chunk:
                break
            left -= len(chunk)
            if any(chunk.find(b) >= 0 for b in (forbidden[i:i + 1] for i in range(len(forbidden)))):
                return False, lf, cr
            lf += chunk.count(b"\n")
            cr = cr or chunk.find(b"\r") >= 0
    return True, lf, cr


def _last_newline(path: str, start: int, end: int) -> int:
    """Offset just after the last line break in [start, end) (``start`` if there is none)."""
    with open(path, "rb") as fh:
        pos = end
        while pos > start:
            block_start = max(start, pos - 65536)
            fh.seek(block_start)
            block = fh.read(pos - block_start)
            hit = max(block.rfind(b"\n"), block.rfind(b"\r"))
            if hit >= 0:
                return block_start + hit + 1
            pos = block_start
    return start


def _column(name: str, chunked) -> Column:
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


class _ShiftedSkipLog(SkipLog):
    """A SkipLog for a few lines read out of place: line ``first`` of the snippet is ``actual``."""

    def __init__(self, source: str, strict: bool, first: int, actual: int):
        super().__init__(source, strict)
        self._shift = actual - first

    def skip(self, line, what):
        super().skip(None if line is None else line + self._shift, what)


def _append(columns: dict[str, Column], extra: Table) -> dict[str, Column]:
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


# --- CSV ----------------------------------------------------------------------------------

def _read_csv(path, head, start, end, wanted, strict) -> Table | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    lines = head[start:end].splitlines(keepends=True)  # bytes: CRLF, CR or LF, as split_lines does
    if end > len(head):
        lines = lines[:-1]  # cut by HEAD_BYTES, maybe mid-line
    offset, header, sample, body_start = start, None, [], None
    for raw in lines:
        stripped = raw.strip()
        if header is None:
            if stripped and not stripped.startswith(b"#"):
                header = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                body_start = offset + len(raw)
        elif stripped and len(sample) < _SNIFF_ROWS:
            sample.append(raw.rstrip(b"\r\n").decode("utf-8", errors="replace"))
        offset += len(raw)
    if header is None or "\ufffd" in header or header.count('"') % 2 or not sample:
        return None
    delimiter = sniff_delimiter(header, sample)
    names = next(csv.reader([header], delimiter=delimiter))
    unique = unique_names(names)
    picked = {f"f{i}": name for i, name in enumerate(unique) if wants(name, wanted)}
    if not picked:
        return None  # nothing asked for is here: the tolerant read gives the full error hint
    body_end = _last_newline(path, body_start, end)
    # Comment lines and NUL bytes inside the body are skipped line by line by the tolerant
    # reader; a single-byte scan finds them at memchr speed.
    clean, lf_count, has_cr = _scan(path, body_start, end, b"\x00#")
    if not clean:
        return None
    tail = _read_bytes(path, body_end, end)
    if tail.strip() and has_cr:
        return None  # line numbers of a partial line need LF-only line breaks
    options = dict(
        read_options=pacsv.ReadOptions(column_names=[f"f{i}" for i in range(len(names))],
                                       block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(picked), column_types={c: pa.float64() for c in picked},
            null_values=NULL_SPELLINGS, strings_can_be_null=True, quoted_strings_can_be_null=True))
    parts = _read_pieces(path, body_start, body_end, lambda stream: pacsv.read_csv(stream, **options),
                         lambda table: {name: _column(name, table.column(f)) for f, name in picked.items()})
    if parts is None:
        return None
    columns = {name: _joined(name, parts.pop(name)) for name in picked.values()}
    n_rows = len(next(iter(columns.values())).values)
    # A header column with a blank name and no values is the trace of a trailing delimiter.
    for arrow_name, name in picked.items():
        if not names[int(arrow_name[1:])].strip() and columns[name].missing.all():
            del columns[name]
    notices: tuple = ()
    if tail.strip():
        line_no = _lines_before(path, body_start) + lf_count + 1
        skips = _ShiftedSkipLog(path, strict, 2, line_no)
        last = read_csv(path, Lines([header, tail.decode("utf-8", "replace").rstrip("\r\n")],
                                    complete=False, nul_padded=False), skips)
        columns = _append(columns, last)
        n_rows += last.n_rows
        notices = tuple(skips.notices)
    return Table(source=path, format="csv", n_rows=n_rows, columns=columns, skipped=notices)


def _read_bytes(path: str, start: int, stop: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(start)
        return fh.read(stop - start)


def _lines_before(path: str, offset: int) -> int:
    """Line breaks before ``offset`` (the header and comment lines above the body)."""
    return _read_bytes(path, 0, offset).count(b"\n")


# --- JSONL --------------------------------------------------------------------------------

def _leaf_paths(obj: dict, prefix: tuple = ()) -> Iterable[tuple]:
    """Key paths of the leaves of a record, flattened as ``json_reader.flatten_record`` does."""
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            yield from _leaf_paths(value, prefix + (key,))
        else:
            yield prefix + (key,)


def _schema_for(paths: list[tuple], absent: list[str]):
    """An explicit pyarrow schema: float64 leaves at ``paths``; ``absent`` keys must stay null.

    A null-typed field costs no memory, and any value in it fails the read (the file
    then takes the tolerant path), which is how keys that first appear after the probe
    are caught without reading them.
    """
    import pyarrow as pa

    tree: dict = {}
    for path in paths:
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
            if node is None:
                return None
        if path[-1] in node:
            return None
        node[path[-1]] = None

    def build(node: dict):
        return [pa.field(k, pa.float64() if v is None else pa.struct(build(v))) for k, v in node.items()]

    return pa.schema(build(tree) + [pa.field(k, pa.null()) for k in absent if k not in tree])


def _leaf(table, path: tuple):
    """The float64 leaf at ``path``; null where any object on the way is absent or null."""
    column = table.column(path[0])
    if len(path) == 1:
        return column
    import pyarrow.compute as pc

    return pc.struct_field(column, list(path[1:]))


def _read_jsonl(path, head, start, end, wanted, strict) -> Table | None:
    import pyarrow as pa
    import pyarrow.json as pajson

    probe = head[start:end]
    probe_lines = probe.splitlines()
    if not probe.endswith((b"\n", b"\r")):
        probe_lines = probe_lines[:-1]  # cut by HEAD_BYTES, or a partial last line
    seen: dict[str, tuple] = {}
    records = 0
    for line in probe_lines:
        if records >= PROBE_RECORDS:
            break
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict) or isinstance(record.get(WRAPPER_KEY), dict):
            return None  # verl-style {"data": {...}} records: unwrapping rules live in the tolerant reader
        records += 1
        for leaf in _leaf_paths(record):
            flat = ".".join(leaf)
            if seen.setdefault(flat, leaf) != leaf:
                return None
    if not records:
        return None
    picked = {flat: leaf for flat, leaf in seen.items() if wants(flat, wanted)}
    if not picked:
        return None
    # Names asked for but absent from the probe must stay absent (sparse keys that show up
    # later could change which column is picked), and "data" must never be an object
    # (verl-style wrapping): both are null-typed fields, so a value there fails the read.
    known = {s.lower() for s in seen} | {leaf[0].lower() for leaf in seen.values()}
    absent = sorted({name for name in wanted if "." not in name and name not in known}
                    | ({WRAPPER_KEY} - set(seen)))
    schema = _schema_for(list(picked.values()), absent)
    if schema is None:
        return None
    body_end = _last_newline(path, start, end)
    tail = _read_bytes(path, body_end, end)
    options = dict(read_options=pajson.ReadOptions(block_size=BLOCK_BYTES),
                   parse_options=pajson.ParseOptions(explicit_schema=schema,
                                                     unexpected_field_behavior="ignore"))
    parts = _read_pieces(path, start, body_end, lambda stream: pajson.read_json(stream, **options),
                         lambda table: {flat: _column(flat, _leaf(table, leaf))
                                        for flat, leaf in picked.items()})
    if parts is None:
        return None
    # First-seen order, as the tolerant reader builds its columns.
    columns = {flat: _joined(flat, parts.pop(flat)) for flat in picked}
    n_rows = len(next(iter(columns.values())).values)
    notices: tuple = ()
    if tail.strip():
        if b"\r" in tail:
            return None
        ok, lf_count, has_cr = _scan(path, 0, body_end, b"")
        if has_cr:
            return None
        skips = _ShiftedSkipLog(path, strict, 1, lf_count + 1)
        last = read_jsonl(path, Lines([tail.decode("utf-8", "replace")], complete=False,
                                      nul_padded=False), skips)
        if last.n_rows:
            if any(name not in columns and wants(name, wanted) for name in last.columns):
                return None  # the last line brings a new column: let the tolerant reader order it
            columns = _append(columns, Table(path, "jsonl", last.n_rows,
                                             {k: v for k, v in last.columns.items() if k in columns}))
            n_rows += last.n_rows
        notices = tuple(skips.notices)
    return Table(source=path, format="jsonl", n_rows=n_rows, columns=columns, skipped=notices)


__all__ = ["read_fast", "header_table", "wants", "FAST_MIN_BYTES", "NULL_SPELLINGS"]
