"""The event-file benchmark's pieces work: its readers agree, and its quick run prints both tables."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
import tfevents_readers  # noqa: E402


def test_the_readers_get_the_same_points(tmp_path):
    import bench_tfevents

    bench_tfevents.write_run(tmp_path, ("rollout/ep_rew_mean", "train/loss"), 300, seed=1)
    ours = tfevents_readers.read_rlplot(str(tmp_path), "rollout/ep_rew_mean")
    assert ours[0] == 300
    assert tfevents_readers.read_accumulator(str(tmp_path), "rollout/ep_rew_mean") == ours
    runs, points = tfevents_readers.scan_tree(str(tmp_path))
    assert (runs, points) == (1, 600.0)


def test_quick_run_prints_the_tables():
    out = subprocess.run([sys.executable, str(BENCH / "bench_tfevents.py"), "--quick"],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    assert "every reader got the same points: yes" in out
    assert "| rlplot |" in out and "| accumulator |" in out
    assert "A tree of 6 runs × 800 events" in out and "failed" not in out
