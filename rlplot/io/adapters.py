"""Format adapters: what real trainers write, on top of the generic CSV / JSONL / JSON readers.

Each adapter has a ``detect(head)`` that looks only at the start of the file (an
``io.head.Head``) and a ``read(source, skips)`` that returns one Table per run. The io
registry (``rlplot.io.registry.FORMATS``) names them; detection tries the specific ones
before the generic ones.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..columns import BAND_SUFFIXES
from ..data import Column, Notice, Table
from ..errors import InputError
from .csv_reader import RawCsv, parse_csv, table_from_raw
from .head import Head
from .json_reader import (flatten_record, parse_json_document, parse_jsonl, read_json,
                          read_jsonl, table_from_records)
from .lines import SkipLog, split_lines
from .sources import Source


def _raw(source: Source, skips: SkipLog) -> RawCsv:
    return parse_csv(source.name, split_lines(source.text), skips)


def _csv_as(fmt: str):
    """A reader that is the generic CSV reader under another format name (its columns are
    final, so only those the caller wants are built)."""
    def read(source: Source, skips: SkipLog) -> tuple[Table, ...]:
        return (table_from_raw(source.name, _raw(source, skips), skips, fmt, source.wanted),)
    read.__doc__ = f"The generic CSV reader, naming the format '{fmt}'."
    return read


# Progress files and downloads that are plain CSV: only their detection is their own.
read_tensorboard = _csv_as("tensorboard")
read_wandb = _csv_as("wandb")
read_sb3 = _csv_as("sb3")
read_spinningup = _csv_as("spinningup")
read_baselines = _csv_as("baselines")
read_generic_csv = _csv_as("csv")


# ---------------------------------------------------------------- stable-baselines monitor.csv

def detect_monitor(head: Head) -> bool:
    """``#{json}`` first line and an ``r,l,t`` header."""
    return bool(head.comments) and head.comments[0].startswith("#{") and head.fields[:3] == ["r", "l", "t"]


