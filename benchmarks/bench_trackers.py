"""Tracker stores: what the optional wandb extra costs, and rlplot's readers vs the trackers' own clients.

    python benchmarks/bench_trackers.py [--rows 5000] [--keys 4] [--reps 3] [--quick]

Writes stores with the real clients into benchmarks/data/trackers/ (MLflow file store and
SQLite store: one run, --keys metrics x --rows steps; W&B: one offline run of --rows
``log`` calls), then times, median of --reps runs, each a fresh process so imports count:
  import:  python alone; rlplot's tracker readers; wandb's message classes (what reading a
           .wandb file imports); the whole wandb client
  MLflow:  rlplot read_mlflow_run vs MlflowClient.get_metric_history for every key (what a
           user would otherwise write), on both stores
  W&B:     rlplot read_wandb_run of the .wandb file (wandb ships no Python reader for it)
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "trackers"
sys.path.insert(0, str(HERE.parent))
from rlplot.markdown import md_table  # noqa: E402

ENV = {"MLFLOW_ALLOW_FILE_STORE": "true", "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true",
       "WANDB_MODE": "offline", "WANDB_SILENT": "true", "WANDB_DISABLE_CODE": "true", "WANDB_DISABLE_GIT": "true"}

WRITE_MLFLOW = r"""
import sys
from mlflow import MlflowClient
from mlflow.entities import Metric
uri, rows, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = MlflowClient(tracking_uri=uri)
run = client.create_run(client.create_experiment("bench"), run_name="bench")
points = [Metric(f"train/m{k}", (s * 7 + k) % 101 / 10, 1_700_000_000_000 + s * 10, s)
          for s in range(rows) for k in range(keys)]
for start in range(0, len(points), 1000):
    client.log_batch(run.info.run_id, metrics=points[start:start + 1000])
"""

WRITE_WANDB = r"""
import sys, wandb
out, rows, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = wandb.init(project="bench", name="bench", config={"lr": 3e-4}, dir=out, mode="offline")
for s in range(rows):
    run.log({f"train/m{k}": (s * 7 + k) % 101 / 10 for k in range(keys)})
run.finish()
"""

READ_RLPLOT_MLFLOW = r"""
import sys
from rlplot.io.mlflow import list_mlflow_runs, read_mlflow_run
run = list_mlflow_runs(sys.argv[1]).runs[0]
assert read_mlflow_run(sys.argv[1], run).n_rows == int(sys.argv[2])
"""

READ_CLIENT_MLFLOW = r"""
import sys
from mlflow import MlflowClient
client = MlflowClient(tracking_uri=sys.argv[1])
run = client.search_runs([client.get_experiment_by_name("bench").experiment_id])[0]
histories = {k: client.get_metric_history(run.info.run_id, k) for k in run.data.metrics}
assert all(len(h) == int(sys.argv[2]) for h in histories.values())
"""

READ_RLPLOT_WANDB = r"""
import sys
from rlplot.io.wandb_run import read_wandb_run
assert read_wandb_run(sys.argv[1]).n_rows == int(sys.argv[2])
"""


def run_script(code: str, *args: str, timeout: float = 1800) -> float:
    """Seconds one fresh process takes to run ``code`` with ``args``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, timeout=timeout, capture_output=True,
                   env={**os.environ, **ENV})
    return time.perf_counter() - start


def median(code: str, *args: str, reps: int) -> float:
    """Median seconds over ``reps`` fresh processes."""
    return statistics.median(run_script(code, *args) for _ in range(reps))


def build(rows: int, keys: int) -> dict[str, str]:
    """The three stores for this size, written by the real clients (reused when present)."""
    folder = DATA / f"{rows}x{keys}"
    stores = {"files": folder / "mlruns", "sqlite": folder / "mlflow.db", "wandb": folder / "wandb"}
    if not all(p.exists() for p in stores.values()):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run_script(WRITE_MLFLOW, "file://" + str(stores["files"]), str(rows), str(keys))
        run_script(WRITE_MLFLOW, "sqlite:///" + str(stores["sqlite"]), str(rows), str(keys))
        run_script(WRITE_WANDB, str(folder), str(rows), str(keys))
    run_folder = next(p for p in stores["wandb"].iterdir() if p.name.startswith("offline-run-"))
    return {"files": str(stores["files"]), "sqlite": str(stores["sqlite"]), "wandb": str(run_folder)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=4)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="300 rows, 1 rep: checks the pieces work")
    args = parser.parse_args(argv)
    rows, reps = (300, 1) if args.quick else (args.rows, args.reps)
    stores = build(rows, args.keys)
    points = f"{rows:,} steps x {args.keys} keys"
    table = [
        ["import: python alone", f"{median('pass', reps=reps):.2f} s", ""],
        ["import: rlplot tracker readers (no wandb)",
         f"{median('import rlplot.io.wandb_run, rlplot.io.mlflow, rlplot.io.hparams', reps=reps):.2f} s", ""],
        ["import: wandb message classes (read a .wandb)",
         f"{median('from wandb.proto import wandb_internal_pb2', reps=reps):.2f} s", ""],
        ["import: the whole wandb client", f"{median('import wandb', reps=reps):.2f} s", ""],
    ]
    for kind in ("files", "sqlite"):
        ours = median(READ_RLPLOT_MLFLOW, stores[kind], str(rows), reps=reps)
        theirs = median(READ_CLIENT_MLFLOW, ("file://" if kind == "files" else "sqlite:///") + stores[kind],
                        str(rows), reps=reps)
        table.append([f"MLflow {kind} store, {points}", f"{ours:.2f} s", f"{theirs:.2f} s (MlflowClient)"])
    ours = median(READ_RLPLOT_WANDB, stores["wandb"], str(rows), reps=reps)
    table.append([f"W&B .wandb, {points}", f"{ours:.2f} s", "no Python reader in wandb"])
    print("\n".join(md_table(["case", "rlplot (median)", "the tracker's own client"], table)))


if __name__ == "__main__":
    main()
