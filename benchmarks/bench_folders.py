"""Folders of runs: `rlplot inspect DIR` and `rlplot render DIR --group-by … --aggregate mean` on a
tree of event-file runs, side by side with reading the same tree with TensorBoard's EventAccumulator.

    python benchmarks/bench_folders.py                   # 500 runs x 20,000 events (the issue's tree)
    python benchmarks/bench_folders.py --runs 100 --events 5000 --reps 3
    python benchmarks/bench_folders.py --quick           # CI-sized: 6 runs x 800 events, one repetition

The tree is bench_tfevents.py's (``<ALGO>_seed<k>/`` folders of 4 tags, written once by
tensorboardX into benchmarks/data/tfevents/, reused). Every command runs in a fresh process
(imports count), serially (rlplot reads the runs one after another); wall and CPU time are the
median of ``--reps``, peak RSS the largest. The reference reads one tag of every run with
``EventAccumulator`` (what a script would do before plotting anything) and, when tbparse is
installed, ``SummaryReader(tree).scalars``. Prints one Markdown table.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import bench_tfevents as tb  # noqa: E402
from rlplot.markdown import md_table  # noqa: E402

GROUPS = "(PPO|DQN|A2C|SAC|TD3)_seed"

ACCUMULATOR = r"""
import os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
root, tag = sys.argv[1], sys.argv[2]
points = 0
for name in sorted(os.listdir(root)):
    acc = EventAccumulator(os.path.join(root, name), size_guidance={"scalars": 0})
    acc.Reload()
    points += len(acc.Scalars(tag))
print(points)
"""

TBPARSE = r"""
import sys
from tbparse import SummaryReader
frame = SummaryReader(sys.argv[1], extra_columns={"dir_name"}).scalars
print(int((frame["tag"] == sys.argv[2]).sum()))
"""


def rlplot_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "rlplot", *args]


def cases(root: Path, out: Path, readers: list[str]) -> list[tuple[str, list[str]]]:
    """(label, argv) of every command measured."""
    found = [
        ("`rlplot inspect DIR -f json` (every run: tags, counts, step ranges, config)",
         rlplot_command("inspect", str(root), "-f", "json", "-q")),
        (f"`rlplot render DIR --y {tb.TAG} --group-by '{GROUPS}' --aggregate mean` → PNG",
         rlplot_command("render", str(root), "--y", tb.TAG, "--group-by", GROUPS, "--aggregate",
                        "mean", "--band", "sd", "-q", "-o", str(out / "groups.png"))),
    ]
    if "accumulator" in readers:
        found.append((f"EventAccumulator: read `{tb.TAG}` of every run (no figure)",
                      [sys.executable, "-c", ACCUMULATOR, str(root), tb.TAG]))
    if "tbparse" in readers:
        found.append(("tbparse `SummaryReader(DIR).scalars` (every tag, no figure)",
                      [sys.executable, "-c", TBPARSE, str(root), tb.TAG]))
    return found


def measure(argv: list[str], reps: int, label: str) -> tb.Timing:
    """bench_tfevents' measurement, with what the command printed cut to its first line."""
    import statistics

    runs = [tb.run_once(argv) for _ in range(reps)]
    printed = runs[-1][3].splitlines()[0][:60] if runs[-1][3] else ""
    timing = tb.Timing(statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                       max(r[2] for r in runs), printed, all(r[4] for r in runs))
    print(f"  {label}: {tb.fmt_s(timing)}, {tb.fmt_mb(timing)}, {printed}", file=sys.stderr)
    return timing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--events", type=int, default=20_000, help="events per run (4 tags)")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes writing the tree")
    parser.add_argument("--readers", default="accumulator,tbparse",
                        help="references to run beside rlplot (those not installed are left out)")
    parser.add_argument("--quick", action="store_true", help="6 runs x 800 events, one repetition")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.events, args.reps = 6, 800, 1
    readers = [r for r in args.readers.split(",") if r and _installed(r)]
    root = tb.tree(args.runs, args.events, args.jobs)
    with tempfile.TemporaryDirectory() as out:
        rows = []
        for label, argv in cases(root, Path(out), readers):
            timing = measure(argv, args.reps, label)
            rows.append((label, tb.fmt_s(timing), tb.fmt_mb(timing)))
    title = (f"A tree of {args.runs} event-file runs × {args.events:,} events "
             f"({args.runs * args.events:,} events), each command a fresh process, median of {args.reps}")
    print("\n".join([title, ""] + md_table(["command", "wall time (CPU)", "peak RSS"], rows)))
    return 0


def _installed(reader: str) -> bool:
    module = {"accumulator": "tensorboard", "tbparse": "tbparse"}.get(reader, reader)
    try:
        __import__(module)
    except ImportError:
        print(f"  ({reader}: {module} is not installed; left out)", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
