"""rlplot.batch.run: the whole batch - skip what is current, isolate failures, survive kill -9."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rlplot.batch.discovery import discover
from rlplot.batch.executors import SerialExecutor
from rlplot.batch.manifest import MANIFEST_NAME
from rlplot.batch.planning import plan
from rlplot.batch.run import Started, run_batch
from rlplot.config import Config, load_config
from rlplot.errors import RlplotError

from .sweeps import LR, SEEDS, last_line, legends, make_sweep, outputs_of, png_complete


def test_one_bad_log_fails_only_its_own_figure(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", bad=("lr1e-3_seed2",))
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1")
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


def test_a_log_gone_before_the_run_fails_alone_and_first(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b"), n=10)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "out"))
    (sweep / "a" / "metrics.jsonl").unlink()
    started = []
    outcomes = list(run_batch(jobs, str(tmp_path / "out"), Config(), executor=SerialExecutor(),
                              on_start=started.append))
    assert started == [Started(total=2, up_to_date=0)]
    assert [(Path(o.source).parent.name, str(o.status)) for o in outcomes] == \
        [("a", "failed"), ("b", "rendered")]
    assert outcomes[0].error.startswith(str(sweep / "a" / "metrics.jsonl") + ": cannot read")


def test_fail_fast_stops_at_the_first_failure(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c"), bad=("a",))
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert last_line(result) == "0 rendered, 0 up to date, 1 failed, 2 not run"
    assert outputs_of(out) == [] if out.exists() else True


def test_group_jobs_need_group_by_in_the_config(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("lr1_seed1",), n=10)
    jobs = plan(discover([str(sweep)]), str(tmp_path / "out"), group_by=LR)
    with pytest.raises(RlplotError, match="group jobs need runs.group_by"):
        list(run_batch(jobs, str(tmp_path / "out"), Config(), executor=SerialExecutor()))


def test_group_by_draws_each_group_into_one_figure(tmp_path, invoke, rendered):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=25)
    out = tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR)
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
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR,
                    "--aggregate", "median", "--band", "sd", "--report-json", js)
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
    again = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR)
    assert last_line(again) == "2 rendered, 0 up to date, 0 failed"
    assert not rendered["3e-4.png"].prepared.aggregated


def test_a_rerun_with_nothing_to_render_does_not_load_the_drawing_code(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=10)
    out = tmp_path / "out"
    assert invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR).exit_code == 0
    # (Config validation checks colours with matplotlib.colors: that small import stays.)
    code = ("import sys\nfrom rlplot.cli import cli\n"
            f"try:\n    cli.main(['batch', {str(sweep)!r}, '--out-dir', {str(out)!r}, "
            f"'--group-by', {LR!r}])\n"
            "except SystemExit as exc:\n"
            "    print(exc.code, 'matplotlib.figure' in sys.modules, 'rlplot.figure.chart' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.splitlines()[-1] == "0 rendered, 2 up to date, 0 failed"
    assert done.stdout.split() == ["0", "False", "False"]


# ---------------------------------------------------------------------------- kill -9

# `rlplot batch -j 1` in which one run stops halfway through writing its figure: it signals
# on the `ready` pipe, then waits on the `hold` pipe for ever (until the test kills it).
# Every finished figure reaches the manifest before the next starts (the manifest otherwise
# writes at most every 0.2 s), so the state at the kill is exact.
HANGING_BATCH = """
import os, sys
import rlplot.pipeline as pipeline
from rlplot.atomic import atomic_output
from rlplot.batch.manifest import Manifest
from rlplot.cli import cli

ready, hold, hang_in, sweep, out = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
render, flush = pipeline.render, Manifest.flush

def render_or_hang(paths, outputs=(), config=None, **kwargs):
    if os.path.basename(os.path.dirname(paths[0].source)) == hang_in:   # a RunRef
        with atomic_output(outputs[0]) as stream:
            stream.write(b"half a figure")
            stream.flush()
            os.write(ready, b"ready")
            os.read(hold, 1)
    return render(paths, outputs, config, **kwargs)

pipeline.render = render_or_hang
Manifest.flush = lambda self, force=True: flush(self, True)
cli.main(["batch", sweep, "--out-dir", out, "-j", "1"], prog_name="rlplot")
"""


def test_kill_9_leaves_no_partial_figure_and_no_corrupt_manifest(tmp_path):
    n, killed_in = 16, 6
    names = [f"run{i:02d}" for i in range(n)]
    sweep = make_sweep(tmp_path / "sweep", names=names, n=100)
    out = tmp_path / "out"
    ready_r, ready_w = os.pipe()
    hold_r, hold_w = os.pipe()
    with open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", HANGING_BATCH, str(ready_w), str(hold_r),
                                 names[killed_in], str(sweep), str(out)],
                                pass_fds=(ready_w, hold_r), stdout=subprocess.DEVNULL, stderr=err)
    os.close(ready_w)
    os.close(hold_r)
    try:
        # EOF (b"") instead of "ready": the batch ended without reaching the run to kill it in.
        waiting, _, _ = select.select([ready_r], [], [], 300)
        assert waiting and os.read(ready_r, 5) == b"ready", (tmp_path / "stderr.txt").read_text()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(ready_r)
        os.close(hold_w)
    assert proc.returncode == -signal.SIGKILL
    manifest = out / MANIFEST_NAME
    entries = json.loads(manifest.read_text())["outputs"]            # parses: never half written
    assert 3 <= len(entries) < n
    assert sorted(entries) == [f"{name}/metrics.png" for name in names[:killed_in]]
    figures = sorted(out.rglob("*.png"))
    assert all(png_complete(p) for p in figures)                     # no partial figure
    assert all((out / key).is_file() for key in entries)             # recorded => on disk
    killed = out / names[killed_in]
    assert not (killed / "metrics.png").exists() and len(list(killed.glob(".*.part"))) == 1
    cmd = [sys.executable, "-m", "rlplot", "batch", str(sweep), "--out-dir", str(out), "-j", "1"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == \
        f"{n - len(entries)} rendered, {len(entries)} up to date, 0 failed"
    assert len(outputs_of(out)) == n and not list(out.rglob("*.part"))


class _Recording(SerialExecutor):
    """Runs nothing: keeps the tasks it was given."""

    def __init__(self):
        self.tasks = []

    def run(self, tasks):
        self.tasks.extend(tasks)
        yield from ()


def _padded_logs(folder: Path, count: int, size: int) -> None:
    for number in range(count):
        run = folder / f"run{number}"
        run.mkdir(parents=True)
        rows = "".join(f"{i},{i % 7}\n" for i in range(size // 8))
        (run / "progress.csv").write_text("step,accuracy\n" + rows)


@pytest.mark.parametrize("count, size, warm", [(12, 1 << 20, True), (3, 1 << 20, False),
                                                (200, 40_000, False)])
def test_workers_load_pyarrow_only_when_the_batch_reads_enough(tmp_path, count, size, warm):
    # io.fast.worth_warming: 8 MB of logs of 64 KB and up pay for pyarrow's import once.
    _padded_logs(tmp_path / "sweep", count, size)
    jobs = plan(discover([str(tmp_path / "sweep")]), str(tmp_path / "out"))
    executor = _Recording()
    list(run_batch(jobs, str(tmp_path / "out"), Config(), executor=executor))
    assert len(executor.tasks) == count
    assert {task.warm_fast for task in executor.tasks} == {warm}
