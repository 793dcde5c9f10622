"""Seeds with a bootstrap band: rlplot vs seaborn ``lineplot(errorbar=("ci", 95))`` on the same data.

    python benchmarks/bench_aggregate.py [--seeds 10] [--rows 100000] [--reps 3] [--seaborn-timeout 300]

Writes seeded CSV logs to benchmarks/data/aggregate/, then times (median of --reps runs, each a
fresh process, so imports count):
  rlplot:  rlplot render data/*.csv --aggregate mean --band ci --reps 2000 -o out.png
  seaborn: pandas read + concat -> sns.lineplot(x, y, errorbar=("ci", 95), n_boot=2000) per panel
           -> savefig, the script a user would otherwise write (seaborn bootstraps at every x value).
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "aggregate"
OUT = HERE / "out"

SEABORN_SCRIPT = r"""
import sys, glob
import pandas as pd, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt, seaborn as sns
frames = [pd.read_csv(p).assign(seed=i) for i, p in enumerate(sorted(glob.glob(sys.argv[1] + "/*.csv")))]
data = pd.concat(frames)
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for ax, col in zip(axes, ["accuracy", "avg_parallelism"]):
    sns.lineplot(data=data, x="rl_flops", y=col, errorbar=("ci", 95), n_boot=2000, ax=ax, seed=0)
fig.savefig(sys.argv[2], dpi=150)
"""


def generate(seeds: int, rows: int) -> Path:
    """Seeded seed-like runs sharing one x grid (so seaborn can aggregate per x), as CSV."""
    folder = DATA / f"{seeds}x{rows}"
    if folder.exists() and len(list(folder.glob("*.csv"))) == seeds:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    t = np.linspace(0, 1, rows)
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        acc = 0.35 + 0.29 * t + rng.normal(0, 0.013, rows) + rng.normal(0, 0.01)
        par = 8.3 + 5.5 * np.clip((t - 0.68) / 0.32, 0, 1) ** 2.2 + rng.normal(0, 0.2, rows)
        with open(folder / f"seed{seed}.csv", "w") as out:
            out.write("step,rl_flops,accuracy,avg_parallelism\n")
            np.savetxt(out, np.column_stack([np.arange(rows), 1e19 + t * 1e21, acc, par]),
                       delimiter=",", fmt=["%d", "%.6e", "%.5f", "%.4f"])
    return folder


def timed(cmd: list[str], timeout: float) -> float | None:
    start = time.perf_counter()
    try:
        subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seaborn-timeout", type=float, default=300)
    args = parser.parse_args()
    folder = generate(args.seeds, args.rows)
    OUT.mkdir(exist_ok=True)
    rlplot_cmd = [sys.executable, "-m", "rlplot", "render", str(folder / "*.csv"), "--aggregate",
                  "mean", "--band", "ci", "--reps", "2000", "-q", "-o", str(OUT / "aggregate.png")]
    ours = [timed(rlplot_cmd, 600) for _ in range(args.reps)]
    theirs = timed([sys.executable, "-c", SEABORN_SCRIPT, str(folder), str(OUT / "seaborn.png")],
                   args.seaborn_timeout)
    median = statistics.median(t for t in ours if t is not None)
    seaborn = f"{theirs:.1f} s" if theirs is not None else f"> {args.seaborn_timeout:.0f} s (stopped)"
    ratio = f"{theirs / median:.0f}×" if theirs is not None else f"> {args.seaborn_timeout / median:.0f}×"
    print(f"| data | rlplot (median of {args.reps}) | seaborn lineplot ci 95, n_boot 2000 | speed-up |")
    print("|---|---|---|---|")
    print(f"| {args.seeds} seeds × {args.rows:,} rows, PNG | {median:.2f} s | {seaborn} | {ratio} |")


if __name__ == "__main__":
    main()
