"""Folders of runs for the tests: event-file runs written by tensorboardX, CSV/JSONL logs, configs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from tests.io.tb_fixtures import legacy_run

T0 = 1_700_000_000.0    # wall time of the first point (Unix seconds)


def event_run(folder: Path, tags: Sequence[str] = ("rollout/ep_rew_mean",), steps: int = 8,
              offset: float = 0.0, every: float = 30.0, hparams: dict | None = None) -> Path:
    """A run of ``steps`` points per tag (step = 100 i, value = offset + i, wall = T0 + every i)."""
    points = [(tag, 100 * i, offset + i + 0.1 * k, T0 + every * i)
              for i in range(steps) for k, tag in enumerate(tags)]
    if hparams is None:
        return legacy_run(folder, points)
    from tensorboardX import SummaryWriter

    with SummaryWriter(str(folder)) as writer:
        for tag, step, value, wall in points:
            writer.add_scalar(tag, value, step, walltime=wall)
        # as torch and tensorboardX write them: into a session sub-folder of the run
        writer.add_hparams(hparams, {"hparam/score": 1.0}, name="session")
    return next(folder.glob("events.out.tfevents.*"))


def header_only_run(folder: Path) -> Path:
    """An event file holding only its header: the job died before logging (tensorboardX writes it)."""
    from tensorboardX import SummaryWriter

    folder.mkdir(parents=True, exist_ok=True)
    with SummaryWriter(str(folder)):
        pass
    return next(folder.glob("events.out.tfevents.*"))


def csv_run(path: Path, rows: Iterable[dict]) -> Path:
    """A CSV log of ``rows`` (dicts with the same keys)."""
    rows = list(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(rows[0])] + [",".join(str(v) for v in row.values()) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def curve(n: int = 12, offset: float = 0.0, **extra) -> list[dict]:
    """Rows ``step, reward`` (reward = offset + step / 10) plus constant ``extra`` columns."""
    return [{"step": 10 * i, "reward": offset + i, **extra} for i in range(n)]


def config_json(folder: Path, values: dict) -> Path:
    """A ``config.json`` beside a run."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    return path


def wandb_legacy_run(folder: Path, name: str, config: dict, rewards: Sequence[float],
                     project: str = "proj") -> Path:
    """A legacy W&B run folder (wandb < 0.10 wrote these as plain JSON/YAML files)."""
    folder.mkdir(parents=True, exist_ok=True)
    history = [{"reward": r, "_step": i, "_runtime": 5.0 + 2 * i, "_timestamp": T0 + 2 * i}
               for i, r in enumerate(rewards)]
    (folder / "wandb-history.jsonl").write_text("".join(json.dumps(h) + "\n" for h in history))
    (folder / "wandb-metadata.json").write_text(json.dumps({"name": name, "project": project}))
    (folder / "config.yaml").write_text("wandb_version: 1\n" + "".join(
        f"{k}:\n  desc: null\n  value: {v}\n" for k, v in config.items()))
    return folder
