"""Batches sharing an output folder, with real processes: shards at once, a rerun while one runs,
and kill -9 of a batch whose pool workers must die with it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from rlplot.batch.manifest import MANIFEST_NAME

from .sweeps import make_sweep, outputs_of, png_complete

psutil = pytest.importorskip("psutil")

# Small, quick figures: the tests are about who writes what, not about drawing.
FAST = ["--set", "figure.dpi=20"]

# The CLI with every finished figure flushed to the manifest at once (not every 0.2 s) and
# 50 ms between reading the manifest and writing it back (a slow disk), so that concurrent
# batches would overwrite each other's entries without the lock.
EAGER_BATCH = ("import sys, time\n"
               "import rlplot.batch.manifest as manifest\n"
               "manifest.MANIFEST_FLUSH_SECONDS = 0.0\n"
               "write = manifest.write_text_atomic\n"
               "manifest.write_text_atomic = lambda *a: (time.sleep(0.05), write(*a))[1]\n"
               "from rlplot.cli import cli\n"
               "cli.main(sys.argv[1:], prog_name='rlplot')\n")


def names(count: int) -> tuple[str, ...]:
    return tuple(f"run{i:03d}" for i in range(count))


def batch_cmd(sweep, out, *extra, quiet=True) -> list[str]:
    return [sys.executable, "-c", EAGER_BATCH, "batch", str(sweep), "--out-dir", str(out),
            "-j", "1", *FAST, *extra] + ["-q"] * quiet


def manifest_keys(out) -> set[str]:
    return set(json.loads((out / MANIFEST_NAME).read_text())["outputs"])


def test_concurrent_shards_lose_no_manifest_entries(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=names(10), n=12)
    out = tmp_path / "out"
    for attempt in range(2):
        shards = [subprocess.Popen(batch_cmd(sweep, out, "--shard", f"{i}/2", "--force"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                  for i in (1, 2)]
        for shard in shards:
            _, err = shard.communicate(timeout=120)
            assert shard.returncode == 0, err.decode()
        assert manifest_keys(out) == {f"{n}/metrics.png" for n in names(10)}, attempt
    rerun = subprocess.run(batch_cmd(sweep, out, quiet=False), capture_output=True, text=True,
                           timeout=120)
    assert rerun.stderr.splitlines()[-1] == "0 rendered, 10 up to date, 0 failed"


def test_a_no_op_rerun_does_not_break_a_running_batch(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=names(12), n=12)
    out = tmp_path / "out"
    first = subprocess.run(batch_cmd(sweep, out), capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    running = subprocess.Popen(batch_cmd(sweep, out, "--force"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    reruns = []
    while running.poll() is None:   # no-op reruns, one after another, for as long as it runs
        rerun = subprocess.run(batch_cmd(sweep, out), capture_output=True, text=True, timeout=120)
        reruns.append(rerun)
    written, err = running.communicate()
    assert running.returncode == 0, err
    assert len(written.split()) == 12                      # every figure re-rendered
    assert reruns and all(r.returncode == 0 for r in reruns), [r.stderr for r in reruns]
    assert all(png_complete(out / key) for key in outputs_of(out))
    assert manifest_keys(out) == {f"{n}/metrics.png" for n in names(12)}
    assert not list(out.rglob("*.part"))


def descendants(pid: int) -> list:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_kill_9_of_a_batch_takes_its_pool_workers_with_it(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=names(6), n=200)
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "rlplot", "batch", str(sweep), "--out-dir",
                              str(out), "-j", "2", "-q"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    try:
        batch.stdout.readline()     # a figure is out: the pool is up and rendering
        workers = [p for p in descendants(batch.pid) if "resource_tracker" not in " ".join(p.cmdline())]
        assert len(workers) >= 2
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=10)
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == [], [p.cmdline() for p in alive]
    finally:
        if batch.poll() is None:
            batch.kill()
        for proc in descendants(batch.pid):
            proc.kill()
    # What they were writing is dead: the next batch removes it and renders the rest.
    time.sleep(0.1)
    rerun = subprocess.run([sys.executable, "-m", "rlplot", "batch", str(sweep), "--out-dir",
                            str(out), "-j", "1", "-q"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert len(outputs_of(out)) == 6 and not list(out.rglob("*.part"))
    assert all(png_complete(out / key) for key in outputs_of(out))
