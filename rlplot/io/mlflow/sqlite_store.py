"""MLflow's SQLite tracking store (``sqlite:///mlflow.db``, MLflow's default), read-only.

Tables used: ``experiments(experiment_id, name, lifecycle_stage)``, ``runs(run_uuid,
name, status, lifecycle_stage, experiment_id, start_time)``, ``metrics(key, value,
timestamp, run_uuid, step, is_nan)``, ``params(key, value, run_uuid)`` and
``tags(key, value, run_uuid)``. The database is opened through a ``mode=ro`` URI with the
standard library, so a live tracking server is never written to; each query is its own
short read so a writer is held up as little as possible. A writer that holds the database
locked for longer than ``timeout`` seconds is one clear InputError.

MLflow stores NaN as 0 with ``is_nan`` set and ±inf as ±``sys.float_info.max``; both are
turned back. Timestamps are epoch milliseconds; ``wall_time`` is in seconds.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import urllib.parse
from contextlib import contextmanager
from typing import Iterable, Iterator

import numpy as np

from ...data import Notice, Table
from ...errors import ColumnError, InputError
from ...registry import unknown_hint
from ...columns import could_match
from ..config_values import RunListing, TrackerRun, value_from_text
from ..magic import SQLITE_MAGIC, is_sqlite  # noqa: F401  (re-exported)
from ..pivot import wide_from_long

FORMAT = "mlflow-sqlite"
REQUIRED_TABLES = ("experiments", "runs", "metrics", "params")
BUSY_TIMEOUT = 5.0   # seconds to wait for a writer's lock before giving up
RUN_NAME_TAG = "mlflow.runName"



def _read_error(exc: sqlite3.Error, path: str) -> InputError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return InputError("the database is locked by a writer", file=path,
                          hint="a tracking server or training script is writing to it; "
                               "try again, or read a copy of the file")
    if "not a database" in text or "malformed" in text:
        return InputError(f"not a readable SQLite database ({text})", file=path)
    return InputError(f"cannot read the database ({text})", file=path)


@contextmanager
def read_only(path: str, timeout: float = BUSY_TIMEOUT) -> Iterator[sqlite3.Connection]:
    """A read-only connection (``mode=ro`` URI); SQLite errors become one InputError."""
    if not os.path.isfile(path):
        raise InputError("no such file", file=path, hint="check the path")
    uri = f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        raise _read_error(exc, path) from None
    try:
        yield connection
    except sqlite3.Error as exc:
        raise _read_error(exc, path) from None
    finally:
        connection.close()


def _check_schema(connection: sqlite3.Connection, path: str) -> None:
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise InputError(f"not an MLflow tracking database (no '{missing[0]}' table)", file=path,
                         hint="give the mlflow.db that `mlflow server --backend-store-uri sqlite:///...` uses")


def list_runs(path: str, *, timeout: float = BUSY_TIMEOUT) -> RunListing:
    """Every live run in the store, with its params; runs that are (or whose experiment is) deleted are counted."""
    with read_only(path, timeout) as connection:
        _check_schema(connection, path)
        rows = connection.execute(
            "SELECT r.run_uuid, r.name, r.status, r.lifecycle_stage, e.name, e.lifecycle_stage "
            "FROM runs r LEFT JOIN experiments e ON e.experiment_id = r.experiment_id "
            "ORDER BY r.experiment_id, r.start_time, r.run_uuid").fetchall()
        params: dict[str, dict] = {}
        for run_id, key, value in connection.execute(
                "SELECT run_uuid, key, value FROM params ORDER BY run_uuid, key"):
            params.setdefault(run_id, {})[key] = value_from_text(str(value))
        names = dict(connection.execute("SELECT run_uuid, value FROM tags WHERE key = ?", (RUN_NAME_TAG,))
                     ) if _has_table(connection, "tags") else {}
    runs, deleted = [], 0
    for run_id, name, status, stage, experiment, experiment_stage in rows:
        if "deleted" in (stage, experiment_stage):
            deleted += 1
            continue
        runs.append(TrackerRun(source=path, path=path, tracker=FORMAT, run_id=run_id,
                               name=names.get(run_id) or name or run_id, experiment=experiment or "",
                               config=params.get(run_id, {}), status=status or "", lifecycle=stage or "active"))
    notices = (Notice(f"skipped {deleted} deleted run{'s' if deleted != 1 else ''}", file=path),) if deleted else ()
    return RunListing(tuple(runs), deleted, notices)


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone() is not None


def _chosen_keys(present: list[str], keys: Iterable[str] | None, path: str) -> list[str]:
    if keys is None:
        return present
    keys = list(keys)
    wanted = {k.lower() for k in keys}
    chosen = [k for k in present if could_match(k, wanted)]
    if not chosen:
        raise ColumnError(f"the run logged none of: {', '.join(keys)}", file=path,
                          hint=unknown_hint(keys[0], present) if keys else None)
    return chosen


def metric_values(raw: list, is_nan: np.ndarray) -> np.ndarray:
    """Metric values as float64 with MLflow's encodings of NaN and ±inf undone; shape (n,)."""
    values = np.asarray(raw, dtype=np.float64)
    values[is_nan] = np.nan
    values[values >= sys.float_info.max] = np.inf
    values[values <= -sys.float_info.max] = -np.inf
    return values


