"""JSON Lines logs and ``.json`` files holding a list of records."""
from __future__ import annotations

import json
from array import array
from typing import Any, Collection, Iterator, Mapping

from ..columns import could_match
from ..data import Notice, Table
from ..errors import InputError
from .cells import column_from_sparse
from .lines import Lines, SkipLog

# Trainers that wrap metrics as {"step": 3, "data": {...}} (verl and others).
WRAPPER_KEY = "data"
# A table of records with every column (``rlplot inspect``) holds at most this many cells
# (rows × columns, ~10 bytes each), or SPARSITY times the cells the records hold if that is
# more: records that each add new keys would otherwise grow it quadratically.
MAX_CELLS = 10_000_000
SPARSITY = 8
NAMES_LISTED = 5


def flatten_record(record: dict) -> dict:
    """Flatten nested objects to dotted keys and unwrap a top-level ``data`` object.

    ``{"step": 3, "data": {"acc": 0.5}, "m": {"kl": 1}}`` -> ``{"step": 3, "acc": 0.5, "m.kl": 1}``.
    Keys already at the top level win over unwrapped ones.
    """
    flat: dict = {}
    wrapped = record.get(WRAPPER_KEY)
    if isinstance(wrapped, dict):
        _flatten_into(flat, wrapped, "")
        record = {k: v for k, v in record.items() if k != WRAPPER_KEY}
    top: dict = {}
    _flatten_into(top, record, "")
    flat.update(top)
    return flat


def _flatten_into(out: dict, obj: dict, prefix: str) -> None:
    out.update(dotted_items(obj, prefix))


