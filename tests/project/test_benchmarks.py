"""The benchmark's pieces work: seeded logs that rlplot reads as intended, and the runner's table.

Nothing here writes into the source tree: logs go to pytest's temporary folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from rlplot.io import read_log

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402


def source_tree() -> list[Path]:
    """Every file under benchmarks/ but Python's byte-code cache."""
    return sorted(p for p in BENCH.rglob("*") if "__pycache__" not in p.parts)


def test_generated_logs_are_seeded_and_read_alike(tmp_path):
    csv = generate.generate(1500, "csv", tmp_path)
    jsonl = generate.generate(1500, "jsonl", tmp_path)
    first = csv.read_bytes()
    assert generate.generate(1500, "csv", tmp_path, force=True).read_bytes() == first
    a, b = read_log(str(csv)), read_log(str(jsonl))
    assert a.n_rows == b.n_rows == 1500
    assert {"step", "rl_flops", "accuracy", "avg_parallelism", "timestamp"} <= set(a.names)
    assert "timing.wall_s" in b.names  # nested keys, as trainers write them
    for name in ("step", "accuracy", "avg_parallelism"):
        np.testing.assert_allclose(a.columns[name].values, b.columns[name].values)
    acc = a.columns["accuracy"].values
    assert 0.3 < acc[:100].mean() < 0.4 and 0.6 < acc[-100:].mean() < 0.7  # the seed chart's shape
    stamps = a.columns["timestamp"]          # ISO-8601 text, read as Unix seconds
    assert not stamps.nonnumeric.any() and np.all(np.diff(stamps.values) >= 0)
    assert stamps.values[0] > 1.5e9


def test_quick_run_prints_the_table_and_writes_only_to_its_data_folder(tmp_path):
    before = source_tree()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    data = tmp_path / "data"
    out = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--reps", "1",
                          "--data", str(data)], env={**os.environ, "TMPDIR": str(scratch)},
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert out.startswith("| case | rlplot (median)")
    assert "1,000 rows CSV vs drawing floor (floor.py)" in out
    assert "`rlplot --help`" in out and "`rlplot --version`" in out
    assert sorted(p.name for p in data.iterdir()) == ["run_1000.csv", "run_1000.csv.ok",
                                                      "run_1000.jsonl", "run_1000.jsonl.ok"]
    assert list(scratch.iterdir()) == []   # its figures' temp folder is removed
    assert source_tree() == before      # nothing written into the source tree
