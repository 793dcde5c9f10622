"""rlplot.batch.worker: one job -> its figure and notes, or a failed outcome (never an exception)."""
from __future__ import annotations

import json
import os

from rlplot.batch.discovery import discover
from rlplot.batch.executors import SerialExecutor
from rlplot.batch.outcomes import FAILED, RENDERED
from rlplot.batch.planning import Job, plan
from rlplot.batch.run import run_batch
from rlplot.batch.worker import MAX_WARNINGS_KEPT, Task, run_job
from rlplot.config import Config, load_config

from ..conftest import seed_like_records, write_jsonl
from .sweeps import LR, make_sweep, png_complete


def test_a_job_writes_its_figures_and_notes_what_it_drew(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=30)
    [job] = plan(discover([str(sweep)]), str(tmp_path / "out"))
    outcome = run_job(Task(job, job.outputs, Config()))
    assert outcome.status == RENDERED and outcome.written == job.outputs
    assert png_complete(tmp_path / "out" / "a" / "metrics.png")
    assert outcome.notes.rows == 30 and outcome.notes.warning_count == 0
    assert outcome.notes.runs is None                       # a single run
    assert [f.panel for f in outcome.notes.final] == ["Training Accuracy vs Steps",
                                                      "Average parallelism vs Steps"]
    assert outcome.worker == os.getpid()


def test_a_missing_log_fails_its_job_without_raising(tmp_path):
    job = Job(str(tmp_path / "gone.jsonl"), "gone.jsonl", "gone", (str(tmp_path / "gone.png"),))
    outcome = run_job(Task(job, job.outputs, Config()))
    assert outcome.status == FAILED and str(tmp_path / "gone.jsonl") in outcome.error
    assert outcome.written == () and not (tmp_path / "gone.png").exists()


def test_an_internal_error_fails_only_its_job(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=10)
    [job] = plan(discover([str(sweep)]), str(tmp_path / "out"))
    outcome = run_job(Task(job, job.outputs, config="not a config"))   # an rlplot bug, say
    assert outcome.status == FAILED
    assert outcome.error.startswith(f"{job.source}: internal error: ")


def test_warnings_are_capped_on_screen_and_in_reports_but_counted(tmp_path, invoke):
    sweep = tmp_path / "sweep"
    (sweep / "a").mkdir(parents=True)
    good = seed_like_records(45)   # split around the bad lines, so x never goes back
    records = good[:40] + [f"{{broken {i}" for i in range(30)] + good[40:]
    write_jsonl(sweep / "a" / "metrics.jsonl", records)
    js = tmp_path / "r.json"
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1", "--report-json", js)
    assert result.exit_code == 0
    shown = [l for l in result.stderr.splitlines() if l.startswith("rlplot: warning: ")]
    assert len(shown) == 6 and shown[-1].endswith("… and 25 more warnings")   # 30 skipped lines
    run = json.loads(js.read_text())["runs"][0]
    assert run["warning_count"] == 30 and len(run["warnings"]) == MAX_WARNINGS_KEPT


def test_group_errors_without_a_file_name_the_group(tmp_path):
    sweep = tmp_path / "sweep"
    for name, start in (("lr1_seed1", 0), ("lr1_seed2", 1000)):   # x ranges do not overlap
        (sweep / name).mkdir(parents=True)
        write_jsonl(sweep / name / "metrics.jsonl",
                    [{"step": start + i, "accuracy": 0.5, "avg_parallelism": 8} for i in range(10)])
    config = load_config([], [], {"runs": {"group_by": LR, "aggregate": "mean"}}).config
    jobs = plan(discover([str(sweep)]), str(tmp_path / "out"), group_by=LR)
    [outcome] = run_batch(jobs, str(tmp_path / "out"), config, executor=SerialExecutor())
    assert outcome.status == "failed"
    assert outcome.error.startswith("group '1': the runs share no x range")
