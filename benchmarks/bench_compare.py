"""``rlplot compare`` from training logs, end to end, against rliable on the same score arrays, in one run.

    python benchmarks/bench_compare.py                      # Atari-100k shape: 5 x 26 x 10 logs, 2,000 reps
    python benchmarks/bench_compare.py --rliable-reps 100   # quicker: rliable's time scaled to --reps
    python benchmarks/bench_compare.py --quick              # CI-sized: 3 x 4 x 5 logs, 200 reps

1. Seeded logs shaped like human-normalized Atari runs (algorithms x tasks x seeds, --rows points
   each, ``ALGO/TASK/seedK.csv``) are written to a temporary folder.
2. rlplot, whole process (imports count): ``rlplot compare`` reads every log (serially), scores
   each run (mean over the last 10 % of x), computes the four aggregates, run-score profiles on
   101 tau and P(X > Y) for every pair with --reps stratified-bootstrap replicates, and writes the
   three figures and a JSON table; then the same with the sample-efficiency curves (4 figures).
   In-process, the same steps are timed one by one (reading, grouping, statistics, curves,
   drawing), and the statistics alone (``rlplot.stats.compare``, median of --repeat).
3. rliable on the score arrays rlplot computed from those logs (benchmarks/reference_compare.py,
   its own process): get_interval_estimates + create_performance_profile + probability_of_improvement
   for every pair. Its cost is linear in the replicates (one Python-level resample each), so with
   --rliable-reps below --reps its time is also shown scaled to --reps. rliable starts from arrays:
   reading the logs and scoring them is left to the user.
Prints Markdown tables and how far the two sets of numbers are apart.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from rlplot.stats import compare, from_rliable  # noqa: E402

ALGO_BY, TASK_BY = "([^/]+)/[^/]+/seed", "([^/]+)/seed"


def make_scores(algorithms: int, tasks: int, runs: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Scores (num_runs, num_tasks) per algorithm: task difficulty x algorithm strength x noise."""
    rng = np.random.default_rng(seed)
    difficulty = rng.lognormal(-1.0, 1.0, tasks)
    return {f"algo{a}": difficulty * (0.6 + 0.2 * a) * rng.lognormal(0.0, 0.35, (runs, tasks))
            for a in range(algorithms)}


def write_logs(folder: Path, scores: dict[str, np.ndarray], rows: int) -> int:
    """One CSV log per run (step, episode_return) rising to its final score; how many were written."""
    steps = np.linspace(0, 100_000, rows)
    rise = 1.0 - np.exp(-steps / 25_000)
    count = 0
    for algorithm, matrix in scores.items():
        for task in range(matrix.shape[1]):
            for run in range(matrix.shape[0]):
                rng = np.random.default_rng([count])
                values = matrix[run, task] * rise / rise[-1] + rng.normal(0, 0.02 * matrix[run, task], rows)
                path = folder / algorithm / f"game{task:02d}" / f"seed{run}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("step,episode_return\n" + "".join(
                    f"{int(s)},{v:.6g}\n" for s, v in zip(steps, values)), encoding="utf-8")
                count += 1
    return count


def command(folder: Path, out: Path, reps: int, curves: bool) -> list[str]:
    """The ``rlplot compare`` command line of the measurement."""
    kinds = "intervals,profiles,improvement" + (",efficiency" if curves else "")
    return [sys.executable, "-m", "rlplot", "compare", f"{folder}/*/*/seed*.csv", "--algo-by", ALGO_BY,
            "--task-by", TASK_BY, "--y", "episode_return", "--reps", str(reps), "--pairs", "all",
            "--kinds", kinds, "-o", str(out / "fig.png"), "--table", str(out / "table.json"), "-q"]


def time_process(args: list[str]) -> tuple[float, float]:
    """(wall, CPU of the child) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - start, cpu


def clock() -> tuple[float, float]:
    """(wall, CPU) seconds now."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds since ``start``."""
    return time.perf_counter() - start[0], time.process_time() - start[1]


def stages(folder: Path, out: Path, reps: int):
    """Each step of ``rlplot compare`` in-process: {stage: (wall, CPU)}, and the evaluation."""
    from rlplot import compare as glue
    from rlplot.config import load_config
    from rlplot.runs.discover import expand_paths
    from rlplot.stats import evaluate
    from rlplot.stats.runs import group_cells, parse_spec

    config = glue.scored_config(load_config([], [
        "panels=[{metric: episode_return}]", f"runs.reps={reps}", "compare.improvement.pairs=all"]).config)
    times = {}
    start = clock()
    runs = glue.read_runs(expand_paths([f"{folder}/*/*/seed*.csv"]), config)
    times[f"read {len(runs):,} logs (serially)"] = since(start)
    start = clock()
    cells = group_cells(runs, parse_spec(ALGO_BY, "--algo-by"), parse_spec(TASK_BY, "--task-by")).cells
    times["group into cells"] = since(start)
    start = clock()
    result = evaluate(cells, reps=reps, pairs="all", curves=False)
    times["score + aggregates + profiles + P(X > Y)"] = since(start)
    start = clock()
    with_curves = evaluate(cells, reps=reps, pairs="all", curves=True)
    wall, cpu = since(start)
    times["sample-efficiency curves (50 x)"] = (wall - times["score + aggregates + profiles + P(X > Y)"][0],
                                                 cpu - times["score + aggregates + profiles + P(X > Y)"][1])
    start = clock()
    import rlplot.figure.compare_layout  # noqa: F401  (matplotlib, once per process)
    times["import matplotlib and the figure modules"] = since(start)
    start = clock()
    glue.draw_and_save(with_curves, config, glue.figure_paths([str(out / "stage.png")], config.compare.kinds, None))
    times["draw + save 4 figures (PNG)"] = since(start)
    return times, result


