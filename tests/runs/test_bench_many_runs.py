"""The many-runs benchmark's data: its event files hold exactly the numbers of its CSV runs."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
import bench_many_runs as bench  # noqa: E402

from rlplot.io import read_log  # noqa: E402
from rlplot.io.tfevents import read_event_run  # noqa: E402


def test_event_files_and_csv_runs_hold_the_same_points(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "DATA", tmp_path)
    csv_root = bench.generate("csv", 3, 50, 1)
    tb_root = bench.generate("tfevents", 3, 50, 1)
    folders = sorted(p for p in tb_root.iterdir() if p.is_dir())
    assert len(folders) == 3 and len(list(csv_root.glob("*.csv"))) == 3
    for seed, folder in enumerate(sorted(folders, key=lambda p: p.name.split("seed")[1])):
        table = read_event_run(list(folder.glob("events.out.tfevents.*")))
        logged = read_log(str(csv_root / f"seed{seed:04d}.csv"))
        assert table.skipped == ()
        assert np.array_equal(table.columns["step"].values, logged.columns["step"].values)
        for tag in bench.TAGS:   # event files store float32: equal within its precision
            assert np.allclose(table.columns[tag].values, logged.columns[tag].values,
                               rtol=1e-6, atol=0)


def test_markdown_table_rows_say_what_each_tool_took():
    late = bench.Timing(12.0, 100 * bench.MB, 0, False, True)
    done = bench.Timing(2.5, 300 * bench.MB, 120 * bench.MB, True)
    assert bench.fmt_s(late) == "> 12 s (stopped)" and bench.fmt_s(done) == "2.50 s"
    assert bench.fmt_mb(done) == "300 MB (worker 120 MB)"
