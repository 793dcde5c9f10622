"""DataFrames in: ``tables_from_data`` vs what a notebook user does today (write a CSV, read it back).

    python benchmarks/bench_frames.py                  # 1e3 and 1e6 rows, pandas and polars, 3 reps
    python benchmarks/bench_frames.py --sizes 1e3 --reps 1

Import cost: each import is its own fresh process (median of --reps wall times), minus
nothing: compare the rows with each other (``python -c pass`` is the floor).
Conversion: in one process per library and size (imports paid beforehand), median of
--reps calls of
  frames:  tables_from_data(df, columns=<the figure's needed columns>)   (what plot() will do)
  all:     tables_from_data(df)                                           (inspect: every column)
  csv:     df.to_csv / write_csv to a temp file + rlplot.io.read_tables(path, columns=...)
The frame is seed-like: step (int), rl_flops, accuracy (1 % NaN), avg_parallelism, a run label
column (str) and a timestamp (datetime). Prints a Markdown table; writes only to a temp folder.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

IMPORTS = {
    "python -c pass": "pass",
    "numpy": "import numpy",
    "narwhals (stable.v2)": "import narwhals.stable.v2",
    "rlplot.io.frames (numpy + narwhals + rlplot.io)": "import rlplot.io.frames",
    "rlplot.io (the CLI's reader, no narwhals)": "import rlplot.io",
    "pyarrow": "import pyarrow",
    "polars": "import polars",
    "pandas": "import pandas",
}

CONVERT = r"""
import json, statistics, sys, tempfile, time, os
import numpy as np
library, rows, reps = sys.argv[1], int(float(sys.argv[2])), int(sys.argv[3])
rng = np.random.default_rng(0)
t = np.linspace(0, 1, rows)
acc = 0.35 + 0.29 * t + rng.normal(0, 0.013, rows)
acc[rng.random(rows) < 0.01] = np.nan
data = {"step": np.arange(rows) * 10, "rl_flops": 1e19 * (1 + 99 * t), "accuracy": acc,
        "avg_parallelism": 8 + 6 * t + rng.normal(0, 0.2, rows),
        "run": np.where(np.arange(rows) < rows // 2, "seed1", "seed2"),
        "timestamp": np.datetime64("2024-01-01") + (np.arange(rows) * 1000).astype("timedelta64[ms]")}
if library == "pandas":
    import pandas as pd
    frame = pd.DataFrame(data)
    write = lambda path: frame.to_csv(path, index=False)
else:
    import polars as pl
    frame = pl.DataFrame(data)
    write = lambda path: frame.write_csv(path)
from rlplot.config import load_config
from rlplot.io import read_tables
from rlplot.io.frames import tables_from_data
from rlplot.columns import merged_aliases, needed_columns
config = load_config().config
needed = needed_columns(config.data.x, [p.metric for p in config.panels], merged_aliases(config.data.aliases))

def timed(call):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

folder = tempfile.mkdtemp()
path = os.path.join(folder, "run.csv")
def via_csv():
    write(path)
    read_tables(path, columns=needed)
out = {"frames": timed(lambda: tables_from_data(frame, columns=needed)),
       "all": timed(lambda: tables_from_data(frame)),
       "runs": timed(lambda: tables_from_data(frame, columns=needed, runs="run")),
       "csv": timed(via_csv)}
os.remove(path); os.rmdir(folder)
print(json.dumps(out))
"""


def import_seconds(code: str, reps: int) -> float:
    """Median wall time of a fresh ``python -c code`` process."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e6")
    parser.add_argument("--libraries", default="pandas,polars")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    from rlplot.markdown import md_table

    rows = [(label, f"{import_seconds(code, args.reps):.3f} s") for label, code in IMPORTS.items()]
    print("\n".join(md_table(["import (fresh process)", "median wall"], rows)) + "\n")
    table = []
    for library in args.libraries.split(","):
        for size in args.sizes.split(","):
            out = subprocess.run([sys.executable, "-c", CONVERT, library, size, str(args.reps)],
                                 check=True, capture_output=True, text=True, cwd=HERE.parent).stdout
            import json

            got = json.loads(out)
            table.append((library, f"{int(float(size)):,}", f"{got['frames']:.4f} s",
                          f"{got['all']:.4f} s", f"{got['runs']:.4f} s", f"{got['csv']:.4f} s",
                          f"{got['csv'] / got['frames']:.1f}x"))
    print("\n".join(md_table(["library", "rows", "tables_from_data (needed columns)",
                              "all 6 columns", "needed, split by run", "to CSV + read_tables",
                              "frames faster by"], table)))


if __name__ == "__main__":
    main()
