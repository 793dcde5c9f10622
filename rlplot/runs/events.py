"""The ``tfevents`` run source: a folder holding TensorBoard event files is one run.

Its event files are merged in TensorBoard's order (``io.tfevents``). Sub-folders are runs of
their own (``add_scalars`` writes ``Loss_train/``, ``Loss_val/`` under the run), so a walk
goes on below a folder of event files. Its configuration: the hparams plugin's record in
its event files (or, as torch's and tensorboardX's ``add_hparams`` write it, in the one
sub-folder that has one), then the config files beside or above the folder (``io.hparams``).
"""
from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from ..data import Column, Table
from .refs import FolderClaim, Found, RunRef, Wanted


def _ref(source: str, files: Sequence[str]) -> RunRef:
    return RunRef(kind=EVENTS.name, source=source, files=tuple(files), label_path=source)


def names_only(table: Table, tags: Sequence[str]) -> Table:
    """A Table with no rows whose columns are ``table``'s fixed ones and every tag: for an error
    that lists what the run has without reading every point."""
    empty = np.zeros(0)
    none = np.zeros(0, dtype=bool)
    names = list(table.columns)[:2] + [t for t in tags if t not in table.columns]
    return Table(source=table.source, format=table.format, n_rows=0,
                 columns={name: Column(name, empty, none, none) for name in names},
                 skipped=table.skipped)


def _session_hparams(folder: str) -> dict:
    """The hparams ``add_hparams`` (torch, tensorboardX) writes into a sub-folder of the run (a
    session named by its time), when exactly one sub-folder has them."""
    from ..io.tfevents import is_event_file, read_event_hparams

    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return {}
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith("."):
            files = [e.path for e in os.scandir(entry.path) if e.is_file() and is_event_file(e.name)]
            hparams = read_event_hparams(files) if files else {}
            if hparams:
                found.append(hparams)
    return found[0] if len(found) == 1 else {}


class EventSource:
    """TensorBoard event files (``events.out.tfevents.*``)."""

    name = "tfevents"

    def from_file(self, path: str) -> Found | None:
        from ..io.magic import is_event_file

        return Found((_ref(path, (path,)),)) if is_event_file(path) else None

    def from_folder(self, folder: str, files: Sequence[str], dirs: Sequence[str]) -> FolderClaim | None:
        from ..io.magic import is_event_file
        from ..io.tfevents import event_file_order

        events = [name for name in files if is_event_file(name)]
        if not events:
            return None
        ordered = event_file_order(os.path.join(folder, name) for name in events)
        return FolderClaim(refs=(_ref(folder, ordered),), files=frozenset(events))

    def read(self, ref: RunRef, wanted: Wanted | None, strict: bool, format: str | None
             ) -> tuple[Table, ...]:
        from ..io.tfevents import read_event_run, scan_event_run

        tags = None if wanted is None else wanted.columns
        table = read_event_run(ref.files, tags=tags, strict=strict, source=ref.source)
        if wanted is not None and not wanted.found_in(table):
            table = names_only(table, [t.name for t in scan_event_run(ref.files).tags])
        return (table,)

    def config(self, ref: RunRef):
        from ..io.hparams import RunConfig, read_run_config
        from ..io.tfevents import read_event_hparams

        folder = ref.source if os.path.isdir(ref.source) else os.path.dirname(ref.source) or "."
        hparams = read_event_hparams(ref.files) or _session_hparams(folder)
        files = read_run_config(folder)
        values = dict(hparams)
        for key, value in files.values.items():
            values.setdefault(key, value)
        sources = ((ref.source + " (hparams)",) if hparams else ()) + files.sources
        return RunConfig(values, sources, files.notices)


EVENTS = EventSource()
