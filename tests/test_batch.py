"""rlplot.batch and ``rlplot batch``: discovery, naming, manifest, executors, reports, shards."""
from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from rlplot import batch as B
from rlplot.config import Config, load_config
from rlplot.errors import InputError, OutputError

from .conftest import ROOT, seed_like_records, write_jsonl

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_sweep(root: Path, names=("lr1e-3_seed1", "lr1e-3_seed2", "lr3e-4_seed1"), n=40,
               bad=()) -> Path:
    """A sweep folder: one ``metrics.jsonl`` per run (same file name everywhere, as in real sweeps)."""
    for i, name in enumerate(names):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        if name in bad:
            (folder / "metrics.jsonl").write_text("not a log at all\n")
        else:
            records = seed_like_records(n + i)
            write_jsonl(folder / "metrics.jsonl", records)
    return root


def png_complete(path: Path) -> bool:
    """A PNG that starts with the signature and ends with the IEND chunk (not cut off)."""
    data = path.read_bytes()
    return data.startswith(PNG_MAGIC) and data.endswith(b"IEND\xaeB`\x82")


def outputs_of(out: Path, ext="png") -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(f"*.{ext}"))


# ---------------------------------------------------------------------------- discovery & naming

def test_folder_inputs_mirror_relative_paths_and_never_collide(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "notes.md").write_text("not a log")
    (sweep / ".hidden").mkdir()
    write_jsonl(sweep / ".hidden" / "metrics.jsonl", seed_like_records(10))
    found = B.discover([str(sweep)])
    assert [Path(p).relative_to(sweep).as_posix() for p in found.paths] == [
        "lr1e-3_seed1/metrics.jsonl", "lr1e-3_seed2/metrics.jsonl", "lr3e-4_seed1/metrics.jsonl"]
    jobs = B.plan(found, str(tmp_path / "OUT"))
    assert [j.key for j in jobs] == ["lr1e-3_seed1/metrics", "lr1e-3_seed2/metrics",
                                     "lr3e-4_seed1/metrics"]
    assert jobs[0].outputs == (str(tmp_path / "OUT" / "lr1e-3_seed1" / "metrics.png"),)


def test_globs_patterns_and_duplicates(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "lr1e-3_seed1" / "eval.csv").write_text("step,accuracy,avg_parallelism\n1,0.5,8\n")
    found = B.discover([str(sweep / "*" / "metrics.jsonl"), str(sweep / "lr1e-3_seed1" / "metrics.jsonl")])
    assert len(found.paths) == 3                      # the file named twice counts once
    assert found.root == str(sweep)                   # the glob's fixed part is the common folder
    only_csv = B.discover([str(sweep)], patterns=["*.csv"])
    assert [Path(p).name for p in only_csv.paths] == ["eval.csv"]
    every = B.discover([str(sweep)])
    assert len(every.paths) == 4                      # default: every known log extension


