"""Batch rendering: many logs -> one figure each (or one per group of runs), in parallel,
incrementally, shardable.

The modules, in the order ``rlplot batch`` uses them:

* ``discovery`` turns files, folders, globs and stores into a sorted list of runs (found as
  ``rlplot.runs.walk.find_runs`` finds them: logs, event-file folders, MLflow and W&B runs)
  and the folder they are named relative to; ``refs`` finds a job's runs again from their
  addresses where the job runs;
* ``naming`` and ``planning`` map every log (with ``--group-by``: every group of logs) to
  its output paths (``--name`` templates that can never leave the output folder) and refuse
  collisions before any work; ``shards`` splits the jobs the same way on every machine;
* ``hashing`` and ``manifest`` remember, per output, the hashes of the input bytes (every file
  a run is read from) and of the effective config plus the rlplot version, so unchanged runs
  are skipped; a file's stat stamp spares re-reading it when it provably did not change;
* ``worker`` renders one job and never raises, so one bad log fails only its own figure;
  ``executors`` run jobs serially or in a process pool, ``dask`` on a Dask cluster;
* ``report`` counts rendered / up to date / failed, owns the exit code and writes the
  Markdown and JSON reports; ``run`` ties it together (``run_batch``).

Nothing here prints: progress reaches the caller through the outcomes it iterates.
Importing this package loads neither matplotlib, numpy nor dask.
"""
from __future__ import annotations

from .discovery import Discovered, discover
from .executors import make_executor
from .manifest import remove_leftovers
from .outcomes import (FAILED, NOT_RUN, RENDERED, UP_TO_DATE, JobNotes, JobStatus, Outcome,
                       PanelFinal)
from .planning import Job, plan
from .report import Report
from .run import Started, run_batch, worker_config
from .shards import parse_shard, select_shard
from .worker import warm_up

__all__ = [
    "FAILED", "NOT_RUN", "RENDERED", "UP_TO_DATE", "Discovered", "Job", "JobNotes", "JobStatus",
    "Outcome", "PanelFinal", "Report", "Started", "discover", "make_executor", "parse_shard",
    "plan", "remove_leftovers", "run_batch", "select_shard", "warm_up", "worker_config",
]
