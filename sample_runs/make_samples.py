"""Generate the sample runs shaped like the seed chart (fixed seeds: re-running gives identical files).

    python sample_runs/make_samples.py

Writes seed_like_run.jsonl / .csv (accuracy 35 % -> 64 %, parallelism ~8 with an early
dip to ~7.5, a long plateau and a sharp rise to ~14 with growing scatter, x = RL flops
1e19..1e21) and three seeds of a second run in second_run/.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def make_run(seed: int, n: int = 300, acc_end: float = 0.64, rise: float = 5.3):
    """One run: columns step, rl_flops, accuracy (0-1), parallelism; shape (n,) each."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, n)
    step = np.arange(1, n + 1) * 10
    flops = 1e19 + t * (1e21 - 1e19)
    accuracy = 0.355 + (acc_end - 0.355) * (t + 0.08 * np.sin(np.pi * t)) + rng.normal(0, 0.013, n)
    dip = -0.75 * np.exp(-(((t - 0.2) / 0.07) ** 2))
    plateau = 8.3 + 0.6 * np.clip((t - 0.3) / 0.4, 0, 1)
    hockey = rise * np.clip((t - 0.68) / 0.32, 0, 1) ** 2.2
    spread = 0.12 + 0.55 * np.clip((t - 0.6) / 0.4, 0, 1)
    parallelism = plateau + dip + hockey + rng.normal(0, 1, n) * spread
    return step, flops, accuracy, parallelism


def write_jsonl(path: Path, columns) -> None:
    step, flops, accuracy, parallelism = columns
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in zip(step, flops, accuracy, parallelism):
            out.write(json.dumps({"step": int(row[0]), "rl_flops": float(f"{row[1]:.6e}"),
                                  "accuracy": round(float(row[2]), 5),
                                  "avg_parallelism": round(float(row[3]), 4)}) + "\n")


def write_csv(path: Path, columns) -> None:
    step, flops, accuracy, parallelism = columns
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["step", "rl_flops", "accuracy", "avg_parallelism"])
        for row in zip(step, flops, accuracy, parallelism):
            writer.writerow([int(row[0]), f"{row[1]:.6e}", f"{row[2]:.5f}", f"{row[3]:.4f}"])


def main() -> None:
    run = make_run(seed=7)
    write_jsonl(HERE / "seed_like_run.jsonl", run)
    write_csv(HERE / "seed_like_run.csv", run)
    folder = HERE / "second_run"
    folder.mkdir(exist_ok=True)
    for seed in (1, 2, 3):
        write_jsonl(folder / f"seed{seed}.jsonl", make_run(seed=100 + seed, n=240, acc_end=0.70,
                                                           rise=4.8))


if __name__ == "__main__":
    main()
