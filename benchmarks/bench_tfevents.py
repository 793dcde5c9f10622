"""Reading TensorBoard event files: rlplot vs tbparse vs TensorBoard's EventAccumulator, side by side.

    python benchmarks/bench_tfevents.py                  # 10 tags x 100,000 steps; tree 500 x 20,000
    python benchmarks/bench_tfevents.py --no-tree --reps 1
    python benchmarks/bench_tfevents.py --quick          # CI-sized, rlplot and EventAccumulator only

One event file of ``--tags`` x ``--steps`` scalar events, written by tensorboardX's
``add_scalar`` (one event per value, as SB3 writes them); each reader reads one tag in a
fresh process (imports count): median wall time of ``--reps`` and peak RSS from ``os.wait4``.
The readers are benchmarks/tfevents_readers.py; their point counts and sums must agree.
Also: the import time of each reader alone, and a tree of ``--tree-runs`` runs of
``--tree-events`` events each (written once, in parallel) scanned and read by rlplot.
Files are kept in benchmarks/data/tfevents/. Prints one Markdown table per part.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from rlplot.markdown import md_table  # noqa: E402

DATA = HERE / "data" / "tfevents"
READERS = HERE / "tfevents_readers.py"
TAG = "rollout/ep_rew_mean"
TREE_TAGS = ("rollout/ep_rew_mean", "rollout/ep_len_mean", "train/loss", "time/fps")
IMPORTS = {
    "rlplot": "import rlplot.io.tfevents_stream as s; s.codecs()",
    "tbparse": "from tbparse import SummaryReader",
    "accumulator": "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator",
}
MB = 1024 * 1024


def write_run(folder: Path, tags: tuple[str, ...], steps: int, seed: int) -> None:
    """One run's event file, written by tensorboardX's add_scalar (one event per value)."""
    from tensorboardX import SummaryWriter

    rng = np.random.default_rng(seed)
    curve = np.tanh(np.linspace(0, 3, steps)) + rng.normal(0, 0.05, steps)
    folder.mkdir(parents=True, exist_ok=True)
    with SummaryWriter(str(folder), max_queue=4096, flush_secs=3600) as writer:
        for step in range(steps):
            for index, tag in enumerate(tags):
                writer.add_scalar(tag, float(curve[step] + index), step * 2048,
                                  walltime=1.7e9 + seed * 1e5 + step * 0.5)


def single_file(tags: int, steps: int) -> Path:
    """The folder holding the one-file case (written once, then reused)."""
    folder = DATA / f"single_{tags}x{steps}"
    if not any(folder.glob("events.out.tfevents.*")):
        names = (TAG,) + tuple(f"train/metric_{i}" for i in range(1, tags))
        print(f"writing {tags} x {steps:,} events with tensorboardX ...", file=sys.stderr)
        write_run(folder, names, steps, seed=0)
    return folder


def _tree_run(args: tuple[Path, int, int]) -> None:
    folder, steps, seed = args
    write_run(folder, TREE_TAGS, steps, seed)


def tree(runs: int, events: int, jobs: int) -> Path:
    """A tree of SB3-like runs: ``<ALGO>_seed<k>/events...`` (written once, in parallel)."""
    root = DATA / f"tree_{runs}x{events}"
    algos = ("PPO", "DQN", "A2C", "SAC", "TD3")
    todo = [(root / f"{algos[i % len(algos)]}_seed{i // len(algos):03d}", events // len(TREE_TAGS), i)
            for i in range(runs)]
    todo = [job for job in todo if not any(job[0].glob("events.out.tfevents.*"))]
    if todo:
        print(f"writing {len(todo)} runs x {events:,} events ({jobs} processes) ...", file=sys.stderr)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_tree_run, todo, chunksize=4))
    return root


@dataclass(frozen=True)
class Timing:
    """Median wall and CPU time (s), largest peak RSS (bytes) and the reader's printed result."""

    seconds: float
    cpu: float     # user + system: what the reader itself costs on a machine others share
    rss: int
    result: str
    ok: bool


