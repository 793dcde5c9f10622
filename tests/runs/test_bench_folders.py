"""The folders benchmark's quick run measures every command and prints its table."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_quick_run_prints_the_table():
    out = subprocess.run([sys.executable, str(BENCH / "bench_folders.py"), "--quick",
                          "--readers", "accumulator"],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    assert "A tree of 6 event-file runs × 800 events" in out
    assert "`rlplot inspect DIR -f json`" in out and "EventAccumulator" in out
    assert "failed" not in out and out.count(" MB |") == 3
