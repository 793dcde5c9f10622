"""Reading logs: a registry of input formats, content sniffing, ``read_tables`` and ``read_log``.

Nothing here imports matplotlib (a test proves it): reading must stay cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..data import Table
from ..errors import InputError
from . import adapters as ad
from .adapters import Head
from .lines import SkipLog
from .sources import Source, read_source

Reader = Callable[[Source, SkipLog], "tuple[Table, ...]"]


@dataclass(frozen=True)
class InputFormat:
    """One entry of the reader registry: how to recognise a format and how to read it."""

    name: str
    kind: str                                   # the generic content it builds on: csv, jsonl, json
    read: Reader
    help: str
    detect: Callable[[Head], bool] | None = None  # None: the generic fallback of its kind
    suffixes: tuple[str, ...] = ()
    plain: bool = False    # the generic reader of its kind under another name: the fast path fits


# Detection tries the entries in this order: specific adapters first, generic ones last.
FORMATS: dict[str, InputFormat] = {
    fmt.name: fmt
    for fmt in (
        InputFormat("trainer-state", "json", ad.read_trainer_state,
                    "Hugging Face Trainer / TRL trainer_state.json (log_history)",
                    ad.detect_trainer_state),
        InputFormat("jsonl-events", "jsonl", ad.read_jsonl_events,
                    "JSONL with an event/type key (config and summary records set aside)",
                    ad.detect_jsonl_events),
        InputFormat("monitor", "csv", ad.read_monitor,
                    "stable-baselines(3) monitor.csv (#{json} line, r,l,t; adds timesteps)",
                    ad.detect_monitor),
        InputFormat("tensorboard-long", "csv", ad.read_tensorboard_long,
                    "TensorBoard long export run,tag,step,value (each run a run)",
                    ad.detect_tensorboard_long),
        InputFormat("tensorboard", "csv", ad._csv_as("tensorboard"),
                    "TensorBoard scalar CSV download (Wall time,Step,Value)", ad.detect_tensorboard, plain=True),
        InputFormat("wandb-panel", "csv", ad.read_wandb_panel,
                    "W&B panel export ('<run> - <metric>' with __MIN/__MAX; each run a run)",
                    ad.detect_wandb_panel),
        InputFormat("wandb", "csv", ad._csv_as("wandb"), "W&B run history CSV (wide, _step)",
                    ad.detect_wandb, plain=True),
        InputFormat("sb3", "csv", ad._csv_as("sb3"),
                    "stable-baselines3 progress.csv (train and eval rows interleaved)", ad.detect_sb3, plain=True),
        InputFormat("spinningup", "csv", ad._csv_as("spinningup"),
                    "Spinning Up progress.txt (tab-separated, TotalEnvInteracts)",
                    ad.detect_spinningup, plain=True),
        InputFormat("baselines", "csv", ad._csv_as("baselines"),
                    "OpenAI baselines progress.csv", ad.detect_baselines, plain=True),
        InputFormat("csv", "csv", ad.read_generic_csv,
                    "delimited text with a header row (',', tab or ';')",
                    suffixes=(".csv", ".tsv", ".txt", ".log"), plain=True),
        InputFormat("jsonl", "jsonl", ad.read_generic_jsonl, "one JSON object per line",
                    suffixes=(".jsonl", ".ndjson"), plain=True),
        InputFormat("json", "json", ad.read_generic_json,
                    "a JSON list of records, or {column: [values]}", suffixes=(".json",)),
    )
}

LOG_SUFFIXES = tuple(s for fmt in FORMATS.values() for s in fmt.suffixes)


def detect_format(source: Source) -> str:
    """Name the format of a source from its content (the extension only breaks ties)."""
    head = Head(source, ad.kind_of(source))
    for fmt in FORMATS.values():
        if fmt.kind != head.kind:
            continue
        if fmt.detect is None or fmt.detect(head):
            return fmt.name
    return head.kind


def tables_from_source(source: Source, format: str | None = None,
                       strict: bool = False) -> tuple[Table, ...]:
    """Read an already opened source (see ``read_tables``)."""
    if not source.text.strip("\x00 \t\r\n\ufeff"):
        raise InputError("the log is empty", file=source.name,
                         hint="the run may not have written anything yet")
    name = format or detect_format(source)
    reader = FORMATS.get(name)
    if reader is None:
        raise InputError(f"unknown format '{name}'", file=source.name,
                         hint="choose one of: " + ", ".join(FORMATS))
    try:
        tables = reader.read(source, SkipLog(source.name, strict))
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        # A forced --format that does not fit the content: still one clear line.
        raise InputError(f"does not look like a '{name}' log ({type(exc).__name__}: {exc})",
                         file=source.name,
                         hint="drop --format to detect it from the content" if format else None
                         ) from None
    return tables


def read_tables(path: str, *, format: str | None = None, strict: bool = False,
                columns: Iterable[str] | None = None) -> tuple[Table, ...]:
    """Read one log file into one Table per run it holds (most formats hold one).

    ``format`` forces a registry entry instead of detecting it; malformed lines are
    skipped and listed in each ``Table.skipped`` (with ``strict`` the first raises).
    ``columns`` (names as ``find_column`` matches them) lets a big plain CSV/JSONL take
    the fast columnar path, which returns only those columns.
    """
    if columns is not None:
        from .fast import read_fast

        table = read_fast(path, format=format, columns=columns, strict=strict)
        if table is not None:
            return (table,)
    return tables_from_source(read_source(path), format, strict)


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
