"""Run ``rlplot render`` and the plain reference script side by side; print one Markdown table.

    python benchmarks/run.py                 # sizes 1e3,1e6,1e7, 3 repetitions
    python benchmarks/run.py --quick         # CI-sized: 1,000 rows only
    python benchmarks/run.py --sizes 1e3,1e6 --reps 5

Every measurement is a separate process (wall time of the whole process, median of
``--reps``; peak RSS of that process from ``os.wait4``). Small logs are measured against
the *drawing floor* (``floor.py``: numpy + matplotlib drawing the same figure, no pandas,
no statsmodels), interleaved run by run with rlplot so both see the same machine, in wall
and CPU time (CPU time is what a busy machine distorts least). rlplot's bytecode is
compiled first, as ``pip install`` does, so a fresh checkout's first-run compilation is
not counted.
Logs come from benchmarks/generate.py (benchmarks/data/ or --data DIR, reused between runs).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import DATA, generate, parse_sizes  # noqa: E402

REFERENCE = HERE / "reference.py"
DRAWING_FLOOR = HERE / "floor.py"
MB = 1024 * 1024


@dataclass(frozen=True)
class Timing:
    """Median wall time (s) and largest peak RSS (bytes) over repetitions; outputs' hashes."""

    seconds: float
    rss: int
    hashes: tuple[str, ...]
    size: int
    ok: bool


def run_once(argv: list[str], output: Path | None) -> tuple[float, int, str, int, bool, float]:
    """Run one process; return (wall s, peak RSS bytes, sha256 of output, output bytes, exit ok,
    CPU s)."""
    if output is not None and output.exists():
        output.unlink()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix every child so far).
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    ok = proc.returncode == 0
    if not ok:
        print(f"  ! {' '.join(argv[:4])} ... exited {proc.returncode}: {err.strip()[-300:]}",
              file=sys.stderr)
    digest, size = "", 0
    if output is not None and output.exists():
        data = output.read_bytes()
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
    return seconds, usage.ru_maxrss * 1024, digest, size, ok, usage.ru_utime + usage.ru_stime


def compile_package() -> None:
    """Compile rlplot's bytecode, as installing a wheel does (an editable install compiles it
    on first use, or never under PYTHONDONTWRITEBYTECODE)."""
    import compileall

    import rlplot

    compileall.compile_dir(os.path.dirname(rlplot.__file__), quiet=1)


def against_floor(log: Path, out: Path, reps: int) -> tuple[Timing, Timing, float, float]:
    """rlplot and the drawing floor on one small log, interleaved; (rlplot, floor, wall ratio,
    CPU ratio), ratios of medians."""
    pairs = []
    for _ in range(reps):
        mine = run_once(rlplot_argv(log, out / "small.png"), out / "small.png")
        floor = run_once([sys.executable, str(DRAWING_FLOOR), str(log), "-o",
                          str(out / "floor.png")], out / "floor.png")
        pairs.append((mine, floor))
    timings = []
    for side in (0, 1):
        runs = [pair[side] for pair in pairs]
        timings.append(Timing(seconds=statistics.median(r[0] for r in runs),
                              rss=max(r[1] for r in runs), hashes=tuple(r[2] for r in runs),
                              size=runs[-1][3], ok=all(r[4] for r in runs)))
    cpu = [statistics.median(pair[side][5] for pair in pairs) for side in (0, 1)]
    print(f"  {log.name}: rlplot {timings[0].seconds:.2f} s ({cpu[0]:.2f} s CPU), drawing floor "
          f"{timings[1].seconds:.2f} s ({cpu[1]:.2f} s CPU)", file=sys.stderr)
    return timings[0], timings[1], timings[0].seconds / timings[1].seconds, cpu[0] / cpu[1]


