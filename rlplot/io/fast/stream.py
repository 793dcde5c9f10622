"""Streaming a big CSV/JSONL log: the wanted columns, one piece of the file at a time.

``open_stream`` plans the read exactly as ``read_fast`` does (same header, probe, pyarrow
options and strictness), but instead of joining the pieces into one ``Table`` it hands them
out one by one, so a caller that reduces each piece (``rlplot.stream``) holds one piece of
the file at a time whatever its size. Concatenating every piece and the partial last line
gives ``read_fast``'s Table (tests/io/fast). A piece pyarrow refuses raises
``arrow.Refused``: the caller then reads the file the ordinary way, whose tolerant reader
reports every damaged line with its number.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from ...data import Table
from . import arrow, files
from .csv_columns import plan_csv
from .jsonl_columns import plan_jsonl

STREAM_SEGMENT_BYTES = 64 * 1024 * 1024   # bytes of the file parsed per piece
PLANS = {"csv": plan_csv, "jsonl": plan_jsonl}
Refused = arrow.Refused


@dataclass(frozen=True)
class StreamedLog:
    """A big log read piece by piece: ``pieces()`` then ``last_line()``."""

    path: str
    format: str
    plan: object                 # csv_columns.CsvPlan or jsonl_columns.JsonlPlan
    rows_hint: int               # line breaks in the body: the row count when no line is damaged
    segment_bytes: int = STREAM_SEGMENT_BYTES

    def pieces(self) -> Iterator[Table]:
        """Consecutive pieces of the body as Tables of the wanted columns (raises ``Refused``)."""
        plan = self.plan
        for columns in arrow.iter_pieces(self.path, plan.body_start, plan.body_end, plan.read,
                                         plan.convert, self.segment_bytes):
            n_rows = len(next(iter(columns.values())).values)
            yield Table(source=self.path, format=self.format, n_rows=n_rows, columns=columns)

    def last_line(self) -> tuple[Table | None, tuple]:
        """The partial last line (None if there is none) and its notices (raises ``Refused``)."""
        last = self.plan.last_line()
        if last is None:
            raise Refused("the last line needs the tolerant reader")
        return last


def open_stream(path: str, *, format: str | None, columns: Iterable[str], strict: bool = False,
                segment_bytes: int = STREAM_SEGMENT_BYTES) -> StreamedLog | None:
    """A ``StreamedLog`` of the ``columns`` of a big CSV/JSONL log, or None when it cannot stream."""
    from . import plain_log

    plain = plain_log(path, format)
    if plain is None:
        return None
    big, name, kind = plain
    plan_for = PLANS[kind]
    plan = plan_for(big, {c.lower() for c in columns}, strict)
    if plan is None:
        return None
    if kind == "csv":
        if any(plan.blank(f) for f in plan.picked):
            return None   # a blank-named column is kept or dropped by its values: read it whole
        rows = plan.lf_count
    else:
        rows = files.scan(path, plan.body_start, plan.body_end, b"")[1]
    rows += plan.body_end < big.end   # a partial last line
    return StreamedLog(path, name, plan, rows, segment_bytes)


__all__ = ["open_stream", "StreamedLog", "Refused", "STREAM_SEGMENT_BYTES"]
