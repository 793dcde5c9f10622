"""Which paths a command names, and what each run is called: glob expansion and label choice.

No numpy here: ``runs.walk`` finds the runs inside the paths (folders, stores).
"""
from __future__ import annotations

import glob
import os
from typing import Mapping, Sequence

from ..errors import InputError
from ..names import STDIN, distinct_labels, tracker_labels, unique_labels


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Expand glob patterns (``runs/*/metrics.jsonl``, ``logs/PPO_*``) that are not existing paths
    into the files and folders they match; keep order, drop repeats."""
    out: list[str] = []
    for path in paths:
        if path != STDIN and not os.path.exists(path) and glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", file=path)
            out.extend(m for m in matches if os.path.isfile(m) or os.path.isdir(m))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def choose_labels(paths: Sequence[str], mapping: Mapping[str, str], labels: Sequence[str] | None
                  ) -> tuple[list[str | None], list[str]]:
    """Per path: the label the user chose (``labels`` by position, then ``mapping`` = runs.labels
    by path or automatic label; None if neither), and the automatic one (``distinct_labels``)."""
    automatic = distinct_labels(paths)
    chosen = [mapping.get(p, mapping.get(a)) for p, a in zip(paths, automatic)]
    for index, label in enumerate(labels or ()):
        if index < len(chosen):
            chosen[index] = label
    return chosen, automatic


def automatic_labels(refs: Sequence) -> list[str]:
    """Labels that tell runs (``RunRef``s) apart: the shortest paths that differ, for runs found
    as files or folders; the run names (told apart), for tracker runs. Never two the same."""
    by_path = [r.label_path for r in refs if r.name is None]
    path_labels = iter(distinct_labels(by_path))
    tracked = [r for r in refs if r.name is not None]
    names = iter(tracker_labels([r.name for r in tracked], [r.experiment for r in tracked]))
    return unique_labels([next(names) if r.name is not None else next(path_labels) for r in refs])


def choose_ref_labels(refs: Sequence, mapping: Mapping[str, str], labels: Sequence[str] | None,
                      automatic: Sequence[str] | None = None) -> tuple[list[str | None], list[str]]:
    """``choose_labels`` for RunRefs: ``runs.labels`` keyed by a run's address, its path (a run
    of its own file or folder) or its automatic label (``automatic``, else computed)."""
    automatic = list(automatic) if automatic is not None else automatic_labels(refs)
    chosen = []
    for ref, auto in zip(refs, automatic):
        keys = (ref.address, None if ref.in_store else ref.source, auto)
        chosen.append(next((mapping[k] for k in keys if k is not None and k in mapping), None))
    for index, label in enumerate(labels or ()):
        if index < len(chosen):
            chosen[index] = label
    return chosen, automatic