def test_discovery_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        B.discover([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no logs found"):
        B.discover([str(tmp_path / "empty")])
    with pytest.raises(InputError, match="matches nothing"):
        B.discover([str(tmp_path / "*.nothing")])


def test_out_dir_inside_the_inputs_is_not_scanned(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "figs").mkdir()
    write_jsonl(sweep / "figs" / "metrics.jsonl", seed_like_records(10))
    found = B.discover([str(sweep)], exclude=str(sweep / "figs"))
    assert not any("figs" in p for p in found.paths)


@pytest.mark.parametrize("template, key", [
    ("{stem}", "metrics"), ("{parent}", "lr1e-3_seed1"), ("{parent}_{stem}", "lr1e-3_seed1_metrics"),
    ("{relpath}", "lr1e-3_seed1/metrics"), ("figs/{relparent}/{ext}.png", "figs/lr1e-3_seed1/jsonl"),
    ("{name}", "metrics.jsonl"),
])
def test_name_templates(tmp_path, template, key):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1e-3_seed1",))
    found = B.discover([str(sweep)])
    assert B.plan(found, str(tmp_path / "o"), template=template)[0].key == key


@pytest.mark.parametrize("template", ["../{stem}", "/tmp/{stem}", "{stem}/../../x", "./..//{parent}",
                                      "C:/{stem}"])
def test_a_template_can_never_leave_the_out_dir(tmp_path, template):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    with pytest.raises(OutputError, match="outside the output folder"):
        B.plan(B.discover([str(sweep)]), str(tmp_path / "o"), template=template)


@pytest.mark.parametrize("template, match", [("{nope}", "unknown field"), ("fixed", "no field"),
                                             ("{stem", "bad --name")])
def test_bad_templates(template, match):
    with pytest.raises(OutputError, match=match):
        B.check_template(template)


def test_collision_is_an_error_before_any_work(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep")
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "--name", "{stem}")
    assert result.exit_code == 1
    assert "two runs map to the same output 'metrics'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_symlink_in_out_dir_cannot_redirect_outputs(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "a").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="outside --out-dir"):
        B.plan(B.discover([str(sweep)]), str(out))


def test_formats():
    assert B.parse_formats("png,SVG, pdf,png") == ("png", "svg", "pdf")
    assert B.parse_formats(["png", "pdf"]) == ("png", "pdf")
    with pytest.raises(OutputError, match="unknown output format 'gif'"):
        B.parse_formats("png,gif")


# ---------------------------------------------------------------------------- shards

@settings(max_examples=60, deadline=None)
@given(st.sets(st.text(alphabet="abcdef/_-.0123", min_size=1, max_size=12), max_size=60),
       st.integers(min_value=1, max_value=7))
def test_shards_cover_every_run_exactly_once(relpaths, count):
    jobs = [B.Job(source=r, relpath=r, key=r, outputs=()) for r in sorted(relpaths)]
    shards = [B.select_shard(jobs, i, count) for i in range(1, count + 1)]
    flat = [job.key for shard in shards for job in shard]
    assert sorted(flat) == sorted(relpaths)           # covered, and no run twice
    # Deterministic and independent of the order and of the other runs present.
    assert B.select_shard(list(reversed(jobs)), 1, count) == list(reversed(shards[0]))


def test_shard_assignment_is_stable_across_processes():
    code = "from rlplot.batch import shard_of; print([shard_of(f'run{i}/m.jsonl', 4) for i in range(20)])"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1
    assert outs.pop().strip() == str([B.shard_of(f"run{i}/m.jsonl", 4) for i in range(20)])


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", ""])
def test_bad_shard_specs(text):
    with pytest.raises(OutputError, match="bad --shard"):
        B.parse_shard(text)


def test_cli_shards_partition_a_sweep(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=[f"run{i}" for i in range(7)], n=20)
    seen = []
    for i in (1, 2, 3):
        result = invoke("batch", sweep, "-o", tmp_path / f"out{i}", "-j", "1", "--shard", f"{i}/3", "-q")
        assert result.exit_code == 0, result.stderr
        seen += outputs_of(tmp_path / f"out{i}")
    assert sorted(seen) == [f"run{i}/metrics.png" for i in range(7)]


# ---------------------------------------------------------------------------- running

def test_cli_failure_isolation_stdout_and_summary(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", bad=("lr1e-3_seed2",))
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "-j", "1")
    assert result.exit_code == 1
    written = result.stdout.split()
    assert sorted(written) == sorted(str(out / d / "metrics.png") for d in ("lr1e-3_seed1", "lr3e-4_seed1"))
    assert all(png_complete(Path(p)) for p in written)
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 rendered, 0 up to date, 1 failed"
    error = [l for l in lines if l.startswith("rlplot: error: ")]
    assert len(error) == 1 and str(sweep / "lr1e-3_seed2" / "metrics.jsonl") in error[0]
    assert any(l.startswith("[1/3] rendered ") for l in lines)
    assert "Traceback" not in result.stderr


def test_cli_incremental_runs(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep")
    out = tmp_path / "out"
    first = invoke("batch", sweep, "-o", out, "-j", "1")
    assert first.exit_code == 0 and first.stderr.splitlines()[-1] == "3 rendered, 0 up to date, 0 failed"
    second = invoke("batch", sweep, "-o", out, "-j", "1")
    assert second.stderr.splitlines()[-1] == "0 rendered, 3 up to date, 0 failed"
    assert second.stdout == ""                           # nothing written, nothing listed
    # Input bytes changed -> only that run again.
    write_jsonl(sweep / "lr1e-3_seed2" / "metrics.jsonl", seed_like_records(55))
    third = invoke("batch", sweep, "-o", out, "-j", "1")
    assert third.stderr.splitlines()[-1] == "1 rendered, 2 up to date, 0 failed"
    assert third.stdout.split() == [str(out / "lr1e-3_seed2" / "metrics.png")]
    # A deleted output is re-rendered.
    (out / "lr3e-4_seed1" / "metrics.png").unlink()
    assert invoke("batch", sweep, "-o", out, "-j", "1").stderr.splitlines()[-1] == \
        "1 rendered, 2 up to date, 0 failed"
    # The effective config changed -> everything.
    assert invoke("batch", sweep, "-o", out, "-j", "1", "--set", "figure.dpi=60") \
        .stderr.splitlines()[-1] == "3 rendered, 0 up to date, 0 failed"
    # A new format adds outputs for every run; --force redoes all.
    assert invoke("batch", sweep, "-o", out, "-j", "1", "--set", "figure.dpi=60", "--format", "png,svg") \
        .stderr.splitlines()[-1] == "3 rendered, 0 up to date, 0 failed"
    assert len(outputs_of(out, "svg")) == 3
    assert invoke("batch", sweep, "-o", out, "-j", "1", "--set", "figure.dpi=60", "--format", "png,svg",
                  "--force").stderr.splitlines()[-1] == "3 rendered, 0 up to date, 0 failed"


def test_manifest_records_hashes_and_version(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    out = tmp_path / "out"
    jobs = B.plan(B.discover([str(sweep)]), str(out), formats="png,svg")
    config = Config()
    outcomes = list(B.run_batch(jobs, str(out), config, executor=B.SerialExecutor()))
    assert [o.status for o in outcomes] == ["rendered"]
    document = json.loads((out / B.MANIFEST_NAME).read_text())
    assert set(document["outputs"]) == {"a/metrics.png", "a/metrics.svg"}
    entry = document["outputs"]["a/metrics.png"]
    assert entry["input_sha256"] == B.file_sha256(str(sweep / "a" / "metrics.jsonl"))
    assert entry["config_sha256"] == B.config_sha256(config)
    assert entry["rlplot"] == B.__version__
    # An older rlplot's entries do not count as current.
    entry["rlplot"] = "0.0.1"
    (out / B.MANIFEST_NAME).write_text(json.dumps(document))
    again = list(B.run_batch(jobs, str(out), config, executor=B.SerialExecutor()))
    assert again[0].status == "rendered" and again[0].written == (str(out / "a" / "metrics.png"),)


def test_a_corrupt_manifest_means_render_again_not_crash(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b"))
    out = tmp_path / "out"
    invoke("batch", sweep, "-o", out, "-j", "1")
    (out / B.MANIFEST_NAME).write_text('{"format": 1, "outputs": {"a/metr')
    result = invoke("batch", sweep, "-o", out, "-j", "1")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == "2 rendered, 0 up to date, 0 failed"
    json.loads((out / B.MANIFEST_NAME).read_text())


def test_config_hash_follows_the_effective_config():
    base = load_config([], []).config
    assert B.config_sha256(base) == B.config_sha256(Config())
    assert B.config_sha256(load_config([], ["smoothing.frac=0.3"]).config) != B.config_sha256(base)
    assert B.config_sha256(base, strict=True) != B.config_sha256(base)


def test_fail_fast_stops_at_the_first_failure(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c"), bad=("a",))
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "0 rendered, 0 up to date, 1 failed, 2 not run"
    assert outputs_of(out) == [] if out.exists() else True


def test_quiet_prints_only_errors(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b"), bad=("b",))
    result = invoke("batch", sweep, "-o", tmp_path / "out", "-j", "1", "--quiet")
    assert result.exit_code == 1
    assert [l.split(":")[0:2] for l in result.stderr.splitlines()] == [["rlplot", " error"]]
    assert result.stdout.split() == [str(tmp_path / "out" / "a" / "metrics.png")]


def test_reports_markdown_and_json(tmp_path, invoke):
    from rlplot.pipeline import prepare

    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c"), bad=("c",))
    out = tmp_path / "out"
    md, js = tmp_path / "ci" / "summary.md", tmp_path / "ci" / "summary.json"
    invoke("batch", sweep, "-o", out, "-j", "1")      # a and b up to date in the reported run
    write_jsonl(sweep / "b" / "metrics.jsonl", seed_like_records(30) + ['{"step": 99, "accura'],
                newline=False)   # a run still being written
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--report", md, "--report-json", js)
    assert result.exit_code == 1
    data = json.loads(js.read_text())
    assert data["counts"] == {"rendered": 1, "up_to_date": 1, "failed": 1, "not_run": 0}
    runs = {Path(r["run"]).parent.name: r for r in data["runs"]}
    assert runs["a"]["status"] == "up to date" and runs["b"]["status"] == "rendered"
    assert runs["c"]["status"] == "failed" and "metrics.jsonl" in runs["c"]["error"]
    assert runs["b"]["rows"] == 30 and runs["b"]["warning_count"] == 1
    assert "partial last line" in runs["b"]["warnings"][0]
    for name in ("a", "b"):
        expected = prepare([str(sweep / name / "metrics.jsonl")])
        finals = [f["final"] for f in runs[name]["final"]]
        assert finals == pytest.approx([float(s.y[-1]) for s in expected.smoothed[0]])
    text = md.read_text()
    assert text.startswith("**rlplot batch**: 1 rendered, 1 up to date, 1 failed")
    assert "| run | status | rows | warnings | outputs | final Training Accuracy vs Steps |" in text
    row_b = next(l for l in text.splitlines() if "/b/metrics.jsonl" in l)
    assert "[metrics.png](../out/b/metrics.png)" in row_b and "| 30 | 1 |" in row_b
    assert (md.parent / "../out/b/metrics.png").resolve().is_file()   # links work from the report
    assert f"{runs['b']['final'][0]['final']:.4g}" in row_b


def test_progress_bar_on_a_terminal_replaces_the_per_run_lines(tmp_path, capsys):
    from rlplot.cli.batch import Progress

    progress = Progress(quiet=False, tty=True)
    progress.start(B.Started(total=2, up_to_date=0))
    progress.update(B.Outcome("x.jsonl", "x", B.RENDERED, written=("o/x.png",)))
    progress.update(B.Outcome("y.jsonl", "y", B.FAILED, error="y.jsonl: broken"))
    progress.finish()
    err = capsys.readouterr().err
    assert "rendering" in err and "[1/2]" not in err
    assert "rlplot: error: y.jsonl: broken" in err


def test_process_pool_imports_matplotlib_once_per_worker(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=[f"r{i}" for i in range(6)], n=30)
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "par"))
    outcomes = list(B.run_batch(jobs, str(tmp_path / "par"), Config(),
                                executor=B.ProcessExecutor(workers=2)))
    assert sorted(o.status for o in outcomes) == ["rendered"] * 6
    workers = {o.worker for o in outcomes}
    # 6 figures from at most 2 long-lived worker processes: imports happen once per worker.
    assert 1 <= len(workers) <= 2 and os.getpid() not in workers
    serial_jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "ser"))
    list(B.run_batch(serial_jobs, str(tmp_path / "ser"), Config(), executor=B.SerialExecutor()))
    for rel in outputs_of(tmp_path / "ser"):               # deterministic across executors
        assert (tmp_path / "par" / rel).read_bytes() == (tmp_path / "ser" / rel).read_bytes()


def test_make_executor():
    assert isinstance(B.make_executor("process", 1), B.SerialExecutor)
    assert isinstance(B.make_executor("process", 2), B.ProcessExecutor)
    with pytest.raises(B.RlplotError, match="unknown executor"):
        B.make_executor("slurm")


def test_cli_and_library_import_no_heavy_modules():
    code = ("import sys, rlplot.cli.batch, rlplot.cli.watch, rlplot.batch, rlplot.watch; "
            "print(sorted(m for m in ('numpy', 'matplotlib', 'statsmodels') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- kill -9

def test_kill_9_leaves_no_partial_figure_and_no_corrupt_manifest(tmp_path):
    n = 16
    sweep = make_sweep(tmp_path / "sweep", names=[f"run{i:02d}" for i in range(n)], n=100)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "rlplot", "batch", str(sweep), "-o", str(out), "-j", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = out / B.MANIFEST_NAME
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if manifest.exists() and len(json.loads(manifest.read_text())["outputs"]) >= 3:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    entries = json.loads(manifest.read_text())["outputs"]            # parses: never half written
    assert 3 <= len(entries) < n
    figures = sorted(out.rglob("*.png"))
    assert all(png_complete(p) for p in figures)                     # no partial figure
    assert all((out / key).is_file() for key in entries)             # recorded => on disk
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"{n - len(entries)} rendered, {len(entries)} up to date, 0 failed"
    assert len(outputs_of(out)) == n and not list(out.rglob("*.part"))


# ---------------------------------------------------------------------------- Dask

@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason="the 'dask' extra is not installed (pip install 'rlplot[dask]')")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    yield cluster
    cluster.close()


def test_dask_executor_renders_on_a_real_cluster(tmp_path, invoke, dask_cluster):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c", "d"), bad=("c",))
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "--executor", "dask",
                    "--scheduler", dask_cluster.scheduler_address, "--format", "png,svg")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "3 rendered, 0 up to date, 1 failed"
    assert outputs_of(out) == ["a/metrics.png", "b/metrics.png", "d/metrics.png"]
    assert all(png_complete(out / p) for p in outputs_of(out))
    entries = json.loads((out / B.MANIFEST_NAME).read_text())["outputs"]   # written by the client
    assert len(entries) == 6
    again = invoke("batch", sweep, "-o", out, "--executor", "dask",
                   "--scheduler", dask_cluster.scheduler_address, "--format", "png,svg")
    assert again.stderr.splitlines()[-1] == "0 rendered, 3 up to date, 1 failed"


def test_dask_jobs_run_in_the_worker_processes(tmp_path, dask_cluster):
    from distributed import Client

    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c", "d"))
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "out"))
    with Client(dask_cluster) as client:
        outcomes = list(B.run_batch(jobs, str(tmp_path / "out"), Config(),
                                    executor=B.DaskExecutor(client=client)))
        worker_pids = set(client.run(os.getpid).values())
    assert [o.status for o in outcomes] == ["rendered"] * 4
    assert {o.worker for o in outcomes} <= worker_pids and os.getpid() not in worker_pids


