"""Format adapters: each real-world layout is detected from its content and read into the right tables."""
from __future__ import annotations

import gzip
import shutil

import numpy as np
import pytest

from rlplot.columns import band_columns, default_x
from rlplot.errors import InputError
from rlplot.io import FORMATS, detect_format, read_log, read_tables
from rlplot.io.sources import read_source
from rlplot.pipeline import prepare
from tests.conftest import DATA, one_panel


@pytest.mark.parametrize("name, fmt", [
    ("monitor.csv", "monitor"),
    ("progress.txt", "spinningup"),
    ("sb3_progress.csv", "sb3"),
    ("baselines_progress.csv", "baselines"),
    ("tb_download.csv", "tensorboard"),
    ("tb_long.csv", "tensorboard-long"),
    ("wandb_history.csv", "wandb"),
    ("wandb_panel.csv", "wandb-panel"),
    ("trainer_state.json", "trainer-state"),
    ("events.jsonl", "jsonl-events"),
    ("verl_partial.jsonl", "jsonl"),
    ("restarted.csv", "csv"),
])
def test_format_is_detected_from_content(name, fmt, tmp_path):
    assert detect_format(read_source(str(DATA / name))) == fmt
    # Content, not the extension, decides: the same bytes under a neutral name.
    neutral = tmp_path / "log.dat"
    shutil.copy(DATA / name, neutral)
    assert read_tables(str(neutral))[0].format == fmt


def test_every_registry_entry_has_a_fixture():
    fixtures = {read_tables(str(p))[0].format for p in DATA.iterdir()}
    assert set(FORMATS) - fixtures == {"json"}  # plain JSON lists: tests/io/test_readers.py


def test_monitor_adds_cumulative_timesteps_and_episode():
    table = read_log(str(DATA / "monitor.csv"))
    assert table.names == ["r", "l", "t", "timesteps", "episode"]
    np.testing.assert_array_equal(table.columns["timesteps"].values, [99, 163, 283])
    np.testing.assert_array_equal(table.columns["episode"].values, [1, 2, 3])
    assert default_x(table) == "timesteps"
    assert table.first_line == (3, 4, 5)  # after the #{json} line and the header, CRLF or not


