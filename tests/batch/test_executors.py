"""rlplot.batch.executors: serial and process-pool execution, and surviving a dying worker."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from rlplot.batch.discovery import discover
from rlplot.batch.executors import ProcessExecutor, SerialExecutor, make_executor
from rlplot.batch.manifest import MANIFEST_NAME
from rlplot.batch.outcomes import RENDERED, outcome_of
from rlplot.batch.planning import Job, plan
from rlplot.batch.report import Report
from rlplot.batch.run import run_batch
from rlplot.batch.worker import Task, run_job
from rlplot.config import Config
from rlplot.errors import RlplotError

from . import hanging
from ..conftest import ROOT
from .sweeps import LR, SEEDS, make_sweep, outputs_of, png_complete


def test_process_pool_imports_matplotlib_once_per_worker(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=[f"r{i}" for i in range(6)], n=30)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "par"))
    outcomes = list(run_batch(jobs, str(tmp_path / "par"), Config(),
                              executor=ProcessExecutor(workers=2)))
    assert sorted(o.status for o in outcomes) == ["rendered"] * 6
    workers = {o.worker for o in outcomes}
    # 6 figures from at most 2 long-lived worker processes: imports happen once per worker.
    assert 1 <= len(workers) <= 2 and os.getpid() not in workers
    serial_jobs = plan(discover([str(sweep)]), str(tmp_path / "ser"))
    list(run_batch(serial_jobs, str(tmp_path / "ser"), Config(), executor=SerialExecutor()))
    for rel in outputs_of(tmp_path / "ser"):               # deterministic across executors
        assert (tmp_path / "par" / rel).read_bytes() == (tmp_path / "ser" / rel).read_bytes()


def test_make_executor_runs_one_worker_here_and_suggests_names():
    assert isinstance(make_executor("process", 1), SerialExecutor)
    assert isinstance(make_executor("process", 2), ProcessExecutor)
    with pytest.raises(RlplotError, match="unknown executor 'slurm'"):
        make_executor("slurm")
    with pytest.raises(RlplotError, match="did you mean 'process'"):
        make_executor("proces", 2)


def _crashing_run_job(task):
    """A worker function that kills its process for logs named 'crash' (runs in the pool's workers)."""
    if "crash" in task.job.source:
        os._exit(3)
    return run_job(task)


def test_a_dying_worker_fails_only_its_own_run(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "crash", "d", "e"), n=20)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "out"))
    outcomes = list(run_batch(jobs, str(tmp_path / "out"), Config(),
                              executor=ProcessExecutor(workers=2, func=_crashing_run_job)))
    status = {Path(o.source).parent.name: o.status for o in outcomes}
    assert status == {"a": "rendered", "b": "rendered", "crash": "failed", "d": "rendered",
                      "e": "rendered"}
    failed = next(o for o in outcomes if o.status == "failed")
    assert "the worker process died while rendering this run" in failed.error
    # The crash run was retried alone (and failed); jobs in flight with it were retried too.
    assert failed.retries == 1 and all(o.retries in (0, 1) for o in outcomes)
    report = Report(outcomes=outcomes, total=len(outcomes))
    assert report.retried >= 1 and report.summary().endswith(f", {report.retried} retried")


class _BreakingPool:
    """A stand-in pool that finishes each job as it is submitted; the job 'crash' breaks it, as a
    dying worker breaks a ProcessPoolExecutor: that job fails and every later submit is refused."""

    started = 0

    def __init__(self) -> None:
        type(self).started += 1
        self.broken = False

    def submit(self, func, task):
        if self.broken:
            raise BrokenProcessPool("refused")
        future = Future()
        if task.job.source == "crash":
            self.broken = True
            future.set_exception(BrokenProcessPool("a worker died"))
        else:
            future.set_result(func(task))
        return future

    def shutdown(self, wait=True, cancel_futures=False) -> None:
        pass


def _done(task):
    return outcome_of(task.job, RENDERED)


def test_jobs_refused_by_a_broken_pool_are_retried_and_only_the_killer_fails(monkeypatch):
    monkeypatch.setattr(_BreakingPool, "started", 0)
    monkeypatch.setattr(ProcessExecutor, "_start", lambda self, workers: _BreakingPool())
    names = ["a", "crash", "c", "d", "e"]
    tasks = [Task(Job(n, n, n, ()), (), None) for n in names]
    outcomes = list(ProcessExecutor(workers=2, func=_done).run(tasks))
    assert sorted((o.source, str(o.status)) for o in outcomes) == \
        [("a", "rendered"), ("c", "rendered"), ("crash", "failed"), ("d", "rendered"),
         ("e", "rendered")]
    # The first pool breaks; 'crash' is retried alone and breaks the second; the third finishes.
    assert _BreakingPool.started == 3
    assert {o.source for o in outcomes if o.retries} >= {"crash"}


def test_group_figures_are_the_same_from_the_process_pool(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    for jobs in ("1", "2"):
        result = invoke("batch", sweep, "--out-dir", tmp_path / f"out{jobs}", "-j", jobs,
                        "--group-by", LR, "--aggregate", "mean", "--band", "sem", "-q")
        assert result.exit_code == 0, result.stderr
    assert outputs_of(tmp_path / "out2") == ["1e-3.png", "3e-4.png"]
    for name in ("1e-3.png", "3e-4.png"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


# `rlplot batch -j 2` whose workers run tests.batch.hanging.run_job_or_hang.
HANGING_POOL_BATCH = """
import sys
import rlplot.batch.executors as executors
from tests.batch.hanging import run_job_or_hang
from rlplot.cli import cli

executors.run_job = run_job_or_hang
cli.main(["batch", sys.argv[1], "--out-dir", sys.argv[2], "-j", "2"], prog_name="rlplot")
"""


def test_ctrl_c_stops_workers_and_keeps_the_manifest_valid(tmp_path):
    """SIGINT to the whole process group, as a terminal's Ctrl-C does, during a -j 2 batch
    while one worker is in the middle of a figure."""
    names = [f"run{i:02d}" for i in range(30)]
    sweep = make_sweep(tmp_path / "sweep", names=names, n=100)
    out = tmp_path / "out"
    ready, hold = tmp_path / "ready", tmp_path / "hold"
    os.mkfifo(ready)
    os.mkfifo(hold)
    env = {**os.environ, hanging.HANG_IN: names[4], hanging.OUT_DIR: str(out),
           hanging.READY: str(ready), hanging.HOLD: str(hold)}
    listening = os.open(ready, os.O_RDONLY | os.O_NONBLOCK)   # the job's open(ready) returns
    proc = subprocess.Popen([sys.executable, "-c", HANGING_POOL_BATCH, str(sweep), str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        waiting, _, _ = select.select([listening], [], [], 300)
        assert waiting and os.read(listening, 5) == b"ready", "the job never hung"
        assert proc.poll() is None
        os.killpg(proc.pid, signal.SIGINT)
        os.close(os.open(hold, os.O_WRONLY))   # let the hanging job finish its figure
        _, err = proc.communicate(timeout=120)
    finally:
        os.close(listening)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130
    assert err.decode().splitlines()[-1] == "rlplot: interrupted"
    assert "Traceback" not in err.decode()
    entries = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert entries and all((out / key).is_file() for key in entries)
    assert len(entries) < len(names)                          # interrupted, not finished
    assert all(png_complete(p) for p in out.rglob("*.png")) and not list(out.rglob("*.part"))
    assert png_complete(out / names[4] / "metrics.png")      # the figure in progress was finished
    gone_by = time.monotonic() + 20
    while time.monotonic() < gone_by:             # no worker process left behind
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)
