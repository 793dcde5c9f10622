"""``rlplot.plot`` on a DataFrame vs ``rlplot render`` of the same data as a CSV (the CLI's small render).

    python benchmarks/bench_notebook.py               # 1,000 rows, 5 repetitions
    python benchmarks/bench_notebook.py --rows 1e5 --reps 3

What a notebook user pays, each number the median wall time of --reps fresh processes:
  import rlplot        python -c "import rlplot"  (the floor: python -c pass)
  CLI                  rlplot render data.csv -o out.png  (the whole process)
  notebook, 1st call   in a process that already holds the DataFrame (pandas imported, as in a
                       notebook): import rlplot + rlplot.plot(df) + the PNG Jupyter shows
                       (``_repr_png_``), timed inside the process
  notebook, again      the same call once more in that process (a notebook's next cell)
  notebook + save      1st call, then .save("out.png") (what `render -o` writes)
The data are seed-like (step, rl_flops, accuracy with 1 % NaN, avg_parallelism); the CSV is
written once to a temp folder. Prints a Markdown table; writes only to that temp folder.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

MAKE = r"""
import numpy as np
rows = int(float(ROWS))
rng = np.random.default_rng(0)
t = np.linspace(0, 1, rows)
acc = 0.35 + 0.29 * t + rng.normal(0, 0.013, rows)
acc[rng.random(rows) < 0.01] = np.nan
data = {"step": np.arange(rows) * 10, "rl_flops": 1e19 * (1 + 99 * t), "accuracy": acc,
        "avg_parallelism": 8 + 6 * t + rng.normal(0, 0.2, rows)}
"""

NOTEBOOK = MAKE + r"""
import json, sys, time, warnings
import pandas as pd
frame = pd.DataFrame(data)
warnings.simplefilter("ignore")
start = time.perf_counter()
import rlplot
shown = rlplot.plot(frame)
shown._repr_png_()
first = time.perf_counter() - start
start = time.perf_counter()
rlplot.plot(frame)._repr_png_()
again = time.perf_counter() - start
start = time.perf_counter()
if OUT:
    shown.save(OUT)
saved = time.perf_counter() - start
print(json.dumps({"first": first, "again": again, "save": saved}))
"""


def wall(command: list[str], reps: int) -> float:
    """Median wall time of a fresh process."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=HERE.parent)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def notebook(rows: str, out: str, reps: int) -> dict[str, float]:
    """Median of each in-process timing over ``reps`` fresh processes."""
    code = NOTEBOOK.replace("ROWS", repr(rows)).replace("OUT", repr(out))
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                      text=True, cwd=HERE.parent).stdout) for _ in range(reps)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def write_csv(rows: str, folder: Path) -> Path:
    """The benchmark's data as a CSV log (what the CLI reads)."""
    namespace: dict = {}
    exec(MAKE.replace("ROWS", repr(rows)), namespace)
    import pandas as pd

    path = folder / "data.csv"
    pd.DataFrame(namespace["data"]).to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1e3")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    from rlplot.markdown import md_table

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv = write_csv(args.rows, folder)
        floor = wall([sys.executable, "-c", "pass"], args.reps)
        imported = wall([sys.executable, "-c", "import rlplot"], args.reps)
        cli = wall([sys.executable, "-m", "rlplot", "render", str(csv), "-o",
                    str(folder / "cli.png")], args.reps)
        mine = notebook(args.rows, str(folder / "nb.png"), args.reps)
    rows = [("python -c pass (floor)", f"{floor:.3f} s", ""),
            ("python -c 'import rlplot'", f"{imported:.3f} s", f"+{imported - floor:.3f} s over the floor"),
            ("rlplot render data.csv -o out.png (whole process)", f"{cli:.3f} s", "the CLI's small render"),
            ("notebook 1st call: import rlplot + plot(df) + inline PNG", f"{mine['first']:.3f} s",
             f"{mine['first'] / cli:.2f}x the CLI"),
            ("notebook, the next call: plot(df) + inline PNG", f"{mine['again']:.3f} s",
             f"{mine['again'] / cli:.2f}x the CLI"),
            ("notebook 1st call + .save('out.png')", f"{mine['first'] + mine['save']:.3f} s",
             f"{(mine['first'] + mine['save']) / cli:.2f}x the CLI")]
    print(f"{int(float(args.rows)):,} rows, median of {args.reps} fresh processes\n")
    print("\n".join(md_table(["what", "median wall", "vs"], rows)))


if __name__ == "__main__":
    main()
