"""MLflow runs read without MLflow: the SQLite store (``mlflow.db``) and the ``mlruns/`` file store.

``list_mlflow_runs(path)`` names every live run (deleted ones are counted) with its
experiment and params; ``read_mlflow_run(path, run)`` reads one run's metrics into a
Table with ``step`` (the default x), ``wall_time`` in seconds and one column per key.
"""
from __future__ import annotations

import os
from typing import Iterable

from ...data import Table
from ...errors import InputError
from ...registry import unknown_hint
from ..config_values import RunListing, TrackerRun
from . import file_store, sqlite_store

SQLITE_URI = "sqlite:///"
DATABASE_NAME = "mlflow.db"
FILE_STORE_NAME = "mlruns"


def resolve_store(path: str) -> tuple[str, str]:
    """``(kind, path)`` of the store ``path`` names: ``sqlite`` or ``files``.

    Accepts an ``mlflow.db`` (or a ``sqlite:///`` URI), an ``mlruns/`` folder or one of its
    experiment or run folders, or a folder holding ``mlruns/`` or ``mlflow.db``.
    """
    if path.startswith(SQLITE_URI):
        path = path[len(SQLITE_URI):] or path
    if os.path.isfile(path):
        if sqlite_store.is_sqlite(path):
            return "sqlite", path
        raise InputError("not an SQLite database", file=path,
                         hint="an MLflow store is an mlflow.db or an mlruns/ folder")
    if file_store.store_kind(path) is not None:
        return "files", path
    for name, kind in ((FILE_STORE_NAME, "files"), (DATABASE_NAME, "sqlite")):
        inner = os.path.join(path, name)
        if os.path.exists(inner) and (kind == "sqlite" or file_store.store_kind(inner) is not None):
            return kind, inner
    if not os.path.exists(path):
        raise InputError("no such file or folder", file=path, hint="check the path")
    raise InputError("not an MLflow store", file=path,
                     hint="give an mlflow.db, an mlruns/ folder, or one of its experiment or run folders")


def list_mlflow_runs(path: str, *, timeout: float = sqlite_store.BUSY_TIMEOUT) -> RunListing:
    """The live runs of an MLflow store, each with its name, experiment and params."""
    kind, store = resolve_store(path)
    if kind == "sqlite":
        return sqlite_store.list_runs(store, timeout=timeout)
    return file_store.list_runs(store)


def _find(path: str, run_id: str) -> TrackerRun:
    runs = list_mlflow_runs(path).runs
    for run in runs:
        if run.run_id == run_id:
            return run
    raise InputError(f"no live run '{run_id}' in the store", file=path,
                     hint=unknown_hint(run_id, [r.run_id for r in runs][:20]))


def read_mlflow_run(path: str, run: TrackerRun | str, *, keys: Iterable[str] | None = None,
                    strict: bool = False, timeout: float = sqlite_store.BUSY_TIMEOUT) -> Table:
    """Read one run (a listed ``TrackerRun``, or a run id looked up in the store at ``path``).

    ``keys`` (names as ``find_column`` matches them) limits the metrics read; damaged
    points are skipped with a notice (``strict``: the first raises).
    """
    if isinstance(run, str):
        run = _find(path, run)
    if run.tracker == sqlite_store.FORMAT:
        return sqlite_store.read_run(run.path, run, keys=keys, strict=strict, timeout=timeout)
    return file_store.read_run(run, keys=keys, strict=strict)


__all__ = ["list_mlflow_runs", "read_mlflow_run", "resolve_store"]