def test_dask_renders_groups(tmp_path, dask_cluster):
    from distributed import Client

    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    out = tmp_path / "out"
    config = load_config([], [], {"runs": {"group_by": LR}}).config
    jobs = B.plan(B.discover([str(sweep)]), str(out), group_by=LR)
    with Client(dask_cluster) as client:
        outcomes = list(B.run_batch(jobs, str(out), config, executor=B.DaskExecutor(client=client)))
    assert sorted((o.group, len(o.members), o.status) for o in outcomes) == \
        [("1e-3", 2, "rendered"), ("3e-4", 3, "rendered")]
    assert outputs_of(out) == ["1e-3.png", "3e-4.png"] and all(png_complete(out / p)
                                                               for p in outputs_of(out))


def test_dask_needs_a_scheduler(tmp_path, invoke):
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    result = invoke("batch", sweep, "-o", tmp_path / "out", "--executor", "dask")
    assert result.exit_code == 1
    assert "rlplot: error: --executor dask needs --scheduler ADDRESS" in result.stderr


def test_name_fields_are_all_documented():
    assert tuple(B.name_fields("sweep/a/m.jsonl", "sweep")) == B.NAME_FIELDS


def test_warnings_are_capped_on_screen_but_counted(tmp_path, invoke):
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
    assert run["warning_count"] == 30 and len(run["warnings"]) == B.MAX_WARNINGS_KEPT


