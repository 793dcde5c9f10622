"""Smoothing speed and exactness, side by side with what a user would write by hand.

    python benchmarks/bench_smoothing.py            # ~2 minutes on 2 cores
    python benchmarks/bench_smoothing.py --quick    # smaller sizes, for a smoke run
    python benchmarks/bench_smoothing.py --e2e      # also whole renders vs a pandas script

Prints a Markdown table: median wall time of several runs for
  * LOWESS on a 1,000,000-row seed-like log, both panels: rlplot's default versus
    plain statsmodels ``lowess`` with ``delta`` = 1 % of the x range and with
    ``delta=0`` (exact; quadratic, so timed on subsamples and extrapolated);
  * the error of rlplot's curve against statsmodels' exact LOWESS (delta=0) of all
    1,000,000 points, evaluated at 400 x values (``xvals``), as a share of the y range;
  * EMA / TWEMA / rolling / gaussian on 10,000,000 points, next to pandas' ``ewm``
    (adjust=True is TensorBoard's debiased EMA) and centred ``rolling`` when pandas is installed;
  * ``frac: auto`` (cross-validated bandwidth) next to the fixed frac=0.2 on 10,000,000 points
    (both panels), and the choice alone;
  * the draw-time downsample of 1e6 / 1e7 points, next to tsdownsample when installed, and
    the automatic legend place (three runs of 4,000 drawn points and their lines);
  * with ``--e2e``: whole renders, also with ``--frac auto`` next to the default (``--rows N``
    sets the log's size; 10,000,000 rows is the 10 % budget of docs/smoothing.md).
pandas and tsdownsample are optional here and not dependencies of rlplot.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rlplot.data import Series  # noqa: E402
from rlplot.figure.downsample import minmax_indices  # noqa: E402
from rlplot.smoothing import choose_frac, smooth_series  # noqa: E402


def timed(func, repeat: int, warm: bool = True) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls (after one untimed warm-up call), and the last result."""
    times, result = [], func() if warm else None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def seed_like(n: int, seed: int = 0):
    """x = RL flops, accuracy rising with growing noise, parallelism bending up late."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 1, n))
    x = 1e19 + t * 1e21
    acc = 0.35 + 0.29 * t + rng.normal(0, 0.005 + 0.03 * t, n)
    par = 8 + 6 * np.clip((t - 0.7) / 0.3, 0, 1) ** 2 + rng.normal(0, 0.1 + 0.4 * t, n)
    return x, acc, par


def row(name: str, seconds: float | None, note: str = "") -> str:
    shown = "—" if seconds is None else (f"{seconds * 1000:.1f} ms" if seconds < 1
                                         else f"{seconds:.2f} s")
    return f"| {name} | {shown} | {note} |"


def bench_lowess(n: int, repeat: int) -> list[str]:
    from statsmodels.nonparametric.smoothers_lowess import lowess

    x, acc, par = seed_like(n)
    series = [Series("accuracy", x, acc), Series("avg_parallelism", x, par)]
    lines = []
    seconds, done = timed(lambda: [smooth_series(s, "lowess", {"frac": 0.2}) for s in series],
                          repeat)
    lines.append(row(f"rlplot LOWESS frac=0.2 (default), both panels, n={n:,}", seconds,
                     "delta=auto, binned moments"))
    delta = 0.01 * (x[-1] - x[0])
    sm_seconds, _ = timed(lambda: [lowess(s.y, x, frac=0.2, it=0, delta=delta, is_sorted=True,
                                          return_sorted=False) for s in series], max(1, repeat // 2),
                          warm=False)
    lines.append(row(f"statsmodels lowess delta=1% range, both panels, n={n:,}", sm_seconds,
                     "what a user would write"))
    # Exact LOWESS is O(n * frac * n): time two subsamples, extrapolate quadratically.
    for sub in (10_000, 40_000):
        idx = np.linspace(0, n - 1, sub).astype(int)
        s, _ = timed(lambda: [lowess(v[idx], x[idx], frac=0.2, it=0, delta=0, is_sorted=True,
                                     return_sorted=False) for v in (acc, par)], 1, warm=False)
        guess = s * (n / sub) ** 2
        lines.append(row(f"statsmodels lowess delta=0 (exact), both panels, n={sub:,}", s,
                         f"→ ~{guess / 3600:.1f} h extrapolated to n={n:,}" if guess > 3600
                         else f"→ ~{guess / 60:.0f} min extrapolated to n={n:,}"))
    # Exactness: statsmodels' exact fit of all n points at 400 x values, vs rlplot's curve.
    at = np.linspace(x[0], x[-1], 400)
    for s, smoothed in zip(series, done):
        exact = lowess(s.y, x, frac=0.2, it=0, delta=0, xvals=at, is_sorted=True)
        err = np.max(np.abs(np.interp(at, x, smoothed.y) - exact)) / np.ptp(s.y)
        sm = lowess(s.y, x, frac=0.2, it=0, delta=delta, is_sorted=True, return_sorted=False)
        sm_err = np.max(np.abs(np.interp(at, x, sm) - exact)) / np.ptp(s.y)
        lines.append(row(f"max error vs exact LOWESS of all {n:,} points, {s.name}", None,
                         f"rlplot {err:.1e} · statsmodels delta=1% {sm_err:.1e} (share of y range)"))
    return lines


def bench_linear(n: int, repeat: int) -> list[str]:
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 1e21, n))   # irregular x
    y = np.cumsum(rng.normal(size=n)) * 1e-3 + rng.normal(size=n)
    s = Series("m", x, y)
    lines = []
    for method, params, note in [("ema", {"weight": 0.6}, "TensorBoard's formula"),
                                 ("twema", {}, "half-life 2 % of x range"),
                                 ("rolling", {"window": 101}, "edge-normalised box"),
                                 ("gaussian", {}, "sigma 2 % of x range, irregular x")]:
        seconds, _ = timed(lambda: smooth_series(s, method, params), repeat)
        lines.append(row(f"rlplot {method}, n={n:,}", seconds, note))
    try:
        import pandas as pd
    except ImportError:
        return lines
    frame = pd.Series(y)
    seconds, ref = timed(lambda: frame.ewm(alpha=0.4, adjust=True).mean().to_numpy(), repeat)
    same = np.max(np.abs(ref - smooth_series(s, "ema", {"weight": 0.6}).y))
    lines.append(row(f"pandas ewm(alpha=0.4, adjust=True), n={n:,}", seconds,
                     f"max |diff| to rlplot ema {same:.1e}"))
    seconds, ref = timed(lambda: frame.rolling(101, center=True, min_periods=1).mean().to_numpy(),
                         repeat)
    same = np.max(np.abs(ref - smooth_series(s, "rolling", {"window": 101}).y))
    lines.append(row(f"pandas rolling(101, center=True, min_periods=1), n={n:,}", seconds,
                     f"max |diff| to rlplot rolling {same:.1e}"))
    return lines


def bench_auto_frac(n: int, repeat: int) -> list[str]:
    """LOWESS with frac=auto versus the fixed default on both seed-like panels of n points."""
    x, acc, par = seed_like(n)
    series = [Series("accuracy", x, acc), Series("avg_parallelism", x, par)]
    fixed, _ = timed(lambda: [smooth_series(s, "lowess", {"frac": 0.2}) for s in series], repeat)
    auto, done = timed(lambda: [smooth_series(s, "lowess", {"frac": "auto"}) for s in series],
                       repeat)
    choose, _ = timed(lambda: [choose_frac(s.x, s.y) for s in series], repeat)
    chosen = ", ".join(f"{s.name} {d.params['frac']:g}" for s, d in zip(series, done))
    # The same fracs given by hand: what the fit itself costs at the chosen widths.
    same, _ = timed(lambda: [smooth_series(s, "lowess", {"frac": d.params["frac"]})
                             for s, d in zip(series, done)], repeat)
    return [row(f"rlplot LOWESS frac=0.2, both panels, n={n:,}", fixed, "the default"),
            row(f"rlplot LOWESS frac=auto, both panels, n={n:,}", auto,
                f"{(auto / fixed - 1) * 100:+.1f} % over frac=0.2; chose {chosen}"),
            row(f"rlplot LOWESS at those fracs given by hand, both panels, n={n:,}", same,
                f"choosing costs {(auto / same - 1) * 100:+.1f} %"),
            row(f"choose_frac alone, both panels, n={n:,}", choose,
                f"{choose / fixed * 100:.1f} % of frac=0.2; 512 equal-count bins, 21 fracs, "
                "leave-one-out")]


def bench_legend(repeat: int) -> list[str]:
    """Placing an auto legend: three runs of 4,000 scatter points and 4,000-vertex lines."""
    from dataclasses import replace

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from rlplot.config.schema import FigureStyle, PanelStyle
    from rlplot.figure.legend import corner_counts, place_legend

    fig = Figure(figsize=(6, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 4000)
    for run in range(3):
        y = 10 * np.exp(-4 * x) + run + np.random.default_rng(run).normal(0, 0.2, 4000)
        ax.scatter(x, y, s=14, label=f"run {run}")
        ax.plot(x, y, label=f"run {run} smoothed")
    style = replace(PanelStyle(), legend=replace(PanelStyle().legend, loc="auto"))
    legend = place_legend(ax, style, FigureStyle())
    seconds, _ = timed(lambda: corner_counts(ax, legend), repeat)
    return [row("auto legend: count 24,000 drawn points and 3 lines under 4 corners", seconds,
                "repeated at every draw (matplotlib's 'best' is not used)")]


def bench_downsample(repeat: int, sizes) -> list[str]:
    lines = []
    for n in sizes:
        y = np.cumsum(np.random.default_rng(2).normal(size=n))
        seconds, _ = timed(lambda: minmax_indices(y, 4000), repeat)
        lines.append(row(f"rlplot minmax downsample to 4,000, n={n:,}", seconds, "numpy"))
        try:
            from tsdownsample import MinMaxDownsampler
        except ImportError:
            continue
        seconds, _ = timed(lambda: MinMaxDownsampler().downsample(y, n_out=4000), repeat)
        lines.append(row(f"tsdownsample MinMax to 4,000, n={n:,}", seconds, "Rust, optional"))
    return lines


PLAIN_SCRIPT = """
import sys
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from statsmodels.nonparametric.smoothers_lowess import lowess

