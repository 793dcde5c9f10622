"""Discovery: files, folders, globs and stores -> the sorted runs of a batch and the folder they
are named from.

Runs are found the way ``rlplot render`` finds them (``rlplot.runs.walk.find_runs``): a log, a
folder of event files (an SB3 ``PPO_1/``), an MLflow store's runs, a W&B run folder. Each run
gets a name relative to the inputs' common folder, which its outputs mirror and which runs are
sorted and sharded by: a log keeps its file name (``seed1/metrics.jsonl``), a run folder is its
path (``PPO_1``), an MLflow run is ``<store>/<experiment>/<run name>``.
"""
from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Sequence

from ..errors import InputError
from ..names import log_name_patterns, strip_log_suffix

if TYPE_CHECKING:
    from ..data import Notice

GLOB_CHARS = re.compile(r"[*?\[]")
MAX_GROUP_NAME = 100
# A group or run name may hold anything: keep file-name-safe characters only (no '/', so a
# group is never a folder).
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")
LOG_KIND = "log"          # rlplot.choices.RUN_SOURCES: a log file
TRACKER_STORES = ("mlflow",)
NO_RUNS = "no runs in this folder"   # what rlplot.runs.walk says of a folder without a run   # runs named by the tracker's run name, not by a path


@dataclass(frozen=True)
class FoundRun:
    """One run of a batch: its address (``RunRef.address``: what a worker re-finds it from),
    its name relative to the common folder, the files it is read from and its run source."""

    address: str
    name: str
    files: tuple[str, ...]
    kind: str = LOG_KIND
    where: str = ""          # RunRef.where: what --group-by regexes and messages see

    @property
    def is_log(self) -> bool:
        """A log file (its name keeps its extension, which ``{stem}``/``{ext}`` split)."""
        return self.kind == LOG_KIND


@dataclass(frozen=True)
class Discovered:
    """The runs found (sorted by name, no duplicates) and the folder their outputs are named
    relative to; ``paths`` are their addresses, in the same order."""

    paths: tuple[str, ...]
    root: str
    runs: tuple[FoundRun, ...] = ()
    notices: tuple[Notice, ...] = ()

    def run(self, address: str) -> FoundRun:
        """The run with this address (a log named by path alone: a plain log run)."""
        for run in self.runs:
            if run.address == address:
                return run
        return FoundRun(address, relative_to_root(address, self.root), (address,), where=address)


class RealPaths:
    """``os.path.realpath`` for many files of few folders: each folder resolved once, each file
    checked for being a link itself (a path with ``..`` takes ``os.path.realpath``)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if ".." in path.replace("\\", "/").split("/"):
            return os.path.realpath(path)
        return self._resolve(os.path.abspath(path))

    def _resolve(self, absolute: str) -> str:
        folder, name = os.path.split(absolute)
        if not name:
            return os.path.realpath(absolute)
        real_folder = self._folders.get(folder)
        if real_folder is None:
            real_folder = self._folders[folder] = self._resolve(folder)
        joined = os.path.join(real_folder, name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined


def relative_to_root(path: str, root: str) -> str:
    """``path`` relative to ``root`` as a POSIX string (the key runs are sorted and sharded by)."""
    return PurePosixPath(Path(os.path.relpath(os.path.abspath(path), root))).as_posix()


def discover(inputs: Sequence[str], patterns: Sequence[str] | None = None,
             exclude: str | None = None, config=None) -> Discovered:
    """Expand files, folders (walked for runs; ``patterns`` choose the log files taken from
    folders) and globs into runs; nothing under ``exclude`` (the output folder) is taken.

    With ``config``, only the runs meeting its ``runs.where`` conditions (as ``rlplot render``
    selects them) are kept."""
    if not inputs:
        raise InputError("no inputs given", hint="rlplot batch runs/ --out-dir figures")
    exclude = os.path.realpath(exclude) if exclude else None
    found, notices = find_refs(inputs, patterns, exclude)
    real = RealPaths()
    kept = [ref for ref in found if exclude is None or not _under_any(ref, exclude, real)]
    if kept and config is not None and config.runs.where:
        from ..runs.discover import automatic_labels
        from ..runs.select import select_refs

        kept, _, left_out = select_refs(kept, config, automatic_labels(kept))
        notices.extend(left_out)
    if not kept:
        for notice in notices:   # a store that could not be listed says why
            if notice.what.startswith("skipped: "):
                raise InputError(notice.what.removeprefix("skipped: "), file=notice.file)
        if exclude is not None and (found or any(_inside(i, exclude) for i in inputs)):
            raise InputError("no logs found outside --out-dir", file=" ".join(inputs),
                             hint="the inputs are in the output folder, whose files batch never "
                                  "reads as logs; choose an --out-dir outside the inputs")
        shown = ", ".join(patterns) if patterns else log_name_patterns() + " (or .gz)"
        raise InputError("no logs found", file=" ".join(inputs),
                         hint=f"looked for {shown}, event files, MLflow stores and W&B runs")
    root = _root(inputs, kept)
    runs = _named(kept, root)
    runs.sort(key=lambda run: run.name)
    return Discovered(paths=tuple(r.address for r in runs), root=root, runs=tuple(runs),
                      notices=tuple(notices))


def find_refs(inputs: Sequence[str], patterns: Sequence[str] | None, exclude: str | None
              ) -> tuple[list, list[Notice]]:
    """The runs the inputs hold (``rlplot.runs.walk.find_runs``), each once; with ``patterns``,
    the logs taken from folders are the files whose names match them."""
    from ..runs.walk import find_runs

    refs, notices, seen, real = [], [], set(), RealPaths()
    for item in inputs:
        for path in _expand(item):
            try:
                found = find_runs([path])
            except InputError as exc:
                if not os.path.isdir(path) or exc.what != NO_RUNS:
                    raise
                found = None   # nothing there: said once, by discover, for every input
            notices.extend(found.notices if found else ())
            taken = found.refs if found else ()
            if patterns and os.path.isdir(path):
                taken = [r for r in taken if r.kind != LOG_KIND] + _pattern_logs(path, patterns, exclude)
            for ref in taken:
                key = (ref.kind, real(ref.source), ref.run_id)
                if key not in seen:
                    seen.add(key)
                    refs.append(ref)
    return refs, notices


def _expand(item: str) -> list[str]:
    """One input as paths: itself, or what its glob matches."""
    if os.path.exists(item):
        return [item]
    if not GLOB_CHARS.search(item):
        if "#" in item and os.path.isfile(item.rpartition("#")[0]):
            return [item]    # <store>#<run id>
        raise InputError("no such file or folder", file=item, hint="check the path")
    hits = [h for h in sorted(glob.glob(item, recursive=True)) if os.path.exists(h)]
    if not hits:
        raise InputError("the pattern matches nothing", file=item, hint="check the glob")
    return hits


def _pattern_logs(folder: str, patterns: Sequence[str], exclude: str | None) -> list:
    """The files below ``folder`` whose names match ``patterns``, as log runs (hidden folders and
    the output folder skipped)."""
    from ..runs.logs import log_ref

    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and
                         (exclude is None or os.path.realpath(os.path.join(root, d)) != exclude))
        found.extend(log_ref(os.path.join(root, f)) for f in sorted(files)
                     if not f.startswith(".") and any(fnmatch.fnmatch(f, p) for p in patterns))
    return found


def _under_any(ref, exclude: str, real=os.path.realpath) -> bool:
    """Whether a run is read from anything in the output folder."""
    return any(_inside(path, exclude, real) for path in (ref.files or (ref.source,)))


def _inside(path: str, folder: str, real=os.path.realpath) -> bool:
    """Whether ``path`` is the (resolved) ``folder`` or lies under it."""
    resolved = real(path)
    return resolved == folder or resolved.startswith(folder + os.sep)


def _store_of(ref) -> str:
    """The store a tracker run is listed in: the mlflow.db, or the file store's folder."""
    if ref.in_store:
        return ref.source
    return os.path.dirname(os.path.dirname(os.path.abspath(ref.source)))   # mlruns/<exp>/<run>


