"""The compare benchmark runs end to end (tiny shape) and its table says what it measured."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
import bench_compare  # noqa: E402


def test_scores_are_seeded_and_shaped_like_rliable_input():
    one, two = bench_compare.make_scores(5, 26, 10), bench_compare.make_scores(5, 26, 10)
    assert list(one) == [f"algo{i}" for i in range(5)]
    assert all(a.shape == (10, 26) and np.all(a > 0) for a in one.values())
    assert all(np.array_equal(one[k], two[k]) for k in one)
    assert np.median(one["algo4"]) > np.median(one["algo0"])     # algorithms differ in strength


def test_logs_rise_to_their_scores_and_are_read_as_written(tmp_path):
    scores = bench_compare.make_scores(2, 3, 2)
    assert bench_compare.write_logs(tmp_path, scores, rows=40) == 2 * 3 * 2
    paths = sorted(tmp_path.glob("*/*/seed*.csv"))
    assert [p.relative_to(tmp_path).as_posix() for p in paths[:2]] == ["algo0/game00/seed0.csv", "algo0/game00/seed1.csv"]
    data = np.loadtxt(paths[-1], delimiter=",", skiprows=1)
    assert data.shape == (40, 2) and data[-1, 0] == 100_000
    assert abs(data[-4:, 1].mean() - scores["algo1"][1, 2]) < 0.1 * scores["algo1"][1, 2]


def test_quick_run_prints_the_tables_and_agrees_with_rliable():
    out = subprocess.run([sys.executable, str(BENCH / "bench_compare.py"), "--quick", "--rliable-reps", "20"],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    assert out.startswith("Shape: 3 algorithms x 4 tasks x 5 runs (60 logs of 50 points), 200 replicates; "
                          "pairs: all 3")
    assert "| rliable improvement (20 reps) |" in out and "(20 reps x10)" in out
    assert "| `rlplot compare` from the logs: read, score, statistics, 3 figures + JSON table (whole process) |" in out
    assert "| read 60 logs (serially) |" in out and "| draw + save 4 figures (PNG) |" in out
    line = next(line for line in out.splitlines() if line.startswith("Largest"))
    point = float(line.split("point estimate: ")[1].split(";")[0])
    assert point < 1e-12
