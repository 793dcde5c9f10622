"""Generated sweeps of real log files for ``rlplot report`` (the tests and benchmarks/bench_report.py):
``lr<rate>_seed<k>/metrics.jsonl`` shaped like the sample run, seeded, with a little damage."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

RATES = ("1e-4", "3e-4", "1e-3", "3e-3")


def run_records(seed: int, rows: int) -> list[dict]:
    """One run's records: rl_flops, accuracy (0-1, rising) and avg_parallelism (a dip, then a rise)."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, rows)
    flops = np.round(1e19 + t * (1e21 - 1e19), -14)
    accuracy = np.round(0.35 + (0.25 + 0.02 * (seed % 5)) * t + rng.normal(0, 0.01, rows), 5)
    parallelism = np.round(8.4 - 3 * t * np.exp(-8 * t) + 6 * np.clip((t - 0.75) / 0.25, 0, 1) ** 2
                           + rng.normal(0, 0.15, rows), 4)
    return [{"step": 10 * (i + 1), "rl_flops": float(f), "accuracy": float(a),
             "avg_parallelism": float(p)} for i, (f, a, p) in enumerate(zip(flops, accuracy, parallelism))]


def write_sweep(folder: Path, runs: int, rows: int = 300, damaged: bool = True) -> list[Path]:
    """Write ``runs`` logs under ``folder`` (learning rates x seeds); returns their paths in order.

    With ``damaged``, the first run has a malformed line and a missing value, which the report
    must show as data-quality notes.
    """
    paths = []
    for index in range(runs):
        run_dir = folder / f"lr{RATES[index % len(RATES)]}_seed{index // len(RATES)}"
        run_dir.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(r) for r in run_records(index, rows)]
        if damaged and index == 0:
            lines[10] = '{"step": 110, "rl_flops": 4.3e19, "accura'
            lines[20] = lines[20].replace('"accuracy": ', '"accuracy": null, "was": ')
        path = run_dir / "metrics.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
