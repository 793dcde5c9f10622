"""Finding runs: the paths a command names -> every run they hold (``find_runs``).

A file is a run of the first source that takes it (an mlflow.db, a .wandb file, an event
file, else a log of any name). A folder is walked: in each folder the run sources are
asked in ``RUN_SOURCES`` order; a store or a tracker's run folder takes the whole folder,
event files make the folder a run (its sub-folders are walked too: ``add_scalars`` writes
runs there), and each log file left is a run. Hidden folders (``.git``,
``.ipynb_checkpoints``) are not walked; symbolic links are followed once, a link back
into its own ancestors is reported and skipped; folders without a run and unreadable
folders are reported once per walk.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..choices import RUN_SOURCES
from ..data import Notice
from ..errors import InputError
from ..names import STDIN
from .refs import RUN_IN_STORE, Found, RunRef

LISTED = 5   # folders named in a notice; the rest are counted


def natural_key(name: str) -> tuple:
    """Sort key that puts ``PPO_2`` before ``PPO_10`` (names equal but for it, ``01``/``1``, by name)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)], name


def _sources() -> list:
    return [RUN_SOURCES.load(name) for name in RUN_SOURCES.names]


def _shown(names: Sequence[str]) -> str:
    more = f", … {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


@dataclass
class _Walk:
    """One folder walk's findings: runs in order, notices, and folders it reported."""

    root: str
    refs: list[RunRef] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)          # real paths of folders walked
    problems: list[InputError] = field(default_factory=list)   # stores that could not be listed
    loops: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)           # topmost folders without a run

    def visit(self, folder: str, ancestors: frozenset[str]) -> bool | None:
        """Walk ``folder``; return whether it (or a folder below) holds a run, None when it was
        reported already (a link loop, an unreadable folder)."""
        real = os.path.realpath(folder)
        if real in ancestors:
            self.loops.append(folder)
            return None
        if real in self.seen:       # a second link to a folder already walked: same runs
            return True
        self.seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: natural_key(e.name))
        except OSError:
            self.unreadable.append(folder)
            return None
        files = [e.name for e in entries if not e.name.startswith(".") and _is_file(e)]
        dirs = [e.name for e in entries if not e.name.startswith(".") and _is_dir(e)]
        found, whole, skip = self._claims(folder, files, dirs)
        if whole:
            return found
        empty = []
        for name in dirs:
            if name in skip:
                continue
            held = self.visit(os.path.join(folder, name), ancestors | {real})
            if held:
                found = True
            elif held is False:
                empty.append(os.path.join(folder, name))
        if found:
            self.empty.extend(empty)    # below a folder without runs, only that folder is named
        return found

    def _claims(self, folder: str, files: list[str], dirs: list[str]) -> tuple[bool, bool, set[str]]:
        """Ask each source what it takes of ``folder``: (runs found, folder taken whole, dirs to skip)."""
        left, skip, found = list(files), set(), False
        for source in _sources():
            try:
                claim = source.from_folder(folder, left, dirs)
            except InputError as exc:   # a store that cannot be listed: the others still count
                self.problems.append(exc)
                self.notices.append(Notice(f"skipped: {exc.what}" + (f" ({exc.hint})" if exc.hint else ""),
                                           file=exc.file or folder))
                continue
            if claim is None:
                continue
            self.refs.extend(replace(ref, found_in=self.root) for ref in claim.refs)
            self.notices.extend(claim.notices)
            found = found or bool(claim.refs)
            if claim.whole:
                return found or bool(claim.notices), True, skip
            left = [name for name in left if name not in claim.files]
            skip |= claim.dirs
        return found, False, skip

    def finish(self) -> None:
        """Turn what the walk skipped into one notice per kind."""
        def rel(paths):
            return [os.path.relpath(p, self.root) for p in paths]
        if self.empty:
            count = len(self.empty)
            self.notices.append(Notice(f"no run in {count} folder{'s' * (count != 1)}: "
                                       f"{_shown(rel(self.empty))}", file=self.root))
        if self.unreadable:
            self.notices.append(Notice(f"cannot read {len(self.unreadable)} folder(s): "
                                       f"{_shown(rel(self.unreadable))}", file=self.root))
        if self.loops:
            self.notices.append(Notice(f"skipped {len(self.loops)} symbolic link(s) that lead back "
                                       f"into their own folder: {_shown(rel(self.loops))}",
                                       file=self.root))


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk(folder: str) -> Found:
    walk = _Walk(root=folder)
    found = walk.visit(folder, frozenset())
    walk.finish()
    if not walk.refs:
        if walk.problems:
            raise walk.problems[0]
        if not found:
            raise InputError("no runs in this folder", file=folder,
                             hint="looked for event files (events.out.tfevents.*), logs "
                                  "(*.csv, *.jsonl, *.json, …), mlflow.db / mlruns/ and W&B run "
                                  "folders" + (f"; {walk.notices[0].what}" if walk.notices else ""))
    return Found(tuple(walk.refs), tuple(walk.notices))


