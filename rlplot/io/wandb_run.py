"""Weights & Biases run folders: ``wandb/run-*`` and ``wandb/offline-run-*``, legacy and current.

A legacy run folder (wandb < 0.10) holds ``wandb-history.jsonl`` (one wide record per
``log`` call), ``config.yaml`` and ``wandb-metadata.json``; it reads with the JSONL
machinery. A current one holds ``run-<id>.wandb``, a binary transaction log: LevelDB
framing (``leveldb_log``) around protobuf ``Record`` messages. Current ``wandb`` releases
ship those message classes (``wandb.proto.wandb_internal_pb2``) but no reader, so the
framing is read here and the messages decoded with the installed ``wandb`` package, which
is imported only when a ``.wandb`` file is read (``pip install 'rlplot[wandb]'``).

Every run reads into one Table: a row per ``log`` call, ``_step`` the default x,
``_runtime`` and ``_timestamp`` kept for time axes. Media and histograms (objects with a
``_type``) are not scalars: they are set aside with a note.
"""
from __future__ import annotations

import glob
import os
import re
from dataclasses import replace
from typing import Iterable, Mapping

from ..data import Notice, Table
from ..errors import InputError
from ..columns import could_match
from .config_values import (RunListing, TrackerRun, flatten_config, load_json, load_yaml,
                            unwrap_wandb_config)
from .json_reader import flatten_record, parse_jsonl, table_from_records
from .lines import SkipLog, split_lines
from .sources import read_source
from .wandb_log import WandbLog, read_wandb_log

LEGACY_FORMAT = "wandb-jsonl"     # a legacy run's wandb-history.jsonl
BINARY_FORMAT = "wandb-binary"    # a current run's run-<id>.wandb (not the "wandb" history CSV)
RUN_FOLDER = re.compile(r"(?:offline-)?run-\d{8}_\d{6}-(?P<id>[A-Za-z0-9]+)")
HISTORY = "wandb-history.jsonl"
TIME_KEYS = ("_step", "_runtime", "_timestamp")   # always read: the x axes
MEDIA_MARK = "_type"                               # W&B's mark of a media object or histogram
MEDIA_DEPTH = 32                                   # media sit near the top; no deeper search


def _first(folder: str, *names: str) -> str | None:
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def _logs_in(folder: str) -> list[str]:
    return sorted(glob.glob(os.path.join(glob.escape(folder), "*.wandb")))


def is_run_folder(folder: str) -> bool:
    """Whether a folder is one W&B run's (its name, or a history or .wandb file in it)."""
    return bool(RUN_FOLDER.fullmatch(os.path.basename(os.path.normpath(folder)))
                or _logs_in(folder) or _first(folder, HISTORY, os.path.join("files", HISTORY)))


def _run_folders(path: str) -> list[str]:
    if os.path.isfile(path) and path.endswith(".wandb"):
        return [os.path.dirname(path) or "."]
    if not os.path.isdir(path):
        raise InputError("no such folder", file=path, hint="give a wandb/ folder or one run-* folder")
    if is_run_folder(path):
        return [path]
    root = os.path.join(path, "wandb") if os.path.isdir(os.path.join(path, "wandb")) else path
    # latest-run is a symlink to one of the others: skip links so no run is listed twice
    return [os.path.join(root, name) for name in sorted(os.listdir(root))
            if RUN_FOLDER.fullmatch(name) and not os.path.islink(os.path.join(root, name))
            and os.path.isdir(os.path.join(root, name))]


def _legacy_run(folder: str, history: str, notices: list[Notice]) -> TrackerRun:
    match = RUN_FOLDER.fullmatch(os.path.basename(os.path.normpath(folder)))
    run_id = match.group("id") if match else os.path.basename(os.path.normpath(folder))
    meta: Mapping = {}
    meta_path = _first(folder, "wandb-metadata.json", os.path.join("files", "wandb-metadata.json"))
    config: dict = {}
    try:
        if meta_path:
            loaded = load_json(meta_path)
            meta = loaded if isinstance(loaded, Mapping) else {}
        config_path = _first(folder, "config.yaml", os.path.join("files", "config.yaml"))
        if config_path:
            loaded = load_yaml(config_path)
            config = flatten_config(unwrap_wandb_config(loaded)) if isinstance(loaded, Mapping) else {}
    except InputError as exc:
        notices.append(Notice(f"run metadata not read: {exc.what}", file=exc.file, line=exc.line))
    name = meta.get("display_name") or meta.get("displayName") or meta.get("name") or run_id
    return TrackerRun(source=folder, path=history, tracker=LEGACY_FORMAT, run_id=run_id, name=str(name),
                      experiment=str(meta.get("project") or ""), config=config,
                      status=str(meta.get("state") or ""))


def _run_of_log(folder: str, log: WandbLog) -> TrackerRun:
    return TrackerRun(source=folder, path=log.path, tracker=BINARY_FORMAT, run_id=log.run_id,
                      name=log.name or log.run_id, experiment=log.project,
                      config=log.config, status=log.status)


