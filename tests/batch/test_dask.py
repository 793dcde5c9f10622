"""rlplot.batch.dask: jobs on a real Dask cluster; the client records only what it can see."""
from __future__ import annotations

import json
import os

import pytest

from rlplot.batch.dask import DaskExecutor
from rlplot.batch.discovery import discover
from rlplot.batch.manifest import MANIFEST_NAME
from rlplot.batch.planning import plan
from rlplot.batch.run import run_batch
from rlplot.config import Config, load_config

from .sweeps import LR, SEEDS, last_line, make_sweep, outputs_of, png_complete


@pytest.fixture(scope="module")
def dask_cluster():
    """A real two-process Dask cluster (skipped without the dask extra)."""
    distributed = pytest.importorskip(
        "distributed", reason="the 'dask' extra is not installed (pip install 'rlplot[dask]')")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    yield cluster
    cluster.close()


def test_dask_executor_renders_on_a_real_cluster(tmp_path, invoke, dask_cluster):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c", "d"), bad=("c",))
    out = tmp_path / "out"
    args = ("batch", sweep, "--out-dir", out, "--executor", "dask",
            "--scheduler", dask_cluster.scheduler_address, "--format", "png,svg")
    result = invoke(*args)
    assert result.exit_code == 1
    assert last_line(result) == "3 rendered, 0 up to date, 1 failed"
    assert outputs_of(out) == ["a/metrics.png", "b/metrics.png", "d/metrics.png"]
    assert all(png_complete(out / p) for p in outputs_of(out))
    entries = json.loads((out / MANIFEST_NAME).read_text())["outputs"]   # written by the client
    assert len(entries) == 6
    assert last_line(invoke(*args)) == "0 rendered, 3 up to date, 1 failed"


def test_dask_jobs_run_in_the_worker_processes(tmp_path, dask_cluster):
    from distributed import Client

    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c", "d"))
    jobs = plan(discover([str(sweep)]), str(tmp_path / "out"))
    with Client(dask_cluster) as client:
        outcomes = list(run_batch(jobs, str(tmp_path / "out"), Config(),
                                  executor=DaskExecutor(client=client)))
        worker_pids = set(client.run(os.getpid).values())
    assert [o.status for o in outcomes] == ["rendered"] * 4
    assert {o.worker for o in outcomes} <= worker_pids and os.getpid() not in worker_pids


def test_dask_renders_groups(tmp_path, dask_cluster):
    from distributed import Client

    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    out = tmp_path / "out"
    config = load_config([], [], {"runs": {"group_by": LR}}).config
    jobs = plan(discover([str(sweep)]), str(out), group_by=LR)
    with Client(dask_cluster) as client:
        outcomes = list(run_batch(jobs, str(out), config, executor=DaskExecutor(client=client)))
    assert sorted((o.group, len(o.members), o.status) for o in outcomes) == \
        [("1e-3", 2, "rendered"), ("3e-4", 3, "rendered")]
    assert outputs_of(out) == ["1e-3.png", "3e-4.png"] and all(png_complete(out / p)
                                                               for p in outputs_of(out))


def test_dask_needs_a_scheduler(tmp_path, invoke):
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "--executor", "dask")
    assert result.exit_code == 1
    assert "rlplot: error: --executor dask needs --scheduler ADDRESS" in result.stderr


def test_outputs_a_worker_wrote_where_the_client_cannot_see_them_fail(tmp_path):
    from rlplot.batch.dask import _check_visible
    from rlplot.batch.outcomes import Outcome

    seen = tmp_path / "seen.png"
    seen.write_bytes(b"png")
    ok = Outcome("a.jsonl", "a", "rendered", written=(str(seen),))
    assert _check_visible(ok) is ok
    lost = _check_visible(Outcome("b.jsonl", "b", "rendered", written=(str(tmp_path / "no.png"),)))
    assert lost.status == "failed" and lost.written == ()
    assert "not visible here" in lost.error


def test_a_task_leaves_with_absolute_paths_and_the_labels_chosen_here(tmp_path, monkeypatch):
    from rlplot.batch.outcomes import outcome_of
    from rlplot.batch.remote import local_outcome, remote_task, sees_paths
    from rlplot.batch.worker import Task

    monkeypatch.chdir(tmp_path)
    make_sweep(tmp_path / "sweep", names=SEEDS[:3], n=10)
    (tmp_path / "dark.mplstyle").write_text("axes.facecolor: black\n")
    config = load_config([], [], {"runs": {"group_by": LR, "labels": {
        "sweep/lr3e-4_seed2/metrics.jsonl": "second seed"}}, "style": ["dark.mplstyle"]}).config
    [job] = plan(discover(["sweep"]), "out", group_by=LR)
    task = Task(job, job.outputs, config)
    sent = remote_task(task)
    assert sent.job.members == tuple(str(tmp_path / m) for m in job.members)
    assert sent.outputs == (str(tmp_path / "out" / "3e-4.png"),)
    assert sent.config.style == (str(tmp_path / "dark.mplstyle"),)
    assert sent.labels == (None, "second seed", None)    # runs.labels matched the relative path
    back = local_outcome(outcome_of(sent.job, "rendered", written=sent.outputs), task, sent)
    assert back.written == ("out/3e-4.png",) and back.source == job.source
    assert sees_paths([str(tmp_path / "sweep"), str(tmp_path / "nowhere")]) == [str(tmp_path / "nowhere")]


def test_dask_renders_store_runs_and_event_run_folders(tmp_path, tmp_path_factory, invoke, dask_cluster):
    from tests.io.tracker_fixtures import built_store
    from tests.io.tracker_writers import mlflow_spec
    from tests.runs.trees import event_run

    event_run(tmp_path / "runs" / "tb" / "PPO_1", tags=("train/reward",), steps=6)
    store = built_store("mlflow-sqlite", tmp_path_factory) / "mlflow.db"
    (tmp_path / "runs" / "mlflow.db").symlink_to(store)
    config = tmp_path / "panel.yaml"
    config.write_text("panels:\n  - metric: train/reward\n")
    out = tmp_path / "out"
    result = invoke("batch", tmp_path / "runs", "--out-dir", out, "-c", config, "--executor", "dask",
                    "--scheduler", dask_cluster.scheduler_address)
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == sorted(["tb/PPO_1.png"] + [f"mlflow/{s['experiment']}/{s['name']}.png"
                                                         for s in mlflow_spec()])
    assert last_line(invoke("batch", tmp_path / "runs", "--out-dir", out, "-c", config)) == \
        "0 rendered, 7 up to date, 0 failed"