def run_once(argv: list[str]) -> tuple[float, float, int, str, bool]:
    """Run one process; return (wall s, CPU s, its own peak RSS in bytes, its stdout, exit ok)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix every child so far)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        printed, complaint = out.read().decode().strip(), err.read().decode(errors="replace")
    if proc.returncode != 0:
        print(f"  ! {' '.join(argv[1:4])}: {complaint.strip()[-300:]}", file=sys.stderr)
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, printed,
            proc.returncode == 0)


def measure(argv: list[str], reps: int, label: str) -> Timing:
    runs = [run_once(argv) for _ in range(reps)]
    timing = Timing(statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                    max(r[2] for r in runs), runs[-1][3], all(r[4] for r in runs))
    print(f"  {label}: {timing.seconds:.2f} s ({timing.cpu:.2f} s CPU), {timing.rss / MB:.0f} MB, "
          f"{timing.result}", file=sys.stderr)
    return timing


def fmt_s(timing: Timing | None) -> str:
    if timing is None:
        return "—"
    return f"{timing.seconds:.2f} s ({timing.cpu:.2f} s CPU)" if timing.ok else "failed"


def fmt_mb(timing: Timing | None) -> str:
    return "—" if timing is None else f"{timing.rss / MB:,.0f} MB"


def ratio(theirs: Timing | None, ours: Timing) -> str:
    if theirs is None or not (theirs.ok and ours.ok):
        return "—"
    return f"{theirs.seconds / ours.seconds:.1f}× ({theirs.cpu / ours.cpu:.1f}× CPU)"


def single_part(args: argparse.Namespace, readers: list[str]) -> list[str]:
    """Read one tag of the one-file case with each reader; the table comparing them."""
    folder = single_file(args.tags, args.steps)
    py = sys.executable
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"one file, {args.tags * args.steps:,} events, {size / MB:.0f} MB; median of {args.reps}",
          file=sys.stderr)
    imports = {name: measure([py, "-c", IMPORTS[name]], args.reps, f"import {name}") for name in readers}
    reads = {name: measure([py, str(READERS), name, str(folder), TAG], args.reps, f"read {name}")
             for name in readers}
    results = {timing.result for timing in reads.values() if timing.ok}
    agree = "yes" if len(results) == 1 else f"**no**: {sorted(results)}"
    ours = reads["rlplot"]
    rows = [(name, fmt_s(reads[name]), fmt_mb(reads[name]), fmt_s(imports[name]),
             "1×" if name == "rlplot" else ratio(reads[name], ours)) for name in readers]
    title = (f"One event file, {args.tags} tags × {args.steps:,} steps = {args.tags * args.steps:,} "
             f"scalar events ({size / MB:.0f} MB), read one tag; every reader got the same points: {agree}")
    return [title, ""] + md_table(["reader", "read one tag (process)", "peak RSS", "import alone",
                                   "rlplot faster by"], rows)


def tree_part(args: argparse.Namespace) -> list[str]:
    """Scan, then read one tag of, every run of the tree with rlplot (one process each)."""
    root = tree(args.tree_runs, args.tree_events, args.jobs)
    py = sys.executable
    scan = measure([py, str(READERS), "tree-scan", str(root)], 1, "scan tree")
    read = measure([py, str(READERS), "tree-read", str(root), TAG], 1, "read tree")
    rows = [("scan every run (tags, counts, step ranges: inspect's reading)", fmt_s(scan), fmt_mb(scan)),
            (f"read `{TAG}` of every run (render's reading)", fmt_s(read), fmt_mb(read))]
    title = (f"A tree of {args.tree_runs} runs × {args.tree_events:,} events "
             f"({args.tree_runs * args.tree_events:,} events), rlplot in one process")
    return [title, ""] + md_table(["reading", "wall time", "peak RSS"], rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tags", type=int, default=10)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median)")
    parser.add_argument("--readers", default="rlplot,tbparse,accumulator")
    parser.add_argument("--tree-runs", type=int, default=500)
    parser.add_argument("--tree-events", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes writing the tree")
    parser.add_argument("--no-tree", action="store_true", help="skip the tree of runs")
    parser.add_argument("--quick", action="store_true",
                        help="CI-sized: 4 tags x 2,000 steps, a tree of 6 runs x 800 events, "
                             "rlplot and EventAccumulator, one repetition")
    args = parser.parse_args(argv)
    if args.quick:
        args.tags, args.steps, args.reps, args.readers = 4, 2000, 1, "rlplot,accumulator"
        args.tree_runs, args.tree_events = 6, 800
    readers = [name.strip() for name in args.readers.split(",")]
    if readers[0] != "rlplot":
        readers = ["rlplot"] + [name for name in readers if name != "rlplot"]
    lines = single_part(args, readers)
    if not args.no_tree:
        lines += [""] + tree_part(args)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
