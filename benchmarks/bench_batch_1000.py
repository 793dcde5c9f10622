"""Issue 18, targets 4 and 5: ``rlplot batch`` of 1,000 figures, its no-op rerun, and a run tree
on a real Dask cluster (a scheduler and two worker processes on this machine, loopback only).

    python benchmarks/bench_batch_1000.py            # 1,000 x 10,000-row CSV; Dask: 10,000 runs
    python benchmarks/bench_batch_1000.py --quick    # 40 x 2,000 rows; Dask: 100 x 500 rows
    python benchmarks/bench_batch_1000.py --dask-runs 0      # skip Dask
    python benchmarks/bench_batch_1000.py --dask-only        # only Dask on the 10,000-run tree

Prints one Markdown table. Every batch is the CLI a user runs (``rlplot batch DIR --out-dir
OUT -j2 --report R.md --report-json R.json``), timed end to end as a subprocess, so process
start-up, discovery, the manifest and both reports are included. The rows:

* batch -j2 of every run (the first run: nothing to skip), seconds per figure (target <= 0.12);
* the plain pandas + matplotlib loop a user would write instead (one process, on a subset);
* the no-op rerun (target <= 1 s), and the same rerun with the manifest's file stamps
  removed, so that every input byte is hashed again (what the rerun cost before stamps);
* Dask: ``--executor dask`` against a ``distributed.LocalCluster(processes=True,
  n_workers=2)`` on 127.0.0.1 vs ``-j2`` locally on the same tree, figures per second, and
  the per-task overhead ``(wall_dask - wall_j2) / runs``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import CSV_HEADER, columns_for, csv_chunk  # noqa: E402

sys.path.insert(0, str(HERE.parent))
from rlplot.batch.hashing import RACY_SECONDS  # noqa: E402
from rlplot.markdown import md_table  # noqa: E402

RLPLOT = [sys.executable, "-m", "rlplot"]
# As a user runs it: with compiled modules cached (some CI images set PYTHONDONTWRITEBYTECODE,
# which makes every process compile rlplot again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
VARIANTS = 16   # distinct run contents; the others are copies (the render does not care)

PLAIN_SCRIPT = r'''
import sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

t0 = time.perf_counter()
for path, out in zip(sys.argv[1::2], sys.argv[2::2]):
    df = pd.read_csv(path)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), dpi=150)
    for ax, col in zip(axes, ["accuracy", "avg_parallelism"]):
        smooth = df[col].rolling(max(len(df) // 20, 1), center=True, min_periods=1).mean()
        ax.scatter(df["rl_flops"], df[col], s=14, alpha=0.75, color="tab:blue", label=col)
        ax.plot(df["rl_flops"], smooth, color="tab:red", lw=2, label="Smoothed Curve")
        ax.set_title(col); ax.set_xlabel("RL flops"); ax.legend(loc="upper left"); ax.grid(True)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
print(time.perf_counter() - t0)
'''


def make_tree(folder: Path, runs: int, rows: int) -> list[Path]:
    """``runs`` CSV runs of ``rows`` rows: folder/run_XXXXX/progress.csv (VARIANTS distinct contents)."""
    bases = []
    for v in range(min(VARIANTS, runs)):
        rng = np.random.default_rng(1000 + v)
        bases.append(CSV_HEADER + csv_chunk(columns_for(np.arange(rows), rows, rng)))
    paths = []
    for r in range(runs):
        path = folder / f"run_{r:05d}" / "progress.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bases[r % len(bases)], encoding="utf-8")
        paths.append(path)
    return paths


def timed(argv: list[str]) -> float:
    """Wall seconds of a command that must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return wall


def batch_argv(tree: Path, out: Path, *extra: str) -> list[str]:
    """The batch a user runs, with both reports."""
    return RLPLOT + ["batch", str(tree), "--out-dir", str(out), "-q",
                     "--report", str(out.parent / f"{out.name}.md"),
                     "--report-json", str(out.parent / f"{out.name}.json"), *extra]


def drop_stamps(out: Path) -> None:
    """Remove the file stamps from a manifest: the next rerun hashes every input byte."""
    manifest = out / ".rlplot-manifest.json"
    document = json.loads(manifest.read_text())
    document["stamps"] = {}
    manifest.write_text(json.dumps(document))