def time_engine(scores: dict, tau: np.ndarray, reps: int, repeat: int):
    """Median (wall, CPU) seconds of the statistics alone, one compare call on arrays."""
    walls, cpus = [], []
    for _ in range(repeat):
        start = clock()
        compare(from_rliable(scores), reps=reps, tau=tau, pairs="all", seed=0)
        wall, cpu = since(start)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


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


def _pair(seconds) -> str:
    return f"{seconds[0]:.2f} s ({seconds[1]:.2f} s CPU)"


def report(args, rliable_reps, measured, seconds, numbers) -> str:
    """The Markdown tables: wall time, CPU time in brackets (fairer on a busy machine)."""
    shape = f"{args.algorithms} algorithms x {args.tasks} tasks x {args.runs} runs"
    lines = [f"Shape: {shape} ({measured['logs']:,} logs of {args.rows} points), {args.reps:,} replicates; "
             f"pairs: all {len(measured['result'].improvements.pairs)}; tau: 101 points.", "",
             "| step | rlplot | rliable | speed-up (wall / CPU) |", "| --- | ---: | ---: | ---: |"]
    scale = args.reps / rliable_reps
    total = None
    if seconds is None:
        lines.append(f"| rliable | | > {args.timeout:.0f} s (timeout) | |")
    else:
        for step, value in seconds.items():
            lines.append(f"| rliable {step} ({rliable_reps:,} reps) | | {_pair(value)} | |")
        total = [sum(v[i] for v in seconds.values()) * scale for i in (0, 1)]
    rows = [("statistics alone: aggregates + profiles + P(X > Y), one pass", measured["engine"]),
            ("`rlplot compare` from the logs: read, score, statistics, 3 figures + JSON table (whole process)",
             measured["end_to_end"]),
            ("the same + sample-efficiency curves (4 figures)", measured["with_curves"])]
    for step, ours in rows:
        theirs = speed = ""
        if total is not None:
            theirs = _pair(total) + (f" ({rliable_reps:,} reps x{scale:g})" if scale != 1 else "")
            speed = f"{total[0] / ours[0]:,.0f}x / {total[1] / ours[1]:,.0f}x"
        lines.append(f"| {step} | {_pair(ours)} | {theirs} | {speed} |")
    lines += ["", "Where the end-to-end time goes (in-process, one run each):", "",
              "| stage | wall | CPU |", "| --- | ---: | ---: |"]
    lines += [f"| {stage} | {w:.2f} s | {c:.2f} s |" for stage, (w, c) in measured["stages"].items()]
    if numbers:
        diff = differences(measured["result"], numbers)
        lines += ["", f"Largest |rlplot - rliable| of a point estimate: {diff['point']:.2e}; of a CI bound: "
                      f"{diff['bound']:.1%} of the CI width (different random streams"
                      + (f", {rliable_reps:,} vs {args.reps:,} replicates" if rliable_reps != args.reps else "")
                      + ")."]
    return "\n".join(lines)


def measure(args, folder: Path, out: Path) -> dict:
    """Every rlplot measurement on the logs in ``folder``; writes the arrays rliable gets."""
    measured = {"logs": write_logs(folder, make_scores(args.algorithms, args.tasks, args.runs), args.rows)}
    subprocess.run(command(folder, out, 100, False), check=True, capture_output=True)   # warms the disk cache
    measured["end_to_end"] = time_process(command(folder, out, args.reps, False))
    measured["with_curves"] = time_process(command(folder, out, args.reps, True))
    measured["stages"], measured["result"] = stages(folder, out, args.reps)
    scores = measured["result"].matrix.to_rliable()
    tau = measured["result"].profiles.tau
    measured["engine"] = time_engine(scores, tau, args.reps, args.repeat)
    np.savez(out / "scores.npz", tau=tau, **scores)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--algorithms", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=26)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rows", type=int, default=100, help="points per log")
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--rliable-reps", type=int, help="replicates for rliable (default: --reps)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--quick", action="store_true", help="3 x 4 x 5 logs of 50 points, 200 replicates")
    args = parser.parse_args()
    if args.quick:
        args.algorithms, args.tasks, args.runs, args.rows, args.reps, args.repeat = 3, 4, 5, 50, 200, 1
    rliable_reps = args.rliable_reps or args.reps
    with tempfile.TemporaryDirectory(prefix="rlplot-bench-compare-") as temp:
        folder, out = Path(temp) / "logs", Path(temp) / "out"
        out.mkdir()
        measured = measure(args, folder, out)
        seconds, numbers = run_rliable(out / "scores.npz", rliable_reps, args.timeout)
    print(report(args, rliable_reps, measured, seconds, numbers))


if __name__ == "__main__":
    main()
