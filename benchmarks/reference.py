"""The plain script a user would write instead of rlplot (the benchmark's reference).

    python benchmarks/reference.py LOG -o out.png [--delta auto|0|<x units>]

pandas read -> statsmodels lowess (frac 0.2, it 0, like rlplot's default) -> matplotlib
scatter + line + default legend -> savefig, two panels as in the seed chart. ``--delta``
is statsmodels' speed-up (``auto`` = 1 % of the x range, what rlplot uses above 5,000
points); the default 0 is exact LOWESS, which is quadratic.
"""
from __future__ import annotations

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import pandas as pd  # noqa: E402
from statsmodels.nonparametric.smoothers_lowess import lowess  # noqa: E402

PANELS = (("accuracy", "Training Accuracy vs Steps"),
          ("avg_parallelism", "Average parallelism vs Steps"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--delta", default="0", help="'auto' (1%% of the x range) or x units")
    args = parser.parse_args(argv)

    if args.log.endswith((".jsonl", ".ndjson")):
        df = pd.read_json(args.log, lines=True)
    else:
        df = pd.read_csv(args.log)
    df = df.sort_values("rl_flops")
    x = df["rl_flops"].to_numpy(dtype=float)
    delta = 0.01 * (x[-1] - x[0]) if args.delta == "auto" else float(args.delta)

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, (column, title) in zip(axes, PANELS):
        y = df[column].to_numpy(dtype=float)
        smooth = lowess(y, x, frac=0.2, it=0, delta=delta, return_sorted=False)
        ax.scatter(x, y, s=8, alpha=0.5, color="tab:blue", label=column)
        ax.plot(x, smooth, color="red", label="LOWESS")
        ax.set_title(title)
        ax.set_xlabel("RL flops")
        ax.legend()
    fig.tight_layout()
    fig.savefig(args.output, dpi=150)


if __name__ == "__main__":
    main()
