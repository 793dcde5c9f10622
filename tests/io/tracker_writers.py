"""Writes real tracker stores with the real clients, for the tracker readers' tests.

Run as a script in a subprocess (``python tracker_writers.py KIND OUT``) so that MLflow's
and W&B's global state (logging, services, environment) never leaks into the test
process. The test modules import the same spec (names, params, the values each run logs)
to check what the readers return against what was written.
"""
from __future__ import annotations

import math
import os
import sys

EXPERIMENTS = ("cartpole", "pendulum")
LEARNING_RATES = (1e-3, 3e-4, 1e-4)
STEPS = 6
T0_MS = 1_700_000_000_000


def mlflow_spec() -> list[dict]:
    """Two experiments x three runs: name, experiment, params, and a global index for the values."""
    runs = []
    for e, experiment in enumerate(EXPERIMENTS):
        for r, lr in enumerate(LEARNING_RATES):
            runs.append({"index": 3 * e + r, "experiment": experiment, "name": f"{experiment}-lr{lr:g}",
                         "params": {"lr": lr, "algo": "ppo" if r < 2 else "sac", "seed": r,
                                    "net/hidden": 64}})
    return runs


def reward(index: int, step: int) -> float:
    """``train/reward`` of run ``index`` at ``step`` (logged at every step)."""
    return index * 10.0 + step * 1.5


def loss(index: int, step: int) -> float:
    """``loss`` of run ``index`` at ``step`` (logged at even steps only)."""
    return 1.0 / (step + 1 + index)


def stamp_ms(index: int, step: int) -> int:
    """The timestamp (epoch ms) MLflow records for a point."""
    return T0_MS + index * 100_000 + step * 1_000


def write_mlflow(uri: str) -> None:
    """Fill an MLflow store: the 2 x 3 runs, a deleted run and a deleted experiment of 2 runs."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    client = MlflowClient(tracking_uri=uri)
    experiments = {name: client.create_experiment(name) for name in EXPERIMENTS}
    for spec in mlflow_spec():
        run = client.create_run(experiments[spec["experiment"]], run_name=spec["name"])
        i = spec["index"]
        metrics = [Metric("train/reward", reward(i, s), stamp_ms(i, s), s) for s in range(STEPS)]
        metrics += [Metric("loss", loss(i, s), stamp_ms(i, s), s) for s in range(0, STEPS, 2)]
        if i == 0:   # MLflow's own encodings of NaN and infinity
            metrics += [Metric("extreme", math.nan, stamp_ms(i, 0), 0),
                        Metric("extreme", math.inf, stamp_ms(i, 1), 1)]
        client.log_batch(run.info.run_id, metrics=metrics,
                         params=[Param(k, str(v)) for k, v in spec["params"].items()])
        client.set_terminated(run.info.run_id)
    gone = client.create_run(experiments["cartpole"], run_name="cartpole-deleted")
    client.log_metric(gone.info.run_id, "train/reward", 1.0, step=0)
    client.delete_run(gone.info.run_id)
    scratch = client.create_experiment("scratch")
    for name in ("scratch-a", "scratch-b"):
        client.create_run(scratch, run_name=name)
    client.delete_experiment(scratch)


WANDB_RUNS = (
    {"project": "cartpole", "name": "ppo-lr0.001", "config": {"lr": 1e-3, "algo": "ppo",
                                                             "net": {"hidden": 64, "act": "tanh"}}},
    {"project": "cartpole", "name": "ppo-lr0.0003", "config": {"lr": 3e-4, "algo": "ppo",
                                                              "net": {"hidden": 64, "act": "tanh"}}},
    {"project": "pendulum", "name": "sac-lr0.001", "config": {"lr": 1e-3, "algo": "sac",
                                                             "net": {"hidden": 256, "act": "relu"}}},
)
WANDB_STEPS = 400          # enough records to fill several 32 KiB blocks
LONG_TEXT = "x" * 80_000   # one record over two blocks long: FIRST, MIDDLE and LAST chunks


def write_wandb(out: str) -> None:
    """Log the W&B runs offline into ``out/wandb/``: scalars, a nested dict, a histogram, long text."""
    import wandb

    for index, spec in enumerate(WANDB_RUNS):
        run = wandb.init(project=spec["project"], name=spec["name"], config=spec["config"], dir=out,
                         mode="offline")
        for step in range(WANDB_STEPS):
            row = {"train/reward": reward(index, step), "nested": {"depth": step * 2}}
            if step % 2 == 0:
                row["loss"] = loss(index, step)
            if step == 0:
                row["weights"] = wandb.Histogram([0.1, 0.2, 0.2, 0.5])
                row["notes"] = LONG_TEXT
            run.log(row)
        run.config.update({"late_key": "added after init"})
        run.finish()


def main(kind: str, out: str) -> None:
    """Write the store ``kind`` (mlflow-files, mlflow-sqlite, wandb) under ``out``."""
    os.makedirs(out, exist_ok=True)
    if kind == "mlflow-files":
        write_mlflow("file://" + os.path.join(os.path.abspath(out), "mlruns"))
    elif kind == "mlflow-sqlite":
        write_mlflow("sqlite:///" + os.path.join(os.path.abspath(out), "mlflow.db"))
    elif kind == "wandb":
        write_wandb(out)
    else:
        raise SystemExit(f"unknown kind {kind}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
