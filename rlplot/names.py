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


EVENT_FILE_PREFIX = "events.out.tfevents."


def run_label(path: str) -> str:
    """A run's default label: the file name without its log extension, a folder's name (``.``
    too), an event file's folder name (TensorBoard names runs so); ``-`` is 'stdin'."""
    if path == STDIN:
        return STDIN_LABEL
    name = Path(path).name
    if name.startswith(EVENT_FILE_PREFIX):
        name = Path(os.path.abspath(path)).parent.name
    elif name in ("", ".", ".."):
        name = Path(os.path.abspath(path)).name
    return strip_log_suffix(name) or path


# Files that hold runs without being logs: an output named after one drops this.
STORE_SUFFIXES = (".db", ".wandb")


def input_stem(path: str) -> str:
    """The name outputs are given after an input: a run's label, without a store's extension
    (``mlflow.db`` -> ``mlflow``, ``logs/`` -> ``logs``)."""
    label = run_label(path)
    for suffix in STORE_SUFFIXES:
        if label.lower().endswith(suffix) and len(label) > len(suffix):
            return label[: -len(suffix)]
    return label


def unique_labels(labels: Sequence[str]) -> list[str]:
    """``labels`` with a repeated one numbered: ``a, a, b`` -> ``a, a (2), b``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def tracker_labels(names: Sequence[str], experiments: Sequence[str]) -> list[str]:
    """Tracker runs' names, told apart: a name two runs share gets its experiment (``cartpole/ppo``)."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return [f"{experiment}/{name}" if counts[name] > 1 and experiment else name
            for name, experiment in zip(names, experiments)]


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
