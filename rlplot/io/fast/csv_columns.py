"""The fast path's CSV reader: the wanted columns of a big delimited log, via pyarrow."""
from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass

from ...columns import could_match
from ...data import Column, Table
from ..cells import MISSING_WORDS, unique_names
from ..csv_reader import read_csv, sniff_delimiter
from ..lines import Lines
from . import arrow, files
from .files import BigFile

_SNIFF_ROWS = 20
_HEADER_BYTES = 64 * 1024


def _case_variants(word: str) -> list[str]:
    return ["".join(chars) for chars in itertools.product(*({c.lower(), c.upper()} for c in word))]


# The tolerant reader compares stripped, lower-cased cells with MISSING_WORDS; pyarrow
# compares exact strings, so list every spelling (padded ones fail and fall back).
NULL_SPELLINGS = sorted({v for word in MISSING_WORDS for v in _case_variants(word)})


def _header(big: BigFile) -> tuple[str, list[str], int] | None:
    """The header line, the first rows (to sniff the delimiter) and where the body starts."""
    # The first 64 KB hold the header and its sample rows in all but odd logs: only they are
    # split into lines (the whole 1 MB head costs more than parsing a small log).
    first = _header_in(big, min(big.end, big.start + _HEADER_BYTES))
    if first is not None and len(first[1]) == _SNIFF_ROWS:
        return first
    return _header_in(big, big.end)


def _header_in(big: BigFile, end: int) -> tuple[str, list[str], int] | None:
    lines = big.head[big.start:end].splitlines(keepends=True)  # CRLF, CR or LF, as split_lines does
    if end > len(big.head) or end < big.end:
        lines = lines[:-1]  # cut by HEAD_BYTES (or here), maybe mid-line
    offset, header, sample, body_start = big.start, None, [], None
    for raw in lines:
        stripped = raw.strip()
        if header is None:
            if stripped and not stripped.startswith(b"#"):
                header = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                body_start = offset + len(raw)
        elif stripped:
            sample.append(raw.rstrip(b"\r\n").decode("utf-8", errors="replace"))
            if len(sample) == _SNIFF_ROWS:
                break
        offset += len(raw)
    if header is None or "\ufffd" in header or header.count('"') % 2 or not sample:
        return None
    return header, sample, body_start


def _options(n_fields: int, picked: dict[str, str], delimiter: str) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return dict(
        read_options=pacsv.ReadOptions(column_names=[f"f{i}" for i in range(n_fields)],
                                       block_size=arrow.BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(picked), column_types={c: pa.float64() for c in picked},
            null_values=NULL_SPELLINGS, strings_can_be_null=True, quoted_strings_can_be_null=True))


@dataclass(frozen=True)
class CsvPlan:
    """How to read the wanted columns of a big CSV: pyarrow for [body_start, body_end), the
    tolerant reader for a partial last line (``tail``)."""

    big: BigFile
    names: list[str]                 # every header name
    picked: dict[str, str]           # arrow name (f<i>) -> column name
    options: dict
    body_start: int
    body_end: int
    lf_count: int                    # line breaks in the body: rows, when no line is damaged
    tail: bytes
    header: str
    strict: bool

    def read(self, stream):
        """One piece of the body as an arrow table."""
        import pyarrow.csv as pacsv

        return pacsv.read_csv(stream, **self.options)

    def convert(self, table) -> dict[str, Column]:
        """The picked columns of one piece, by name."""
        return {name: arrow.column(name, table.column(f)) for f, name in self.picked.items()}

    def blank(self, arrow_name: str) -> bool:
        """Whether a picked column has a blank header name (a trailing delimiter's trace)."""
        return not self.names[int(arrow_name[1:])].strip()

    def last_line(self) -> tuple[Table | None, tuple]:
        """The tolerant read of a partial last line (None if there is none) and its notices."""
        if not self.tail.strip():
            return None, ()
        path = self.big.path
        line_no = files.lines_before(path, self.body_start) + self.lf_count + 1
        skips = arrow.ShiftedSkipLog(path, self.strict, 2, line_no)
        last = read_csv(path, Lines([self.header, self.tail.decode("utf-8", "replace").rstrip("\r\n")],
                                    complete=False, nul_padded=False), skips)
        return last, tuple(skips.notices)


def plan_csv(big: BigFile, wanted: set[str], strict: bool) -> CsvPlan | None:
    """The plan to read the columns of a big CSV that could match ``wanted``, or None."""
    found = _header(big)
    if found is None:
        return None
    header, sample, body_start = found
    delimiter = sniff_delimiter(header, sample)
    names = next(csv.reader([header], delimiter=delimiter))
    picked = {f"f{i}": name for i, name in enumerate(unique_names(names)) if could_match(name, wanted)}
    if not picked:
        return None  # nothing asked for is here: the tolerant read gives the full error hint
    path, end = big.path, big.end
    body_end = files.last_newline(path, body_start, end)
    # Comment lines and NUL bytes inside the body are skipped line by line by the tolerant
    # reader; a single-byte scan finds them at memchr speed.
    clean, lf_count, has_cr = files.scan(path, body_start, end, b"\x00#")
    if not clean:
        return None
    tail = files.read_bytes(path, body_end, end)
    if tail.strip() and has_cr:
        return None  # line numbers of a partial line need LF-only line breaks
    return CsvPlan(big, names, picked, _options(len(names), picked, delimiter), body_start,
                   body_end, lf_count, tail, header, strict)


def read_csv_columns(big: BigFile, wanted: set[str], strict: bool) -> Table | None:
    """The columns of a big CSV that could match the ``wanted`` (lower-case) names, or None."""
    plan = plan_csv(big, wanted, strict)
    if plan is None:
        return None
    path = big.path
    parts = arrow.read_pieces(path, plan.body_start, plan.body_end, plan.read, plan.convert)
    if parts is None:
        return None
    columns = {name: arrow.joined(name, parts.pop(name)) for name in plan.picked.values()}
    n_rows = len(next(iter(columns.values())).values)
    # A header column with a blank name and no values is the trace of a trailing delimiter.
    for arrow_name, name in plan.picked.items():
        if plan.blank(arrow_name) and columns[name].missing.all():
            del columns[name]
    last, notices = plan.last_line()
    if last is not None:
        columns = arrow.appended(columns, last)
        n_rows += last.n_rows
    return Table(source=path, format="csv", n_rows=n_rows, columns=columns, skipped=notices)
