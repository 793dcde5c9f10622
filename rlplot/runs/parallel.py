"""Reading many runs at once, through the executors of ``rlplot batch`` (``-j N``, ``--executor``).

``read_each`` applies ``read`` (a module-level function a worker imports by name) to every item
and returns what each gave, in input order: results are identical to reading them one after
another, whatever finishes first. Items are sent in slices (``ReadSlice``), each slice read in a
worker; an ``RlplotError`` an item raises is sent back as it is and raised or reported by the
caller exactly where it would have been in serial order.

Few or small inputs are read here, in this process: a worker process costs ~0.3 s to start
(Python, numpy and rlplot's imports), more than reading a few logs (see ``worth_a_pool``).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from ..errors import RlplotError

# Measured (docs/performance.md "Many runs"): two spawned workers start in ~0.3-0.5 s (CPU;
# Python, numpy, rlplot); reading costs ~0.2 s of CPU per MB of small CSV (the tolerant
# reader) and ~0.1 s per MB of event files. A pool halves reading at best, so it pays from
# about 1 s of serial reading: 8 MB. Few runs stay here even when big (the fast path reads
# big CSV/JSONL at tens of MB/s).
MIN_RUNS = 16                  # runs, at least ...
MIN_BYTES = 8 * 1024 * 1024    # ... and bytes of input, at least
SLICES_PER_WORKER = 6          # enough slices to even out slow ones, few enough to send cheaply


@dataclass(frozen=True)
class Reading:
    """Where many runs are read: ``jobs`` workers (None: all cores) of ``executor`` (``-j``,
    ``--executor``, ``--scheduler``: the options ``rlplot batch`` takes)."""

    jobs: int | None = None
    executor: str = "process"
    scheduler: str | None = None


SERIAL = Reading(jobs=1)


@dataclass(frozen=True)
class ReadSlice:
    """What one worker reads: ``items[start:start + len(items)]`` of the caller's list."""

    start: int
    items: tuple
    read: Callable[..., Any]          # module-level: pickled by name
    options: tuple = ()               # passed to ``read`` after each item (the config, ...)
    warm: bool = False                # load pyarrow first (io.fast.worth_warming said so)
    finish: Callable[..., list] | None = None   # module-level: (results, *options) -> results
    spill: str | None = None          # a folder to hand the results' arrays back through (runs.spill)


@dataclass(frozen=True)
class SliceResult:
    """What a worker gives back: per item, its result or the RlplotError it raised."""

    start: int
    results: tuple                    # or a runs.spill.Spilled of them, until read back
    retries: int = 0                  # set by the executor when the slice ran again alone
    lost: int = 0                     # the slice's runs, when it killed its worker twice (no results)


def read_slice(part: ReadSlice) -> SliceResult:
    """Read every item of a slice (in a worker); an item's RlplotError is its result."""
    if part.warm:
        from ..io.fast import warm_fast_path
        warm_fast_path()
    results = []
    for item in part.items:
        try:
            results.append(part.read(item, *part.options))
        except RlplotError as exc:
            exc.__traceback__ = None   # tracebacks do not pickle; the message is what counts
            results.append(exc)
    if part.finish is not None:   # work done on the slice's items together (smoothing them)
        results = part.finish(results, *part.options)
    results = tuple(results)
    if part.spill is not None:
        from .spill import spill
        results = spill(results, part.spill)
    return SliceResult(part.start, results)


def slice_died(part: ReadSlice) -> SliceResult:
    """What the pool gives for a slice whose worker died each time it was read."""
    return SliceResult(part.start, (), retries=1, lost=len(part.items))


def worth_a_pool(count: int, sizes: Sequence[int] = (), workers: int = 2) -> bool:
    """Whether reading ``count`` runs from files of these ``sizes`` (bytes) in ``workers``
    processes pays for starting them."""
    return workers >= 2 and count >= MIN_RUNS and sum(sizes) >= MIN_BYTES


def default_reading() -> Reading:
    """All cores, except in a process that is itself a worker (a ``batch`` job, a Dask worker):
    there the runs are read in it, not by a pool of its own."""
    import sys

    # A worker imported multiprocessing to start; a process that has not needs no import to know.
    multiprocessing = sys.modules.get("multiprocessing")
    worker = multiprocessing is not None and multiprocessing.parent_process() is not None
    return SERIAL if worker else Reading()


def read_each(items: Sequence, read: Callable[..., Any], options: tuple = (),
              reading: Reading | None = None, *, paths: Sequence[str] = (),
              local: bool = False, finish: Callable[..., list] | None = None) -> list:
    """``[read(item, *options) for item in items]`` (an ``RlplotError`` in place of a result that
    raised one), read as ``reading`` says when ``worth_a_pool`` (always on Dask), else here
    (also when ``local``: standard input, tracker runs). Order and values are those of reading
    them one by one. ``finish(results, *options)``, if given, then takes each slice's results
    (a module-level function whose results for an item do not depend on the slice)."""
    from ..io.fast import log_sizes, worth_warming

    items = list(items)
    sizes = log_sizes(paths)   # one stat per file, for both choices
    warm = len(items) > 1 and worth_warming(sizes)
    reading = reading or default_reading()
    executor, workers = reading.executor, reading.jobs or os.cpu_count() or 1
    if local or (executor == "process" and not worth_a_pool(len(items), sizes, workers)):
        return list(read_slice(ReadSlice(0, tuple(items), read, tuple(options), warm, finish)).results)
    size = max(1, math.ceil(len(items) / (max(workers, 1) * SLICES_PER_WORKER)))
    parts = [ReadSlice(start, tuple(items[start:start + size]), read, tuple(options), warm, finish)
             for start in range(0, len(items), size)]
    done = _run_slices(parts, executor, workers, reading.scheduler)
    return [result for part in sorted(done, key=lambda p: p.start) for result in part.results]


def _run_slices(parts: list[ReadSlice], executor: str, workers: int,
                scheduler: str | None) -> list[SliceResult]:
    # The executors are found by name in their registry, like every implementation: rlplot.batch
    # imports the pipeline, which imports this module.
    from ..choices import EXECUTORS

    EXECUTORS.check(executor)
    if executor == "dask":
        from .parallel_dask import run_on_dask
        return run_on_dask(parts, read_slice, scheduler)
    from .spill import SpillFolder, unspill

    # Reading workers import only what reading needs (not matplotlib: warm=None).
    pool = EXECUTORS.load("process")(workers=workers, func=read_slice, died=slice_died, warm=None)
    done = []
    with SpillFolder() as folder:   # the workers' arrays come back through it (runs.spill)
        try:
            for outcome in pool.run([replace(part, spill=folder) for part in parts]):
                if outcome.lost:
                    raise RlplotError(f"a worker process died while reading runs "
                                      f"{outcome.start + 1}-{outcome.start + outcome.lost} (out "
                                      "of memory, or a crash in a library)",
                                      hint="read with -j 1 to see which run")
                done.append(replace(outcome, results=unspill(outcome.results)))
        finally:
            pool.close()
    return done
