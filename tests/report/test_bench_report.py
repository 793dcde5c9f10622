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
