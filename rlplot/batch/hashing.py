"""Hashing: what decides whether an output is current (the input bytes, the effective config)."""
from __future__ import annotations

import hashlib
import json

from .planning import Job


def file_sha256(path: str) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def job_sha256(job: Job) -> str:
    """SHA-256 of a job's input: the log's bytes; for a group, of every member's relative path
    and bytes hash, sorted (so adding, removing or changing one seed changes it).

    Raises OSError (with ``filename`` set) when a log cannot be read."""
    if job.group is None:
        return file_sha256(job.source)
    digest = hashlib.sha256()
    for rel, path in sorted(zip(job.member_relpaths, job.members)):
        digest.update(json.dumps([rel, file_sha256(path)]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def config_sha256(config, strict: bool = False) -> str:
    """SHA-256 of the effective config as canonical JSON (plus the reading mode)."""
    from ..config import to_mapping

    payload = {"config": to_mapping(config), "strict": strict}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