def _crashing_run_job(task):
    """A worker function that kills its process for logs named 'crash' (runs in the pool's workers)."""
    if "crash" in task.job.source:
        os._exit(3)
    return B.run_job(task)


def test_a_dying_worker_fails_only_its_own_run(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "crash", "d", "e"), n=20)
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "out"))
    outcomes = list(B.run_batch(jobs, str(tmp_path / "out"), Config(),
                                executor=B.ProcessExecutor(workers=2, func=_crashing_run_job)))
    status = {Path(o.source).parent.name: o.status for o in outcomes}
    assert status == {"a": "rendered", "b": "rendered", "crash": "failed", "d": "rendered",
                      "e": "rendered"}
    failed = next(o for o in outcomes if o.status == "failed")
    assert "the worker process died while rendering this run" in failed.error


def test_ctrl_c_stops_workers_and_keeps_the_manifest_valid(tmp_path):
    """SIGINT to the whole process group, as a terminal's Ctrl-C does, during a -j 2 batch."""
    sweep = make_sweep(tmp_path / "sweep", names=[f"run{i:02d}" for i in range(30)], n=100)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "rlplot", "batch", str(sweep), "-o", str(out),
                             "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    manifest = out / B.MANIFEST_NAME
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if manifest.exists() and json.loads(manifest.read_text())["outputs"]:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the batch finished before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130
    assert err.decode().splitlines()[-1] == "rlplot: interrupted"
    assert "Traceback" not in err.decode()
    entries = json.loads(manifest.read_text())["outputs"]
    assert entries and all((out / key).is_file() for key in entries)
    assert all(png_complete(p) for p in out.rglob("*.png")) and not list(out.rglob("*.part"))
    gone_by = time.monotonic() + 20
    while time.monotonic() < gone_by:             # no worker process left behind
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


