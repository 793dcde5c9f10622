"""benchmarks/bench_report.py runs end to end on a small sweep and prints its table."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_report.py"


def test_quick_benchmark_prints_sizes_and_browser_timings():
    out = subprocess.run([sys.executable, str(BENCH), "--runs", "13", "--rows", "200", "--points", "50",
                          "--svg", "none", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert out.startswith("13 runs x 2 panels in 13 sections, 200 rows, 50 drawn points")
    assert "- page: " in out and "fallback SVGs 0.00 MB" in out
    rows = [line for line in out.splitlines() if line.startswith("| rlplot report") or line.startswith("| every")]
    assert len(rows) == 2
    lazy, eager = ([float(c) for c in row.strip("|").split("|")[1:]] for row in rows)
    assert lazy[0] > 0 and 1 <= lazy[3] <= 3  # only open sections on screen: the first 3 of 13 start open
    assert eager[3] == 13  # every chart built


def test_quick_real_benchmark_runs_the_command_beside_batch():
    out = subprocess.run([sys.executable, str(BENCH), "--source", "real", "--runs", "5", "--rows", "60",
                          "--repeat", "1", "-j", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert out.startswith("`rlplot report` of 5 generated logs (60 rows each, two panels), -j 1")
    assert "`rlplot batch --report summary.md` (a PNG per run):" in out
    (row,) = [line for line in out.splitlines() if line.startswith("| rlplot report |")]
    interactive, _, _, charts, _ = (float(c) for c in row.strip("|").split("|")[1:])
    assert interactive > 0 and 1 <= charts <= 5
