"""The numbers engine of ``rlplot compare`` against rliable on the same score arrays, in one run.

    python benchmarks/bench_compare.py                      # Atari-100k shape: 5 x 26 x 10, 2,000 reps
    python benchmarks/bench_compare.py --rliable-reps 200   # quicker: rliable's time scaled to --reps
    python benchmarks/bench_compare.py --quick              # CI-sized: 3 x 4 x 5, 200 reps

Seeded scores shaped like human-normalized Atari scores (algorithms x tasks x seeds) are
written to benchmarks/data/compare/. Then, with --reps stratified-bootstrap replicates:
  rlplot:  rlplot.stats.compare (median, IQM, mean, optimality gap + run-score profiles on
           101 tau + P(X > Y) for every pair), one call, in-process, median of --repeat;
           and scoring 1,300 runs of 500 points from their (x, y) series.
  rliable: benchmarks/reference_compare.py in its own process: get_interval_estimates +
           create_performance_profile + probability_of_improvement for every pair (times
           measured inside, imports excluded). rliable's cost is linear in the replicates
           (one Python-level resample each), so with --rliable-reps below --reps its time
           is also shown scaled to --reps.
Prints a Markdown table and how far the two sets of numbers are apart.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "compare"
sys.path.insert(0, str(HERE.parent))
from rlplot.data import Series  # noqa: E402
from rlplot.stats import compare, from_rliable, score_cells, tau_grid  # noqa: E402


def make_scores(algorithms: int, tasks: int, runs: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Scores (num_runs, num_tasks) per algorithm: task difficulty x algorithm strength x noise."""
    rng = np.random.default_rng(seed)
    difficulty = rng.lognormal(-1.0, 1.0, tasks)
    return {f"algo{a}": difficulty * (0.6 + 0.2 * a) * rng.lognormal(0.0, 0.35, (runs, tasks))
            for a in range(algorithms)}


def time_engine(scores: dict, tau: np.ndarray, reps: int, repeat: int):
    """Median (wall, CPU) seconds of one full compare call, and its result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = compare(from_rliable(scores), reps=reps, tau=tau, pairs="all", seed=0)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def time_scoring(count: int = 1300, points: int = 500) -> float:
    """Seconds to score ``count`` runs of ``points`` points (last:10%) into a matrix."""
    rng = np.random.default_rng(1)
    x = np.linspace(0, 1e5, points)
    cells = {(f"a{i % 5}", f"t{i // 5 % 26}"): [] for i in range(count)}
    for i in range(count):
        cells[f"a{i % 5}", f"t{i // 5 % 26}"].append(Series("r", x, rng.normal(size=points).cumsum()))
    start = time.perf_counter()
    score_cells(cells)
    return time.perf_counter() - start


def run_rliable(path: Path, reps: int, timeout: float) -> tuple[dict | None, dict]:
    """rliable's per-step seconds and numbers, or (None, {}) on timeout."""
    out = path.with_name(path.stem + f".rliable{reps}.npz")
    try:
        done = subprocess.run([sys.executable, str(HERE / "reference_compare.py"), str(path), str(out),
                               "--reps", str(reps)], capture_output=True, text=True, timeout=timeout,
                              check=True)
    except subprocess.TimeoutExpired:
        return None, {}
    seconds = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(out) as numbers:
        return seconds, {k: numbers[k] for k in numbers.files}


def differences(result, numbers: dict) -> dict[str, float]:
    """Largest |ours - rliable| of the point estimates, and of the CI bounds relative to CI width."""
    point, bound = 0.0, 0.0
    est, prof, imp = result.intervals, result.profiles, result.improvements
    for a, name in enumerate(est.algorithms):
        theirs = numbers[f"aggregates/{name}"]
        point = max(point, float(np.max(np.abs(theirs[0] - est.point[a]))))
        width = np.maximum(est.high[a] - est.low[a], 1e-12)
        bound = max(bound, float(np.max(np.abs(theirs[1:] - np.stack([est.low[a], est.high[a]])) / width)))
        point = max(point, float(np.max(np.abs(numbers[f"profiles/{name}"][0] - prof.point[a]))))
    for p, (x, y) in enumerate(imp.pairs):
        theirs = numbers[f"improvement/{x},{y}"]
        point = max(point, abs(float(theirs[0]) - float(imp.point[p])))
        width = max(float(imp.high[p] - imp.low[p]), 1e-12)
        bound = max(bound, abs(theirs[1] - imp.low[p]) / width, abs(theirs[2] - imp.high[p]) / width)
    return {"point": point, "bound": bound}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--algorithms", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=26)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--rliable-reps", type=int, help="replicates for rliable (default: --reps)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--quick", action="store_true", help="3 x 4 x 5, 200 replicates")
    args = parser.parse_args()
    if args.quick:
        args.algorithms, args.tasks, args.runs, args.reps, args.repeat = 3, 4, 5, 200, 1
    rliable_reps = args.rliable_reps or args.reps

    scores = make_scores(args.algorithms, args.tasks, args.runs)
    tau = tau_grid(from_rliable(scores), points=101)
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"scores-{args.algorithms}x{args.tasks}x{args.runs}.npz"
    np.savez(path, tau=tau, **scores)

    ours, result = time_engine(scores, tau, args.reps, args.repeat)
    scoring = time_scoring()
    seconds, numbers = run_rliable(path, rliable_reps, args.timeout)
    print(report(args, rliable_reps, ours, scoring, seconds, result, numbers))


def _pair(seconds) -> str:
    return f"{seconds[0]:.3f} s ({seconds[1]:.3f} s CPU)"


def report(args, rliable_reps, ours, scoring, seconds, result, numbers) -> str:
    """The Markdown table: wall time (CPU time in brackets: fairer on a busy machine)."""
    shape = f"{args.algorithms} algorithms x {args.tasks} tasks x {args.runs} runs, {args.reps:,} replicates"
    lines = [f"Shape: {shape}; pairs: all {len(result.improvements.pairs)}; tau: 101 points.", "",
             "| step | rlplot | rliable | speed-up (wall / CPU) |", "| --- | ---: | ---: | ---: |"]
    if seconds is None:
        lines.append(f"| aggregates + profiles + P(X > Y) | {_pair(ours)} | > {args.timeout:.0f} s (timeout) | - |")
    else:
        scale = args.reps / rliable_reps
        for step, value in seconds.items():
            lines.append(f"| rliable {step} ({rliable_reps:,} reps) | | {_pair(value)} | |")
        total = [sum(v[i] for v in seconds.values()) for i in (0, 1)]
        label = _pair(total) if scale == 1 else f"{_pair(total)} at {rliable_reps:,} reps, x{scale:g}: {total[0] * scale:.1f} s"
        lines.append(f"| aggregates + profiles + P(X > Y), one pass | {_pair(ours)} | {label} | "
                     f"{total[0] * scale / ours[0]:,.0f}x / {total[1] * scale / ours[1]:,.0f}x |")
    lines.append(f"| score 1,300 runs of 500 points (last:10%) | {scoring:.3f} s | (by hand) | |")
    if numbers:
        diff = differences(result, numbers)
        lines += ["", f"Largest |rlplot - rliable| of a point estimate: {diff['point']:.2e}; of a CI bound: "
                      f"{diff['bound']:.1%} of the CI width (different random streams"
                      + (f", {rliable_reps:,} vs {args.reps:,} replicates" if rliable_reps != args.reps else "")
                      + ")."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
