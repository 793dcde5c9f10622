"""``rlplot batch`` over runs, not only log files: event-file run folders (written by tensorboardX's
SummaryWriter), MLflow stores (written by the MLflow client), --where, and the input hash
covering every file a run is read from."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from rlplot.batch import discover, plan, run_batch
from rlplot.batch.hashing import FileStamps, job_sha256
from rlplot.batch.manifest import MANIFEST_NAME
from rlplot.config import load_config
from tests.io.tracker_fixtures import built_store
from tests.io.tracker_writers import mlflow_spec, reward
from tests.runs.trees import csv_run, curve, event_run

from .sweeps import outputs_of, png_complete

TAG = "rollout/ep_rew_mean"


def panel_config(tmp_path: Path, metric: str) -> Path:
    """A one-panel config drawing ``metric``."""
    path = tmp_path / f"panel-{metric.replace('/', '_')}.yaml"
    path.write_text(f"panels:\n  - metric: {metric}\n", encoding="utf-8")
    return path


def sb3_tree(root: Path) -> Path:
    """An SB3-style log folder: PPO_1/ and PPO_2/ hold event files; PPO_2 has 12 points."""
    event_run(root / "PPO_1", tags=(TAG,), steps=8)
    event_run(root / "PPO_2", tags=(TAG,), steps=12, offset=5.0)
    return root


@pytest.fixture(scope="module")
def mlflow_db(tmp_path_factory) -> Path:
    return built_store("mlflow-sqlite", tmp_path_factory) / "mlflow.db"


def test_event_file_run_folders_each_make_a_figure_named_after_the_folder(tmp_path, invoke, rendered):
    tree = sb3_tree(tmp_path / "tb")
    out = tmp_path / "figs"
    result = invoke("batch", tree, "--out-dir", out, "-c", panel_config(tmp_path, TAG), "-q", "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == ["PPO_1.png", "PPO_2.png"]
    assert png_complete(out / "PPO_2.png")
    # drawn through its artists: PPO_2's scatter holds its 12 points, offset by 5
    offsets = rendered["PPO_2.png"].figure.axes[0].collections[0].get_offsets()
    assert len(offsets) == 12
    assert np.allclose(np.asarray(offsets)[:, 1], 5.0 + np.arange(12))
    manifest = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert manifest["PPO_1.png"]["input"] == str(tree / "PPO_1")


def test_a_run_folder_named_itself_is_named_from_its_parent(tmp_path):
    tree = sb3_tree(tmp_path / "tb")
    found = discover([str(tree / "PPO_1")])
    assert [run.name for run in found.runs] == ["PPO_1"]
    assert plan(found, str(tmp_path / "o"))[0].key == "PPO_1"


def test_a_resumed_run_is_rendered_again_and_a_no_op_rerun_skips(tmp_path, invoke):
    tree = sb3_tree(tmp_path / "tb")
    out = tmp_path / "figs"
    config = panel_config(tmp_path, TAG)
    assert invoke("batch", tree, "--out-dir", out, "-c", config, "-q").exit_code == 0
    again = invoke("batch", tree, "--out-dir", out, "-c", config)
    assert again.stdout == "" and "0 rendered, 2 up to date" in again.stderr
    time.sleep(1.1)   # the event file's name carries the second it was opened: a new name
    event_run(tree / "PPO_1", tags=(TAG,), steps=3, offset=100.0)   # resumed: a second event file
    assert len(list((tree / "PPO_1").glob("events.out.tfevents.*"))) == 2
    resumed = invoke("batch", tree, "--out-dir", out, "-c", config)
    assert resumed.stdout.splitlines() == [str(out / "PPO_1.png")]
    assert "1 rendered, 1 up to date" in resumed.stderr


def test_the_input_hash_covers_every_event_file_of_a_run(tmp_path):
    tree = sb3_tree(tmp_path / "tb")
    job = plan(discover([str(tree)]), str(tmp_path / "o"))[0]
    assert job.input_files == (tuple(sorted(str(p) for p in (tree / "PPO_1").glob("events*"))),)
    before = job_sha256(job)
    first = Path(job.input_files[0][0])
    first.write_bytes(first.read_bytes() + b"\0")       # a byte more in the (only) file
    assert job_sha256(job) != before


def test_mlflow_store_runs_are_named_by_experiment_and_run_name(tmp_path, mlflow_db, invoke, rendered):
    out = tmp_path / "figs"
    config = panel_config(tmp_path, "train/reward")
    result = invoke("batch", mlflow_db, "--out-dir", out, "-c", config, "-q", "-j", "1",
                    "--report-json", tmp_path / "report.json")
    assert result.exit_code == 0, result.stderr
    expected = sorted(f"mlflow/{s['experiment']}/{s['name']}.png" for s in mlflow_spec())
    assert outputs_of(out) == expected
    spec = mlflow_spec()[4]
    line = rendered[f"{spec['name']}.png"].figure.axes[0].collections[0].get_offsets()
    assert np.allclose(np.asarray(line)[:, 1], [reward(spec["index"], s) for s in range(len(line))])
    runs = json.loads((tmp_path / "report.json").read_text())["runs"]
    assert all("#" in run["run"] for run in runs)      # each recorded by its <store>#<run id>
    assert len(runs) == len(mlflow_spec())


def test_where_keeps_only_the_runs_meeting_it(tmp_path, mlflow_db, invoke):
    out = tmp_path / "figs"
    config = panel_config(tmp_path, "train/reward")
    result = invoke("batch", mlflow_db, "--out-dir", out, "-c", config, "-q",
                    "--where", "experiment=cartpole", "--where", "cfg:lr<0.0005")
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == sorted(f"mlflow/cartpole/{s['name']}.png" for s in mlflow_spec()
                                     if s["experiment"] == "cartpole" and s["params"]["lr"] < 5e-4)
    nothing = invoke("batch", mlflow_db, "--out-dir", out, "-c", config, "--where", "experiment=x*")
    assert nothing.exit_code == 1
    assert "no run meets --where experiment=x*" in nothing.stderr


def test_where_on_logs_uses_the_config_files_beside_them(tmp_path, invoke):
    for seed in (1, 2, 3):
        folder = tmp_path / "sweep" / f"seed{seed}"
        csv_run(folder / "progress.csv", curve(offset=seed))
        (folder / "config.json").write_text(json.dumps({"seed": seed}))
    out = tmp_path / "figs"
    result = invoke("batch", tmp_path / "sweep", "--out-dir", out, "-c",
                    panel_config(tmp_path, "reward"), "--where", "cfg:seed>=2", "-q")
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == ["seed2/progress.png", "seed3/progress.png"]


def test_a_damaged_event_run_fails_its_own_figure_and_is_reported(tmp_path, invoke):
    tree = sb3_tree(tmp_path / "tb")
    from tests.runs.trees import header_only_run

    header_only_run(tree / "PPO_3")                     # died before logging a scalar
    out = tmp_path / "figs"
    result = invoke("batch", tree, "--out-dir", out, "-c", panel_config(tmp_path, TAG),
                    "--report-json", tmp_path / "r.json")
    assert result.exit_code == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["counts"] == {"rendered": 2, "up_to_date": 0, "failed": 1, "not_run": 0,
                                "retried": 0}
    failed = [r for r in report["runs"] if r["status"] == "failed"]
    assert failed[0]["run"] == str(tree / "PPO_3") and failed[0]["error"]


def test_pattern_still_chooses_plain_logs_and_keeps_event_runs(tmp_path):
    tree = sb3_tree(tmp_path / "tb")
    csv_run(tree / "extra" / "progress.csv", curve())
    csv_run(tree / "extra" / "eval.csv", curve())
    found = discover([str(tree)], patterns=["eval*"])
    assert [run.name for run in found.runs] == ["PPO_1", "PPO_2", "extra/eval.csv"]


def test_stamps_trust_only_files_untouched_since_long_before_they_were_hashed(tmp_path):
    log = csv_run(tmp_path / "a.csv", curve())
    old = time.time() - 60
    os.utime(log, (old, old))                           # sets ctime to now: the stamp is racy
    first = FileStamps()
    digest = first.file_hash(str(log))
    entry = first.taken[str(log)]
    # as if hashed long after its last change: trusted, so the hash is not read again
    aged = FileStamps({str(log): [("0" * 64), entry[1], entry[2] + 10**10]})
    assert aged.file_hash(str(log)) == "0" * 64
    # a racy stamp (hashed within RACY_SECONDS of the last change) is never trusted
    assert FileStamps({str(log): ["0" * 64, entry[1], entry[2]]}).file_hash(str(log)) == digest
    log.write_text(log.read_text() + "11,99\n")         # a write changes size and ctime
    assert FileStamps({str(log): ["0" * 64, entry[1], entry[2] + 10**10]}).file_hash(str(log)) != "0" * 64


def test_real_paths_resolve_as_os_path_realpath_does(tmp_path):
    from rlplot.batch.discovery import RealPaths

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "fl").symlink_to(tmp_path / "a" / "b" / "f")
    real = RealPaths()
    for path in ("link/b/f", "a/fl", "a/b/f", "link/../a", "link/b", "nope/z", "a//b/./f"):
        assert real(str(tmp_path / path)) == os.path.realpath(tmp_path / path), path
    assert real("/") == "/"
