"""Delimited text logs: CSV, TSV (Spinning Up ``progress.txt``), semicolon files, monitor files."""
from __future__ import annotations

import csv
from dataclasses import dataclass

from ..data import Table
from ..errors import InputError
from .cells import column_from_cells, unique_names
from .lines import Lines, SkipLog

DELIMITERS = (",", "\t", ";")
_SNIFF_ROWS = 20


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _field_count(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))


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
    delimiter = sniff_delimiter(header, [text for _, text in body[:_SNIFF_ROWS]])
    try:
        names = next(csv.reader([header], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"unreadable CSV header: {exc}", file=source, line=header_no) from None
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
        for row in reader:
            line_no = body_numbers[consumed] if consumed < len(body_numbers) else last_no
            consumed = reader.line_num
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


def table_from_raw(source: str, raw: RawCsv, skips: SkipLog, fmt: str = "csv") -> Table:
    """Turn raw rows into float columns (a blank, empty column from a trailing delimiter is left out)."""
    unique = unique_names(raw.names)
    columns = {}
    for index, name in enumerate(unique):
        cells = [row[index] for row in raw.rows]
        if not raw.names[index].strip() and not any(cell.strip() for cell in cells):
            continue  # the empty column a trailing delimiter in the header makes
        columns[name] = column_from_cells(name, cells)
    return Table(source=source, format=fmt, n_rows=len(raw.rows), columns=columns,
                 skipped=tuple(skips.notices), first_line=tuple(raw.line_numbers))


def read_csv(source: str, lines: Lines, skips: SkipLog) -> Table:
    """Read delimited text whose first non-comment line is the header."""
    return table_from_raw(source, parse_csv(source, lines, skips), skips)
