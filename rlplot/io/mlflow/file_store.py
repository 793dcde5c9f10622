"""MLflow's legacy file store: ``mlruns/<experiment_id>/<run_id>/`` folders of plain text.

An experiment folder has a ``meta.yaml`` (``name``, ``lifecycle_stage``); a run folder has
a ``meta.yaml`` (``run_id``, ``run_name``, ``status``, ``lifecycle_stage``), ``params/``
and ``tags/`` (one file per key, the value as its content) and ``metrics/``: one file per
key holding a ``timestamp value step`` line per point (``timestamp value`` before MLflow
added steps). A key with ``/`` nests folders (``metrics/train/reward``). Deleted
experiments move to ``.trash/``; deleted runs stay in place with ``lifecycle_stage:
deleted``. Both are skipped and counted.
"""
from __future__ import annotations

import os
from typing import Iterable, Mapping

import numpy as np

from ...data import Notice, Table
from ...errors import ColumnError, InputError
from ...registry import unknown_hint
from ...columns import could_match
from ..config_values import RunListing, TrackerRun, load_yaml, mlflow_params
from ..lines import SkipLog, split_lines
from ..pivot import wide_from_long

FORMAT = "mlflow-files"
TRASH = ".trash"
# meta.yaml stores a run's status as the number of MLflow's RunStatus enum.
RUN_STATUS = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
RUN_NAME_TAG = "mlflow.runName"


def read_meta(folder: str) -> Mapping | None:
    """A folder's ``meta.yaml`` as a mapping, or None if it has none."""
    path = os.path.join(folder, "meta.yaml")
    if not os.path.isfile(path):
        return None
    meta = load_yaml(path)
    if not isinstance(meta, Mapping):
        raise InputError("meta.yaml holds no mapping", file=path)
    return meta


def _is_run(meta: Mapping | None) -> bool:
    return bool(meta) and ("run_id" in meta or "run_uuid" in meta)


def _subfolders(folder: str) -> list[str]:
    return [os.path.join(folder, name) for name in sorted(os.listdir(folder))
            if os.path.isdir(os.path.join(folder, name)) and name != TRASH]


def _meta_or_none(folder: str) -> Mapping | None:
    try:
        return read_meta(folder)
    except InputError:
        return None


def store_kind(path: str) -> str | None:
    """``root`` (an ``mlruns/`` folder), ``experiment``, ``run``, or None if ``path`` is none of them."""
    if not os.path.isdir(path):
        return None
    if os.path.isfile(os.path.join(path, "meta.yaml")):
        meta = _meta_or_none(path) or {}
        return "run" if _is_run(meta) else "experiment" if "experiment_id" in meta else None
    has_experiments = any(store_kind(sub) == "experiment" for sub in _subfolders(path))
    return "root" if has_experiments else None


def _run_name(folder: str, meta: Mapping, run_id: str) -> str:
    tag = os.path.join(folder, "tags", RUN_NAME_TAG)
    if os.path.isfile(tag):
        with open(tag, encoding="utf-8", errors="replace") as fh:
            name = fh.read().strip()
        if name:
            return name
    return str(meta.get("run_name") or run_id)


def _run(folder: str, meta: Mapping, experiment: str, source: str) -> TrackerRun:
    run_id = str(meta.get("run_id") or meta.get("run_uuid"))
    params = os.path.join(folder, "params")
    status = meta.get("status")
    return TrackerRun(source=source, path=folder, tracker=FORMAT, run_id=run_id,
                      name=_run_name(folder, meta, run_id), experiment=experiment,
                      config=mlflow_params(params) if os.path.isdir(params) else {},
                      status=RUN_STATUS.get(status, str(status or "")),
                      lifecycle=str(meta.get("lifecycle_stage") or "active"))


def _count_runs(folder: str) -> int:
    return sum(1 for sub in _subfolders(folder) if os.path.isfile(os.path.join(sub, "meta.yaml")))


