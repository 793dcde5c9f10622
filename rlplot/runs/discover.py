"""Which logs a command names, and what each run is called: glob expansion and label choice.

No numpy here. Folders of runs (a run per sub-folder) will be discovered here too.
"""
from __future__ import annotations

import glob
import os
from typing import Mapping, Sequence

from ..errors import InputError
from ..names import STDIN, distinct_labels


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Expand glob patterns (``runs/*/metrics.jsonl``) that are not existing files; keep order, drop repeats."""
    out: list[str] = []
    for path in paths:
        if path != STDIN and not os.path.exists(path) and glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", file=path)
            out.extend(m for m in matches if os.path.isfile(m))
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
