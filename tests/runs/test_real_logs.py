"""The shared real event-file logs (read-only, beside this checkout; not in the repository)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rlplot.config import load_config
from rlplot.pipeline import prepare

REAL = next((p for p in (Path(__file__).resolve().parents[3] / "shared" / "real-logs",
                         Path("/work/shared/real-logs")) if p.is_dir()), None)
needs_real = pytest.mark.skipif(REAL is None, reason="the shared real logs are not beside this checkout")


def panels(*metrics, **data):
    return load_config(overrides={"panels": [{"metric": m} for m in metrics], "data": data}).config


@needs_real
def test_sb3_a2c_folder_one_run_with_two_points_and_a_header_only_run_left_out(invoke, tmp_path):
    folder = REAL / "tb_sb3_dtb_rl" / "a2c_tf"
    prepared = prepare([str(folder)], panels("rollout/ep_rew_mean", "train/value_loss"))
    (run,) = prepared.runs
    assert run.label == "A2C_1" and [len(s) for s in run.series] == [2, 2]
    assert run.series[0].x.tolist() == [500.0, 1000.0]
    (left,) = [n for n in prepared.notices if "left out" in n.what]
    assert left.file.endswith("A2C_2") and "only a header" in left.what
    out = tmp_path / "a2c.png"
    result = invoke("render", folder, "--y", "rollout/ep_rew_mean", "--y", "train/value_loss", "-o", out)
    assert result.exit_code == 0 and out.stat().st_size > 0


@needs_real
def test_minigrid_ppo_on_a_relative_time_axis(tmp_path):
    prepared = prepare([str(REAL / "tb_minigrid_ppo")], panels("rollout/ep_rew_mean", x="relative"))
    series = prepared.runs[0].series[0]
    assert len(series) == 13 and series.x[0] == 0.0 and np.all(np.diff(series.x) > 0)
    assert prepared.x_kind == "relative" and prepared.x_label == "Relative time"