# ---------------------------------------------------------------------------- --group-by

LR = "lr([^_]+)_seed"
SEEDS = ("lr3e-4_seed1", "lr3e-4_seed2", "lr3e-4_seed3", "lr1e-3_seed1", "lr1e-3_seed2")


@pytest.fixture
def rendered(monkeypatch):
    """Every RenderResult of an in-process (-j 1) batch, by output file name: figures to inspect."""
    import rlplot.pipeline as P

    seen = {}
    real = P.render

    def spy(paths, outputs=(), config=None, **kwargs):
        result = real(paths, outputs, config, **kwargs)
        seen.update({Path(out).name: result for out in outputs})
        return result
    monkeypatch.setattr(P, "render", spy)   # run_job imports it at call time
    return seen


def legends(result) -> list[list[str]]:
    return [[t.get_text() for t in ax.get_legend().get_texts()] for ax in result.figure.axes]


def last_line(result) -> str:
    return result.stderr.splitlines()[-1]


def test_group_by_draws_each_group_into_one_figure(tmp_path, invoke, rendered):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=25)
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR)
    assert result.exit_code == 0, result.stderr
    assert last_line(result) == "2 rendered, 0 up to date, 0 failed"
    assert outputs_of(out) == ["1e-3.png", "3e-4.png"]
    assert sorted(result.stdout.split()) == [str(out / "1e-3.png"), str(out / "3e-4.png")]
    assert "rendered group '3e-4' (3 runs) -> " in result.stderr
    assert all(png_complete(out / p) for p in outputs_of(out))
    three = rendered["3e-4.png"]
    assert sorted(run.source for run in three.prepared.runs) == \
        [str(sweep / s / "metrics.jsonl") for s in ("lr3e-4_seed1", "lr3e-4_seed2", "lr3e-4_seed3")]
    assert legends(three) == [["3e-4 (n=3)"], ["3e-4 (n=3)"]]
    assert legends(rendered["1e-3.png"]) == [["1e-3 (n=2)"], ["1e-3 (n=2)"]]
    for ax in three.figure.axes:                     # overlaid: every seed's line, one colour
        assert len(ax.lines) == 3 and len({line.get_color() for line in ax.lines}) == 1
    assert not three.prepared.aggregated