def measure(argv: list[str], output: Path | None, reps: int, label: str) -> Timing:
    """Run ``argv`` ``reps`` times (after nothing: the file cache is warm from generation)."""
    runs = [run_once(argv, output) for _ in range(reps)]
    timing = Timing(seconds=statistics.median(r[0] for r in runs), rss=max(r[1] for r in runs),
                    hashes=tuple(r[2] for r in runs), size=runs[-1][3], ok=all(r[4] for r in runs))
    print(f"  {label}: {timing.seconds:.2f} s, {timing.rss / MB:.0f} MB"
          + ("" if timing.ok else " (FAILED)"), file=sys.stderr)
    return timing


def rlplot_argv(log: Path, out: Path) -> list[str]:
    """``python -m rlplot render LOG -o OUT`` with this interpreter."""
    return [sys.executable, "-m", "rlplot", "render", str(log), "-o", str(out), "--quiet"]


def fmt_s(t: Timing | None) -> str:
    return "—" if t is None else (f"{t.seconds:.2f} s" if t.ok else "failed")


def fmt_mb(t: Timing | None) -> str:
    return "—" if t is None else f"{t.rss / MB:,.0f} MB"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e3,1e6,1e7", help="row counts, e.g. 1e3,1e6,1e7")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median)")
    parser.add_argument("--ref-reps", type=int, default=1,
                        help="repetitions of the reference script at >= 1M rows (it is slow)")
    parser.add_argument("--ref-max-rows", type=float, default=1e7,
                        help="skip the reference CSV run above this many rows")
    parser.add_argument("--ref-jsonl-max-rows", type=float, default=1e6,
                        help="skip the reference JSONL run above this many rows "
                             "(pandas needs ~17 GB at 10M rows)")
    parser.add_argument("--quick", action="store_true", help="CI-sized: 1,000 rows only")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder for the generated logs (default: benchmarks/data)")
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else parse_sizes(args.sizes)
    reps = max(1, args.reps)
    out = Path(tempfile.mkdtemp(prefix="rlplot-bench-"))
    try:
        py = sys.executable
        rows: list[tuple[str, str, str, str, str, str, str]] = []

        def add(case, rl, rss, other, ratio, target, ok):
            rows.append((case, rl, rss, other, ratio, target, verdict(ok)))

        print("measuring (median of %d) ..." % reps, file=sys.stderr)
        help_t = measure([py, "-m", "rlplot", "--help"], None, reps, "rlplot --help")
        version_t = measure([py, "-m", "rlplot", "--version"], None, reps, "rlplot --version")
        compile_package()

        for n in sizes:
            csv, jsonl = generate(n, "csv", args.data), generate(n, "jsonl", args.data)
            big = n >= 1_000_000
            ref_reps = args.ref_reps if big else reps
            if n < 1_000_000:
                png, floor, wall, cpu = against_floor(csv, out, reps if args.quick else max(reps, 7))
                add(f"{n:,} rows CSV vs drawing floor (floor.py)", fmt_s(png), fmt_mb(png),
                    f"floor {fmt_s(floor)}, {fmt_mb(floor)}", f"{wall:.2f}× wall, {cpu:.2f}× CPU",
                    "≤ 1.05× floor (wall)", png.ok and wall <= 1.05)
                continue
            png = measure(rlplot_argv(csv, out / "csv.png"), out / "csv.png", reps, f"rlplot {n} CSV")
            ref = None
            if n <= args.ref_max_rows:
                ref_argv = [py, str(REFERENCE), str(csv), "-o", str(out / "ref.png")]
                if big or n > 5000:
                    ref_argv += ["--delta", "auto"]
                ref = measure(ref_argv, out / "ref.png", ref_reps, f"reference {n} CSV")
            js = measure(rlplot_argv(jsonl, out / "jsonl.png"), out / "jsonl.png", reps,
                         f"rlplot {n} JSONL")
            ref_js = None
            if n <= args.ref_jsonl_max_rows and n >= 1_000_000:
                ref_js = measure([py, str(REFERENCE), str(jsonl), "-o", str(out / "refj.png"),
                                  "--delta", "auto"], out / "refj.png", ref_reps, f"reference {n} JSONL")
            rows_label = f"{n:,} rows"
            ref_label = "" if n <= 5000 else " (delta)"
            ratio = (ref.seconds / png.seconds) if ref and ref.ok else None
            csv_target = {1_000_000: (2.5, None), 10_000_000: (15.0, 1.5 * 1024)}.get(n, (None, None))
            js_target = {1_000_000: (3.0, None), 10_000_000: (20.0, 2.5 * 1024)}.get(n, (None, None))
            ok = png.ok and (csv_target[0] is None or png.seconds <= csv_target[0])
            target = []
            if csv_target[0]:
                target.append(f"≤ {csv_target[0]:g} s")
            if csv_target[1]:
                target.append(f"≤ {csv_target[1] / 1024:g} GB")
                ok = ok and png.rss / MB <= csv_target[1]
            if n == 1_000_000:
                target.append("≥ 5× faster")
                ok = ok and ratio is not None and ratio >= 5
            add(f"{rows_label} CSV → PNG", fmt_s(png), fmt_mb(png),
                f"reference{ref_label} {fmt_s(ref)}, {fmt_mb(ref)}",
                "—" if ratio is None else f"{ratio:.1f}× faster", ", ".join(target) or "—", ok)
            ratio_j = (ref_js.seconds / js.seconds) if ref_js and ref_js.ok else None
            ok = js.ok and (js_target[0] is None or js.seconds <= js_target[0])
            target = [f"≤ {js_target[0]:g} s"] if js_target[0] else []
            if js_target[1]:
                target.append(f"≤ {js_target[1] / 1024:g} GB")
                ok = ok and js.rss / MB <= js_target[1]
            add(f"{rows_label} JSONL → PNG", fmt_s(js), fmt_mb(js),
                f"reference{ref_label} {fmt_s(ref_js)}, {fmt_mb(ref_js)}" if ref_js else
                "reference not run (pandas.read_json needs ~17 GB at 10M rows)" if n > 1_000_000 else "—",
                "—" if ratio_j is None else f"{ratio_j:.1f}× faster", ", ".join(target) or "—", ok)
            if n == 1_000_000:
                for fmt in ("pdf", "svg"):
                    vec = measure(rlplot_argv(csv, out / f"csv.{fmt}"), out / f"csv.{fmt}", reps,
                                  f"rlplot {n} CSV -> {fmt}")
                    same = len(set(vec.hashes)) == 1
                    vr = vec.seconds / png.seconds
                    add(f"{rows_label} CSV → {fmt.upper()}", fmt_s(vec), fmt_mb(vec),
                        f"file {vec.size / 1e6:.2f} MB; {'byte-identical' if same else 'DIFFERS'} "
                        f"over {reps} renders", f"{vr:.2f}× PNG time", "≤ 1.2× PNG, ≤ 1 MB, identical",
                        vec.ok and vr <= 1.2 and vec.size <= 1_000_000 and same)
        add("200 runs × 10k rows, `rlplot batch -j2`", "—", "—",
            "measured by benchmarks/bench_batch.py (several minutes)", "—", "≤ 0.25 s per figure", None)
        add("`rlplot --help`", fmt_s(help_t), fmt_mb(help_t), "—", "—", "≤ 0.3 s",
            help_t.ok and help_t.seconds <= 0.3)
        add("`rlplot --version`", fmt_s(version_t), fmt_mb(version_t), "—", "—", "≤ 0.3 s",
            version_t.ok and version_t.seconds <= 0.3)
    finally:
        shutil.rmtree(out, ignore_errors=True)   # the figures only prove each command ran

    header = ("| case | rlplot (median) | rlplot peak RSS | reference / floor | ratio | target | met |\n"
              "|---|---|---|---|---|---|---|")
    table = "\n".join([header, *("| " + " | ".join(r) + " |" for r in rows)])
    print(table)
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\n{reps} repetitions (reference at ≥ 1M rows: {args.ref_reps}); python "
          f"{sys.version.split()[0]}; {os.cpu_count()} cores; load average at the end {load}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
