"""Names of runs: a log's label from its file name, and labels that tell several runs apart.

The log extensions are the io registry's (``rlplot.io.registry.LOG_SUFFIXES``); no numpy here.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from .io.registry import LOG_SUFFIXES

STDIN = "-"
STDIN_LABEL = "stdin"
GZIP_SUFFIX = ".gz"


def strip_log_suffix(name: str) -> str:
    """A file name without its log extension and ``.gz`` (``metrics.jsonl.gz`` -> ``metrics``).

    Only known extensions are removed, once; a name that is nothing but an extension is kept.
    """
    stem = name
    if stem.lower().endswith(GZIP_SUFFIX) and len(stem) > len(GZIP_SUFFIX):
        stem = stem[: -len(GZIP_SUFFIX)]
    for suffix in LOG_SUFFIXES:   # none ends another: at most one matches
        if stem.lower().endswith(suffix) and len(stem) > len(suffix):
            return stem[: -len(suffix)]
    return stem


def is_log_name(name: str) -> bool:
    """Whether a file name ends in a log extension, plain or gzipped (``metrics.jsonl.gz``)."""
    lowered = name.lower().removesuffix(GZIP_SUFFIX)
    return lowered.endswith(LOG_SUFFIXES) and lowered not in LOG_SUFFIXES


def log_name_patterns() -> str:
    """``*.csv, *.jsonl, …``: the log extensions as a hint."""
    return ", ".join("*" + s for s in LOG_SUFFIXES)


def run_label(path: str) -> str:
    """A run's default label: the file name without its log extension (``-`` is 'stdin')."""
    if path == STDIN:
        return STDIN_LABEL
    return strip_log_suffix(Path(path).name) or path


def distinct_labels(paths: Sequence[str]) -> list[str]:
    """Short labels that tell runs apart: the stems, or the path parts that differ when stems repeat.

    ``a/s1/metrics.jsonl, a/s2/metrics.jsonl`` -> ``s1, s2``.
    """
    stems = [run_label(p) for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    parts = [list(Path(os.path.normpath(p)).parent.parts) + [run_label(p)] for p in paths]
    while all(len(p) > 1 for p in parts) and len({p[0] for p in parts}) == 1:
        parts = [p[1:] for p in parts]
    while all(len(p) > 1 for p in parts) and len({p[-1] for p in parts}) == 1:
        parts = [p[:-1] for p in parts]
    return ["/".join(p) for p in parts]
