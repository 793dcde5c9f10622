"""Soak test: rlplot batch under a busy CI system's abuse for N minutes, then a full check.

What runs, at random, until the time is up (each as real `rlplot` processes):

* two shards of one sweep at once into one output folder (``--shard 1/2`` and ``2/2``);
* a forced batch with no-op reruns of it started one after another while it runs;
* a process-pool batch (``-j 2``) killed with SIGKILL mid-way: its pool workers must die too;
* a batch on a loopback Dask cluster (``dask scheduler`` + ``dask worker`` processes), with a
  worker killed mid-batch half of the time (and a new one started);
* a process-pool batch and a Dask batch at once into one folder;
* logs of the sweep growing between batches;
* all along, ``rlplot watch`` re-rendering a live log that a writer appends to.

At the end, one plain batch per output folder must render what is missing and a rerun must
find everything up to date; every figure must be a whole PNG, no temp file may be left, each
manifest must hold exactly the figures of the sweep, and no process rlplot started may
survive. Prints one line per event and a JSON summary; exit code 1 if any check failed.

    python benchmarks/soak.py --minutes 10           # the full soak
    python benchmarks/soak.py --minutes 1 --runs 12  # a quick check that it works
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

RLPLOT = [sys.executable, "-m", "rlplot"]
DASK = str(Path(sys.executable).with_name("dask"))
FAST = ["--set", "figure.dpi=40", "-q"]
PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


@dataclass
class Tally:
    """What happened, and every check that failed."""

    batches: int = 0
    shard_pairs: int = 0
    reruns_during_a_batch: int = 0
    batches_killed: int = 0
    pool_workers_checked: int = 0
    dask_batches: int = 0
    dask_workers_killed: int = 0
    jobs_retried: int = 0
    logs_grown: int = 0
    watch_renders: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        self.failures.append(what)
        say(f"FAILED: {what}")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# ------------------------------------------------------------------ the sweep and its figures

def write_run(path: Path, rows: int, seed: int, start: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "a") as fh:
        for step in range(start, start + rows):
            fh.write(json.dumps({"step": step, "accuracy": 0.3 + 0.3 * step / (start + rows)
                                 + rng.gauss(0, 0.01), "parallelism": 8 + rng.gauss(0, 0.5)}) + "\n")


def make_sweep(folder: Path, runs: int, rows: int) -> list[Path]:
    logs = []
    for number in range(runs):
        log = folder / f"lr{number % 3}_seed{number}" / "metrics.jsonl"
        log.parent.mkdir(parents=True, exist_ok=True)
        write_run(log, rows, number)
        logs.append(log)
    return logs


def grow(logs: list[Path], rng: random.Random, tally: Tally) -> None:
    for log in rng.sample(logs, k=min(2, len(logs))):
        rows = sum(1 for _ in open(log))
        write_run(log, 20, rng.randrange(1 << 30), start=rows)
        tally.logs_grown += 1


def whole_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(PNG_START) and data.endswith(PNG_END)


# ------------------------------------------------------------------ processes

def rlplot(*args, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*RLPLOT, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([*RLPLOT, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, what: str, tally: Tally, timeout: float = 600) -> str:
    """Wait for a batch that nobody kills: it must succeed. Returns its stderr."""
    _, err = proc.communicate(timeout=timeout)
    tally.batches += 1
    if proc.returncode != 0:
        tally.fail(f"{what} exited {proc.returncode}: {err.strip()[-300:]}")
    return err


def count_retries(stderr: str, tally: Tally) -> None:
    for line in stderr.splitlines():
        if line.endswith(" retried"):
            tally.jobs_retried += int(line.split(", ")[-1].split()[0])


class DaskCluster:
    """A `dask scheduler` and two `dask worker` processes (no nanny) on loopback."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.file, self.workers = folder, folder / "scheduler.json", []
        self.log = open(folder / "dask.log", "ab")
        self.scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                           "--no-dashboard", "--scheduler-file", str(self.file)],
                                          stdout=self.log, stderr=subprocess.STDOUT)
        while not (self.file.exists() and self.file.read_text().strip()):
            time.sleep(0.2)
        time.sleep(0.3)
        self.address = json.loads(self.file.read_text())["address"]
        for _ in range(2):
            self.add_worker()

    def add_worker(self) -> None:
        self.workers.append(subprocess.Popen(
            [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
             "--host", "127.0.0.1"], stdout=self.log, stderr=subprocess.STDOUT, cwd="/"))

    def kill_a_worker(self) -> None:
        alive = [w for w in self.workers if w.poll() is None]
        alive[0].send_signal(signal.SIGKILL)
        alive[0].wait()
        self.add_worker()

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self.log.close()


