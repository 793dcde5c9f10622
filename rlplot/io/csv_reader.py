"""Delimited text logs: CSV, TSV (Spinning Up ``progress.txt``), semicolon files, monitor files."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Collection

from ..columns import could_match
from ..data import Table
from ..errors import InputError
from .cells import column_from_cells, unique_names
from .lines import Lines, SkipLog

DELIMITERS = (",", "\t", ";")
_SNIFF_ROWS = 20
# A header longer than this is no log's header (a W&B export of 5,000 metrics is ~250 KB):
# refused with one line instead of building a table of it.
MAX_HEADER_CHARS = 1 << 20
# The csv module's own limit on one field (131,072 characters; process-wide, so left as is).
FIELD_LIMIT = csv.field_size_limit()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _field_count(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:   # a field over the limit with this delimiter: not the one
        return 0


def sniff_delimiter(header: str, sample: list[str]) -> str:
    """Pick the delimiter among ``,`` ``\\t`` ``;`` that splits the header widest and the rows alike."""
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        width = _field_count(header, delimiter)
        if width < 2:
            continue
        agree = sum(1 for row in sample if _field_count(row, delimiter) >= width)
        score = (agree, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass(frozen=True)
class RawCsv:
    """The header and raw string rows of a delimited file, with each row's line number."""

    names: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    delimiter: str


def parse_csv(source: str, lines: Lines, skips: SkipLog) -> RawCsv:
    """Split delimited text whose first non-comment line is the header into raw rows."""
    numbered = [(i + 1, text) for i, text in enumerate(lines.lines)
                if text.strip() and not _is_comment(text)]
    if not numbered:
        raise InputError("the log is empty", file=source,
                         hint="the run may not have written anything yet")
    (header_no, header), body = numbered[0], numbered[1:]
    names, delimiter = _header_names(source, header, header_no, body)
    width = len(names)
    last_no = len(lines.lines)

    rows: list[list[str]] = []
    row_lines: list[int] = []
    # One reader over the body keeps quoted fields that span lines intact; its
    # line_num maps each row back to the file's line number.
    body_numbers = [no for no, _ in body]
    reader = csv.reader((text for _, text in body), delimiter=delimiter, strict=False)
    consumed = 0
    try:
        for row in _rows(reader, skips, body_numbers, last_no):
            line_no = body_numbers[consumed] if consumed < len(body_numbers) else last_no
            consumed = reader.line_num
            if row is None:
                continue
            if "\x00" in "".join(row):
                skips.skip(line_no, "NUL bytes in the line")
                continue
            if len(row) == width:
                rows.append(row)
            elif len(row) > width and not any(cell.strip() for cell in row[width:]):
                rows.append(row[:width])  # trailing delimiters, as pandas and Excel write them
            elif line_no == last_no and not lines.complete and len(row) < width:
                skips.skip(line_no, f"partial last line ({len(row)} of {width} fields; "
                                    "the file may still be being written)")
                continue
            else:
                skips.skip(line_no, f"has {len(row)} fields, the header has {width}")
                continue
            row_lines.append(line_no)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV: {exc}", file=source,
                         line=body_numbers[min(consumed, len(body_numbers) - 1)]) from None
    return RawCsv(names=names, rows=rows, line_numbers=row_lines, delimiter=delimiter)


def _header_names(source: str, header: str, header_no: int, body: list[tuple[int, str]]
                  ) -> tuple[list[str], str]:
    """The header's column names and the delimiter; a header no log has is one clear error."""
    if len(header) > MAX_HEADER_CHARS:
        raise InputError(f"the header line is {len(header) / (1 << 20):.1f} MB long, more than a log's "
                         f"header ({MAX_HEADER_CHARS >> 20} MB at most)", file=source, line=header_no,
                         hint="not a log, or a table far wider than rlplot draws from")
    delimiter = sniff_delimiter(header, [text for _, text in body[:_SNIFF_ROWS]])
    try:
        return next(csv.reader([header], delimiter=delimiter)), delimiter
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"a column name in the header is over {FIELD_LIMIT:,} characters long",
                             file=source, line=header_no,
                             hint="not a log's header, or an unclosed quote in it") from None
        raise InputError(f"unreadable CSV header: {exc}", file=source, line=header_no) from None


def _rows(reader, skips: SkipLog, numbers: list[int], last_no: int):
    """The reader's rows; a row the csv module refuses (a field over its limit) is skipped
    with its line number and yields None, so that the reading goes on at the next line."""
    while True:
        start = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line_no = numbers[start] if start < len(numbers) else last_no
            what = (f"a field over {FIELD_LIMIT:,} characters" if "field larger" in str(exc)
                    else f"unreadable CSV ({exc})")
            skips.skip(line_no, what)
            yield None
            continue
        yield row


def table_from_raw(source: str, raw: RawCsv, skips: SkipLog, fmt: str = "csv",
                   wanted: Collection[str] | None = None) -> Table:
    """Turn raw rows into float columns (a blank, empty column from a trailing delimiter is left out).

    ``wanted`` (lower-case names with aliases): build only the columns that could match them."""
    unique = unique_names(raw.names)
    columns = {}
    for index, name in enumerate(unique):
        if wanted is not None and not could_match(name, wanted):
            continue
        cells = [row[index] for row in raw.rows]
        if not raw.names[index].strip() and not any(cell.strip() for cell in cells):
            continue  # the empty column a trailing delimiter in the header makes
        columns[name] = column_from_cells(name, cells)
    return Table(source=source, format=fmt, n_rows=len(raw.rows), columns=columns,
                 skipped=tuple(skips.notices), first_line=tuple(raw.line_numbers))


def read_csv(source: str, lines: Lines, skips: SkipLog) -> Table:
    """Read delimited text whose first non-comment line is the header."""
    return table_from_raw(source, parse_csv(source, lines, skips), skips)
