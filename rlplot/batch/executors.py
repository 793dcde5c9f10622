"""Executors run tasks and yield their outcomes as they finish: in this process, or in a pool
of worker processes that survives a worker dying. (A Dask cluster: ``rlplot.batch.dask``.)"""
from __future__ import annotations

import gc
import os
import sys
import time
from collections import deque
from dataclasses import replace
from typing import Callable, Iterable, Iterator

from ..choices import EXECUTORS
from .outcomes import FAILED, Outcome, outcome_of
from .worker import Task, run_job, warm_up


def make_executor(name: str = "process", workers: int | None = None, **options):
    """An executor by name (see ``rlplot.choices.EXECUTORS``); ``process`` with one worker runs
    in this process. An unknown name is a ConfigError with a did-you-mean hint."""
    EXECUTORS.check(name)
    if name == "process" and (workers or os.cpu_count() or 1) == 1:
        return SerialExecutor()
    return EXECUTORS.load(name)(workers=workers, **options)


class SerialExecutor:
    """Run jobs one after another in this process (``-j 1``)."""

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield each task's outcome as it finishes (nothing to render: no matplotlib import)."""
        for number, task in enumerate(tasks):
            if number == 0:
                warm_up()
            yield run_job(task)

    def close(self) -> None:
        """Nothing to release."""


class ProcessExecutor:
    """A pool of worker processes, each warmed up once; a bounded number of jobs in flight.

    If a worker process dies (a crash, the OOM killer), every job that was in flight is
    retried alone in a fresh pool, so only the job that really kills a worker fails.
    By default the jobs are figures (``run_job``, workers import matplotlib once in
    ``warm_up``). Other work passes ``func`` (a module-level function: workers import it by
    name) whose results are dataclasses with a ``retries`` field, ``died(job)`` for the result
    of a job that killed its worker again, and ``warm`` (module-level, or None).
    """

    def __init__(self, workers: int | None = None, func: Callable | None = None,
                 died: Callable | None = None, warm: Callable[[], object] | None = warm_up,
                 **_) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.func = func or run_job
        self.died = died or _died
        self.warm = warm
        self._pool = None

    def _start(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: the parent may hold threads (a progress bar, a test runner, Dask) that fork
        # would copy mid-lock; each worker pays the imports once, in warm_up.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=_pool_worker_init, initargs=(os.getpid(), self.warm))

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield outcomes as jobs finish."""
        tasks = list(tasks)
        if len(tasks) <= 1:   # starting a worker would cost more than the one job
            if tasks and self.warm is not None:
                self.warm()
            yield from (self.func(task) for task in tasks)
            return
        size = min(self.workers, len(tasks))
        dispatch = _Dispatch(tasks, self.func, limit=2 * self.workers, died=self.died)
        self._pool = self._start(size)
        try:
            while True:
                # A worker can die between two waits; the pool then refuses new jobs at once.
                healthy = dispatch.submit(self._pool)
                if dispatch.in_flight:
                    outcomes, died = dispatch.collect()
                    yield from outcomes
                elif healthy:
                    return
                else:
                    died = True
                if died:
                    dispatch.requeue_in_flight()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._start(size)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers; jobs not started yet are cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Dispatch:
    """The jobs of one ``ProcessExecutor.run``: waiting, in flight, or suspected of killing a worker.

    Suspects (in flight when a worker died) run one at a time, so that a job which kills
    its worker again fails alone while the others are retried and render.
    """

    def __init__(self, tasks: list, func: Callable, limit: int, died: Callable) -> None:
        self.func = func
        self.died = died
        self.limit = limit
        self.waiting: deque[Task] = deque(tasks)   # not started yet
        self.suspects: deque[Task] = deque()
        self.in_flight: dict = {}                  # future -> (task, submitted alone?)

    def submit(self, pool) -> bool:
        """Fill the pool: one suspect alone once nothing is in flight, else waiting jobs up to
        the limit. False if the pool is broken (the job it refused goes back in its queue)."""
        from concurrent.futures.process import BrokenProcessPool

        queue, alone = (self.suspects, True) if self.suspects else (self.waiting, False)
        room = (0 if self.in_flight else 1) if alone else self.limit - len(self.in_flight)
        while queue and room > 0:
            task = queue.popleft()
            try:
                self.in_flight[pool.submit(self.func, task)] = (task, alone)
            except BrokenProcessPool:
                queue.appendleft(task)
                return False
            room -= 1
        return True

    def collect(self) -> tuple[list[Outcome], bool]:
        """Wait for at least one job in flight to end: its outcomes, and whether a worker died.

        A job in flight when its worker died is a suspect; a suspect run alone has failed."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
        outcomes, died = [], False
        for future in done:
            task, alone = self.in_flight.pop(future)
            try:
                outcome = future.result()
                # A job run alone is a suspect: it was in flight when a worker died.
                outcomes.append(replace(outcome, retries=1) if alone else outcome)
            except BrokenProcessPool:
                died = True
                if alone:
                    outcomes.append(self.died(task))
                else:
                    self.suspects.append(task)
        return outcomes, died

    def requeue_in_flight(self) -> None:
        """The pool died: every job still in flight dies with it, so each is retried alone."""
        self.suspects.extend(task for task, _ in self.in_flight.values())
        self.in_flight.clear()


def _died(task: Task) -> Outcome:
    return outcome_of(task.job, FAILED, retries=1,
                      error=f"{task.job.where}: the worker process died while rendering this "
                            "run (out of memory, or a crash in a library)")


def _pool_worker_init(parent: int, warm: Callable[[], object] | None = warm_up) -> None:
    import signal

    die_with_parent(parent)
    # A terminal's Ctrl-C reaches the whole process group. Only the parent acts on it (it
    # cancels what has not started and waits for the figures in progress): a
    # KeyboardInterrupt inside a worker could strike while it holds the result queue's lock,
    # and then the parent waits for that worker forever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        warm()
    # The imported modules live as long as the worker: keep them out of every later garbage
    # collection, which otherwise re-scans them every few figures (a ~10 % pause each time).
    # Only here: in the caller's own process (-j 1, a notebook) the heap is not ours to freeze.
    gc.collect()
    gc.freeze()


_PR_SET_PDEATHSIG = 1          # from <linux/prctl.h>
WATCHDOG_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """End this worker process when ``parent`` (the batch) dies, even by kill -9.

    A pool worker blocks on its job queue, which it holds both ends of, so it never sees
    its parent go. On Linux the kernel sends SIGKILL at the parent's death
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread polls the parent's pid.
    """
    if sys.platform.startswith("linux") and _set_parent_death_signal():
        # The parent may have died before the prctl call: then nothing would ever fire.
        if os.getppid() != parent:
            os._exit(1)
        return
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="rlplot-parent-watchdog", daemon=True).start()


def _set_parent_death_signal() -> bool:
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
