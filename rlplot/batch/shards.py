"""Sharding: split a batch's jobs into N parts the same way on every machine (``--shard I/N``)."""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

from ..errors import OutputError
from .planning import Job


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; shards are numbered from 1."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise OutputError(f"bad --shard '{text}'", hint="use i/n with 1 <= i <= n, e.g. 2/4")
    return int(match[1]), int(match[2])


def shard_of(key: str, count: int) -> int:
    """The shard (1..count) of a job's ``shard_key``: a stable hash, the same on every machine."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """The jobs of shard ``index`` of ``count``; the shards partition ``jobs`` exactly."""
    return [job for job in jobs if shard_of(job.shard_key, count) == index]
