"""rlplot.batch.shards: ``--shard I/N`` splits a batch the same way on every machine."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from rlplot.batch.discovery import discover
from rlplot.batch.planning import Job, plan
from rlplot.batch.shards import parse_shard, select_shard, shard_of
from rlplot.errors import OutputError

from .sweeps import make_sweep, outputs_of


@settings(max_examples=60, deadline=None)
@given(st.sets(st.text(alphabet="abcdef/_-.0123", min_size=1, max_size=12), max_size=60),
       st.integers(min_value=1, max_value=7))
def test_shards_cover_every_run_exactly_once(relpaths, count):
    jobs = [Job(source=r, relpath=r, key=r, outputs=()) for r in sorted(relpaths)]
    shards = [select_shard(jobs, i, count) for i in range(1, count + 1)]
    flat = [job.key for shard in shards for job in shard]
    assert sorted(flat) == sorted(relpaths)           # covered, and no run twice
    # Deterministic and independent of the order and of the other runs present.
    assert select_shard(list(reversed(jobs)), 1, count) == list(reversed(shards[0]))


def test_shard_assignment_is_stable_across_processes():
    code = ("from rlplot.batch.shards import shard_of; "
            "print([shard_of(f'run{i}/m.jsonl', 4) for i in range(20)])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1
    assert outs.pop().strip() == str([shard_of(f"run{i}/m.jsonl", 4) for i in range(20)])


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", ""])
def test_malformed_shard_specs_are_refused(text):
    with pytest.raises(OutputError, match="bad --shard"):
        parse_shard(text)


def test_shard_specs_are_read_with_spaces():
    assert parse_shard(" 2 / 4 ") == (2, 4)


def test_cli_shards_partition_a_sweep(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=[f"run{i}" for i in range(7)], n=20)
    seen = []
    for i in (1, 2, 3):
        result = invoke("batch", sweep, "--out-dir", tmp_path / f"out{i}", "-j", "1",
                        "--shard", f"{i}/3", "-q")
        assert result.exit_code == 0, result.stderr
        seen += outputs_of(tmp_path / f"out{i}")
    assert sorted(seen) == [f"run{i}/metrics.png" for i in range(7)]


def test_cli_shards_split_by_group(tmp_path, invoke):
    names = [f"lr{lr}_seed{s}" for lr in range(5) for s in (1, 2)] + ["odd"]
    sweep = make_sweep(tmp_path / "sweep", names=names, n=10)
    seen = []
    for i in (1, 2, 3):
        result = invoke("batch", sweep, "--out-dir", tmp_path / f"out{i}", "-j", "1",
                        "--shard", f"{i}/3", "--group-by", r"lr(\d)_seed", "-q")
        assert result.exit_code == 0, result.stderr
        seen += outputs_of(tmp_path / f"out{i}")
    assert sorted(seen) == ["0.png", "1.png", "2.png", "3.png", "4.png", "odd_metrics.png"]
    # A group's shard depends on its name only: a new seed never moves it to another shard.
    before = {j.key: shard_of(j.shard_key, 3)
              for j in plan(discover([str(sweep)]), str(tmp_path / "o"), group_by=r"lr(\d)_seed")}
    make_sweep(sweep, names=[f"lr{lr}_seed0" for lr in range(5)], n=10)   # sorts first
    after = {j.key: shard_of(j.shard_key, 3)
             for j in plan(discover([str(sweep)]), str(tmp_path / "o"), group_by=r"lr(\d)_seed")}
    assert after == before
