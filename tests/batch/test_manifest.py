"""rlplot.batch.manifest: reruns skip unchanged runs; the manifest survives kills and shards."""
from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

from rlplot._version import __version__
from rlplot.batch import manifest as manifest_module
from rlplot.batch.discovery import discover
from rlplot.batch.executors import SerialExecutor
from rlplot.batch.hashing import config_sha256, file_sha256
from rlplot.batch.manifest import MANIFEST_NAME, Manifest, remove_leftovers
from rlplot.batch.planning import Job, plan
from rlplot.batch.run import run_batch
from rlplot.config import Config

from ..conftest import seed_like_records, write_jsonl
from .sweeps import LR, SEEDS, last_line, make_sweep, outputs_of

# A process that dies (kill -9) halfway through writing argv[1]: the temp file stays behind.
KILLED_WRITER = ("import os, signal, sys\n"
                 "from rlplot.atomic import atomic_output\n"
                 "with atomic_output(sys.argv[1]) as stream:\n"
                 "    stream.write(b'half a figure')\n"
                 "    stream.flush()\n"
                 "    os.kill(os.getpid(), signal.SIGKILL)\n")


def test_manifest_records_hashes_and_version(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    out = tmp_path / "out"
    jobs = plan(discover([str(sweep)]), str(out), formats="png,svg")
    config = Config()
    outcomes = list(run_batch(jobs, str(out), config, executor=SerialExecutor()))
    assert [o.status for o in outcomes] == ["rendered"]
    document = json.loads((out / MANIFEST_NAME).read_text())
    assert set(document["outputs"]) == {"a/metrics.png", "a/metrics.svg"}
    entry = document["outputs"]["a/metrics.png"]
    assert entry["input_sha256"] == file_sha256(str(sweep / "a" / "metrics.jsonl"))
    assert entry["config_sha256"] == config_sha256(config)
    assert entry["rlplot"] == __version__
    # An older rlplot's entries do not count as current.
    entry["rlplot"] = "0.0.1"
    (out / MANIFEST_NAME).write_text(json.dumps(document))
    again = list(run_batch(jobs, str(out), config, executor=SerialExecutor()))
    assert again[0].status == "rendered" and again[0].written == (str(out / "a" / "metrics.png"),)


def test_a_rerun_renders_only_what_changed(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep")
    out = tmp_path / "out"
    first = invoke("batch", sweep, "--out-dir", out, "-j", "1")
    assert first.exit_code == 0 and last_line(first) == "3 rendered, 0 up to date, 0 failed"
    second = invoke("batch", sweep, "--out-dir", out, "-j", "1")
    assert last_line(second) == "0 rendered, 3 up to date, 0 failed"
    assert second.stdout == ""                           # nothing written, nothing listed
    # Input bytes changed -> only that run again.
    write_jsonl(sweep / "lr1e-3_seed2" / "metrics.jsonl", seed_like_records(55))
    third = invoke("batch", sweep, "--out-dir", out, "-j", "1")
    assert last_line(third) == "1 rendered, 2 up to date, 0 failed"
    assert third.stdout.split() == [str(out / "lr1e-3_seed2" / "metrics.png")]
    # A deleted output is re-rendered.
    (out / "lr3e-4_seed1" / "metrics.png").unlink()
    assert last_line(invoke("batch", sweep, "--out-dir", out, "-j", "1")) == \
        "1 rendered, 2 up to date, 0 failed"
    # The effective config changed -> everything.
    assert last_line(invoke("batch", sweep, "--out-dir", out, "-j", "1", "--set", "figure.dpi=60")) \
        == "3 rendered, 0 up to date, 0 failed"
    # A new format adds outputs for every run; --force redoes all.
    assert last_line(invoke("batch", sweep, "--out-dir", out, "-j", "1", "--set", "figure.dpi=60",
                            "--format", "png,svg")) == "3 rendered, 0 up to date, 0 failed"
    assert len(outputs_of(out, "svg")) == 3
    assert last_line(invoke("batch", sweep, "--out-dir", out, "-j", "1", "--set", "figure.dpi=60",
                            "--format", "png,svg", "--force")) == "3 rendered, 0 up to date, 0 failed"


def test_adding_or_changing_a_seed_re_renders_only_its_group(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    out = tmp_path / "out"
    args = ("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR)
    assert last_line(invoke(*args)) == "2 rendered, 0 up to date, 0 failed"
    assert last_line(invoke(*args)) == "0 rendered, 2 up to date, 0 failed"
    make_sweep(sweep, names=("lr3e-4_seed4",), n=30)           # a new seed lands
    third = invoke(*args)
    assert last_line(third) == "1 rendered, 1 up to date, 0 failed"
    assert third.stdout.split() == [str(out / "3e-4.png")]
    entry = json.loads((out / MANIFEST_NAME).read_text())["outputs"]["3e-4.png"]
    assert entry["group"] == "3e-4" and len(entry["inputs"]) == 4
    assert entry["summary"]["runs"] == 4
    write_jsonl(sweep / "lr1e-3_seed2" / "metrics.jsonl", seed_like_records(33))   # one changes
    fourth = invoke(*args)
    assert last_line(fourth) == "1 rendered, 1 up to date, 0 failed"
    assert fourth.stdout.split() == [str(out / "1e-3.png")]
    (sweep / "lr1e-3_seed2" / "metrics.jsonl").unlink()                             # one goes
    assert invoke(*args).stdout.split() == [str(out / "1e-3.png")]


def test_a_corrupt_manifest_means_render_again_not_crash(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b"))
    out = tmp_path / "out"
    invoke("batch", sweep, "--out-dir", out, "-j", "1")
    (out / MANIFEST_NAME).write_text('{"format": 1, "outputs": {"a/metr')
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1")
    assert result.exit_code == 0
    assert last_line(result) == "2 rendered, 0 up to date, 0 failed"
    json.loads((out / MANIFEST_NAME).read_text())


def test_a_manifest_of_another_format_or_shape_is_empty(tmp_path):
    for document in ({"format": 2, "outputs": {"a.png": {}}}, [1, 2], {"format": 1, "outputs": []},
                     {"format": 1, "outputs": {"a.png": "not an entry", "b.png": {"x": 1}}}):
        (tmp_path / MANIFEST_NAME).write_text(json.dumps(document))
        assert set(Manifest.load(str(tmp_path)).entries) <= {"b.png"}
    assert Manifest.load(str(tmp_path)).entries == {"b.png": {"x": 1}}


def test_a_flush_keeps_what_another_shard_wrote_meanwhile(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = Manifest.load(str(out))
    first.record(str(out / "a.png"), {"input_sha256": "old"})
    first.flush()
    mine = Manifest.load(str(out))
    other = Manifest.load(str(out))
    other.record(str(out / "a.png"), {"input_sha256": "new"})
    other.flush()
    mine.record(str(out / "b.png"), {"input_sha256": "b"})
    mine.flush()
    entries = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert entries["a.png"]["input_sha256"] == "new" and entries["b.png"]["input_sha256"] == "b"


def test_unforced_flushes_are_spaced_out(tmp_path, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(manifest_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    manifest = Manifest.load(str(tmp_path))
    on_disk = lambda: Manifest.load(str(tmp_path)).entries   # noqa: E731
    manifest.record(str(tmp_path / "a.png"), {"n": 1})
    manifest.flush(force=False)                       # the first one is written at once
    assert set(on_disk()) == {"a.png"}
    manifest.record(str(tmp_path / "b.png"), {"n": 2})
    manifest.flush(force=False)                       # too soon: kept for later
    assert set(on_disk()) == {"a.png"}
    now[0] += manifest_module.MANIFEST_FLUSH_SECONDS
    manifest.flush(force=False)
    assert set(on_disk()) == {"a.png", "b.png"}
    manifest.record(str(tmp_path / "c.png"), {"n": 3})
    manifest.flush()                                  # forced: whatever the clock says
    assert set(on_disk()) == {"a.png", "b.png", "c.png"}


def test_leftovers_of_long_output_names_are_removed(tmp_path):
    out = tmp_path / "out"
    long_name = "lr3e-4_warmup2000_batch512_entropy0.01_clip0.2_seed12345_final"   # 62 characters
    outputs = [str(out / "a" / f"{long_name}.png"), str(out / "a" / f"{long_name}_b.png"),
               str(out / "short.png")]
    killed = outputs + [str(out / MANIFEST_NAME)]
    for path in killed:
        done = subprocess.run([sys.executable, "-c", KILLED_WRITER, path], capture_output=True)
        assert done.returncode == -9, done.stderr
    # Each killed writer's first write removed the leftovers of those killed before it in
    # its folder; what the last ones left is removed by remove_leftovers.
    assert len(list(out.rglob("*.part"))) == 2
    (out / ".short.png.png.k3x9q2zt.part").write_text("the temp file of another output")
    jobs = [Job(source="x.jsonl", relpath="x.jsonl", key="x", outputs=tuple(outputs))]
    assert remove_leftovers(jobs, str(out)) == 2
    assert [p.name for p in out.rglob("*.part")] == [".short.png.png.k3x9q2zt.part"]
