"""Rendering runs found in folders: runs left out and why, the errors when none is left, labels."""
from __future__ import annotations

import os

import numpy as np
import pytest

from rlplot.errors import ColumnError, InputError
from rlplot.pipeline import prepare
from tests.conftest import one_panel
from tests.runs.trees import csv_run, curve, event_run, header_only_run

REWARD = "rollout/ep_rew_mean"


def test_a_run_without_the_tag_is_left_out_with_one_warning(tmp_path):
    event_run(tmp_path / "A2C_1", tags=(REWARD, "train/value_loss"))
    event_run(tmp_path / "A2C_2", tags=(REWARD,))
    prepared = prepare([str(tmp_path)], one_panel("train/value_loss"))
    assert [r.label for r in prepared.runs] == ["A2C_1"]
    left = [n for n in prepared.notices if "left out" in n.what]
    assert len(left) == 1 and left[0].file == str(tmp_path / "A2C_2")
    assert "no column 'train/value_loss'" in left[0].what and "rollout/ep_rew_mean" in left[0].what


def test_a_header_only_run_is_left_out_and_said_so(tmp_path):
    event_run(tmp_path / "A2C_1", steps=2)
    header_only_run(tmp_path / "A2C_2")
    prepared = prepare([str(tmp_path)], one_panel(REWARD))
    assert [r.label for r in prepared.runs] == ["A2C_1"]
    assert len(prepared.runs[0].series[0]) == 2
    (left,) = [n for n in prepared.notices if "left out" in n.what]
    assert "no scalars in this run" in left.what and "only a header" in left.what


def test_when_no_run_has_the_tag_the_error_lists_the_tags_and_the_closest(tmp_path):
    event_run(tmp_path / "PPO_1", tags=(REWARD, "train/loss"))
    event_run(tmp_path / "PPO_2", tags=(REWARD, "train/loss"))
    with pytest.raises(ColumnError) as error:
        prepare([str(tmp_path)], one_panel("rollout/ep_rew_man"))
    assert error.value.what == "no column 'rollout/ep_rew_man' (nor in the other run)"
    assert "columns: step, wall_time, rollout/ep_rew_mean, train/loss" in error.value.hint
    assert "closest: 'rollout/ep_rew_mean'" in error.value.hint


def test_a_lone_run_keeps_its_own_error(tmp_path):
    event_run(tmp_path / "PPO_1")
    with pytest.raises(ColumnError) as error:
        prepare([str(tmp_path)], one_panel("loss"))
    assert error.value.what == "no column 'loss'" and error.value.file == str(tmp_path / "PPO_1")


def test_a_log_in_a_folder_that_cannot_be_read_is_left_out_unless_strict(tmp_path):
    csv_run(tmp_path / "good" / "progress.csv", curve())
    bad = tmp_path / "bad" / "progress.csv"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    prepared = prepare([str(tmp_path)], one_panel("reward"))
    assert [r.label for r in prepared.runs] == ["good"]
    assert any("left out: the log is empty" in n.what for n in prepared.notices)
    with pytest.raises(InputError, match="the log is empty"):
        prepare([str(tmp_path)], one_panel("reward"), strict=True)


def test_files_named_directly_still_stop_on_damage(tmp_path):
    good = csv_run(tmp_path / "a.csv", curve())
    bad = tmp_path / "b.csv"
    bad.write_bytes(b"")
    with pytest.raises(InputError, match="the log is empty"):
        prepare([str(good), str(bad)], one_panel("reward"))


def test_the_empty_folder_notice_reaches_prepared(tmp_path):
    event_run(tmp_path / "PPO_1")
    (tmp_path / "PPO_2").mkdir()
    (tmp_path / "PPO_3").mkdir()
    notices = [n.what for n in prepare([str(tmp_path)], one_panel(REWARD)).notices]
    assert "no run in 2 folders: PPO_2, PPO_3" in notices


def test_group_by_regex_and_aggregate_work_on_runs_found_in_folders(tmp_path):
    for algo, offset in (("PPO", 0.0), ("DQN", 10.0)):
        for seed in range(3):
            event_run(tmp_path / f"{algo}_seed{seed}", offset=offset + seed)
    config = one_panel(REWARD)
    from dataclasses import replace
    config = replace(config, runs=replace(config.runs, group_by=(r"(PPO|DQN)_seed",),
                                          aggregate="mean", band="sd"))
    prepared = prepare([str(tmp_path)], config)
    assert [(g.label, len(g.members)) for g in prepared.groups] == [("DQN", 3), ("PPO", 3)]
    dqn = prepared.groups[0].curves[0]
    assert np.allclose(dqn.y, 10.0 + 1.0 + dqn.x / 100.0, atol=0.05)


def test_add_scalars_sub_folders_are_runs_of_their_own(tmp_path):
    event_run(tmp_path / "run", tags=(REWARD,))
    event_run(tmp_path / "run" / "Loss_train", tags=("Loss",), offset=5)
    event_run(tmp_path / "run" / "Loss_val", tags=("Loss",), offset=7)
    prepared = prepare([str(tmp_path / "run")], one_panel("Loss"))
    assert [r.label for r in prepared.runs] == ["Loss_train", "Loss_val"]
    assert [r.series[0].y[0] for r in prepared.runs] == [5.0, 7.0]
    assert [os.path.basename(n.file) for n in prepared.notices if "left out" in n.what] == ["run"]


def test_data_out_never_overwrites_a_log_found_in_a_folder(invoke, tmp_path):
    log = csv_run(tmp_path / "runs" / "seed0" / "progress.csv", curve())
    before = log.read_bytes()
    result = invoke("render", tmp_path / "runs", "--y", "reward", "-o", tmp_path / "f.png",
                    "--data-out", log)
    assert result.exit_code == 1 and "--data-out would overwrite an input" in result.stderr
    assert log.read_bytes() == before


def test_runs_found_once_can_be_rendered_one_by_one_as_refs(tmp_path):
    # what `rlplot batch` does with folders: find every run, then render each ref alone
    from rlplot.pipeline import render
    from rlplot.runs.walk import find_runs

    event_run(tmp_path / "PPO_1")
    event_run(tmp_path / "PPO_1" / "Loss_train", tags=("Loss",))
    csv_run(tmp_path / "seed0" / "progress.csv", curve())
    refs = find_runs([str(tmp_path)]).refs
    assert [r.address for r in refs] == [str(tmp_path / "PPO_1"), str(tmp_path / "PPO_1" / "Loss_train"),
                                         str(tmp_path / "seed0" / "progress.csv")]
    result = render([refs[0]], [str(tmp_path / "one.png")], one_panel(REWARD))
    assert [r.label for r in result.prepared.runs] == ["PPO_1"]     # not its Loss_train sub-run
    assert (tmp_path / "one.png").stat().st_size > 0


def test_no_inputs_at_all_is_one_error():
    with pytest.raises(InputError, match="no log files given"):
        prepare([], one_panel(REWARD))


def test_a_file_named_directly_that_lacks_the_column_is_still_an_error(tmp_path):
    good = csv_run(tmp_path / "a.csv", curve())
    other = csv_run(tmp_path / "b.csv", [{"step": i, "loss": i} for i in range(5)])
    with pytest.raises(ColumnError, match="no column 'reward'") as error:
        prepare([str(good), str(other)], one_panel("reward"))
    assert error.value.file == str(other)