def _numeric_rows(rows: list, path: str, run: TrackerRun, strict: bool) -> tuple[list, tuple[Notice, ...]]:
    """Drop rows whose value is not a number (only a damaged or hand-edited store has them)."""
    bad = [row for row in rows if not isinstance(row[1], (int, float))]
    if not bad:
        return rows, ()
    key, value, _, step, _ = bad[0]
    what = f"a value of '{key}' at step {step} is not a number ({value!r})"
    if strict:
        raise InputError(f"run '{run.name}': {what}", file=path,
                         hint="--strict is on; drop it to skip such values with a warning")
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    return ([row for row in rows if isinstance(row[1], (int, float))],
            (Notice(f"skipped values of run '{run.name}': {what}{more}", file=path),))


def read_run(path: str, run: TrackerRun, *, keys: Iterable[str] | None = None, strict: bool = False,
             timeout: float = BUSY_TIMEOUT) -> Table:
    """One run's metrics as a Table: ``step``, ``wall_time`` (seconds) and one column per key."""
    with read_only(path, timeout) as connection:
        _check_schema(connection, path)
        present = [k for (k,) in connection.execute(
            "SELECT DISTINCT key FROM metrics WHERE run_uuid = ? ORDER BY key", (run.run_id,))]
        if not present:
            raise InputError(f"run '{run.name}' logged no metrics", file=path,
                             hint="it may have failed before its first log_metric")
        chosen = _chosen_keys(present, keys, path)
        subset = tuple(chosen) if len(chosen) < len(present) else ()
        query = "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ?"
        if subset:
            query += f" AND key IN ({', '.join('?' * len(subset))})"
        rows = connection.execute(query + " ORDER BY timestamp, rowid", (run.run_id, *subset)).fetchall()
    rows, skipped = _numeric_rows(rows, path, run, strict)
    if not rows:
        raise InputError(f"run '{run.name}' has no numeric metric values", file=path)
    names, values, stamps, steps, nans = zip(*rows)
    tag_index: dict[str, int] = {}   # columns in the order the keys first appear
    tag_id = np.fromiter((tag_index.setdefault(k, len(tag_index)) for k in names), np.int64, len(names))
    wall = np.asarray(stamps, dtype=np.float64) / 1000.0
    return wide_from_long(path, FORMAT, np.asarray(steps, dtype=np.int64), tag_id, list(tag_index),
                          metric_values(list(values), np.asarray(nans, dtype=bool)), wall,
                          run=run.name, skipped=skipped)
