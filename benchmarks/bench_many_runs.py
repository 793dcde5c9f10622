"""One figure from many runs: rlplot -j1 / -j2 vs seaborn and a pandas concat + groupby script.

    python benchmarks/bench_many_runs.py                 # 1,000 runs x 10,000 rows, CSV and event files
    python benchmarks/bench_many_runs.py --quick         # 40 runs x 1,000 rows, one repetition
    python benchmarks/bench_many_runs.py --runs 200 --rows 5000 --no-seaborn

Writes seeded runs once to benchmarks/data/many/ (kept): ``csv_<runs>x<rows>/seed<k>.csv`` (step,
accuracy, avg_parallelism) and ``tfevents_<runs>x<rows>/<ALGO>_seed<k>/events.out.tfevents.*`` (the
same numbers as scalar events: one event per step holding both tags). Each command runs in a fresh
process (imports count); median wall time of ``--reps`` and the largest peak RSS from ``os.wait4``
(for -j2 that is the parent's own; each worker is a child of it and ``wait4`` counts the largest
child separately, shown after the +):

  rlplot -jN:  rlplot render DIR --aggregate mean --band ci -o out.png -jN
  seaborn:     pandas read + concat -> sns.lineplot(x, y, errorbar="ci") per panel -> savefig
  pandas:      pandas read + concat -> groupby(step).agg(mean, sem) -> matplotlib two panels -> savefig

Event files are read by pandas/seaborn through rlplot's own reader (no pandas reader exists).
Prints one Markdown table (rlplot.markdown).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import struct
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

DATA = HERE / "data" / "many"
OUT = HERE / "out"
MB = 1024 * 1024
TAGS = ("accuracy", "avg_parallelism")
ALGOS = ("PPO", "DQN", "A2C", "SAC", "TD3")

# What a user would otherwise write, reading every run of the folder (argv: kind, folder, out.png).
READ_FRAMES = r"""
import sys, glob, os
import pandas as pd
kind, folder, out = sys.argv[1:4]
if kind == "csv":
    frames = [pd.read_csv(p).assign(seed=i) for i, p in enumerate(sorted(glob.glob(folder + "/*.csv")))]
else:   # no pandas reader for event files: rlplot's reader, one frame per run
    from rlplot.io.tfevents import read_event_run
    frames = []
    for i, run in enumerate(sorted(os.listdir(folder))):
        table = read_event_run(glob.glob(os.path.join(folder, run, "events.out.tfevents.*")))
        frames.append(pd.DataFrame({name: table.columns[name].values
                                    for name in ("step", "accuracy", "avg_parallelism")}).assign(seed=i))
data = pd.concat(frames, ignore_index=True)
import matplotlib
matplotlib.use("Agg")
"""

SEABORN_SCRIPT = READ_FRAMES + r"""
import matplotlib.pyplot as plt, seaborn as sns
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for ax, col in zip(axes, ["accuracy", "avg_parallelism"]):
    sns.lineplot(data=data, x="step", y=col, errorbar="ci", ax=ax, seed=0)
fig.savefig(out, dpi=150)
"""

PANDAS_SCRIPT = READ_FRAMES + r"""
from matplotlib.figure import Figure
stats = data.groupby("step")[["accuracy", "avg_parallelism"]].agg(["mean", "sem", "count"])
fig = Figure(figsize=(12, 4.8))
for ax, col in zip(fig.subplots(1, 2), ["accuracy", "avg_parallelism"]):
    mean, half = stats[(col, "mean")], 1.96 * stats[(col, "sem")]
    ax.plot(stats.index, mean)
    ax.fill_between(stats.index, mean - half, mean + half, alpha=0.3)
    ax.set_title(col)
fig.savefig(out, dpi=150)
"""


def curves(seed: int, rows: int) -> np.ndarray:
    """One seed's run: columns step, accuracy, avg_parallelism; shape (rows, 3)."""
    t = np.linspace(0, 1, rows)
    rng = np.random.default_rng(seed)
    acc = 0.35 + 0.29 * t + rng.normal(0, 0.013, rows) + rng.normal(0, 0.01)
    par = 8.3 + 5.5 * np.clip((t - 0.68) / 0.32, 0, 1) ** 2.2 + rng.normal(0, 0.2, rows)
    return np.column_stack([np.arange(rows) * 100, np.round(acc, 5), np.round(par, 4)])


