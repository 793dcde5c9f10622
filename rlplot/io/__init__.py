"""Reading logs: the registry of input formats (``FORMATS``), ``read_tables`` and ``read_log``.

Nothing here imports matplotlib (a test proves it): reading must stay cheap. Importing
this package imports no numpy either: the readers load on first use, so the CLI and the
config schema can list the formats for free.
"""
from __future__ import annotations

from .registry import FORMATS, LOG_SUFFIXES, InputFormat, detect_format

# Names served from rlplot.io.read on first use (they need numpy).
_READERS = ("read_tables", "read_log", "tables_from_source", "read_header")

__all__ = ["FORMATS", "LOG_SUFFIXES", "InputFormat", "detect_format", *_READERS]


def __getattr__(name: str):
    if name in _READERS:
        from . import read

        return getattr(read, name)
    raise AttributeError(f"module 'rlplot.io' has no attribute {name!r}")
