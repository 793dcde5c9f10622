"""Recognising a run's files cheaply, by name or first bytes, before any reader is imported.

Walking inputs asks every run source "is this yours?" for every file; the answers live
here so that a plain CSV render never imports the event-file or MLflow readers.
"""
from __future__ import annotations

import os

SQLITE_MAGIC = b"SQLite format 3\x00"
EVENT_FILE_PREFIX = "events.out.tfevents."


def is_sqlite(path: str) -> bool:
    """Whether ``path`` is an SQLite database file (by its 16-byte header)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def is_event_file(path: str | os.PathLike) -> bool:
    """Whether a file name is a TensorBoard event file (``events.out.tfevents.*``).

    TensorBoard's profiler placeholders (``*.profile-empty``) hold no summaries and are not.
    """
    name = os.path.basename(os.fspath(path))
    return name.startswith(EVENT_FILE_PREFIX) and not name.endswith(".profile-empty")
