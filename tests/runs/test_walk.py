"""Finding runs in folders: which folders and files are runs, what is skipped and said, labels."""
from __future__ import annotations

import os

import pytest

from rlplot.errors import InputError
from rlplot.runs.discover import automatic_labels
from rlplot.runs.walk import find_path, find_runs, natural_key
from tests.runs.trees import csv_run, curve, config_json, event_run, wandb_legacy_run


@pytest.fixture
def tree(tmp_path):
    """An SB3-like tree: event runs, an add_scalars sub-run, logs, a config, empty and hidden folders."""
    root = tmp_path / "logs"
    event_run(root / "PPO_1")
    event_run(root / "PPO_2")
    event_run(root / "PPO_2" / "Loss_train", tags=("Loss",))
    event_run(root / "PPO_10")
    csv_run(root / "sweep" / "seed1" / "progress.csv", curve())
    config_json(root / "sweep" / "seed1", {"lr": 3e-4})
    (root / "empty" / "deeper").mkdir(parents=True)
    csv_run(root / ".git" / "hidden.csv", curve())
    csv_run(root / "PPO_1" / ".ipynb_checkpoints" / "old.csv", curve())
    return root


def test_every_folder_of_event_files_and_every_log_is_a_run(tree):
    found = find_runs([str(tree)])
    got = [(ref.kind, os.path.relpath(ref.source, tree)) for ref in found.refs]
    assert got == [("tfevents", "PPO_1"), ("tfevents", "PPO_2"), ("tfevents", "PPO_2/Loss_train"),
                   ("tfevents", "PPO_10"), ("log", "sweep/seed1/progress.csv")]
    assert all(ref.found_in == str(tree) for ref in found.refs)
    assert [n.what for n in found.notices] == ["no run in 1 folder: empty"]


def test_labels_are_the_shortest_paths_that_tell_runs_apart(tree):
    assert automatic_labels(find_runs([str(tree)]).refs) == [
        "PPO_1", "PPO_2", "Loss_train", "PPO_10", "progress"]
    twice = tree / "other"
    event_run(twice / "PPO_1")
    labels = automatic_labels(find_runs([str(tree / "PPO_1"), str(twice / "PPO_1")]).refs)
    assert labels == ["PPO_1", "other/PPO_1"]


def test_a_symlink_loop_is_reported_once_and_a_second_link_is_not_a_second_run(tree):
    os.symlink(tree, tree / "PPO_1" / "loop")
    os.symlink(tree / "PPO_10", tree / "alias")
    found = find_runs([str(tree)])
    assert len(found.refs) == 5
    assert [n.what for n in found.notices] == [
        "no run in 1 folder: empty",
        "skipped 1 symbolic link(s) that lead back into their own folder: PPO_1/loop"]


def test_an_unreadable_folder_is_reported_and_the_rest_is_read(tree, monkeypatch):
    real_scandir = os.scandir
    blocked = str(tree / "PPO_10")

    def scandir(path):
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = find_runs([str(tree)])
    assert [os.path.basename(r.source) for r in found.refs] == ["PPO_1", "PPO_2", "Loss_train",
                                                                 "progress.csv"]
    assert [n.what for n in found.notices] == ["no run in 1 folder: empty",
                                               "cannot read 1 folder(s): PPO_10"]


def test_a_folder_without_any_run_is_an_error_naming_what_was_looked_for(tmp_path):
    (tmp_path / "nothing" / "here").mkdir(parents=True)
    (tmp_path / "nothing" / "notes.md").write_text("hello")
    with pytest.raises(InputError, match="no runs in this folder") as error:
        find_runs([str(tmp_path / "nothing")])
    assert "event files" in error.value.hint and "mlflow.db" in error.value.hint


def test_a_glob_can_name_run_folders(tree):
    found = find_runs([str(tree / "PPO_*")])
    assert [os.path.basename(r.source) for r in found.refs] == ["PPO_1", "PPO_10", "PPO_2",
                                                                 "Loss_train"]


def test_one_event_file_named_directly_is_a_run_labelled_by_its_folder(tree):
    event_file = next((tree / "PPO_2").glob("events.out.tfevents.*"))
    (ref,) = find_path(str(event_file)).refs
    assert ref.kind == "tfevents" and ref.files == (str(event_file),) and ref.found_in is None
    assert automatic_labels([ref]) == ["PPO_2"]


def test_configs_and_tracker_files_are_not_runs(tmp_path):
    csv_run(tmp_path / "run" / "metrics.csv", curve())
    config_json(tmp_path / "run", {"lr": 1})
    (tmp_path / "run" / "params.json").write_text("{}")
    (tmp_path / "run" / "variant.json").write_text("{}")
    assert [os.path.basename(r.source) for r in find_runs([str(tmp_path / "run")]).refs] == [
        "metrics.csv"]


def test_a_wandb_folder_holds_its_run_folders_and_nothing_else(tmp_path):
    wandb = tmp_path / "wandb"
    first = wandb_legacy_run(wandb / "run-20240101_000000-aaaa1111", "first", {"lr": 0.1}, [1, 2])
    wandb_legacy_run(wandb / "run-20240102_000000-bbbb2222", "second", {"lr": 0.2}, [3, 4])
    os.symlink(first, wandb / "latest-run")
    (wandb / "debug.log").write_text("not a metrics log\n")
    found = find_runs([str(tmp_path)])
    assert [(r.kind, r.name) for r in found.refs] == [("wandb", "first"), ("wandb", "second")]
    assert found.refs[0].source == str(first) and found.refs[0].config == {"lr": 0.1}
    assert automatic_labels(found.refs) == ["first", "second"]


def test_tracker_names_are_told_apart_by_experiment_then_by_number(tmp_path):
    from rlplot.runs.refs import RunRef

    refs = [RunRef("mlflow", "db", name="ppo", experiment="cartpole"),
            RunRef("mlflow", "db", name="ppo", experiment="pendulum"),
            RunRef("mlflow", "db", name="sac", experiment="cartpole"),
            RunRef("log", "x/sac.csv", label_path="x/sac.csv")]
    assert automatic_labels(refs) == ["cartpole/ppo", "pendulum/ppo", "sac", "sac (2)"]


def test_natural_order_puts_2_before_10():
    assert sorted(["PPO_10", "PPO_2", "ppo_1", "a"], key=natural_key) == ["a", "ppo_1", "PPO_2",
                                                                          "PPO_10"]


def test_an_address_names_exactly_one_run(tree, tmp_path):
    from rlplot.runs.walk import run_at

    found = find_runs([str(tree)]).refs
    for ref in found:
        again = run_at(ref.address)
        assert (again.kind, again.source, again.files) == (ref.kind, ref.source, ref.files)
    # a run folder's address does not take in the runs below it (add_scalars' Loss_train)
    assert run_at(str(tree / "PPO_2")).files == found[1].files
    with pytest.raises(InputError, match="not the folder of one run"):
        run_at(str(tree / "sweep"))