def _write_csv(args: tuple[Path, int, int]) -> None:
    path, seed, rows = args
    part = path.with_suffix(".part")
    with open(part, "w") as out:
        out.write("step,accuracy,avg_parallelism\n")
        np.savetxt(out, curves(seed, rows), delimiter=",", fmt=["%d", "%.5f", "%.4f"])
    part.rename(path)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _masked_crc(data: bytes) -> int:
    import google_crc32c

    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _record(event: bytes) -> bytes:
    # TFRecord framing: length, its masked CRC32C, the bytes, their masked CRC32C.
    head = struct.pack("<Q", len(event))
    return head + struct.pack("<I", _masked_crc(head)) + event + struct.pack("<I", _masked_crc(event))


def _event(wall: float, step: int, values: dict[str, float]) -> bytes:
    """An ``Event`` protobuf: wall_time (1, double), step (2, varint), summary (5) of simple_values."""
    summary = b""
    for tag, value in values.items():
        name = tag.encode()
        item = b"\x0a" + _varint(len(name)) + name + b"\x15" + struct.pack("<f", value)
        summary += b"\x0a" + _varint(len(item)) + item
    return (b"\x09" + struct.pack("<d", wall) + b"\x10" + _varint(step)
            + b"\x2a" + _varint(len(summary)) + summary)


def _write_events(args: tuple[Path, int, int]) -> None:
    """One run's event file, bytes as TensorBoard's writers frame them (file_version first)."""
    folder, seed, rows = args
    table = curves(seed, rows)
    wall = 1.7e9 + seed * 1e5
    version = b"\x09" + struct.pack("<d", wall) + b"\x1a" + _varint(13) + b"brain.Event:2"
    chunks = [_record(version)]
    for step, acc, par in table.tolist():
        chunks.append(_record(_event(wall + step * 0.01, int(step), dict(zip(TAGS, (acc, par))))))
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".events.out.tfevents.{int(wall)}.bench.part"
    part.write_bytes(b"".join(chunks))
    part.rename(folder / f"events.out.tfevents.{int(wall)}.bench.{seed}")


def generate(kind: str, runs: int, rows: int, jobs: int) -> Path:
    """Write (or reuse) the ``runs`` x ``rows`` folder of ``kind`` (csv | tfevents)."""
    root = DATA / f"{kind}_{runs}x{rows}"
    if kind == "csv":
        todo = [(root / f"seed{k:04d}.csv", k, rows) for k in range(runs)]
        todo = [job for job in todo if not job[0].exists()]
        write = _write_csv
    else:
        todo = [(root / f"{ALGOS[k % len(ALGOS)]}_seed{k:04d}", k, rows) for k in range(runs)]
        todo = [job for job in todo if not any(job[0].glob("events.out.tfevents.*"))]
        write = _write_events
    if todo:
        root.mkdir(parents=True, exist_ok=True)
        print(f"writing {len(todo)} {kind} runs x {rows:,} rows ...", file=sys.stderr)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(write, todo, chunksize=8))
    return root


@dataclass(frozen=True)
class Timing:
    """Median wall time (s), largest peak RSS of the process and of its largest child (bytes)."""

    seconds: float
    rss: int
    child_rss: int
    ok: bool
    late: bool = False   # stopped at --timeout


# Runs the command in a helper process, so that RUSAGE_CHILDREN counts only its descendants;
# prints (own peak RSS, largest descendant's peak RSS, timed out?). argv: seconds, command...
PROBE = r"""
import os, resource, subprocess, sys, time
limit, proc = float(sys.argv[1]), subprocess.Popen(sys.argv[2:])
deadline, late = time.monotonic() + limit, 0
while True:
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid:
        break
    if time.monotonic() > deadline:
        proc.kill()
        _, status, usage = os.wait4(proc.pid, 0)
        late = 1
        break
    time.sleep(0.02)
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(usage.ru_maxrss * 1024, largest * 1024, late)
sys.exit(os.waitstatus_to_exitcode(status) if not late else 124)
"""


