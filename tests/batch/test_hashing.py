"""rlplot.batch.hashing: what makes an output current (input bytes, effective config)."""
from __future__ import annotations

import hashlib

from rlplot.batch.discovery import discover
from rlplot.batch.hashing import config_sha256, file_sha256, job_sha256
from rlplot.batch.planning import Job, plan
from rlplot.config import Config, load_config

from .sweeps import LR, make_sweep


def test_file_hash_is_the_sha256_of_the_bytes(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"x" * (3 << 20))   # more than one read block
    assert file_sha256(str(path)) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_config_hash_follows_the_effective_config():
    base = load_config([], []).config
    assert config_sha256(base) == config_sha256(Config())
    assert config_sha256(load_config([], ["smoothing.frac=0.3"]).config) != config_sha256(base)
    assert config_sha256(base, strict=True) != config_sha256(base)


def test_group_hash_covers_every_member_in_any_order(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1", "lr1_seed2"), n=10)
    job = plan(discover([str(sweep)]), str(tmp_path / "o"), group_by=LR)[0]
    assert job.members and len(job.members) == 2
    flipped = Job(job.source, job.relpath, job.key, job.outputs, group=job.group,
                  members=job.members[::-1], member_relpaths=job.member_relpaths[::-1])
    assert job_sha256(flipped) == job_sha256(job)
    alone = Job(job.source, job.relpath, job.key, job.outputs, group=job.group,
                members=job.members[:1], member_relpaths=job.member_relpaths[:1])
    assert job_sha256(alone) != job_sha256(job)
    assert job_sha256(Job(job.source, job.relpath, job.key, job.outputs)) == \
        file_sha256(job.source)                   # single runs keep their manifests
