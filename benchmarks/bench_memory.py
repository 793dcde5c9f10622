"""Memory of big logs (issue 18, target 1): time and peak RSS of ``rlplot render`` against the
plain pandas + statsmodels script (benchmarks/reference.py), one Markdown table.

    python benchmarks/bench_memory.py                          # 1M, 10M, 100M CSV; 10M JSONL
    python benchmarks/bench_memory.py --sizes 1e6,1e7 --jsonl-sizes 1e7
    python benchmarks/bench_memory.py --quick                  # 100k rows, streamed path forced

Every measurement is a separate process (``run.run_once``: wall time, peak RSS from
``os.wait4``). Logs up to 10M rows come from benchmarks/generate.py; bigger CSVs (100M rows,
~11 GB: check ``df -h`` first) are written by ``write_fast_csv`` below, with pyarrow's CSV
writer: the same columns and values as generate.py (rounded to its digits), the header
quoted and the timestamp written by pyarrow; generate.py's Python formatting would take
hours at that size. The reference script is skipped above ``--ref-max-rows`` (pandas holds
every column: ~2 GB per 10M rows) and for JSONL above ``--ref-jsonl-max-rows``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from generate import DATA, SEED, START, columns_for, generate, parse_sizes  # noqa: E402
from run import MB, REFERENCE, measure, rlplot_argv  # noqa: E402

from rlplot.markdown import md_table  # noqa: E402

FAST_GENERATE_ABOVE = 10_000_000
# issue 18: (format, rows) -> (peak RSS MB, seconds or None)
TARGETS = {("csv", 10_000_000): (500, 4.0), ("jsonl", 10_000_000): (700, 6.0),
           ("csv", 100_000_000): (1024, None)}
DIGITS = {"accuracy": 5, "avg_parallelism": 4, "loss": 5, "kl": 6, "entropy": 5, "tokens_per_s": 1,
          "wall_s": 2}
SIGNIFICANT = ("rl_flops", "lr")   # written with 7 significant digits, as generate.py's %.6e


def _rounded(name: str, values: np.ndarray) -> np.ndarray:
    if name in DIGITS:
        return np.round(values, DIGITS[name])
    if name in SIGNIFICANT:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = 10.0 ** np.floor(np.log10(np.abs(values)))
            return np.where(values == 0, 0.0, np.round(values / scale, 6) * scale)
    return values


def write_fast_csv(n: int, folder: Path, chunk: int = 1_000_000) -> Path:
    """The ``n``-row benchmark CSV written by pyarrow (reused when already there)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = folder / f"run_{n}.csv"
    stamp = path.with_suffix(".csv.ok")
    if path.exists() and stamp.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    temp = path.with_suffix(".csv.part")
    writer = None
    for start in range(0, n, chunk):
        columns = columns_for(np.arange(start, min(n, start + chunk), dtype=np.int64), n, rng)
        table = {name: _rounded(name, values) for name, values in columns.items()}
        seconds = (START.timestamp() + columns["wall_s"]).astype("int64")
        table["timestamp"] = pa.array(seconds, pa.timestamp("s", tz="UTC"))
        batch = pa.table(table)
        if writer is None:
            writer = pacsv.CSVWriter(str(temp), batch.schema)
        writer.write_table(batch)
    writer.close()
    os.replace(temp, path)
    stamp.write_text(f"seed={SEED} (pyarrow writer)\n")
    return path


def log_for(n: int, fmt: str, folder: Path) -> Path:
    """The benchmark log of ``n`` rows in ``fmt``."""
    if fmt == "csv" and n > FAST_GENERATE_ABOVE:
        return write_fast_csv(n, folder)
    return generate(n, fmt, folder)


def _met(fmt: str, n: int, seconds: float, rss: int) -> tuple[str, str, str]:
    """(target text, memory met, time met) for a case of issue 18."""
    target = TARGETS.get((fmt, n))
    if target is None:
        return "—", "—", "—"
    mb, limit = target
    text = f"≤ {mb:,} MB" + (f", ≤ {limit:g} s" if limit else "")
    memory = "yes" if rss / MB <= mb else "**no**"
    time = "—" if limit is None else ("yes" if seconds <= limit else "**no**")
    return text, memory, time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e6,1e7,1e8", help="CSV row counts")
    parser.add_argument("--jsonl-sizes", default="1e7", help="JSONL row counts")
    parser.add_argument("--reps", type=int, default=1, help="repetitions (median time, largest RSS)")
    parser.add_argument("--ref-max-rows", type=float, default=1e7, help="reference CSV up to this many rows")
    parser.add_argument("--ref-jsonl-max-rows", type=float, default=1e6,
                        help="reference JSONL up to this many rows (pandas needs ~17 GB at 10M)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 100k rows, with the streamed path forced on that small log")
    parser.add_argument("--data", type=Path, default=DATA, help="folder for the generated logs")
    args = parser.parse_args(argv)
    cases = [("csv", n) for n in parse_sizes(args.sizes)] + \
            [("jsonl", n) for n in parse_sizes(args.jsonl_sizes)]
    if args.quick:
        cases = [("csv", 100_000), ("jsonl", 100_000)]
    out = Path(tempfile.mkdtemp(prefix="rlplot-memory-"))
    py = sys.executable
    rows = []
    for fmt, n in cases:
        log = log_for(n, fmt, args.data)
        argv_rl = rlplot_argv(log, out / "rl.png")
        if args.quick:   # force the streamed path on a small log: it must run, not be fast
            argv_rl = [py, "-c", "import sys; import rlplot.io.fast as f; import rlplot.stream.switch as s; "
                       "f.FAST_MIN_BYTES = 0; s.STREAM_MIN_BYTES = 0; from rlplot.cli import run; "
                       "sys.argv = ['rlplot'] + sys.argv[1:]; run()", *argv_rl[3:]]
        rl = measure(argv_rl, out / "rl.png", args.reps, f"rlplot {n} {fmt}")
        ref = None
        if n <= (args.ref_max_rows if fmt == "csv" else args.ref_jsonl_max_rows):
            ref = measure([py, str(REFERENCE), str(log), "-o", str(out / "ref.png"), "--delta", "auto"],
                          out / "ref.png", 1, f"reference {n} {fmt}")
        target, memory, time = _met(fmt, n, rl.seconds, rl.rss) if rl.ok else ("—", "**failed**", "—")
        rows.append((f"{n:,} rows {fmt.upper()} ({log.stat().st_size / 1e9:.2f} GB)",
                     f"{rl.seconds:.1f} s" if rl.ok else "failed", f"{rl.rss / MB:,.0f} MB",
                     "—" if ref is None else (f"{ref.seconds:.1f} s" if ref.ok else "failed"),
                     "—" if ref is None else f"{ref.rss / MB:,.0f} MB", target, memory, time))
    print("\n".join(md_table(("log", "rlplot time", "rlplot peak RSS", "reference time",
                              "reference peak RSS", "target", "memory met", "time met"), rows)))
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