def list_wandb_runs(path: str, *, strict: bool = False) -> RunListing:
    """The runs in a ``wandb/`` folder (or its parent), or the one run of a ``run-*`` folder.

    Current runs (``.wandb``) need the ``wandb`` package to name them and read their config.
    """
    notices: list[Notice] = []
    runs = []
    for folder in _run_folders(path):
        logs = _logs_in(folder)
        if logs:
            if len(logs) > 1:
                notices.append(Notice(f"{len(logs)} .wandb files; reading {os.path.basename(logs[0])}",
                                      file=folder))
            runs.append(_run_of_log(folder, read_wandb_log(logs[0], history=False, strict=strict)))
            continue
        history = _first(folder, HISTORY, os.path.join("files", HISTORY))
        if history:
            runs.append(_legacy_run(folder, history, notices))
        else:
            notices.append(Notice("skipped: no wandb-history.jsonl or .wandb file (the run logged "
                                  "nothing?)", file=folder))
    if not runs and not notices:
        raise InputError("no W&B run folders (run-*, offline-run-*)", file=path,
                         hint="give a wandb/ folder or one run folder")
    return RunListing(tuple(runs), 0, tuple(notices))


def set_aside_media(record: dict, media: set[str], depth: int = 0) -> dict:
    """Drop objects marked with ``_type`` (images, histograms, tables) from a nested record.

    Their dotted names are added to ``media``. Returns the record without them.
    """
    kept = {}
    for key, value in record.items():
        if isinstance(value, dict) and depth < MEDIA_DEPTH:
            if MEDIA_MARK in value:
                media.add(str(key))
                continue
            inner: set[str] = set()
            value = set_aside_media(value, inner, depth + 1)
            media.update(f"{key}.{name}" for name in inner)
        kept[key] = value
    return kept


def wide_rows(records: Iterable[dict], keys: Iterable[str] | None) -> tuple[list[dict], list[str]]:
    """Nested W&B history records -> flat rows with only the wanted keys, and the media keys set aside."""
    wanted = None if keys is None else {k.lower() for k in keys}
    media: set[str] = set()
    rows = []
    for record in records:
        flat = flatten_record(set_aside_media(record, media))
        if wanted is not None:
            flat = {k: v for k, v in flat.items() if k in TIME_KEYS or could_match(k, wanted)}
        rows.append(flat)
    return rows, sorted(media)


def _read_legacy(run: TrackerRun, keys, strict: bool) -> Table:
    source = read_source(run.path)
    skips = SkipLog(source.name, strict)
    records, numbers = parse_jsonl(source.name, split_lines(source.text), skips)
    rows, media = wide_rows(records, keys)
    table = table_from_records(source.name, LEGACY_FORMAT, rows, skips.notices, numbers)
    return _finish(table, run, media)


def _read_current(run: TrackerRun, keys, strict: bool, log: WandbLog | None = None) -> Table:
    log = log or read_wandb_log(run.path, history=True, strict=strict)
    if not log.history:
        raise InputError("the run logged no history", file=run.path,
                         hint="the run may not have called wandb.log() yet")
    rows, media = wide_rows(log.history, keys)
    table = table_from_records(run.path, BINARY_FORMAT, rows, log.notices)
    return _finish(table, run, media)


def _finish(table: Table, run: TrackerRun, media: list[str]) -> Table:
    notes = table.notes
    if media:
        shown = ", ".join(media[:5]) + (", …" if len(media) > 5 else "")
        notes += (Notice(f"set aside {len(media)} non-scalar keys (media, histograms): {shown}",
                         file=table.source),)
    return replace(table, run=run.name, notes=notes)


def read_wandb_run(run: TrackerRun | str, *, keys: Iterable[str] | None = None,
                   strict: bool = False) -> Table:
    """Read one W&B run (a listed run, or a run folder) into a Table, one row per ``log`` call.

    ``keys`` (names as ``find_column`` matches them) limits the columns; ``_step``,
    ``_runtime`` and ``_timestamp`` are always kept.
    """
    if isinstance(run, str):
        folders = _run_folders(run)
        if len(folders) != 1:
            raise InputError(f"holds {len(folders)} runs", file=run,
                             hint="list them with list_wandb_runs() and read one at a time")
        logs = _logs_in(folders[0])
        if logs:    # decode the log once, for the run's facts and its history
            log = read_wandb_log(logs[0], history=True, strict=strict)
            return _read_current(_run_of_log(folders[0], log), keys, strict, log)
        listing = list_wandb_runs(folders[0], strict=strict)
        if not listing.runs:
            raise InputError("the run folder holds no history", file=folders[0],
                             hint="no wandb-history.jsonl or .wandb file: the run may have logged nothing")
        run = listing.runs[0]
    reader = _read_current if run.tracker == BINARY_FORMAT else _read_legacy
    return reader(run, keys, strict)


def read_wandb_log_config(path: str) -> dict:
    """The flattened config recorded in a ``.wandb`` transaction log (needs the wandb package)."""
    return dict(read_wandb_log(path, history=False).config)
