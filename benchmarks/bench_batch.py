"""Benchmark ``rlplot batch``: N runs x M rows to PNG with -j1 and -j2, against one ``rlplot render``.

    python benchmarks/bench_batch.py                 # 200 runs x 10,000 rows, 3 repeats
    python benchmarks/bench_batch.py --runs 40 --repeat 1

Reports medians (other processes may share the cores): batch wall time for -j1 and
-j2, the speed-up, the per-figure time, a single ``rlplot render`` of the same file
minus process start-up, the same render in a warm process, and the plain
pandas + statsmodels + matplotlib loop a user would write (on a subset of runs).
Every batch run uses --force so that the manifest skips nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RLPLOT = [sys.executable, "-m", "rlplot"]
# Everything `rlplot render` imports, without reading or drawing anything: the start-up cost.
STARTUP = ("import rlplot.cli.render, rlplot.pipeline, rlplot.figure.chart, rlplot.figure.save; "
           "from rlplot.batch import warm_up; warm_up()")

PLAIN_SCRIPT = r'''
import sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from statsmodels.nonparametric.smoothers_lowess import lowess

t0 = time.perf_counter()
for path, out in zip(sys.argv[1::2], sys.argv[2::2]):
    df = pd.read_json(path, lines=True)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), dpi=150)
    for ax, col, title in zip(axes, ["accuracy", "avg_parallelism"],
                              ["Training Accuracy vs Steps", "Average parallelism vs Steps"]):
        smooth = lowess(df[col], df["rl_flops"], frac=0.2, it=0, return_sorted=True)
        ax.scatter(df["rl_flops"], df[col], s=14, alpha=0.75, color="tab:blue", label=col)
        ax.plot(smooth[:, 0], smooth[:, 1], color="tab:red", lw=2, label="Smoothed Curve")
        ax.set_title(title); ax.set_xlabel("RL flops"); ax.legend(loc="upper left"); ax.grid(True)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
print(time.perf_counter() - t0)
'''


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def available_speedup(n: int = 3_000_000) -> float:
    """How much faster 2 processes do 4 equal pure-Python tasks than 1 right now (2.0 = idle cores).

    Other work on the machine takes cores away from -j2; this says how many were free."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(4):
        _spin(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [10, 10]))
        start = time.perf_counter()
        list(pool.map(_spin, [n] * 4))
        parallel = time.perf_counter() - start
    return serial / parallel


def make_runs(folder: Path, runs: int, rows: int) -> list[Path]:
    """A sweep of seed-like JSONL runs: folder/run_XXX/metrics.jsonl."""
    paths = []
    for r in range(runs):
        rng = np.random.default_rng(r)
        t = np.linspace(0, 1, rows)
        acc = 0.35 + 0.29 * t + rng.normal(0, 0.01, rows)
        par = 8 + 6 * np.clip((t - 0.7) / 0.3, 0, 1) ** 2 + rng.normal(0, 0.1, rows)
        flops = 1e19 + t * 1e21
        path = folder / f"run_{r:03d}" / "metrics.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(rows):
                fh.write(json.dumps({"step": i, "rl_flops": float(flops[i]),
                                     "accuracy": float(acc[i]),
                                     "avg_parallelism": float(par[i])}) + "\n")
        paths.append(path)
    return paths


CPU = {}   # command name -> CPU seconds (user + sys, all its processes) of each run


