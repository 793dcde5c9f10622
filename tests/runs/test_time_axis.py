"""Time axes: --x wall and --x relative from event files, W&B, CSV timestamps (s, ms, ISO) and
elapsed-time columns; aggregation on a relative axis; the figure's x label and x kind."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rlplot.errors import ColumnError
from rlplot.pipeline import prepare
from tests.conftest import one_panel
from tests.runs.trees import T0, csv_run, event_run, wandb_legacy_run

REWARD = "rollout/ep_rew_mean"


def test_event_runs_on_a_wall_clock_axis_keep_each_points_wall_time(tmp_path):
    event_run(tmp_path / "PPO_1", every=30.0)
    prepared = prepare([str(tmp_path)], one_panel(REWARD, x="wall"))
    series = prepared.runs[0].series[0]
    assert series.x.tolist() == [T0 + 30.0 * i for i in range(8)]
    assert (prepared.x_kind, prepared.x_label, series.x_name) == ("wall", "Wall time", "wall time")


def test_relative_time_starts_at_the_runs_first_point(tmp_path):
    event_run(tmp_path / "PPO_1", every=30.0)
    prepared = prepare([str(tmp_path)], one_panel(REWARD, x="relative"))
    assert prepared.runs[0].series[0].x.tolist() == [30.0 * i for i in range(8)]
    assert (prepared.x_kind, prepared.x_label) == ("relative", "Relative time")


def test_aggregation_over_runs_on_a_relative_axis_works_like_on_steps(tmp_path):
    # three seeds started hours apart, sampled at different rates: on wall time they share no x
    for seed, every in enumerate((30.0, 20.0, 60.0)):
        event_run(tmp_path / f"seed{seed}", steps=10 if every != 60.0 else 6, every=every,
                  offset=float(seed))
    config = one_panel(REWARD, x="relative")
    config = replace(config, runs=replace(config.runs, aggregate="mean", band="none"))
    prepared = prepare([str(tmp_path)], config)
    (group,) = prepared.groups
    curve = group.curves[0]
    assert curve.x[0] == 0.0 and curve.x[-1] == pytest.approx(180.0)   # the range all three share
    assert np.all(np.diff(curve.y[np.isfinite(curve.y)]) > 0)


def test_wandb_runs_use_their_timestamps(tmp_path):
    wandb_legacy_run(tmp_path / "run-20240101_000000-abcd1234", "r", {"lr": 0.1}, [1.0, 2.0, 3.0])
    wall = prepare([str(tmp_path)], one_panel("reward", x="wall")).runs[0].series[0]
    relative = prepare([str(tmp_path)], one_panel("reward", x="relative")).runs[0].series[0]
    assert wall.x.tolist() == [T0, T0 + 2, T0 + 4]
    assert relative.x.tolist() == [0.0, 2.0, 4.0]


@pytest.mark.parametrize("stamps", [
    ["2024-05-01T12:00:00", "2024-05-01T12:00:10", "2024-05-01T12:01:40"],
    [1714564800, 1714564810, 1714564900],
    [1714564800000, 1714564810000, 1714564900000],
])
def test_csv_timestamps_in_iso_seconds_or_milliseconds_give_the_same_axes(tmp_path, stamps):
    log = csv_run(tmp_path / "m.csv", [{"step": i, "timestamp": s, "reward": i}
                                       for i, s in enumerate(stamps)])
    wall = prepare([str(log)], one_panel("reward", x="wall")).runs[0].series[0]
    relative = prepare([str(log)], one_panel("reward", x="relative")).runs[0].series[0]
    assert wall.x.tolist() == [1714564800.0, 1714564810.0, 1714564900.0]
    assert relative.x.tolist() == [0.0, 10.0, 100.0]


def test_an_iso_column_chosen_by_name_is_an_x_of_seconds(tmp_path):
    log = csv_run(tmp_path / "m.csv", [{"timestamp": f"2024-05-01T12:00:0{i}", "reward": i}
                                       for i in range(3)])
    series = prepare([str(log)], one_panel("reward", x="timestamp")).runs[0].series[0]
    assert series.x.tolist() == [1714564800.0, 1714564801.0, 1714564802.0]


def test_an_elapsed_time_column_serves_relative_but_not_wall(tmp_path):
    log = csv_run(tmp_path / "progress.csv", [{"time/time_elapsed": 5 + 3 * i, "reward": i}
                                              for i in range(4)])
    assert prepare([str(log)], one_panel("reward", x="relative")).runs[0].series[0].x.tolist() == [
        0.0, 3.0, 6.0, 9.0]
    with pytest.raises(ColumnError, match="no wall-clock time in this run") as error:
        prepare([str(log)], one_panel("reward", x="wall"))
    assert error.value.hint == "it has only the elapsed time 'time/time_elapsed': use --x relative"


def test_a_run_without_timestamps_is_one_error_listing_its_columns(tmp_path):
    log = csv_run(tmp_path / "m.csv", [{"step": i, "reward": i} for i in range(3)])
    with pytest.raises(ColumnError, match="no timestamps in this run") as error:
        prepare([str(log)], one_panel("reward", x="relative"))
    assert "numeric columns: step, reward" in error.value.hint


def test_time_axes_render_through_the_cli(invoke, tmp_path):
    event_run(tmp_path / "PPO_1")
    out = tmp_path / "t.png"
    result = invoke("render", tmp_path, "--y", REWARD, "--x", "relative", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0
