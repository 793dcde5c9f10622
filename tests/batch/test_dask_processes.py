"""Dask for real: a `dask scheduler` and `dask worker` processes on loopback, started from the
command line as on a cluster (not LocalCluster), with `rlplot batch` as a separate process.

Relative paths, workers that cannot see the folders, bad scheduler addresses, a worker killed
mid-batch (its jobs are retried and counted) and every worker killed (the batch stops)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rlplot.batch.manifest import MANIFEST_NAME

from .sweeps import make_sweep, outputs_of, png_complete

pytest.importorskip("distributed", reason="the 'dask' extra is not installed (pip install 'rlplot[dask]')")
DASK = str(Path(sys.executable).with_name("dask"))
FAST = ["--set", "figure.dpi=20"]


class Cluster:
    """A scheduler and worker processes started with the `dask` command, each killable."""

    def __init__(self, folder: Path, workers: int = 2, worker_cwd: str = "/") -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.worker_cwd = worker_cwd
        self.logs = []
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", str(self.file)],
                                     "scheduler")
        deadline = time.monotonic() + 60
        while not self.file.exists() or not self.file.read_text().strip():
            assert time.monotonic() < deadline and self.scheduler.poll() is None, self.log("scheduler")
            time.sleep(0.1)
        time.sleep(0.2)   # the file is written whole, but give the JSON a moment
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [self.add_worker() for _ in range(workers)]
        if workers:
            self.wait_for(workers)

    def _start(self, cmd, name, prefix=()):
        log = open(self.folder / f"{name}.log", "wb")
        self.logs.append(log)
        return subprocess.Popen([*prefix, *cmd], stdout=log, stderr=subprocess.STDOUT,
                                cwd=self.worker_cwd)

    def add_worker(self, prefix=()) -> subprocess.Popen:
        """A worker process without a nanny, so that a killed worker stays dead."""
        return self._start([DASK, "worker", self.address, "--nthreads", "1", "--no-nanny",
                            "--no-dashboard", "--host", "127.0.0.1"],
                           f"worker{len(self.logs)}", prefix)

    def wait_for(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=90)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        for log in self.logs:
            log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("cluster"))
    yield running
    running.close()


def batch(*args, cwd, env=None, timeout=240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rlplot", "batch", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_relative_paths_are_resolved_on_the_client(tmp_path, cluster):
    make_sweep(tmp_path / "sweep", names=("a", "b", "c"), n=20)
    done = batch("sweep", "--out-dir", "figs", "--executor", "dask", "--scheduler", cluster.address,
                 *FAST, cwd=tmp_path)       # the workers run in /
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split()) == ["figs/a/metrics.png", "figs/b/metrics.png",
                                         "figs/c/metrics.png"]   # in the order they land
    assert outputs_of(tmp_path / "figs") == ["a/metrics.png", "b/metrics.png", "c/metrics.png"]
    assert all(png_complete(tmp_path / "figs" / p) for p in outputs_of(tmp_path / "figs"))
    manifest = json.loads((tmp_path / "figs" / MANIFEST_NAME).read_text())["outputs"]
    assert manifest["a/metrics.png"]["input"] == "sweep/a/metrics.jsonl"   # as the user gave it
    assert not list((tmp_path / "figs").glob(".rlplot-probe-*"))          # the probe is gone
    again = batch("sweep", "--out-dir", "figs", "--executor", "dask", "--scheduler", cluster.address,
                  *FAST, cwd=tmp_path)
    assert again.stderr.splitlines()[-1] == "0 rendered, 3 up to date, 0 failed"


class Listener:
    """A TCP server on loopback that answers every connection its own way (not as Dask)."""

    def __init__(self, answer: bytes | None) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.answer = answer
        self.open = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.open.append(conn)
            if self.answer is not None:
                conn.sendall(self.answer)      # then say nothing more, as a web server would

    def close(self) -> None:
        for conn in self.open:
            conn.close()
        self.server.close()


@pytest.mark.parametrize("answer", [None, b"HTTP/1.1 400 Bad Request\r\n\r\n", b"\xff" * 64])
def test_something_else_on_the_port_is_one_line_within_the_timeout(tmp_path, answer):
    make_sweep(tmp_path / "sweep", names=("a",), n=10)
    listener = Listener(answer)
    try:
        started = time.monotonic()
        done = batch("sweep", "--out-dir", "figs", "--executor", "dask", "--scheduler",
                     listener.address, cwd=tmp_path, env={"RLPLOT_DASK_CONNECT_TIMEOUT": "2"})
        took = time.monotonic() - started
    finally:
        listener.close()
    [line] = done.stderr.splitlines()
    assert done.returncode == 1 and line.startswith(f"rlplot: error: {listener.address}: ")
    assert "no Dask scheduler answered within 2 s" in line or "is not a Dask scheduler" in line
    assert "internal error" not in line and took < 30


@pytest.mark.parametrize("address,needle", [
    ("bogus://x", "unknown scheme 'bogus://'"),
    ("tcp://[::1", "ipv6 needs brackets"),
    ("tcp://127.0.0.1:99999", "port 99999 is not between 1 and 65535"),
    ("tcp://127.0.0.1:1", "nothing listens there (connection refused)"),
    ("tcp://no-such-host.invalid:8786", "unknown host 'no-such-host.invalid'"),
])
def test_bad_scheduler_addresses_are_one_line_at_once(tmp_path, address, needle):
    make_sweep(tmp_path / "sweep", names=("a",), n=10)
    started = time.monotonic()
    done = batch("sweep", "--out-dir", "figs", "--executor", "dask", "--scheduler", address,
                 cwd=tmp_path)
    [line] = done.stderr.splitlines()
    assert done.returncode == 1 and line.startswith(f"rlplot: error: {address}: ") and needle in line
    assert time.monotonic() - started < 30


def hidden_worker_prefix(folder: Path) -> list[str]:
    """Run a worker in its own mount namespace where ``folder`` is an empty tmpfs: a worker
    on a machine that does not share that folder."""
    return ["unshare", "-m", "sh", "-c", f"mount -t tmpfs none '{folder}' && exec \"$0\" \"$@\""]


def can_hide_folders(tmp_path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "f").write_text("x")
    if not shutil.which("unshare"):
        return False
    done = subprocess.run([*hidden_worker_prefix(probe), "ls", str(probe)], capture_output=True,
                          text=True)
    return done.returncode == 0 and done.stdout.strip() == ""


@pytest.mark.parametrize("hidden,needle", [("shared", "cannot see the output folder"),
                                           ("logs", "cannot see the logs")])
def test_a_worker_without_the_shared_folders_is_one_clear_error(tmp_path, hidden, needle):
    if not can_hide_folders(tmp_path):
        pytest.skip("cannot give a worker its own mounts here (unshare -m needs CAP_SYS_ADMIN)")
    shared = tmp_path / "shared"
    make_sweep(shared / "logs", names=("a", "b"), n=10)
    lonely = Cluster(tmp_path, workers=0)
    try:
        lonely.workers.append(lonely.add_worker(hidden_worker_prefix(shared / hidden)
                                                if hidden == "logs" else
                                                hidden_worker_prefix(shared)))
        lonely.wait_for(1)
        done = batch("logs", "--out-dir", "figs", "--executor", "dask", "--scheduler",
                     lonely.address, cwd=shared)
    finally:
        lonely.close()
    [line] = done.stderr.splitlines()
    assert done.returncode == 1 and needle in line and "same path" in line, done.stderr
    assert not list((shared / "figs").glob(".rlplot-probe-*"))


def start_batch(sweep, out, address, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rlplot", "batch", str(sweep), "--out-dir",
                             str(out), "--executor", "dask", "--scheduler", address, *FAST],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def test_a_worker_killed_mid_batch_costs_a_retry_not_a_figure(tmp_path):
    names = tuple(f"run{i:02d}" for i in range(16))
    sweep = make_sweep(tmp_path / "sweep", names=names, n=600)   # slow enough to kill one mid-job
    out = tmp_path / "out"
    (tmp_path / "c").mkdir()
    doomed = Cluster(tmp_path / "c", workers=2)
    try:
        running = start_batch(sweep, out, doomed.address)
        assert running.stdout.readline().strip()       # a figure is out: both workers are busy
        doomed.workers[0].send_signal(signal.SIGKILL)
        written, err = running.communicate(timeout=300)
    finally:
        doomed.close()
    assert running.returncode == 0, err
    summary = err.splitlines()[-1]
    assert summary.startswith("16 rendered, 0 up to date, 0 failed, ") and \
        summary.endswith(" retried"), summary
    assert int(summary.split(", ")[-1].split()[0]) >= 1
    assert len(outputs_of(out)) == 16 and all(png_complete(out / p) for p in outputs_of(out))
    assert len(json.loads((out / MANIFEST_NAME).read_text())["outputs"]) == 16


def test_when_every_worker_dies_the_batch_stops_and_says_so(tmp_path):
    names = tuple(f"run{i:02d}" for i in range(12))
    sweep = make_sweep(tmp_path / "sweep", names=names, n=600)
    out = tmp_path / "out"
    (tmp_path / "c").mkdir()
    doomed = Cluster(tmp_path / "c", workers=1)
    try:
        running = start_batch(sweep, out, doomed.address, env={"RLPLOT_DASK_WORKER_TIMEOUT": "3"})
        assert running.stdout.readline().strip()
        doomed.workers[0].send_signal(signal.SIGKILL)
        killed = time.monotonic()
        written, err = running.communicate(timeout=120)
        took = time.monotonic() - killed
    finally:
        doomed.close()
    assert running.returncode == 1
    last = err.splitlines()[-1]
    assert last.startswith(f"rlplot: error: {doomed.address}: no Dask worker left for 3 s"), err
    assert "the figures already written are kept" in last and took < 60
    kept = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert kept and all(png_complete(out / key) for key in kept)      # what landed is recorded
