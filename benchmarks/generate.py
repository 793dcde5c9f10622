"""Generate realistic, seeded RL training logs for the benchmark (1e3 … 1e7 rows, CSV and JSONL).

    python benchmarks/generate.py --sizes 1e3,1e6 --formats csv,jsonl

Files go to benchmarks/data/ (gitignored) as run_<rows>.<ext>; an existing file of the
same size and seed is reused. The columns follow the sample run (step, rl_flops,
accuracy, avg_parallelism: accuracy 35 % -> 64 %, parallelism ~8 with an early dip and a
late rise with growing scatter, x = RL flops 1e19..1e21) plus what real trainers log
beside them: loss, learning rate, KL, entropy, tokens/s, a wall-clock time and an ISO
timestamp (a string column). JSONL records nest the timing keys ({"timing": {...}}) as
many trainers do. Rows are written in chunks so memory stays flat at any size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CHUNK = 200_000
SEED = 20261124
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def parse_sizes(text: str) -> list[int]:
    """``"1e3,1e6"`` -> [1000, 1000000]."""
    return [int(float(part)) for part in text.split(",") if part.strip()]


def columns_for(rows: np.ndarray, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Metric columns for the row numbers ``rows`` (shape (k,)) of an ``n``-row run."""
    k = rows.shape[0]
    t = rows / max(n - 1, 1)
    acc = 0.355 + 0.285 * (t + 0.08 * np.sin(np.pi * t)) + rng.normal(0, 0.013, k)
    dip = -0.75 * np.exp(-(((t - 0.2) / 0.07) ** 2))
    plateau = 8.3 + 0.6 * np.clip((t - 0.3) / 0.4, 0, 1)
    hockey = 5.3 * np.clip((t - 0.68) / 0.32, 0, 1) ** 2.2
    spread = 0.12 + 0.55 * np.clip((t - 0.6) / 0.4, 0, 1)
    return {
        "step": rows + 1,
        "rl_flops": 1e19 + t * (1e21 - 1e19),
        "accuracy": acc,
        "avg_parallelism": plateau + dip + hockey + rng.normal(0, 1, k) * spread,
        "loss": 1.2 * np.exp(-3 * t) + rng.normal(0, 0.02, k),
        "lr": 1e-6 * np.minimum(1.0, t * 20),
        "kl": np.abs(rng.normal(0.01, 0.004, k)),
        "entropy": 0.9 - 0.4 * t + rng.normal(0, 0.01, k),
        "tokens_per_s": rng.normal(5200, 300, k),
        "wall_s": (rows + 1) * 3.2 + rng.normal(0, 0.5, k),
    }


def _timestamps(seconds: np.ndarray) -> list[str]:
    base = START.timestamp()
    return [dt.datetime.fromtimestamp(base + s, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            for s in seconds.tolist()]


CSV_HEADER = ("step,rl_flops,accuracy,avg_parallelism,loss,lr,kl,entropy,tokens_per_s,"
              "wall_s,timestamp\n")


def csv_chunk(c: dict[str, np.ndarray]) -> str:
    """CSV lines of one chunk, formatted like pandas/csv writers do."""
    stamps = _timestamps(c["wall_s"])
    rows = zip(c["step"].tolist(), c["rl_flops"].tolist(), c["accuracy"].tolist(),
               c["avg_parallelism"].tolist(), c["loss"].tolist(), c["lr"].tolist(),
               c["kl"].tolist(), c["entropy"].tolist(), c["tokens_per_s"].tolist(),
               c["wall_s"].tolist(), stamps)
    return "".join(f"{s},{f:.6e},{a:.5f},{p:.4f},{lo:.5f},{lr:.3e},{kl:.6f},{e:.5f},{tp:.1f},"
                   f"{w:.2f},{ts}\n" for s, f, a, p, lo, lr, kl, e, tp, w, ts in rows)


def jsonl_chunk(c: dict[str, np.ndarray]) -> str:
    """JSONL records of one chunk, with a nested ``timing`` object as trainers write it."""
    stamps = _timestamps(c["wall_s"])
    rows = zip(c["step"].tolist(), c["rl_flops"].tolist(), c["accuracy"].tolist(),
               c["avg_parallelism"].tolist(), c["loss"].tolist(), c["lr"].tolist(),
               c["kl"].tolist(), c["entropy"].tolist(), c["tokens_per_s"].tolist(),
               c["wall_s"].tolist(), stamps)
    return "".join(
        f'{{"step": {s}, "rl_flops": {f:.6e}, "accuracy": {a:.5f}, "avg_parallelism": {p:.4f}, '
        f'"loss": {lo:.5f}, "lr": {lr:.3e}, "kl": {kl:.6f}, "entropy": {e:.5f}, '
        f'"timing": {{"tokens_per_s": {tp:.1f}, "wall_s": {w:.2f}}}, "timestamp": "{ts}"}}\n'
        for s, f, a, p, lo, lr, kl, e, tp, w, ts in rows)


WRITERS = {"csv": (CSV_HEADER, csv_chunk), "jsonl": ("", jsonl_chunk)}


def log_path(n: int, fmt: str, folder: Path = DATA) -> Path:
    """Where the ``n``-row log of format ``fmt`` lives."""
    return folder / f"run_{n}.{fmt}"


def generate(n: int, fmt: str, folder: Path = DATA, force: bool = False) -> Path:
    """Write (or reuse) the seeded ``n``-row log in ``fmt``; returns its path."""
    path = log_path(n, fmt, folder)
    stamp = path.with_suffix(path.suffix + ".ok")
    if path.exists() and stamp.exists() and not force:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    header, chunk = WRITERS[fmt]
    rng = np.random.default_rng(SEED)
    temp = path.with_suffix(path.suffix + ".part")
    with temp.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        for start in range(0, n, CHUNK):
            rows = np.arange(start, min(n, start + CHUNK), dtype=np.int64)
            out.write(chunk(columns_for(rows, n, rng)))
    os.replace(temp, path)
    stamp.write_text(f"seed={SEED}\n")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e3,1e6,1e7", help="comma-separated row counts")
    parser.add_argument("--formats", default="csv,jsonl", help="csv, jsonl or both")
    parser.add_argument("--out", default=str(DATA), help="output folder")
    parser.add_argument("--force", action="store_true", help="rewrite existing files")
    args = parser.parse_args(argv)
    for n in parse_sizes(args.sizes):
        for fmt in args.formats.split(","):
            path = generate(n, fmt.strip(), Path(args.out), args.force)
            print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