def _experiment_runs(folder: str, source: str, notices: list[Notice]) -> tuple[list[TrackerRun], int]:
    meta = _meta_or_none(folder) or {}
    if meta.get("lifecycle_stage") == "deleted":
        return [], _count_runs(folder)
    experiment = str(meta.get("name") or os.path.basename(folder))
    found, deleted = [], 0
    for sub in _subfolders(folder):
        try:
            run_meta = read_meta(sub)
        except InputError as exc:
            notices.append(Notice(f"skipped a run: {exc.what}", file=exc.file, line=exc.line))
            continue
        if not _is_run(run_meta):
            continue
        if run_meta.get("lifecycle_stage") == "deleted":
            deleted += 1
        else:
            found.append((_number(run_meta.get("start_time")), _run(sub, run_meta, experiment, source)))
    found.sort(key=lambda pair: (pair[0], pair[1].run_id))    # run ids are random: order by start
    return [run for _, run in found], deleted


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def list_runs(path: str) -> RunListing:
    """The live runs under an ``mlruns/`` folder, one experiment folder or one run folder."""
    kind = store_kind(path)
    if kind is None:
        raise InputError("not an MLflow file store (no meta.yaml)", file=path,
                         hint="give an mlruns/ folder, one of its experiment folders, or an mlflow.db")
    notices: list[Notice] = []
    if kind == "run":
        experiment = read_meta(os.path.dirname(os.path.abspath(path))) or {}
        meta = read_meta(path)
        if meta.get("lifecycle_stage") == "deleted":
            return RunListing((), 1, (Notice("skipped 1 deleted run", file=path),))
        return RunListing((_run(path, meta, str(experiment.get("name") or ""), path),))
    folders = [path] if kind == "experiment" else sorted(
        (sub for sub in _subfolders(path) if store_kind(sub) == "experiment"),
        key=lambda sub: (_number((_meta_or_none(sub) or {}).get("creation_time")), sub))
    runs, deleted = [], 0
    for folder in folders:
        found, gone = _experiment_runs(folder, path, notices)
        runs += found
        deleted += gone
    trash = os.path.join(path, TRASH)
    if kind == "root" and os.path.isdir(trash):
        deleted += sum(_count_runs(sub) for sub in _subfolders(trash))
    if deleted:
        notices.append(Notice(f"skipped {deleted} deleted run{'s' if deleted != 1 else ''}", file=path))
    return RunListing(tuple(runs), deleted, tuple(notices))


def metric_keys(run_folder: str) -> list[str]:
    """The metric keys of a run (``/`` where the key nests folders), sorted."""
    root = os.path.join(run_folder, "metrics")
    keys = [os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
            for d, _, files in os.walk(root) for f in files]
    return sorted(keys)


def parse_metric_file(path: str, skips: SkipLog) -> np.ndarray:
    """The ``timestamp value step`` lines of one metric file as float64 of shape (n, 3)."""
    with open(path, "rb") as fh:
        lines = split_lines(fh.read().decode("utf-8", errors="replace"))
    fields = [line.split() for line in lines.lines]
    if lines.complete and all(len(f) == 3 for f in fields):
        try:
            return np.array(fields, dtype=np.float64).reshape(-1, 3)
        except ValueError:
            pass    # a bad value somewhere: the line-by-line pass says where
    points = []
    for number, parts in enumerate(fields, start=1):
        if number == len(fields) and not lines.complete:
            skips.skip(number, "partial last line (the file may still be being written)")
        elif len(parts) not in (2, 3):
            skips.skip(number, f"expected 'timestamp value step', got {len(parts)} fields")
        else:
            try:
                points.append([float(p) for p in parts] + [0.0] * (3 - len(parts)))
            except ValueError:
                skips.skip(number, f"not a number: {' '.join(parts)!r}")
    return np.array(points, dtype=np.float64).reshape(-1, 3)


def read_run(run: TrackerRun, *, keys: Iterable[str] | None = None, strict: bool = False) -> Table:
    """One run's metrics as a Table: ``step``, ``wall_time`` (seconds) and one column per key."""
    present = metric_keys(run.path)
    if not present:
        raise InputError(f"run '{run.name}' logged no metrics", file=run.path,
                         hint="it may have failed before its first log_metric")
    chosen = present
    if keys is not None:
        keys = list(keys)
        chosen = [k for k in present if could_match(k, {k.lower() for k in keys})]
        if not chosen:
            raise ColumnError(f"the run logged none of: {', '.join(keys)}", file=run.path,
                              hint=unknown_hint(keys[0], present) if keys else None)
    notices: list[Notice] = []
    blocks, ids = [], []
    for index, key in enumerate(chosen):
        skips = SkipLog(os.path.join(run.path, "metrics", *key.split("/")), strict, notices)
        points = parse_metric_file(skips.source, skips)
        blocks.append(points)
        ids.append(np.full(points.shape[0], index, dtype=np.int64))
    points, tag_id = np.concatenate(blocks), np.concatenate(ids)
    if points.shape[0] == 0:
        raise InputError(f"run '{run.name}' has no readable metric points", file=run.path)
    order = np.argsort(points[:, 0], kind="stable")   # time order across keys, as the SQLite store reads
    points, tag_id = points[order], tag_id[order]
    tag_id, tags = _by_first_appearance(tag_id, chosen)
    return wide_from_long(run.path, FORMAT, points[:, 2].astype(np.int64), tag_id, tags, points[:, 1],
                          points[:, 0] / 1000.0, run=run.name, skipped=tuple(notices))


def _by_first_appearance(tag_id: np.ndarray, tags: list[str]) -> tuple[np.ndarray, list[str]]:
    """Renumber tags in the order they first appear (keys without points drop out); shape (n,)."""
    present, first = np.unique(tag_id, return_index=True)
    appearance = present[np.argsort(first)]
    rank = np.empty(len(tags), dtype=np.int64)
    rank[appearance] = np.arange(appearance.shape[0])
    return rank[tag_id], [tags[i] for i in appearance]