def test_aggregate_and_band_flags_work_through_batch(tmp_path, invoke, rendered):
    from rlplot.aggregate import aggregate_curves

    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=25)
    out = tmp_path / "out"
    js = tmp_path / "r.json"
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR, "--aggregate", "median",
                    "--band", "sd", "--report-json", js)
    assert result.exit_code == 0, result.stderr
    three = rendered["3e-4.png"]
    assert three.prepared.aggregated
    assert legends(three) == [["3e-4 (n=3)"], ["3e-4 (n=3)"]]
    for ax in three.figure.axes:                     # one aggregate line and its band
        assert len(ax.lines) == 1 and len(ax.collections) == 1
    assert three.figure._supxlabel.get_text().startswith("median of 3 runs")
    assert "band = ± 1 SD over runs" in three.figure._supxlabel.get_text()
    config = load_config([], [], {"runs": {"group_by": LR, "aggregate": "median",
                                           "band": "sd"}}).config
    expected, _ = aggregate_curves([s[0] for s in three.prepared.smoothed], config.runs)
    drawn = three.figure.axes[0].lines[0].get_ydata()
    assert drawn[-1] == pytest.approx(expected.y[-1])
    group = next(r for r in json.loads(js.read_text())["runs"] if r["group"] == "3e-4")
    assert group["final"][0]["final"] == pytest.approx(float(expected.y[-1]))
    # The flags are part of the effective config: overlaying again re-renders every group.
    again = invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR)
    assert last_line(again) == "2 rendered, 0 up to date, 0 failed"
    assert not rendered["3e-4.png"].prepared.aggregated


def test_aggregate_without_groups_is_an_error(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "--aggregate", "mean")
    assert result.exit_code == 1
    assert result.stderr.startswith("rlplot: error: --aggregate combines the runs of each group")
    bad = invoke("batch", sweep, "--out-dir", tmp_path / "out", "--group-by", "x", "--aggregate", "mode")
    assert bad.exit_code == 1 and "mode" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "out").exists()


def test_adding_or_changing_a_seed_re_renders_only_its_group(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    out = tmp_path / "out"
    args = ("batch", sweep, "-o", out, "-j", "1", "--group-by", LR)
    assert last_line(invoke(*args)) == "2 rendered, 0 up to date, 0 failed"
    assert last_line(invoke(*args)) == "0 rendered, 2 up to date, 0 failed"
    make_sweep(sweep, names=("lr3e-4_seed4",), n=30)           # a new seed lands
    third = invoke(*args)
    assert last_line(third) == "1 rendered, 1 up to date, 0 failed"
    assert third.stdout.split() == [str(out / "3e-4.png")]
    entry = json.loads((out / B.MANIFEST_NAME).read_text())["outputs"]["3e-4.png"]
    assert entry["group"] == "3e-4" and len(entry["inputs"]) == 4
    assert entry["summary"]["runs"] == 4
    write_jsonl(sweep / "lr1e-3_seed2" / "metrics.jsonl", seed_like_records(33))   # one changes
    fourth = invoke(*args)
    assert last_line(fourth) == "1 rendered, 1 up to date, 0 failed"
    assert fourth.stdout.split() == [str(out / "1e-3.png")]
    (sweep / "lr1e-3_seed2" / "metrics.jsonl").unlink()                             # one goes
    assert invoke(*args).stdout.split() == [str(out / "1e-3.png")]


def test_group_hash_covers_every_member_in_any_order(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1", "lr1_seed2"), n=10)
    job = B.plan(B.discover([str(sweep)]), str(tmp_path / "o"), group_by=LR)[0]
    assert job.members and len(job.members) == 2
    flipped = B.Job(job.source, job.relpath, job.key, job.outputs, group=job.group,
                    members=job.members[::-1], member_relpaths=job.member_relpaths[::-1])
    assert B.job_sha256(flipped) == B.job_sha256(job)
    alone = B.Job(job.source, job.relpath, job.key, job.outputs, group=job.group,
                  members=job.members[:1], member_relpaths=job.member_relpaths[:1])
    assert B.job_sha256(alone) != B.job_sha256(job)
    assert B.job_sha256(B.Job(job.source, job.relpath, job.key, job.outputs)) == \
        B.file_sha256(job.source)                   # single runs keep their manifests


def test_paths_the_regex_does_not_match_are_groups_of_their_own(tmp_path, invoke, rendered):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1", "lr1_seed2", "odd", "other"), n=20)
    found = B.discover([str(sweep)])
    assert [(name, matched, len(members)) for name, matched, members in B.group_paths(found, LR)] == \
        [("1", True, 2), ("odd/metrics", False, 1), ("other/metrics", False, 1)]
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR)
    assert result.exit_code == 0, result.stderr
    assert outputs_of(out) == ["1.png", "odd_metrics.png", "other_metrics.png"]
    assert legends(rendered["odd_metrics.png"])[0] == ["odd/metrics (n=1)"]   # not 'metrics'
    assert "rendered group 'odd/metrics' (1 run)" in result.stderr
    # runs.labels still wins for a lone run.
    labelled = invoke("batch", sweep, "-o", tmp_path / "o2", "-j", "1", "--group-by", LR,
                      "--set", f"runs.labels={{{sweep / 'odd' / 'metrics.jsonl'}: baseline}}")
    assert labelled.exit_code == 0, labelled.stderr
    assert legends(rendered["odd_metrics.png"])[0] == ["baseline (n=1)"]


def test_named_group_and_group_in_name_templates(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("algo-ppo_s1", "algo-ppo_s2", "algo-sac_s1"), n=10)
    found = B.discover([str(sweep)])
    jobs = B.plan(found, str(tmp_path / "o"), group_by=r"(algo)-(?P<group>[a-z]+)_s\d",
                  template="figs/{group}-{stem}")
    assert [(j.key, len(j.members)) for j in jobs] == [("figs/ppo-metrics", 2), ("figs/sac-metrics", 1)]
    with pytest.raises(OutputError, match=r"'\{group\}' in --name needs --group-by"):
        B.plan(found, str(tmp_path / "o"), template="{group}")


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=150))
def test_group_names_become_safe_file_names(text):
    name = B.safe_name(text)
    assert 0 < len(name) <= B.MAX_GROUP_NAME
    assert re.fullmatch(r"[A-Za-z0-9_=+][A-Za-z0-9._=+-]*", name) and not name.endswith(".")
    assert B.output_base("{group}", "sweep/a/m.jsonl", "sweep", text) == name   # never a folder