def dotted_items(tree: Mapping, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """The leaves of nested mappings under dotted names (an empty mapping is a leaf):
    ``{"m": {"kl": 1}}`` -> ``("m.kl", 1)``."""
    # An explicit stack, not recursion: a hostile log or config may nest thousands deep.
    stack = [(prefix, iter(tree.items()))]
    while stack:
        base, items = stack[-1]
        for key, value in items:
            name = f"{base}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((f"{name}.", iter(value.items())))
                break
            yield name, value
        else:
            stack.pop()


def table_from_records(source: str, fmt: str, records: list[dict], skipped=(), line_numbers=None,
                       wanted: Collection[str] | None = None) -> Table:
    """Build a Table from flat records; a key a record lacks is a missing cell.

    Linear in the cells present, however many keys the records bring. ``wanted`` (lower-case
    names with aliases, see ``sources.Source.wanted``) keeps only the columns that could match
    them. Without it, a table far sparser than its records (records that each add new keys)
    keeps its fullest columns and names the rest in ``Table.notes`` (see ``_fullest``).
    """
    rows: dict[str, array] = {}
    cells: dict[str, list] = {}
    kept: dict[str, bool] = {}
    for row, record in enumerate(records):
        for key, value in record.items():
            keep = kept.get(key)
            if keep is None:
                keep = kept[key] = wanted is None or could_match(key, wanted)
                if keep:
                    rows[key], cells[key] = array("q"), []
            if keep:
                rows[key].append(row)
                cells[key].append(value)
    n_rows = len(records)
    names, notes = list(rows), ()
    if wanted is None:
        counts = {k: len(v) for k, v in rows.items()}
        names, notes = _fullest(source, names, counts, n_rows)
    columns = {}
    for name in names:
        columns[name] = column_from_sparse(name, n_rows, rows.pop(name), cells.pop(name))
    return Table(source=source, format=fmt, n_rows=n_rows, columns=columns,
                 skipped=tuple(skipped),
                 first_line=tuple(line_numbers) if line_numbers is not None else None,
                 notes=notes)


def _fullest(source: str, names: list[str], counts: dict[str, int], n_rows: int
             ) -> tuple[list[str], tuple[Notice, ...]]:
    """The columns kept (in their order) and a note on the rest: all of them unless the dense
    table would hold more than ``MAX_CELLS`` cells and ``SPARSITY`` times the cells present;
    then the fullest ones that fit. Memory stays linear in the input either way."""
    allowed = max(MAX_CELLS, SPARSITY * sum(counts.values()))
    if n_rows * len(names) <= allowed:
        return names, ()
    most = max(1, allowed // max(n_rows, 1))
    fullest = sorted(range(len(names)), key=lambda i: (-counts[names[i]], i))[:most]
    keep = [names[i] for i in sorted(fullest)]
    taken = set(keep)
    aside = [name for name in names if name not in taken]
    listed = ", ".join(f"'{name}'" for name in aside[:NAMES_LISTED])
    note = Notice(f"kept the {len(keep):,} fullest of {len(names):,} columns ({n_rows:,} rows hold "
                  f"at most {allowed:,} cells); set aside {len(aside):,} sparser ones: {listed}"
                  + (", …" if len(aside) > NAMES_LISTED else "")
                  + " (to read one, name it with --x or --y)", file=source)
    return keep, (note,)


def parse_jsonl(source: str, lines: Lines, skips: SkipLog) -> tuple[list[dict], list[int]]:
    """Parse one JSON object per line (not flattened); bad or partial lines are skipped with their number."""
    records, numbers = [], []
    last_no = len(lines.lines)
    for index, text in enumerate(lines.lines):
        line_no = index + 1
        if "\x00" in text:
            text = text.replace("\x00", "")
            if not text.strip():
                skips.skip(line_no, "NUL bytes instead of a record")
                continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except (ValueError, RecursionError) as exc:
            if line_no == last_no and not lines.complete:
                skips.skip(line_no, "partial last line (the file may still be being written)")
            else:
                skips.skip(line_no, f"malformed JSON ({_short(exc)})")
            continue
        if not isinstance(record, dict):
            skips.skip(line_no, f"a JSON {type(record).__name__}, not an object")
            continue
        records.append(record)
        numbers.append(line_no)
    if not records and not skips.notices:
        raise InputError("the log is empty", file=source,
                         hint="the run may not have written anything yet")
    return records, numbers


def read_jsonl(source: str, lines: Lines, skips: SkipLog,
               wanted: Collection[str] | None = None) -> Table:
    """Read one JSON object per line; bad or partial lines are skipped with their line number.

    ``wanted``: keep only the columns that could match these names (see ``table_from_records``)."""
    records, numbers = parse_jsonl(source, lines, skips)
    return table_from_records(source, "jsonl", [flatten_record(r) for r in records],
                              skips.notices, numbers, wanted)


def parse_json_document(text: str):
    """Parse a whole JSON document, or return None if the text is not one."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def read_json(source: str, document, skips: SkipLog, wanted: Collection[str] | None = None) -> Table:
    """Read a parsed JSON document: a list of records, or a ``{name: [values...]}`` mapping of columns.

    ``wanted``: keep only the columns that could match these names (see ``table_from_records``)."""
    if isinstance(document, dict):
        if document and all(isinstance(v, list) for v in document.values()):
            lengths = {len(v) for v in document.values()}
            if len(lengths) != 1:
                raise InputError("the column lists have different lengths", file=source,
                                 hint="a {name: [values]} file needs equal-length lists")
            n = lengths.pop()
            document = [{k: v[i] for k, v in document.items()} for i in range(n)]
        else:
            raise InputError("a JSON object, not a list of records", file=source,
                             hint="expected [{...}, {...}] or one record per line (JSONL)")
    if not isinstance(document, list):
        raise InputError(f"a JSON {type(document).__name__}, not a list of records", file=source)
    records = []
    for index, record in enumerate(document):
        if not isinstance(record, dict):
            skips.skip(None, f"record {index} is a JSON {type(record).__name__}, not an object")
            continue
        records.append(flatten_record(record))
    if not records:
        raise InputError("the log holds no records", file=source)
    return table_from_records(source, "json", records, skips.notices, wanted=wanted)


def _short(exc: Exception) -> str:
    text = str(exc)
    return text.split(":")[0] if ":" in text else text