def plain_loop(paths: list[Path], work: Path) -> float:
    """Seconds per figure of the plain pandas + matplotlib loop (one process, imports excluded)."""
    argv = [a for i, p in enumerate(paths) for a in (str(p), str(work / f"plain{i}.png"))]
    done = subprocess.run([sys.executable, "-c", PLAIN_SCRIPT, *argv], capture_output=True, text=True,
                          env=ENV)
    if done.returncode != 0:
        return float("nan")
    return float(done.stdout.strip()) / len(paths)


def dask_rows(work: Path, runs: int, rows: int, local_too: bool = True) -> list[list[str]]:
    """Dask (two worker processes on loopback) vs -j2 on a tree of ``runs`` runs (without the
    -j2 run when not ``local_too``: its rate comes from a smaller tree, measured apart)."""
    from distributed import LocalCluster

    tree = work / "dask-tree"
    make_tree(tree, runs, rows)
    time.sleep(RACY_SECONDS + 0.5)
    local = timed(batch_argv(tree, work / "out-local", "-j", "2")) if local_too else None
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        remote = timed(batch_argv(tree, work / "out-dask", "--executor", "dask",
                                  "--scheduler", cluster.scheduler_address))
    label = f"{runs:,} runs x {rows:,} rows"
    dask_row = [f"batch --executor dask (LocalCluster, 2 worker processes), {label}", f"{remote:.1f} s",
                f"{runs / remote:.2f} figures/s", ""]
    if local is None:
        return [dask_row]
    dask_row[3] = f"per-task overhead vs -j2: {(remote - local) / runs * 1000:+.1f} ms"
    return [[f"batch -j2 (local processes), {label}", f"{local:.1f} s", f"{runs / local:.2f} figures/s", ""],
            dask_row]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--plain-runs", type=int, default=20)
    parser.add_argument("--dask-runs", type=int, default=10_000, help="0: skip Dask")
    parser.add_argument("--dask-rows", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="a small smoke run (CI)")
    parser.add_argument("--dask-only", action="store_true",
                        help="only the Dask run of the --dask-runs tree (no -j2 batches)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.rows, args.plain_runs = 40, 2000, 5
        args.dask_runs, args.dask_rows = min(args.dask_runs, 100), 500
    work = Path(tempfile.mkdtemp(prefix="rlplot-bench-batch1000-"))
    try:
        rows = [] if args.dask_only else batch_rows(work, args)
        if args.dask_runs:
            rows += dask_rows(work, args.dask_runs, args.dask_rows, local_too=not args.dask_only)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print("\n".join(md_table(["what", "wall", "rate", "note"], rows)))
        print(f"\n{os.cpu_count()} cores; load average {load} after the runs.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def batch_rows(work: Path, args) -> list[list[str]]:
    """The first batch, its no-op reruns and the plain loop, on ``args.runs`` runs."""
    paths = make_tree(work / "tree", args.runs, args.rows)
    # Logs written less than RACY_SECONDS before a batch stamps them are hashed again on the
    # next run (their stamps could miss a write in the same instant, as in git's index): a
    # user's logs are older than that, so the benchmark waits before its first batch.
    time.sleep(RACY_SECONDS + 0.5)
    size = sum(p.stat().st_size for p in paths) / 1e6
    out = work / "out"
    first = timed(batch_argv(work / "tree", out, "-j", "2"))
    noop = timed(batch_argv(work / "tree", out, "-j", "2"))
    drop_stamps(out)
    hashed = timed(batch_argv(work / "tree", out, "-j", "2"))
    again = timed(batch_argv(work / "tree", out, "-j", "2"))
    plain = plain_loop(paths[: args.plain_runs], work) if args.plain_runs else float("nan")
    label = f"{args.runs:,} runs x {args.rows:,} rows CSV ({size:,.0f} MB)"
    per = first / args.runs
    return [
        [f"batch -j2, every run rendered, {label}", f"{first:.1f} s", f"{per:.3f} s/figure",
         "target <= 0.12 s/figure: " + ("met" if per <= 0.12 else "missed")],
        [f"plain pandas + matplotlib loop, 1 process, {args.plain_runs} of the runs", "",
         f"{plain:.3f} s/figure", "rolling mean, no LOWESS; imports excluded"],
        [f"no-op rerun, {args.runs:,} runs", f"{noop:.2f} s", "",
         "target <= 1 s: " + ("met" if noop <= 1 else "missed")],
        ["no-op rerun, stamps dropped (every input byte hashed)", f"{hashed:.2f} s", "", ""],
        ["no-op rerun after that (stamps written again)", f"{again:.2f} s", "", ""],
    ]


if __name__ == "__main__":
    main()
