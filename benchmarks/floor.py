"""The drawing floor: the least a script can do to draw rlplot's default figure from a CSV.

    python benchmarks/floor.py LOG.csv -o out.png

numpy ``loadtxt`` of the two metric columns and x, two panels side by side (12 x 4.8 in,
constrained layout), scatter + a moving-average line + legend + titles + axis labels +
percent ticks on the accuracy panel, ``savefig`` PNG at 150 dpi. No pandas, no
statsmodels, no validation: what matplotlib itself costs. rlplot's small render is
measured against this in ``run.py`` (issue 18: within 1.05x).

It draws the same figure as rlplot's default: the seed chart's gridline steps (5 % and 1)
with limits snapped to them, and rlplot's font sizes and grid. Without them the floor drew
matplotlib's automatic ticks (5 instead of 11 on the right panel), fewer tick labels to
measure and draw than the figure it stands for (until 2026-11-26 it did).
"""
from __future__ import annotations

import argparse

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator, PercentFormatter

PANELS = (("accuracy", "Training Accuracy vs Steps", "Training Accuracy", 0.05),
          ("avg_parallelism", "Average parallelism vs Steps", "Average Parallelism", 1.0))


def moving_average(y: np.ndarray, window: int = 21) -> np.ndarray:
    """Centred moving average, normalised at the edges; shape (n,)."""
    kernel = np.ones(window)
    return np.convolve(y, kernel, "same") / np.convolve(np.ones_like(y), kernel, "same")


def snapped(y: np.ndarray, step: float) -> tuple[float, float]:
    """y's range plus 3 % each side, out to the next gridline (what the seed chart shows)."""
    lo, hi = float(y.min()), float(y.max())
    pad = 0.03 * (hi - lo)
    return np.floor((lo - pad) / step + 1e-9) * step, np.ceil((hi + pad) / step - 1e-9) * step


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    with open(args.log) as fh:
        header = fh.readline().strip().split(",")
    wanted = ["rl_flops"] + [column for column, _, _, _ in PANELS]
    data = np.loadtxt(args.log, delimiter=",", skiprows=1, usecols=[header.index(c) for c in wanted])
    order = np.argsort(data[:, 0], kind="stable")
    x = data[order, 0]
    fig = Figure(figsize=(12, 4.8), dpi=150, layout="constrained")
    for i, (ax, (_, title, label, step)) in enumerate(zip(fig.subplots(1, 2), PANELS)):
        y = data[order, i + 1]
        ax.scatter(x, y, s=14, alpha=0.75, color="tab:blue", linewidths=0, label=label)
        ax.plot(x, moving_average(y), color="tab:red", linewidth=2, label="Smoothed Curve")
        ax.set_title(title, fontsize=12)
        ax.set_xlabel("RL flops", fontsize=11)
        ax.set_ylabel(label, fontsize=11)
        ax.tick_params(labelsize=9)
        ax.grid(True, color="#b0b0b0", alpha=0.5, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylim(*snapped(y, step))
        ax.yaxis.set_major_locator(MultipleLocator(step))
        if i == 0:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1))
        ax.legend(loc="upper left", fontsize=9)
    fig.savefig(args.output, dpi=150)


if __name__ == "__main__":
    main()