def _from_file(path: str) -> Found:
    for source in _sources():
        found = source.from_file(path)
        if found is not None:
            return found
    raise AssertionError("the log source takes every file")   # pragma: no cover


def find_path(path: str) -> Found:
    """The runs one path holds: ``-``, a file, a folder (walked), or ``<store>#<run id>``."""
    if path == STDIN or os.path.isfile(path):
        return _from_file(path)
    if os.path.isdir(path):
        return _walk(path)
    if RUN_IN_STORE in path:
        found = RUN_SOURCES.load("mlflow").run_at(path)
        if found is not None:
            return found
    return _from_file(path)     # missing: its reader says so, in the usual words


def find_runs(paths: Sequence[str]) -> Found:
    """Every run the paths hold, in order (globs expanded; a run named twice is read once)."""
    from .discover import expand_paths

    refs: dict[tuple, RunRef] = {}
    notices: list[Notice] = []
    for path in expand_paths(paths):
        found = find_path(path)
        for ref in found.refs:
            same = ref.source if ref.source == STDIN else os.path.realpath(ref.source)
            refs.setdefault((ref.kind, same, ref.run_id), ref)
        notices.extend(found.notices)
    return Found(tuple(refs.values()), tuple(notices))


def find_inputs(inputs) -> Found:
    """The runs a command's inputs hold: a ``Found`` as it is; paths (found, globs expanded) and
    ``RunRef``s (as they are) in order. Raises InputError when there is no input at all."""
    if isinstance(inputs, Found):
        return inputs
    inputs = list(inputs)
    if not inputs:
        raise InputError("no log files given", hint="rlplot render LOG.jsonl -o out.png")
    if all(isinstance(item, RunRef) for item in inputs):
        return Found(tuple(inputs))
    refs: list[RunRef] = []
    notices: list[Notice] = []
    for item in inputs:
        found = Found((item,)) if isinstance(item, RunRef) else find_runs([item])
        refs.extend(found.refs)
        notices.extend(found.notices)
    return Found(tuple(refs), tuple(notices))


def input_files(found: Found) -> list[str]:
    """Every file the runs are read from (an output must never be one of them)."""
    return [path for ref in found.refs for path in ref.files]


def run_at(address: str) -> RunRef:
    """The one run an address names (``RunRef.address``: a log, a run folder, ``<store>#<run id>``),
    without walking below a run folder: what a job that renders one run found earlier reads."""
    if os.path.isdir(address):
        entries = sorted(os.scandir(address), key=lambda e: natural_key(e.name))
        files = [e.name for e in entries if _is_file(e)]
        dirs = [e.name for e in entries if _is_dir(e)]
        for source in _sources():
            claim = source.from_folder(address, files, dirs)
            if claim is not None and len(claim.refs) == 1:
                return claim.refs[0]
        raise InputError("not the folder of one run", file=address,
                         hint="give a run folder, a log, or <store>#<run id>")
    refs = find_path(address).refs
    if len(refs) != 1:
        raise InputError(f"holds {len(refs)} runs", file=address,
                         hint="name one as <store>#<run id> (see RunRef.address)")
    return refs[0]
