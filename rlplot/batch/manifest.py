"""The manifest: per output, the hashes it was made from, so unchanged runs are skipped.

It is always replaced atomically, so a kill -9 never leaves it half written. Several
batches may write into one folder at once (CI shards, a rerun while one runs): each
flush re-reads, merges and writes the manifest holding an inter-process lock on it
(``filelock``: flock on Linux and macOS, LockFileEx on Windows, released by the kernel
when its holder dies), so no batch loses what another recorded meanwhile.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path, PurePosixPath
from typing import Iterator, Sequence

from .._version import __version__
from ..atomic import leftovers, remove_dead, write_text_atomic
from ..errors import OutputError
from .planning import Job

MANIFEST_NAME = ".rlplot-manifest.json"
MANIFEST_FORMAT = 1
# At most this much finished work is re-rendered after a kill -9.
MANIFEST_FLUSH_SECONDS = 0.2
LOCK_SUFFIX = ".lock"
# A flush holds the lock for milliseconds: a minute's wait means a stuck file system.
LOCK_TIMEOUT_SECONDS = 60.0


class Manifest:
    """Per output (relative to the out dir): input hash, config hash, rlplot version, run notes."""

    def __init__(self, out_dir: str, entries: dict | None = None, stamps: dict | None = None) -> None:
        self.out_dir = out_dir
        self.path = os.path.join(out_dir, MANIFEST_NAME)
        self.entries: dict[str, dict] = dict(entries or {})
        # Per input file (absolute path): [sha256, stat stamp, when stamped] (batch.hashing.FileStamps)
        self.stamps: dict[str, list] = dict(stamps or {})
        self._changed: dict[str, dict] = {}
        self._new_stamps: dict[str, list] = {}
        self._last_flush = 0.0
        self._gap = MANIFEST_FLUSH_SECONDS

    @classmethod
    def load(cls, out_dir: str) -> "Manifest":
        """Read the manifest of ``out_dir``; a missing or unreadable one is empty (so all re-render)."""
        return cls(out_dir, *_read_document(os.path.join(out_dir, MANIFEST_NAME)))

    def key(self, output: str) -> str:
        """An output's manifest key: its path relative to the out dir, POSIX style."""
        prefix = self.out_dir + os.sep
        parts = output[len(prefix):].split(os.sep) if output.startswith(prefix) else ()
        if parts and all(part not in ("", ".", "..") for part in parts):
            # what planning writes: out_dir joined with a clean relative name (relpath is slow)
            return "/".join(parts)
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

    def record_stamps(self, stamps: dict) -> None:
        """Remember the input files' stat stamps (written with the next entries)."""
        self._new_stamps.update(stamps)

    def flush(self, force: bool = True) -> None:
        """Write the manifest atomically; without ``force`` at most every MANIFEST_FLUSH_SECONDS."""
        if not (self._changed or self._new_stamps) or \
                (not force and time.monotonic() - self._last_flush < self._gap):
            return
        started = time.monotonic()
        with self._locked():
            # Re-read what is on disk so that entries written meanwhile by another batch
            # survive. Only this process's own records go on top: entries loaded at the start
            # may be older than what another shard has written since.
            merged, stamps = _read_document(self.path)
            merged.update(self._changed)
            stamps.update(self._new_stamps)
            document = {"format": MANIFEST_FORMAT, "rlplot": __version__,
                        "outputs": merged, "stamps": stamps}
            # sorted keys (a stable file); compact: a manifest of 10,000 runs is read on every rerun
            write_text_atomic(self.path, json.dumps(document, sort_keys=True,
                                                    separators=(",", ":")) + "\n")
        self.entries = merged
        self.stamps = stamps
        self._changed.clear()
        self._new_stamps.clear()
        self._last_flush = time.monotonic()
        # A huge manifest (tens of thousands of outputs) is written less often, so that
        # writing it never takes more than ~10 % of the time.
        self._gap = max(MANIFEST_FLUSH_SECONDS, 10 * (self._last_flush - started))


    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the inter-process lock on this manifest's read-merge-write."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.path + LOCK_SUFFIX, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            os.makedirs(self.out_dir, exist_ok=True)
            lock.acquire()
        except Timeout:
            raise OutputError(f"the manifest stayed locked for {LOCK_TIMEOUT_SECONDS:g} s",
                              file=self.path, hint="another rlplot batch writing into this "
                              "folder is stuck; is the file system hanging?") from None
        except OSError as exc:
            raise OutputError(f"cannot lock the manifest: {exc.strerror or exc}",
                              file=self.path + LOCK_SUFFIX) from None
        try:
            yield
        finally:
            lock.release()


def _read_entries(path: str) -> dict:
    return _read_document(path)[0]


def _read_document(path: str) -> tuple[dict, dict]:
    """The outputs' entries and the input files' stamps of a manifest; a missing, unreadable
    or foreign one is empty, a malformed stamp is dropped (its file is hashed again)."""
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        return {}, {}
    outputs = document.get("outputs")
    entries = {k: v for k, v in outputs.items() if isinstance(v, dict)} \
        if isinstance(outputs, dict) else {}
    stamps = document.get("stamps")
    stamps = {k: v for k, v in stamps.items() if _is_stamp(v)} if isinstance(stamps, dict) else {}
    return entries, stamps


def _is_stamp(value) -> bool:
    """``[sha256 hex, [5 ints], int]``: what FileStamps records."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and len(value[1]) == 5
            and all(type(v) is int for v in value[1]) and type(value[2]) is int)


def remove_leftovers(jobs: Sequence[Job], out_dir: str) -> int:
    """Delete the temp files that killed runs left for the jobs' outputs and the manifest;
    return how many. Only provably dead ones go (``rlplot.atomic.is_dead``): another batch
    writing into the same folder right now keeps its writes in progress."""
    paths = [out for job in jobs for out in job.outputs] + [os.path.join(out_dir, MANIFEST_NAME)]
    return remove_dead(leftovers(paths))
