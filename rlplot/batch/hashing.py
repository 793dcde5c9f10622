"""Hashing: what decides whether an output is current (the input bytes, the effective config).

A run's input hash covers every file it is read from (``RunRef.files``: a log; each event
file of a run folder, so a resumed run that writes a new file is re-rendered; an MLflow
store). Hashing reads every byte; ``FileStamps`` lets a rerun skip re-reading a file whose
``stat`` shows it untouched since it was last hashed (see ``unchanged``).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from typing import Callable, Sequence

from ..provenance import sha256_of_file
from .planning import Job

# A file whose status changed this close to (or after) the moment it was hashed may have
# been written again within the file system's timestamp granularity (FAT: 2 s): such a
# "racy" stamp is never trusted (git's index does the same).
RACY_SECONDS = 2.0
STAMPS_TRUSTED = os.name == "posix"   # st_ctime is the status change time only on POSIX


def file_sha256(path: str) -> str:
    """SHA-256 of a file's bytes (OSError if unreadable)."""
    return sha256_of_file(path)[0]


def tree_sha256(folder: str, file_hash: Callable[[str], str] = file_sha256) -> str:
    """SHA-256 of every file below ``folder``: relative paths and their bytes' hashes, sorted."""
    digest = hashlib.sha256()
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        entries.extend(os.path.join(root, name) for name in sorted(files))
    for path in entries:
        rel = os.path.relpath(path, folder).replace(os.sep, "/")
        digest.update(json.dumps([rel, file_hash(path)]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def run_sha256(address: str, files: Sequence[str], file_hash: Callable[[str], str] = file_sha256
               ) -> str:
    """SHA-256 of one run's input: a lone log's bytes hash (what older manifests hold); else of
    every file's (or store folder's) path relative to the run and hash, in order."""
    folder = os.path.isdir(address)
    if len(files) == 1 and files[0] == address and not folder:
        return file_hash(address)
    base = address if folder else os.path.dirname(address.rpartition("#")[0]
                                                  if "#" in address else address)
    digest = hashlib.sha256()
    for path in files:
        rel = os.path.relpath(path, base or ".").replace(os.sep, "/")
        value = tree_sha256(path, file_hash) if os.path.isdir(path) else file_hash(path)
        digest.update(json.dumps([rel, value]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def job_sha256(job: Job, file_hash: Callable[[str], str] = file_sha256) -> str:
    """SHA-256 of a job's input: its run's (``run_sha256``); for a group, of every member's
    relative path and input hash, sorted (so adding, removing or changing one seed changes it).

    ``file_hash``: how one file is hashed (a cache shared by the jobs of a batch).
    Raises OSError (with ``filename`` set) when a file cannot be read."""
    if job.group is None:
        return run_sha256(job.source, job.input_files[0], file_hash)
    digest = hashlib.sha256()
    members = zip(job.member_relpaths, job.members, job.input_files)
    for rel, address, files in sorted(members):
        digest.update(json.dumps([rel, run_sha256(address, files, file_hash)]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def config_sha256(config, strict: bool = False) -> str:
    """SHA-256 of the effective config as canonical JSON (plus the reading mode)."""
    from ..config import to_mapping

    payload = {"config": to_mapping(config), "strict": strict}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stat_stamp(path: str) -> list[int] | None:
    """What says a file is untouched: size, modification and status-change times (ns), inode
    and device; None for a folder or a file that cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class FileStamps:
    """Per file, the hash it had when it was last hashed and its stat stamp then.

    ``unchanged(stamp, at)`` is the whole safety argument: every write to a file, and every
    change of its times (``touch``, ``utime``, ``cp -p``), sets its status-change time
    (``st_ctime``) to the current time, which user space cannot set. A stamp taken when the
    file's ctime was already ``RACY_SECONDS`` in the past therefore matches a later stat only
    if nothing wrote the file since, unless the clock went backwards. Replacing the file
    changes its inode."""

    def __init__(self, known: dict | None = None) -> None:
        self.known: dict[str, list] = dict(known or {})   # path -> [sha256, stamp, taken_at_ns]
        self.taken: dict[str, list] = {}                  # what this batch hashed or trusted
        self._hashes: dict[str, str] = {}

    def file_hash(self, path: str) -> str:
        """A file's SHA-256: trusted from ``known`` when its stamp proves it untouched, else read
        (each file once per batch, however many runs share it: a store)."""
        key = os.path.abspath(path)
        if key in self._hashes:
            return self._hashes[key]
        now = time.time_ns()     # before stat: a write after this moment moves ctime past it
        stamp = stat_stamp(path) if STAMPS_TRUSTED else None
        old = self.known.get(key)
        if stamp is not None and old is not None and old[1] == stamp and unchanged(stamp, old[2]):
            value, taken = old[0], old[2]
        else:
            value, taken = file_sha256(path), now
        self._hashes[key] = value
        if stamp is not None:
            self.taken[key] = [value, stamp, taken]
        return value


def unchanged(stamp: Sequence[int], taken_at_ns: int) -> bool:
    """Whether a stamp taken at ``taken_at_ns`` can be trusted: the file's last status change
    was at least RACY_SECONDS before it (a later write would then change the stamp)."""
    return stamp[2] < taken_at_ns - int(RACY_SECONDS * 1e9)