def read_monitor(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """Episodes (reward r, length l, wall time t); adds ``timesteps`` (cumulative l) and ``episode``."""
    table = table_from_raw(source.name, _raw(source, skips), skips, "monitor")
    columns = dict(table.columns)
    length = columns.get("l")
    if length is not None:
        valid = np.isfinite(length.values) & ~length.missing & ~length.nonnumeric
        with np.errstate(over="ignore"):  # absurd lengths sum to inf, which cleaning drops
            steps = np.cumsum(np.where(valid, length.values, 0.0))
        columns["timesteps"] = Column("timesteps", np.where(valid, steps, np.nan),
                                      missing=~valid, nonnumeric=np.zeros(table.n_rows, bool))
    columns["episode"] = Column("episode", np.arange(1, table.n_rows + 1, dtype=np.float64),
                                missing=np.zeros(table.n_rows, bool),
                                nonnumeric=np.zeros(table.n_rows, bool))
    notes = (Notice("added 'timesteps' (cumulative episode length l) and 'episode'",
                    file=source.name),)
    return (replace(table, columns=columns, notes=notes),)


# ---------------------------------------------------------------- progress files

def detect_spinningup(head: Head) -> bool:
    """Spinning Up ``progress.txt``: tab-separated, ``Epoch`` and ``TotalEnvInteracts``."""
    return head.delimiter == "\t" and "TotalEnvInteracts" in head.fields


def detect_sb3(head: Head) -> bool:
    """SB3 CSVOutputFormat: slash-namespaced keys with ``time/total_timesteps``."""
    return "time/total_timesteps" in head.fields


def detect_baselines(head: Head) -> bool:
    """OpenAI baselines ``progress.csv`` (deepq, ppo2, ...)."""
    names = set(head.fields)
    return bool({"% time spent exploring", "mean 100 episode reward"} & names) or \
        bool({"TimestepsSoFar", "total_timesteps", "misc/total_timesteps"} & names)


# ---------------------------------------------------------------- TensorBoard

def detect_tensorboard(head: Head) -> bool:
    """The scalar CSV the TensorBoard UI downloads: ``Wall time,Step,Value``."""
    return [f.lower() for f in head.fields] == ["wall time", "step", "value"]


def detect_tensorboard_long(head: Head) -> bool:
    """A long export (``run,tag,step,value``, e.g. from ``ExperimentFromDev.get_scalars()``)."""
    return {"run", "tag", "step", "value"} <= {f.lower() for f in head.fields}


def read_tensorboard_long(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """One Table per run, one column per tag, one row per step (a step logged again starts a new row)."""
    raw = _raw(source, skips)
    index = {name.strip().lower(): i for i, name in reversed(list(enumerate(raw.names)))}
    i_run, i_tag, i_step, i_value = (index[k] for k in ("run", "tag", "step", "value"))
    i_wall = index.get("wall_time", index.get("wall time"))
    runs: dict[str, tuple[list[dict], list[int], dict[str, int]]] = {}
    for row, line in zip(raw.rows, raw.line_numbers):
        run = row[i_run].strip()
        tag = row[i_tag].strip() or "value"
        step = row[i_step].strip()
        records, lines, current = runs.setdefault(run, ([], [], {}))
        at = current.get(step)
        if at is None or tag in records[at]:
            # A (step, tag) seen again is a restart or a duplicate: keep it as its own row so
            # that cleaning applies the restart policy instead of this reader hiding it.
            at = current[step] = len(records)
            records.append({"step": step})
            lines.append(line)
            if i_wall is not None:
                records[at]["wall_time"] = row[i_wall]
        records[at][tag] = row[i_value]
    if not runs:
        raise InputError("the export holds no rows", file=source.name)
    return tuple(replace(table_from_records(source.name, "tensorboard-long", records, skips.notices,
                                            lines, source.wanted), run=run or "run")
                 for run, (records, lines, _) in runs.items())


# ---------------------------------------------------------------- Weights & Biases

_PANEL_SEP = " - "


def detect_wandb_panel(head: Head) -> bool:
    """A W&B UI panel export: ``"<run> - <metric>"`` columns, usually with ``__MIN``/``__MAX``."""
    runs = [f for f in head.fields if _PANEL_SEP in f]
    return bool(runs) and (any(f.endswith(BAND_SUFFIXES) for f in runs)
                           or len(runs) == len(head.fields) - 1)


def read_wandb_panel(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """One Table per run; its columns are the shared ones (``Step``) and its metrics with their MIN/MAX."""
    table = table_from_raw(source.name, _raw(source, skips), skips, "wandb-panel")
    shared = {n: c for n, c in table.columns.items() if _PANEL_SEP not in n}
    runs: dict[str, dict[str, Column]] = {}
    for name, column in table.columns.items():
        if _PANEL_SEP in name:
            run, metric = name.rsplit(_PANEL_SEP, 1)
            runs.setdefault(run.strip(), {})[metric.strip()] = replace(column, name=metric.strip())
    tables = []
    for run, own in runs.items():
        present = np.zeros(table.n_rows, dtype=bool)
        for column in own.values():
            present |= ~column.missing
        columns = {n: _take(c, present) for n, c in {**shared, **own}.items()}
        lines = (tuple(np.asarray(table.first_line)[present].tolist())
                 if table.first_line is not None else None)
        low, high = BAND_SUFFIXES
        bands = sorted(m[:-len(low)] for m in own if m.endswith(low) and m[:-len(low)] + high in own)
        notes = (Notice("min/max band columns: " + ", ".join(f"{b}{low}/{high}" for b in bands),
                        file=source.name),) if bands else ()
        tables.append(replace(table, n_rows=int(present.sum()), columns=columns, run=run,
                              first_line=lines, notes=notes))
    return tuple(tables) or (table,)


def detect_wandb(head: Head) -> bool:
    """A W&B run-history CSV: wide, with ``_step`` (and usually ``_runtime``, ``_timestamp``)."""
    return "_step" in head.fields


def _take(column: Column, mask: np.ndarray) -> Column:
    return Column(column.name, column.values[mask], column.missing[mask], column.nonnumeric[mask])


# ---------------------------------------------------------------- HF Trainer / TRL

def detect_trainer_state(head: Head) -> bool:
    """``trainer_state.json``: a JSON object with a ``log_history`` list."""
    return head.text.lstrip("\ufeff \t\r\n").startswith("{") and '"log_history"' in head.source.text


def read_trainer_state(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """The ``log_history`` entries (train and eval mixed; each has ``step`` and ``epoch``)."""
    document = parse_json_document(source.text)
    if document is None:
        raise InputError("not a complete JSON document", file=source.name,
                         hint="trainer_state.json is rewritten at each save; it may be cut off")
    history = document.get("log_history") if isinstance(document, dict) else None
    if not isinstance(history, list):
        raise InputError("no 'log_history' list", file=source.name,
                         hint="expected a Hugging Face trainer_state.json")
    table = read_json(source.name, history, skips, source.wanted)
    return (replace(table, format="trainer-state"),)


# ---------------------------------------------------------------- JSONL with record types

TYPE_KEYS = ("type", "event", "kind", "record_type")
# Record types that describe the run rather than measure it; set aside, never points.
META_TYPES = frozenset({"config", "configuration", "hparams", "hyperparameters", "args", "arguments",
                        "meta", "metadata", "header", "setup", "init", "start", "summary", "final",
                        "end", "done", "params", "env", "environment"})
# Keys that several streams share as their x instead of being separate metrics.
_SHARED_KEYS = frozenset({"step", "global_step", "_step", "iteration", "iter", "epoch", "time",
                          "timestamp", "wall_time", "_timestamp", "_runtime", "elapsed",
                          "total_timesteps", "timesteps", "flops", "rl_flops", "total_flops",
                          "tokens", "samples", "episode", "frames", "env_steps"})


def _record_type(record: dict) -> str | None:
    for key in TYPE_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def detect_jsonl_events(head: Head) -> bool:
    """JSONL whose records carry an ``event``/``type`` key naming their kind."""
    return any(_record_type(r) is not None for r in head.records)


def read_jsonl_events(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """Step records of every type become rows; config/summary records are set aside.

    When two streams (``train``, ``eval``) log the same metric name, it becomes
    ``train/<name>`` and ``eval/<name>``; x-like keys (``step`` ...) stay shared.
    """
    records, numbers = parse_jsonl(source.name, split_lines(source.text), skips)
    kept, lines, aside = [], [], {}
    for record, line in zip(records, numbers):
        kind = _record_type(record)
        if kind is not None and kind.lower() in META_TYPES:
            aside[kind] = aside.get(kind, 0) + 1
            continue
        kept.append((kind, flatten_record(record)))
        lines.append(line)
    owners: dict[str, set] = {}
    for kind, flat in kept:
        for key in flat:
            owners.setdefault(key, set()).add(kind)
    type_keys = {k for k in owners if k in TYPE_KEYS}
    clash = {k for k, kinds in owners.items()
             if len(kinds) > 1 and k.lower() not in _SHARED_KEYS and k not in type_keys}
    rows = [{(f"{kind}/{k}" if k in clash and kind else k): v for k, v in flat.items()}
            for kind, flat in kept]
    table = table_from_records(source.name, "jsonl-events", rows, skips.notices, lines,
                               source.wanted)
    notes = list(table.notes)
    if aside:
        notes.append(Notice("set aside " + ", ".join(f"{n} '{k}' record{'s' * (n > 1)}"
                                                     for k, n in aside.items()) + " (not points)",
                            file=source.name))
    if clash:
        notes.append(Notice("metrics logged by several record types were split by type: "
                            + ", ".join(sorted(clash)[:6]), file=source.name))
    return (replace(table, notes=tuple(notes)),)


# ---------------------------------------------------------------- generic readers

def read_generic_jsonl(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """One JSON object per line."""
    return (read_jsonl(source.name, split_lines(source.text), skips, source.wanted),)


def read_generic_json(source: Source, skips: SkipLog) -> tuple[Table, ...]:
    """A JSON list of records or ``{column: [values]}``; a ``.json`` that is really JSONL too."""
    document = parse_json_document(source.text)
    if document is None:
        # Many ".json" logs are really JSON Lines; a cut-off list is handled there too.
        return read_generic_jsonl(source, skips)
    return (read_json(source.name, document, skips, source.wanted),)