def test_group_names_with_path_characters_stay_inside_the_out_dir(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("x", "y"), n=10)
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "o"), group_by=r"sweep/(.*)/metrics")
    assert [j.key for j in jobs] == ["x", "y"]
    for bad in ("../../etc/passwd", "/abs", "..", ".hidden", "-rf", "C:/x", ""):
        key = B.output_base("{group}", str(sweep / "x" / "metrics.jsonl"), str(sweep), bad)
        assert "/" not in key and not key.startswith((".", "-")) and ":" not in key and key


def test_group_name_collisions_are_errors_before_any_work(tmp_path, invoke):
    sweep = tmp_path / "sweep"
    make_sweep(sweep, names=("x/y_seed1", "x_y_seed1"), n=10)   # groups 'x/y' and 'x_y'
    out = tmp_path / "out"
    result = invoke("batch", sweep, "-o", out, "--group-by", r"sweep/(.+)_seed")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "two groups map to the same output 'x_y': group 'x/y' and group 'x_y'" in result.stderr
    same = invoke("batch", make_sweep(tmp_path / "s2", names=SEEDS, n=10), "-o", out,
                  "--group-by", LR, "--name", "{stem}")
    assert same.exit_code == 1 and "two groups map to the same output 'metrics'" in same.stderr
    assert not out.exists()


def test_a_bad_seed_fails_only_its_group(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20, bad=("lr1e-3_seed2",))
    out = tmp_path / "out"
    md = tmp_path / "r.md"
    result = invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR, "--report", md)
    assert result.exit_code == 1
    assert last_line(result) == "1 rendered, 0 up to date, 1 failed"
    assert outputs_of(out) == ["3e-4.png"]
    assert "failed group '1e-3' (2 runs)" in result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("rlplot: error: ")]
    assert len(errors) == 1 and str(sweep / "lr1e-3_seed2" / "metrics.jsonl") in errors[0]
    text = md.read_text()
    assert "| group | runs | status | rows | warnings | outputs |" in text
    assert "| 3e-4 | 3 | rendered | 63 | 0 | [3e-4.png](out/3e-4.png) |" in text   # 20+21+22 rows
    assert "| 1e-3 | 2 | failed: " in text


def test_group_errors_without_a_file_name_the_group(tmp_path):
    sweep = tmp_path / "sweep"
    for name, start in (("lr1_seed1", 0), ("lr1_seed2", 1000)):   # x ranges do not overlap
        (sweep / name).mkdir(parents=True)
        write_jsonl(sweep / name / "metrics.jsonl",
                    [{"step": start + i, "accuracy": 0.5, "avg_parallelism": 8} for i in range(10)])
    config = load_config([], [], {"runs": {"group_by": LR, "aggregate": "mean"}}).config
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "out"), group_by=LR)
    [outcome] = B.run_batch(jobs, str(tmp_path / "out"), config, executor=B.SerialExecutor())
    assert outcome.status == "failed"
    assert outcome.error.startswith("group '1': the runs share no x range")