def timed(cmd: list[str], name: str | None = None) -> float:
    """Wall time of a command that must succeed; its CPU time is kept in CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name:
        CPU.setdefault(name, []).append(after.ru_utime + after.ru_stime
                                        - before.ru_utime - before.ru_stime)
    return wall


def median_of(repeat: int, func) -> tuple[float, list[float]]:
    """Median and all samples of ``func()``."""
    samples = [func() for _ in range(repeat)]
    return statistics.median(samples), samples


def cpu(name: str) -> float:
    """Median CPU seconds of a timed command."""
    return statistics.median(CPU[name])


def warm_render_seconds(path: Path, out: Path, repeat: int) -> float:
    """Median time of ``pipeline.render`` of one file in a process that has already rendered once."""
    code = ("import sys, time, statistics\n"
            "from rlplot.pipeline import render\n"
            "render([sys.argv[1]], [sys.argv[2]])\n"
            "s = []\n"
            "for _ in range(int(sys.argv[3])):\n"
            "    t = time.perf_counter(); render([sys.argv[1]], [sys.argv[2]])\n"
            "    s.append(time.perf_counter() - t)\n"
            "print(statistics.median(s))\n")
    result = subprocess.run([sys.executable, "-c", code, str(path), str(out), str(repeat)],
                            check=True, capture_output=True, text=True)
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain-runs", type=int, default=20,
                        help="runs for the plain pandas/statsmodels/matplotlib loop (0: skip)")
    parser.add_argument("--jobs", default="1,2", help="-j values to time, comma-separated")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rlplot-bench-batch-"))
    try:
        t0 = time.perf_counter()
        paths = make_runs(work / "sweep", args.runs, args.rows)
        print(f"data: {args.runs} runs x {args.rows} rows "
              f"({sum(p.stat().st_size for p in paths) / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s")
        one = paths[0]

        startup, s_samples = median_of(max(args.repeat, 5),
                                       lambda: timed([sys.executable, "-c", STARTUP], "startup"))
        render, r_samples = median_of(max(args.repeat, 5), lambda: timed(
            RLPLOT + ["render", str(one), "-o", str(work / "single.png")], "render"))
        warm = warm_render_seconds(one, work / "warm.png", max(args.repeat, 5))
        single = render - startup
        single_cpu = cpu("render") - cpu("startup")
        print(f"process start-up (imports only): {startup:.3f}s wall, {cpu('startup'):.3f}s CPU; "
              f"samples {fmt(s_samples)}")
        print(f"rlplot render, one file:          {render:.3f}s wall, {cpu('render'):.3f}s CPU; "
              f"samples {fmt(r_samples)}")
        print(f"  minus start-up:                 {single:.3f}s wall, {single_cpu:.3f}s CPU")
        print(f"  in a warm process:              {warm:.3f}s wall")

        jobs_list = [int(j) for j in args.jobs.split(",")]
        samples: dict[int, list[float]] = {j: [] for j in jobs_list}
        free = []
        for _ in range(args.repeat):   # interleaved, so that load from elsewhere hits all alike
            free.append(available_speedup())
            for jobs in jobs_list:
                samples[jobs].append(timed(
                    RLPLOT + ["batch", str(work / "sweep"), "--out-dir", str(work / f"out-j{jobs}"),
                              "-j", str(jobs), "--force", "-q"], f"j{jobs}"))
        walls = {}
        for jobs in jobs_list:
            wall = walls[jobs] = statistics.median(samples[jobs])
            per, per_cpu = wall / args.runs, cpu(f"j{jobs}") / args.runs
            print(f"batch -j{jobs}: {wall:.1f}s wall (samples {fmt(samples[jobs])}), "
                  f"{per:.3f}s wall per figure = {per * jobs / single:.2f}x a single render minus "
                  f"start-up per worker; CPU {per_cpu:.3f}s per figure = "
                  f"{per_cpu / single_cpu:.2f}x the single render's CPU minus start-up")
        print(f"machine check, 2 processes vs 1 on pure Python before each round: {fmt(free)}x "
              "(2.00 = both cores free)")
        if 1 in walls and 2 in walls:
            print(f"speed-up -j2 over -j1: {walls[1] / walls[2]:.2f}x wall "
                  f"(best samples: {min(samples[1]) / min(samples[2]):.2f}x); "
                  f"CPU -j2/-j1: {cpu('j2') / cpu('j1'):.2f}")
        if args.plain_runs:
            subset = paths[: args.plain_runs]
            argv = [a for i, p in enumerate(subset) for a in (str(p), str(work / f"plain{i}.png"))]
            try:
                result = subprocess.run([sys.executable, "-c", PLAIN_SCRIPT, *argv], check=True,
                                        capture_output=True, text=True)
                per = float(result.stdout.strip()) / len(subset)
                print(f"plain pandas+statsmodels+matplotlib loop: {per:.3f}s per figure "
                      f"(serial, {len(subset)} runs, imports excluded)")
            except subprocess.CalledProcessError as exc:
                print(f"plain loop skipped: {exc.stderr.strip().splitlines()[-1]}")
        print(f"cpu count: {os.cpu_count()}; load average: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fmt(samples: list[float]) -> str:
    return "[" + ", ".join(f"{s:.2f}" for s in samples) + "]"


if __name__ == "__main__":
    main()