def _anchor(ref) -> str:
    """The path a run's name counts from (its log, its run folder, its store)."""
    return _store_of(ref) if ref.kind in TRACKER_STORES else ref.source


def _root(inputs: Sequence[str], refs: Sequence) -> str:
    """The common folder of the inputs (a file's or a glob's folder), above every run's anchor
    (a run folder or a store named itself is named from its parent)."""
    bases = []
    for item in inputs:
        if os.path.isdir(item):
            bases.append(item)
        elif os.path.exists(item) or "#" in item and not GLOB_CHARS.search(item):
            bases.append(os.path.dirname(item.rpartition("#")[0] if not os.path.exists(item)
                                         else item) or ".")
        else:
            bases.append(_glob_base(item))
    root = os.path.commonpath([os.path.abspath(b) for b in bases])
    for ref in refs:
        anchor = os.path.abspath(_anchor(ref))
        if anchor == root or not anchor.startswith(root.rstrip(os.sep) + os.sep):
            root = os.path.commonpath([root, os.path.dirname(anchor)])
    return root


def _named(refs: Sequence, root: str) -> list[FoundRun]:
    """Each run with its name below ``root``; tracker runs whose names repeat get their run id."""
    names = [_name(ref, root) for ref in refs]
    folded: dict[str, int] = {}
    for name in names:
        folded[name.casefold()] = folded.get(name.casefold(), 0) + 1
    runs = []
    for ref, name in zip(refs, names):
        if ref.kind in TRACKER_STORES and folded[name.casefold()] > 1 and ref.run_id:
            name = f"{name}-{ref.run_id}"
        runs.append(FoundRun(address=ref.address, name=name, files=tuple(ref.files) or (ref.source,),
                             kind=ref.kind, where=ref.where))
    return runs


def _name(ref, root: str) -> str:
    """A run's name below ``root``: its path, or for a tracker run its store (without extension),
    experiment and run name (or id)."""
    if ref.kind not in TRACKER_STORES:
        return relative_to_root(ref.source, root)
    store = relative_to_root(_store_of(ref), root)
    parts = [strip_log_suffix(store).removesuffix(".db")]
    if ref.experiment:
        parts.append(safe_name(ref.experiment))
    parts.append(safe_name(ref.name or ref.run_id or "run"))
    return "/".join(p for p in parts if p not in ("", "."))


def safe_name(text: str) -> str:
    """A group name as a safe file name: other characters become '_', no leading '.' or '-'."""
    name = _UNSAFE.sub("_", text).lstrip(".-").rstrip(".")
    if len(name) > MAX_GROUP_NAME:   # keep long names apart by a hash of the full text
        name = name[:MAX_GROUP_NAME - 9] + "_" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return name or "_"


def _glob_base(pattern: str) -> str:
    """The folder part of a glob before its first wildcard (``runs/*/m.jsonl`` -> ``runs``)."""
    parts = []
    for part in Path(pattern).parts:
        if GLOB_CHARS.search(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else "."
