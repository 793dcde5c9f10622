"""The fast path's JSONL reader: the wanted (possibly nested) keys of a big JSON Lines log, via pyarrow."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from ...columns import could_match
from ...data import Column, Table
from ..json_reader import WRAPPER_KEY, read_jsonl
from ..lines import Lines
from . import arrow, files
from .files import BigFile

PROBE_RECORDS = 1000             # JSONL records whose keys name the columns


def _leaf_paths(obj: dict, prefix: tuple = ()) -> Iterable[tuple]:
    """Key paths of the leaves of a record, flattened as ``json_reader.flatten_record`` does."""
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            yield from _leaf_paths(value, prefix + (key,))
        else:
            yield prefix + (key,)


def _probe(big: BigFile) -> dict[str, tuple] | None:
    """The leaf key paths of the first records, by flattened name (None: not plain JSONL)."""
    probe = big.head[big.start:big.end]
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
            if seen.setdefault(".".join(leaf), leaf) != leaf:
                return None
    return seen if records else None


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


@dataclass(frozen=True)
class JsonlPlan:
    """How to read the wanted keys of a big JSONL log: pyarrow for [start, body_end), the
    tolerant reader for a partial last line."""

    big: BigFile
    picked: dict[str, tuple]         # flattened name -> key path
    options: dict
    body_end: int
    wanted: set[str]
    strict: bool

    @property
    def body_start(self) -> int:
        """Where the records start (after a BOM)."""
        return self.big.start

    def read(self, stream):
        """One piece of the records as an arrow table."""
        import pyarrow.json as pajson

        return pajson.read_json(stream, **self.options)

    def convert(self, table) -> dict[str, Column]:
        """The picked leaves of one piece, by flattened name."""
        return {flat: arrow.column(flat, _leaf(table, leaf)) for flat, leaf in self.picked.items()}

    def last_line(self) -> tuple[Table | None, tuple] | None:
        """The tolerant read of a partial last line (its Table, None if there is none) and its
        notices; None: the tolerant reader must read the whole file."""
        big = self.big
        tail = files.read_bytes(big.path, self.body_end, big.end)
        if not tail.strip():
            return None, ()
        if b"\r" in tail:
            return None
        _, lf_count, has_cr = files.scan(big.path, 0, self.body_end, b"")
        if has_cr:
            return None
        skips = arrow.ShiftedSkipLog(big.path, self.strict, 1, lf_count + 1)
        last = read_jsonl(big.path, Lines([tail.decode("utf-8", "replace")], complete=False,
                                          nul_padded=False), skips)
        if any(name not in self.picked and could_match(name, self.wanted) for name in last.columns):
            return None  # the last line brings a new column: let the tolerant reader order it
        kept = {k: v for k, v in last.columns.items() if k in self.picked}
        return (Table(big.path, "jsonl", last.n_rows, kept) if last.n_rows else None), tuple(skips.notices)


def plan_jsonl(big: BigFile, wanted: set[str], strict: bool) -> JsonlPlan | None:
    """The plan to read the keys of a big JSONL log that could match ``wanted``, or None."""
    import pyarrow.json as pajson

    seen = _probe(big)
    picked = {flat: leaf for flat, leaf in (seen or {}).items() if could_match(flat, wanted)}
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
    body_end = files.last_newline(big.path, big.start, big.end)
    options = dict(read_options=pajson.ReadOptions(block_size=arrow.BLOCK_BYTES),
                   parse_options=pajson.ParseOptions(explicit_schema=schema,
                                                     unexpected_field_behavior="ignore"))
    return JsonlPlan(big, picked, options, body_end, wanted, strict)


def read_jsonl_columns(big: BigFile, wanted: set[str], strict: bool) -> Table | None:
    """The keys of a big JSONL log that could match the ``wanted`` (lower-case) names, or None."""
    plan = plan_jsonl(big, wanted, strict)
    if plan is None:
        return None
    parts = arrow.read_pieces(big.path, big.start, plan.body_end, plan.read, plan.convert)
    if parts is None:
        return None
    # First-seen order, as the tolerant reader builds its columns.
    columns = {flat: arrow.joined(flat, parts.pop(flat)) for flat in plan.picked}
    n_rows = len(next(iter(columns.values())).values)
    last = plan.last_line()
    if last is None:
        return None
    table, notices = last
    if table is not None:
        columns = arrow.appended(columns, table)
        n_rows += table.n_rows
    return Table(source=big.path, format="jsonl", n_rows=n_rows, columns=columns, skipped=notices)
