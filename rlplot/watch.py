"""Watching live logs: re-render a figure whenever its logs grow.

The loop polls each log's size and modification time (portable, no inotify), waits
until the logs have been quiet for ``debounce`` seconds (or ``max_wait`` has passed
while they keep growing), then renders with the ordinary pipeline. The readers already
skip a partial last line, and ``render`` writes atomically and fails before it writes,
so a read error leaves the last good figure in place. Everything that touches time
(``sleep``, ``clock``) and the number of polls is injectable, so tests need no long waits.
"""
from __future__ import annotations

import glob
import os
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from .errors import InputError, RlplotError

RENDERED, ERROR, WAITING = "rendered", "error", "waiting"
PARTIAL_LINE = "partial last line"


@dataclass(frozen=True)
class WatchEvent:
    """Something the watcher did: rendered (with the files and rows), failed to read, or waits."""

    kind: str
    message: str
    written: tuple[str, ...] = ()
    rows: int = 0
    warnings: tuple[str, ...] = ()


def signature(paths: Sequence[str]) -> tuple:
    """(size, mtime in ns) of each log, ``None`` for a log that does not exist (yet).

    A folder's signature is that of every file below it (hidden folders aside), so a run
    that grows, appears or goes away in it changes it; an SQLite store's includes its
    write-ahead log, where a live tracking server writes first.
    """
    result = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            result.append(None)
            continue
        if os.path.isdir(path):
            result.append(_folder_signature(path))
        else:
            result.append((info.st_size, info.st_mtime_ns) + _stat(path + SQLITE_WAL))
    return tuple(result)


SQLITE_WAL = "-wal"


def _stat(path: str) -> tuple:
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return (info.st_size, info.st_mtime_ns)


def _folder_signature(folder: str) -> tuple:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend((os.path.join(root, name),) + _stat(os.path.join(root, name))
                     for name in sorted(files) if not name.startswith("."))
    return tuple(found)


def render_once(paths: Sequence[str], outputs: Sequence[str], config, strict: bool,
                labels: Sequence[str] = ()) -> WatchEvent:
    """Render the logs once; a read or data error becomes an ERROR event (the old figure stays)."""
    from .pipeline import render

    try:
        result = render(list(paths), list(outputs), config, strict=strict, labels=list(labels))
    except RlplotError as exc:
        return WatchEvent(ERROR, str(exc))
    except Exception as exc:  # an rlplot bug must not end a long watch: keep the last figure
        return WatchEvent(ERROR, f"internal error: {type(exc).__name__}: {exc}")
    prepared = result.prepared
    rows = max((len(s) for run in prepared.runs for s in run.series), default=0)
    # A partial last line is the normal state of a log being written: not worth a warning.
    warnings = tuple(str(n) for n in result.notices if PARTIAL_LINE not in n.what)
    return WatchEvent(RENDERED, f"{rows} rows", written=result.written, rows=rows,
                      warnings=warnings)


def watch(paths: Sequence[str], outputs: Sequence[str], config=None, *, strict: bool = False,
          interval: float = 1.0, debounce: float = 0.5, max_wait: float = 5.0,
          max_iterations: int | None = None,
          on_event: Callable[[WatchEvent], None] | None = None,
          stop: Callable[[], bool] | None = None,
          sleep: Callable[[float], None] | None = None,
          clock: Callable[[], float] | None = None, labels: Sequence[str] = ()) -> int:
    """Poll ``paths`` (logs, folders of runs, stores) and re-render ``outputs`` after each change;
    return the number of renders.

    Runs until ``stop()`` is true, ``max_iterations`` polls have been made, or the
    caller interrupts it (KeyboardInterrupt propagates; the CLI turns it into exit 0).
    """
    from .config import Config
    from .pipeline import check_outputs

    config = config or Config()
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    if "-" in paths:
        raise InputError("cannot watch standard input", hint="give the log file's path")
    if any(glob.has_magic(p) and not os.path.exists(p) for p in paths):
        raise InputError("cannot watch a glob pattern", file=next(p for p in paths if glob.has_magic(p)),
                         hint="give the log files (the shell expands an unquoted pattern)")
    check_outputs(outputs, paths)   # refuse a bad output once, not on every poll
    emit = on_event or (lambda event: None)
    attempted = None        # signature of the last render attempt
    seen = None             # signature at the previous poll
    quiet_since = 0.0       # when the logs last changed
    pending_since = None    # first change not rendered yet
    renders = 0
    polls = 0
    while max_iterations is None or polls < max_iterations:
        polls += 1
        now = clock()
        current = signature(paths)
        if current != seen:
            if None in current and (seen is None or None not in seen):
                missing = [p for p, s in zip(paths, current) if s is None]
                emit(WatchEvent(WAITING, "waiting for " + ", ".join(missing)))
            seen, quiet_since = current, now
            if pending_since is None and current != attempted:
                pending_since = now
        due = (attempted is None or now - quiet_since >= debounce or
               (pending_since is not None and now - pending_since >= max_wait))
        if None not in current and current != attempted and due:
            event = render_once(paths, outputs, config, strict, labels)
            # Remember what we tried, so that a broken log is retried only once it changes.
            attempted, pending_since = current, None
            renders += event.kind == RENDERED
            emit(event)
        if stop is not None and stop():
            break
        if max_iterations is None or polls < max_iterations:
            sleep(interval)
    return renders