def run_once(argv: list[str], timeout: float) -> tuple[float, int, int, bool, bool]:
    """Run one process: (wall s, its peak RSS, its largest worker's peak RSS, exit ok, timed out)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", PROBE, str(timeout), *argv], stdout=out,
                                stderr=err)
        _, status, _ = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        printed, complaint = out.read().decode().split(), err.read().decode(errors="replace")
    ok = os.waitstatus_to_exitcode(status) == 0
    late = len(printed) >= 3 and printed[-1] == "1"
    if not ok and not late:
        print(f"  ! {' '.join(argv[1:5])}: {complaint.strip()[-400:]}", file=sys.stderr)
    own, largest = (int(printed[-3]), int(printed[-2])) if len(printed) >= 3 else (0, 0)
    # RUSAGE_CHILDREN's maxrss is the largest of the command and its descendants.
    return seconds, own, largest if largest > own else 0, ok, late


def measure(argv: list[str], reps: int, label: str, timeout: float) -> Timing:
    """Run ``argv`` ``reps`` times (the file cache is warm from generation or the first run);
    one that takes over ``timeout`` seconds is stopped and reported as such."""
    runs = []
    for _ in range(reps):
        runs.append(run_once(argv, timeout))
        if runs[-1][4]:
            break
    timing = Timing(statistics.median(r[0] for r in runs), max(r[1] for r in runs),
                    max(r[2] for r in runs), all(r[3] for r in runs), any(r[4] for r in runs))
    print(f"  {label}: {timing.seconds:.2f} s, {timing.rss / MB:.0f} MB"
          + (f" + {timing.child_rss / MB:.0f} MB worker" if timing.child_rss else "")
          + (" (stopped)" if timing.late else "" if timing.ok else " (FAILED)"), file=sys.stderr)
    return timing


def rlplot_argv(root: Path, out: Path, jobs: int) -> list[str]:
    """``rlplot render`` of every run under ``root``, aggregated into one figure."""
    return [sys.executable, "-m", "rlplot", "render", str(root), "--x", "step", "--aggregate",
            "mean", "--band", "ci", "-o", str(out), "-j", str(jobs), "-q"]


def fmt_s(t: Timing) -> str:
    if t.late:
        return f"> {t.seconds:.0f} s (stopped)"
    return f"{t.seconds:.2f} s" if t.ok else "failed"


def fmt_mb(t: Timing) -> str:
    return f"{t.rss / MB:,.0f} MB" + (f" (worker {t.child_rss / MB:,.0f} MB)" if t.child_rss else "")


def case_rows(kind: str, root: Path, args: argparse.Namespace) -> list[list[str]]:
    """Time each tool on one folder of runs: the table's rows for it."""
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"many_{kind}"
    timed = {f"rlplot -j{j}": measure(rlplot_argv(root, Path(f"{stem}_j{j}.png"), j), args.reps,
                                      f"{kind} rlplot -j{j}", args.timeout) for j in (1, 2)}
    scripts = {"pandas concat + groupby": PANDAS_SCRIPT}
    if not args.no_seaborn:
        scripts['seaborn lineplot(errorbar="ci")'] = SEABORN_SCRIPT
    for name, script in scripts.items():
        out = f"{stem}_{name.split()[0]}.png"
        timed[name] = measure([sys.executable, "-c", script, kind, str(root), out], args.reps,
                              f"{kind} {name}", args.timeout)
    j1, j2 = timed["rlplot -j1"], timed["rlplot -j2"]
    rows = []
    for name, t in timed.items():
        note = ""
        if name == "rlplot -j2" and j1.ok and j2.ok:
            note = f"{j1.seconds / j2.seconds:.2f}× -j1; target ≤ 6 s, ≥ 1.7×"
        elif name not in ("rlplot -j1", "rlplot -j2") and t.ok and j2.ok:
            note = f"{t.seconds / j2.seconds:.1f}× rlplot -j2"
        rows.append([f"{args.runs:,} × {args.rows:,} {kind}", name, fmt_s(t), fmt_mb(t), note])
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--kinds", default="csv,tfevents", help="comma-separated: csv, tfevents")
    parser.add_argument("--no-seaborn", action="store_true", help="skip seaborn (slow on many runs)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is stopped")
    parser.add_argument("--quick", action="store_true", help="40 runs x 1,000 rows, one repetition")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.rows, args.reps = 40, 1000, 1
    rows = []
    for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
        root = generate(kind, args.runs, args.rows, os.cpu_count() or 1)
        rows += case_rows(kind, root, args)
    print(f"\nOne figure from many runs ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"peak RSS from wait4)\n")
    print("\n".join(md_table(["runs", "tool", "time", "peak RSS", "vs"], rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