def test_monitor_timesteps_skip_missing_lengths(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('#{"t_start": 1}\nr,l,t\n1,10,0.1\n2,,0.2\n3,5,0.3\n')
    steps = read_log(str(path)).columns["timesteps"]
    np.testing.assert_array_equal(steps.values[[0, 2]], [10, 15])
    assert steps.missing.tolist() == [False, True, False]


def test_spinningup_prefers_env_interactions_over_epochs():
    table = read_log(str(DATA / "progress.txt"))
    assert default_x(table) == "TotalEnvInteracts"
    np.testing.assert_allclose(table.columns["LossPi"].values, [1.4156103e-07, 3.7252903e-08, -2.2e-08])


def test_sb3_interleaved_eval_rows_are_sparse_cells():
    table = read_log(str(DATA / "sb3_progress.csv"))
    assert default_x(table) == "time/total_timesteps"
    assert int((~table.columns["eval/mean_reward"].missing).sum()) == 2
    assert int((~table.columns["rollout/ep_rew_mean"].missing).sum()) == 4


def test_tensorboard_download_is_read_as_plain_csv_with_step():
    table = read_log(str(DATA / "tb_download.csv"))
    assert table.names == ["Wall time", "Step", "Value"] and default_x(table) == "Step"


def test_tensorboard_long_export_gives_one_table_per_run_and_a_column_per_tag():
    tables = read_tables(str(DATA / "tb_long.csv"))
    assert [t.run for t in tables] == ["ppo_seed1", "ppo_seed2"]
    seed1, seed2 = tables
    assert seed1.names == ["step", "train/reward", "train/loss"]
    np.testing.assert_array_equal(seed1.columns["step"].values, [0, 10, 20])
    np.testing.assert_array_equal(seed1.columns["train/reward"].values, [1, 2, 3])
    assert seed1.columns["train/loss"].missing.tolist() == [False, False, True]
    assert seed2.columns["train/loss"].missing.tolist() == [True, False]
    assert seed1.first_line == (2, 4, 9)


def test_tensorboard_long_keeps_a_restarted_step_as_its_own_row(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("run,tag,step,value\na,r,0,1\na,r,1,2\na,r,1,5\n")
    (table,) = read_tables(str(path))
    np.testing.assert_array_equal(table.columns["step"].values, [0, 1, 1])
    np.testing.assert_array_equal(table.columns["r"].values, [1, 2, 5])


def test_read_log_refuses_a_file_with_several_runs():
    with pytest.raises(InputError, match="holds 2 runs") as info:
        read_log(str(DATA / "tb_long.csv"))
    assert "read_tables" in info.value.hint


def test_wandb_history_uses_step():
    table = read_log(str(DATA / "wandb_history.csv"))
    assert default_x(table) == "_step"


def test_wandb_panel_export_splits_runs_and_keeps_min_max_as_a_band():
    tables = read_tables(str(DATA / "wandb_panel.csv"))
    assert [t.run for t in tables] == ["ppo-seed-1", "sac run"]
    ppo, sac = tables
    assert ppo.names == ["Step", "train/reward", "train/reward__MIN", "train/reward__MAX"]
    np.testing.assert_array_equal(ppo.columns["Step"].values, [0, 100, 200])  # its rows only
    np.testing.assert_array_equal(sac.columns["Step"].values, [100, 200, 300])
    assert band_columns(sac, "train/reward") == ("train/reward__MIN", "train/reward__MAX")
    np.testing.assert_array_equal(sac.columns["train/reward__MAX"].values, [0.6, 1.1, 1.4])
    assert band_columns(sac, "Step") is None
    assert [n.what for n in sac.notes] == ["min/max band columns: train/reward__MIN/__MAX"]


def test_trainer_state_mixes_train_and_eval_entries():
    table = read_log(str(DATA / "trainer_state.json"))
    assert table.format == "trainer-state" and table.n_rows == 6
    assert default_x(table) == "step"
    assert int((~table.columns["eval_accuracy"].missing).sum()) == 2
    assert int((~table.columns["loss"].missing).sum()) == 3


def test_trainer_state_without_log_history_is_an_input_error(tmp_path):
    path = tmp_path / "trainer_state.json"
    path.write_text('{"log_history": 3}')
    with pytest.raises(InputError, match="log_history"):
        read_log(str(path))


def test_jsonl_events_set_config_aside_and_split_clashing_metrics():
    table = read_log(str(DATA / "events.jsonl"))
    assert table.n_rows == 4
    assert "args.steps" not in table.names and "best_accuracy" not in table.names
    assert {"train/accuracy", "eval/accuracy", "train/loss", "eval/loss", "step"} <= set(table.names)
    assert default_x(table) == "step"  # not args.steps of the config record
    assert table.first_line == (2, 3, 4, 5)
    assert any("set aside 1 'config' record, 1 'summary' record" in n.what for n in table.notes)


def test_jsonl_events_without_clashes_keep_plain_names(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"event": "config", "lr": 0.1}\n{"event": "step", "step": 1, "acc": 0.5}\n'
                    '{"event": "eval", "step": 1, "eval_acc": 0.4}\n')
    table = read_log(str(path))
    assert {"acc", "eval_acc", "step"} <= set(table.names) and "lr" not in table.names


@pytest.mark.parametrize("name", ["tb_long.csv", "wandb_panel.csv", "trainer_state.json",
                                  "events.jsonl", "monitor.csv"])
def test_adapters_read_gzip_too(name, tmp_path):
    path = tmp_path / (name + ".gz")
    path.write_bytes(gzip.compress((DATA / name).read_bytes()))
    assert [t.names for t in read_tables(str(path))] == [t.names for t in read_tables(str(DATA / name))]


def test_forcing_a_format_that_does_not_fit_is_one_input_error():
    with pytest.raises(InputError, match="tensorboard-long") as info:
        read_tables(str(DATA / "monitor.csv"), format="tensorboard-long")
    assert "--format" in info.value.hint


def test_unknown_format_lists_the_registry():
    with pytest.raises(InputError, match="unknown format 'parquet'") as info:
        read_tables(str(DATA / "monitor.csv"), format="parquet")
    assert "wandb-panel" in info.value.hint


def test_forcing_plain_csv_skips_the_adapter():
    table = read_log(str(DATA / "monitor.csv"), format="csv")
    assert table.format == "csv" and "timesteps" not in table.names


# ---------------------------------------------------------------- quirks of the real logs, in small

def test_grpo_like_csv_crlf_trailing_empty_cells_timestamps_and_strings(tmp_path):
    path = tmp_path / "metrics.csv"
    path.write_bytes(b"iteration,timestamp,loss,training_phase,eval_combined,eval_prm\r\n"
                     b"1,2026-04-26T03:38:38,0.000610,GROUNDED_ONLY,,\r\n"
                     b"2,2026-04-26T03:40:45,0.000420,GROUNDED_ONLY,,\r\n"
                     b"3,2026-04-26T03:42:50,0.000310,SELF_PLAY,0.91,0.88\r\n")
    table = read_log(str(path))
    assert default_x(table) == "iteration"
    assert table.columns["training_phase"].nonnumeric.all()
    # ISO-8601 text reads as Unix seconds (io.timestamps): 127 s, then 125 s apart
    assert np.diff(table.columns["timestamp"].values).tolist() == [127.0, 125.0]
    assert table.columns["eval_combined"].missing.tolist() == [True, True, False]
    prepared = prepare([str(path)], one_panel("eval_combined"))
    assert len(prepared.runs[0].series[0]) == 1


def test_wide_wandb_with_step_in_the_middle_and_deep_slash_names(tmp_path):
    names = [f"train/agent{i}/loss" for i in range(20)]
    header = names[:10] + ["_step"] + names[10:] + ["_runtime"]
    rows = [",".join(["" if (r + c) % 3 == 0 else str(r * c) for c in range(20)][:10] + [str(r)]
                     + ["1"] * 10 + [str(r * 1.5)]) for r in range(5)]
    path = tmp_path / "wandb_export.csv"
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n")
    table = read_log(str(path))
    assert table.format == "wandb" and default_x(table) == "_step" and len(table.names) == 22


def test_x_column_last_with_percent_header(tmp_path):
    table = read_log(str(DATA / "baselines_progress.csv"))
    assert default_x(table) == "steps" and table.names[0] == "% time spent exploring"