class Watch:
    """`rlplot watch` on a live log that a thread appends to, and rotates now and then."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.log, self.figure = folder / "live.jsonl", folder / "live.png"
        write_run(self.log, 30, 1)
        self.stop = threading.Event()
        # Ctrl-C must reach it even when the soak runs in the background of a shell, which
        # starts background jobs with SIGINT ignored (and children inherit that).
        self.proc = subprocess.Popen([*RLPLOT, "watch", str(self.log), "-o", str(self.figure),
                                      "--set", "figure.dpi=40"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.renders = 0
        threading.Thread(target=self._write, daemon=True).start()
        threading.Thread(target=self._count, daemon=True).start()

    def _write(self) -> None:
        rows, rotations = 30, 0
        while not self.stop.wait(0.5):
            write_run(self.log, 5, rows, start=rows)
            rows += 5
            if rows % 500 == 0:              # a trainer rotating its log: a new file in place
                rotations += 1
                fresh = self.log.with_suffix(".new")
                write_run(fresh, 30, rotations)
                os.replace(fresh, self.log)
                rows = 30

    def _count(self) -> None:
        for _ in self.proc.stdout:
            self.renders += 1

    def close(self, tally: Tally) -> None:
        self.stop.set()
        time.sleep(0.2)
        if self.proc.poll() is not None:
            tally.fail(f"watch died with exit code {self.proc.returncode}")
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            tally.fail("watch did not stop on Ctrl-C")
            self.proc.kill()
        tally.watch_renders = self.renders
        if self.renders < 2 or not whole_png(self.figure):
            tally.fail(f"watch rendered {self.renders} times; the figure is whole: "
                       f"{self.figure.exists() and whole_png(self.figure)}")


# ------------------------------------------------------------------ what happens at random

@dataclass
class Soak:
    sweep: Path
    logs: list[Path]
    pool_out: Path
    dask_out: Path
    cluster: DaskCluster
    rng: random.Random
    tally: Tally

    def shards(self) -> None:
        force = ["--force"] * self.rng.randrange(2)
        pair = [start("batch", self.sweep, "--out-dir", self.pool_out, "-j", "1", "--shard",
                      f"{i}/2", *force, *FAST) for i in (1, 2)]
        for i, proc in enumerate(pair, 1):
            finish(proc, f"shard {i}/2", self.tally)
        self.tally.shard_pairs += 1
        say(f"two shards at once{' (forced)' if force else ''}")

    def rerun_during_a_batch(self) -> None:
        running = start("batch", self.sweep, "--out-dir", self.pool_out, "-j", "2", "--force", *FAST)
        reruns = 0
        while running.poll() is None:
            done = rlplot("batch", self.sweep, "--out-dir", self.pool_out, "-j", "1", *FAST)
            reruns += 1
            if done.returncode != 0:
                self.tally.fail(f"a rerun during a batch exited {done.returncode}: {done.stderr[-300:]}")
        finish(running, "a batch with reruns during it", self.tally)
        self.tally.reruns_during_a_batch += reruns
        say(f"a forced batch with {reruns} no-op reruns during it")

    def kill_a_batch(self) -> None:
        running = start("batch", self.sweep, "--out-dir", self.pool_out, "-j", "2", "--force", *FAST)
        running.stdout.readline()                     # a figure is out: the pool is working
        time.sleep(self.rng.uniform(0.0, 2.0))
        workers = psutil.Process(running.pid).children(recursive=True) if running.poll() is None else []
        running.send_signal(signal.SIGKILL)
        running.communicate()
        _, alive = psutil.wait_procs(workers, timeout=15)
        self.tally.batches_killed += 1
        self.tally.pool_workers_checked += len(workers)
        if alive:
            self.tally.fail(f"{len(alive)} pool workers outlived their killed batch")
            for proc in alive:
                proc.kill()
        say(f"killed a batch -j 2 ({len(workers)} child processes, {len(alive)} left)")

    def dask_batch(self) -> None:
        running = start("batch", self.sweep, "--out-dir", self.dask_out, "--executor", "dask",
                        "--scheduler", self.cluster.address, "--force", *FAST[:-1])
        kill = self.rng.random() < 0.5
        if kill and running.stdout.readline():
            self.cluster.kill_a_worker()
            self.tally.dask_workers_killed += 1
        err = finish(running, "a Dask batch", self.tally)
        count_retries(err, self.tally)
        self.tally.dask_batches += 1
        say(f"a Dask batch{', a worker killed mid-way' if kill else ''}: "
            f"{err.strip().splitlines()[-1] if err.strip() else ''}")

    def pool_and_dask_at_once(self) -> None:
        pool = start("batch", self.sweep, "--out-dir", self.dask_out, "-j", "2", "--force", *FAST)
        cluster = start("batch", self.sweep, "--out-dir", self.dask_out, "--executor", "dask",
                        "--scheduler", self.cluster.address, "--force", *FAST)
        finish(pool, "a pool batch beside a Dask batch", self.tally)
        finish(cluster, "a Dask batch beside a pool batch", self.tally)
        self.tally.dask_batches += 1
        say("a pool batch and a Dask batch at once into one folder")

    def grow_logs(self) -> None:
        grow(self.logs, self.rng, self.tally)
        say("two logs grew")


# ------------------------------------------------------------------ the final checks

def check_folder(soak: Soak, out: Path, extra: list[str]) -> None:
    tally, what = soak.tally, out.name
    first = rlplot("batch", soak.sweep, "--out-dir", out, *extra, "--set", "figure.dpi=40")
    if first.returncode != 0:
        tally.fail(f"{what}: the closing batch exited {first.returncode}: {first.stderr[-300:]}")
    again = rlplot("batch", soak.sweep, "--out-dir", out, *extra, "--set", "figure.dpi=40")
    last = again.stderr.strip().splitlines()[-1] if again.stderr.strip() else ""
    if last != f"0 rendered, {len(soak.logs)} up to date, 0 failed":
        tally.fail(f"{what}: a rerun was not all up to date: {last!r}")
    figures = sorted(out.rglob("*.png"))
    expected = {f"{log.parent.name}/metrics.png" for log in soak.logs}
    broken = [p for p in figures if not whole_png(p)]
    if broken:
        tally.fail(f"{what}: {len(broken)} figures are not whole PNGs: {broken[:3]}")
    if {p.relative_to(out).as_posix() for p in figures} != expected:
        tally.fail(f"{what}: the figures are not those of the sweep")
    leftovers = sorted(out.rglob("*.part"))
    if leftovers:
        tally.fail(f"{what}: temp files left: {leftovers[:3]}")
    manifest = json.loads((out / ".rlplot-manifest.json").read_text())["outputs"]
    if set(manifest) != expected:
        tally.fail(f"{what}: the manifest holds {len(manifest)} entries, not the "
                   f"{len(expected)} figures: missing {sorted(expected - set(manifest))[:3]}")
    say(f"{what}: {len(figures)} whole figures, manifest complete: {set(manifest) == expected}")


def check_no_orphans(tally: Tally, keep: set[int]) -> None:
    strays = [p for p in psutil.Process().children(recursive=True) if p.pid not in keep]
    _, alive = psutil.wait_procs(strays, timeout=15)
    if alive:
        tally.fail(f"{len(alive)} processes outlived the soak: "
                   f"{[' '.join(p.cmdline())[:80] for p in alive[:3]]}")
        for proc in alive:
            proc.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=24, help="runs in the sweep")
    parser.add_argument("--rows", type=int, default=300, help="rows per run at the start")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="where the sweep and figures go (default: a temp folder)")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="rlplot-soak-"))
    tally = Tally()
    logs = make_sweep(work / "sweep", args.runs, args.rows)
    cluster, watch = DaskCluster(work / "dask"), Watch(work / "live")
    soak = Soak(work / "sweep", logs, work / "out-pool", work / "out-dask", cluster,
                random.Random(args.seed), tally)
    events = [soak.shards, soak.rerun_during_a_batch, soak.kill_a_batch, soak.dask_batch,
              soak.pool_and_dask_at_once, soak.grow_logs]
    started = time.monotonic()
    say(f"soak for {args.minutes:g} min in {work} ({args.runs} runs; Dask at {cluster.address})")
    try:
        while time.monotonic() - started < args.minutes * 60:
            soak.rng.choice(events)()
        watch.close(tally)
        check_folder(soak, soak.pool_out, ["-j", "2"])
        check_folder(soak, soak.dask_out, ["--executor", "dask", "--scheduler", cluster.address])
    finally:
        cluster.close()
        if watch.proc.poll() is None:
            watch.proc.kill()
    check_no_orphans(tally, set())
    summary = {"minutes": round((time.monotonic() - started) / 60, 2), "workdir": str(work),
               **asdict(tally), "ok": not tally.failures}
    print(json.dumps(summary, indent=2))
    (work / "soak.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
