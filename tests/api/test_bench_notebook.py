"""benchmarks/bench_notebook.py runs and prints its table (no timing is asserted: it measures)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_notebook.py"


def test_a_quick_run_prints_every_row_and_writes_nothing_into_the_tree():
    before = sorted(p for p in ROOT.joinpath("benchmarks").rglob("*") if "__pycache__" not in p.parts)
    out = subprocess.run([sys.executable, str(BENCH), "--rows", "200", "--reps", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "200 rows, median of 1 fresh processes"
    rows = [line.split(" | ")[0].lstrip("| ") for line in lines if line.startswith("| ") and "---" not in line]
    assert rows[1:] == ["python -c pass (floor)", "python -c 'import rlplot'",
                        "rlplot render data.csv -o out.png (whole process)",
                        "notebook 1st call: import rlplot + plot(df) + inline PNG",
                        "notebook, the next call: plot(df) + inline PNG",
                        "notebook 1st call + .save('out.png')"]
    assert all(" s |" in line for line in lines[4:])
    after = sorted(p for p in ROOT.joinpath("benchmarks").rglob("*") if "__pycache__" not in p.parts)
    assert after == before
