"""Discovery: files, folders and globs -> the sorted logs of a batch and the folder they are named from."""
from __future__ import annotations

import fnmatch
import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from ..errors import InputError
from ..names import is_log_name, log_name_patterns

GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Discovered:
    """The logs found (sorted, no duplicates) and the folder their outputs are named relative to."""

    paths: tuple[str, ...]
    root: str


def relative_to_root(path: str, root: str) -> str:
    """``path`` relative to ``root`` as a POSIX string (the key runs are sorted and sharded by)."""
    return PurePosixPath(Path(os.path.relpath(os.path.abspath(path), root))).as_posix()


def discover(inputs: Sequence[str], patterns: Sequence[str] | None = None,
             exclude: str | None = None) -> Discovered:
    """Expand files, folders (recursively, filtered by ``patterns``) and globs into logs;
    nothing under ``exclude`` (the output folder) is taken."""
    if not inputs:
        raise InputError("no inputs given", hint="rlplot batch runs/ --out-dir figures")
    exclude = os.path.realpath(exclude) if exclude else None
    found: list[str] = []
    bases: list[str] = []
    for item in inputs:
        paths, base = _expand(item, patterns, exclude)
        found.extend(paths)
        bases.append(base)
    unique: dict[str, str] = {}
    for path in found:
        if exclude is None or not os.path.realpath(path).startswith(exclude + os.sep):
            unique.setdefault(os.path.realpath(path), path)
    if not unique:
        if exclude is not None and (len(found) or any(_inside(i, exclude) for i in inputs)):
            raise InputError("no logs found outside --out-dir", file=" ".join(inputs),
                             hint="the inputs are in the output folder, whose files batch never "
                                  "reads as logs; choose an --out-dir outside the inputs")
        shown = ", ".join(patterns) if patterns else log_name_patterns() + " (or .gz)"
        raise InputError("no logs found", file=" ".join(inputs), hint=f"looked for {shown}")
    root = os.path.commonpath([os.path.abspath(b) for b in bases])
    paths = sorted(unique.values(), key=lambda p: relative_to_root(p, root))
    return Discovered(paths=tuple(paths), root=root)


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` is the (resolved) ``folder`` or lies under it."""
    real = os.path.realpath(path)
    return real == folder or real.startswith(folder + os.sep)


def _expand(item: str, patterns, exclude: str | None) -> tuple[list[str], str]:
    """The logs one input names, and the folder it counts from."""
    if os.path.isdir(item):
        return _walk(item, patterns, exclude), item
    if os.path.isfile(item):
        return [item], os.path.dirname(item) or "."
    if not GLOB_CHARS.search(item):
        raise InputError("no such file or folder", file=item, hint="check the path")
    hits = sorted(glob.glob(item, recursive=True))
    if not hits:
        raise InputError("the pattern matches nothing", file=item, hint="check the glob")
    found: list[str] = []
    for hit in hits:
        if os.path.isdir(hit):
            found.extend(_walk(hit, patterns, exclude))
        elif os.path.isfile(hit):
            found.append(hit)
    return found, _glob_base(item)


def _matches(name: str, patterns: Sequence[str] | None) -> bool:
    if patterns:
        return any(fnmatch.fnmatch(name, p) for p in patterns)
    return is_log_name(name)


def _walk(folder: str, patterns, exclude: str | None) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        # Hidden folders (.git, .ipynb_checkpoints) and the output folder hold no runs.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and
                         (exclude is None or os.path.realpath(os.path.join(root, d)) != exclude))
        found.extend(os.path.join(root, f) for f in sorted(files)
                     if not f.startswith(".") and _matches(f, patterns))
    return found


def _glob_base(pattern: str) -> str:
    """The folder part of a glob before its first wildcard (``runs/*/m.jsonl`` -> ``runs``)."""
    parts = []
    for part in Path(pattern).parts:
        if GLOB_CHARS.search(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else "."
