"""The manifest: per output, the hashes it was made from, so unchanged runs are skipped.

It is always replaced atomically, so a kill -9 never leaves it half written, and a flush
keeps what another shard wrote into the same folder meanwhile.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path, PurePosixPath
from typing import Sequence

from .._version import __version__
from ..atomic import leftovers, write_text_atomic
from .planning import Job

MANIFEST_NAME = ".rlplot-manifest.json"
MANIFEST_FORMAT = 1
# At most this much finished work is re-rendered after a kill -9.
MANIFEST_FLUSH_SECONDS = 0.2


class Manifest:
    """Per output (relative to the out dir): input hash, config hash, rlplot version, run notes."""

    def __init__(self, out_dir: str, entries: dict | None = None) -> None:
        self.out_dir = out_dir
        self.path = os.path.join(out_dir, MANIFEST_NAME)
        self.entries: dict[str, dict] = dict(entries or {})
        self._changed: dict[str, dict] = {}
        self._last_flush = 0.0
        self._gap = MANIFEST_FLUSH_SECONDS

    @classmethod
    def load(cls, out_dir: str) -> "Manifest":
        """Read the manifest of ``out_dir``; a missing or unreadable one is empty (so all re-render)."""
        return cls(out_dir, _read_entries(os.path.join(out_dir, MANIFEST_NAME)))

    def key(self, output: str) -> str:
        """An output's manifest key: its path relative to the out dir, POSIX style."""
        return PurePosixPath(Path(os.path.relpath(output, self.out_dir))).as_posix()

    def entry(self, output: str) -> dict:
        """What the manifest holds for ``output`` (``{}``: nothing)."""
        return self.entries.get(self.key(output), {})

    def up_to_date(self, output: str, input_hash: str, config_hash: str) -> bool:
        """True when ``output`` exists and was made from these very input bytes, config and version."""
        entry = self.entry(output)
        return bool(entry and entry.get("input_sha256") == input_hash
                    and entry.get("config_sha256") == config_hash
                    and entry.get("rlplot") == __version__ and os.path.isfile(output))

    def record(self, output: str, entry: dict) -> None:
        """Remember a freshly written output (written to disk on the next ``flush``)."""
        key = self.key(output)
        self.entries[key] = entry
        self._changed[key] = entry

    def flush(self, force: bool = True) -> None:
        """Write the manifest atomically; without ``force`` at most every MANIFEST_FLUSH_SECONDS."""
        if not self._changed or (not force and time.monotonic() - self._last_flush < self._gap):
            return
        started = time.monotonic()
        # Re-read what is on disk so that entries written meanwhile by another shard survive.
        # Only this process's own records go on top: entries loaded at the start may be older
        # than what another shard has written since.
        merged = _read_entries(self.path)
        merged.update(self._changed)
        self.entries = merged
        document = {"format": MANIFEST_FORMAT, "rlplot": __version__,
                    "outputs": dict(sorted(merged.items()))}
        write_text_atomic(self.path, json.dumps(document, indent=1, sort_keys=True) + "\n")
        self._changed.clear()
        self._last_flush = time.monotonic()
        # A huge manifest (tens of thousands of outputs) is written less often, so that
        # writing it never takes more than ~10 % of the time.
        self._gap = max(MANIFEST_FLUSH_SECONDS, 10 * (self._last_flush - started))


def _read_entries(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        return {}
    outputs = document.get("outputs")
    return {k: v for k, v in outputs.items() if isinstance(v, dict)} if isinstance(outputs, dict) \
        else {}


def remove_leftovers(jobs: Sequence[Job], out_dir: str) -> int:
    """Delete the temp files that a killed run left for the jobs' outputs and the manifest;
    return how many."""
    paths = [out for job in jobs for out in job.outputs] + [os.path.join(out_dir, MANIFEST_NAME)]
    removed = 0
    for temp in leftovers(paths):
        try:
            os.unlink(temp)
            removed += 1
        except OSError:
            pass
    return removed