df = pd.read_csv(sys.argv[1])
x = df["rl_flops"].to_numpy()
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for ax, col in zip(axes, ["accuracy", "avg_parallelism"]):
    y = df[col].to_numpy()
    smooth = lowess(y, x, frac=0.2, it=0, delta=0.01 * (x.max() - x.min()), return_sorted=False)
    ax.scatter(x, y, s=14, alpha=0.75, label=col)
    ax.plot(x, smooth, color="tab:red", lw=2, label="Smoothed Curve")
    ax.legend(loc="upper left")
fig.savefig(sys.argv[2], dpi=150)
"""


def bench_end_to_end(n: int, folder: Path) -> list[str]:
    """rlplot render of an n-row CSV (frac 0.2 and auto) versus the pandas + statsmodels +
    matplotlib script."""
    import subprocess

    from rlplot.config import Config
    from rlplot.config.schema import SmoothingSpec
    from rlplot.pipeline import prepare, render

    x, acc, par = seed_like(n)
    log = folder / "big.csv"
    np.savetxt(log, np.column_stack([x, acc, par]), delimiter=",", fmt="%.10g",
               header="rl_flops,accuracy,avg_parallelism", comments="")
    lines = []
    seconds, _ = timed(lambda: prepare([str(log)]), 1, warm=False)
    lines.append(row(f"rlplot prepare (read + clean + LOWESS both panels), {n:,}-row CSV", seconds))
    seconds, _ = timed(lambda: render([str(log)], [str(folder / "rlplot.png")]), 1, warm=False)
    lines.append(row(f"rlplot render to PNG, {n:,}-row CSV", seconds, "in-process"))
    auto = Config(smoothing=SmoothingSpec(frac="auto"))
    auto_seconds, _ = timed(lambda: render([str(log)], [str(folder / "auto.png")], auto), 1,
                            warm=False)
    lines.append(row(f"rlplot render to PNG with --frac auto, {n:,}-row CSV", auto_seconds,
                     f"{(auto_seconds / seconds - 1) * 100:+.1f} % over the default render"))
    script = folder / "plain.py"
    script.write_text(PLAIN_SCRIPT)
    import importlib.util
    if importlib.util.find_spec("pandas") is None:
        return lines
    seconds, _ = timed(lambda: subprocess.run([sys.executable, str(script), str(log),
                                               str(folder / "plain.png")], check=True), 1,
                       warm=False)
    lines.append(row(f"pandas + statsmodels + matplotlib script to PNG, {n:,}-row CSV", seconds,
                     "separate process (includes imports, ~1 s)"))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--e2e", action="store_true",
                        help="also time whole renders against the plain pandas script")
    parser.add_argument("--rows", type=int, default=None,
                        help="rows of the --e2e log (default: 1,000,000; 100,000 with --quick)")
    args = parser.parse_args()
    lowess_n, linear_n = (100_000, 1_000_000) if args.quick else (1_000_000, 10_000_000)
    print("| what | median time | note |")
    print("|---|---|---|")
    for bench in (lambda: bench_lowess(lowess_n, args.repeat),
                  lambda: bench_auto_frac(linear_n, args.repeat),
                  lambda: bench_linear(linear_n, args.repeat),
                  lambda: bench_downsample(args.repeat, (1_000_000, linear_n)),
                  lambda: bench_legend(args.repeat)):
        for line in bench():
            print(line, flush=True)
    if args.e2e:
        import tempfile
        with tempfile.TemporaryDirectory() as folder:
            for line in bench_end_to_end(args.rows or lowess_n, Path(folder)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