def test_group_jobs_need_group_by_in_the_config(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1",), n=10)
    jobs = B.plan(B.discover([str(sweep)]), str(tmp_path / "out"), group_by=LR)
    with pytest.raises(B.RlplotError, match="group jobs need runs.group_by"):
        list(B.run_batch(jobs, str(tmp_path / "out"), Config(), executor=B.SerialExecutor()))


def test_report_json_lists_groups_with_their_members(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    js = tmp_path / "r.json"
    invoke("batch", sweep, "-o", tmp_path / "out", "-j", "1", "--group-by", LR, "--report-json", js)
    runs = {r["run"]: r for r in json.loads(js.read_text())["runs"]}
    assert set(runs) == {"3e-4", "1e-3"}
    assert runs["3e-4"]["member_count"] == 3 and runs["3e-4"]["group"] == "3e-4"
    assert runs["3e-4"]["members"] == [str(sweep / s / "metrics.jsonl") for s in SEEDS[:3]]
    assert runs["1e-3"]["rows"] == 23 + 24 and runs["1e-3"]["status"] == "rendered"


def test_cli_shards_split_by_group(tmp_path, invoke):
    names = [f"lr{lr}_seed{s}" for lr in range(5) for s in (1, 2)] + ["odd"]
    sweep = make_sweep(tmp_path / "sweep", names=names, n=10)
    seen = []
    for i in (1, 2, 3):
        result = invoke("batch", sweep, "-o", tmp_path / f"out{i}", "-j", "1", "--shard", f"{i}/3",
                        "--group-by", r"lr(\d)_seed", "-q")
        assert result.exit_code == 0, result.stderr
        seen += outputs_of(tmp_path / f"out{i}")
    assert sorted(seen) == ["0.png", "1.png", "2.png", "3.png", "4.png", "odd_metrics.png"]
    # A group's shard depends on its name only: a new seed never moves it to another shard.
    before = {j.key: B.shard_of(j.shard_key, 3)
              for j in B.plan(B.discover([str(sweep)]), str(tmp_path / "o"), group_by=r"lr(\d)_seed")}
    make_sweep(sweep, names=[f"lr{lr}_seed0" for lr in range(5)], n=10)   # sorts first
    after = {j.key: B.shard_of(j.shard_key, 3)
             for j in B.plan(B.discover([str(sweep)]), str(tmp_path / "o"), group_by=r"lr(\d)_seed")}
    assert after == before


def test_group_figures_are_the_same_from_the_process_pool(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    for jobs in ("1", "2"):
        result = invoke("batch", sweep, "-o", tmp_path / f"out{jobs}", "-j", jobs, "--group-by", LR,
                        "--aggregate", "mean", "--band", "sem", "-q")
        assert result.exit_code == 0, result.stderr
    assert outputs_of(tmp_path / "out2") == ["1e-3.png", "3e-4.png"]
    for name in ("1e-3.png", "3e-4.png"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def test_a_rerun_with_nothing_to_render_does_not_load_the_drawing_code(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=10)
    out = tmp_path / "out"
    assert invoke("batch", sweep, "-o", out, "-j", "1", "--group-by", LR).exit_code == 0
    # (Config validation checks colours with matplotlib.colors: that small import stays.)
    code = ("import sys\nfrom rlplot.cli import cli\n"
            f"try:\n    cli.main(['batch', {str(sweep)!r}, '-o', {str(out)!r}, '--group-by', {LR!r}])\n"
            "except SystemExit as exc:\n"
            "    print(exc.code, 'matplotlib.figure' in sys.modules, 'rlplot.figure.chart' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.splitlines()[-1] == "0 rendered, 2 up to date, 0 failed"
    assert done.stdout.split() == ["0", "False", "False"]


def test_reports_never_overwrite_an_input_or_a_figure(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=10)
    log = next(sweep.rglob("*.jsonl"))
    before = log.read_bytes()
    result = invoke("batch", sweep, "-o", tmp_path / "out", "-j", "1", "--report", log)
    assert result.exit_code == 1 and "the report would overwrite an input log" in result.stderr
    assert log.read_bytes() == before and not (tmp_path / "out").exists()
    figure = tmp_path / "out" / "a" / f"{log.stem}.png"
    result = invoke("batch", sweep, "-o", tmp_path / "out", "-j", "1", "--report-json", figure)
    assert result.exit_code == 1 and "a figure output" in result.stderr


def test_formats_default_to_the_config(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=10)
    result = invoke("batch", sweep, "-o", tmp_path / "out", "-j", "1", "--set", "output.formats=[svg]")
    assert result.exit_code == 0, result.stderr
    assert [p.suffix for p in (tmp_path / "out").rglob("*.*") if not p.name.startswith(".")] == [".svg"]


def test_a_flush_keeps_what_another_shard_wrote_meanwhile(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = B.Manifest.load(str(out))
    first.record(str(out / "a.png"), {"input_sha256": "old"})
    first.flush()
    mine = B.Manifest.load(str(out))
    other = B.Manifest.load(str(out))
    other.record(str(out / "a.png"), {"input_sha256": "new"})
    other.flush()
    mine.record(str(out / "b.png"), {"input_sha256": "b"})
    mine.flush()
    entries = json.loads((out / B.MANIFEST_NAME).read_text())["outputs"]
    assert entries["a.png"]["input_sha256"] == "new" and entries["b.png"]["input_sha256"] == "b"
