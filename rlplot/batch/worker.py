"""Running one job, wherever it runs (this process, a pool worker, a Dask worker).

``run_job`` never raises: every error becomes a failed Outcome, so one bad log fails only
its own figure.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Sequence

from .._version import __version__
from ..errors import RlplotError
from .outcomes import FAILED, RENDERED, JobNotes, Outcome, PanelFinal, outcome_of
from .planning import Job

MAX_WARNINGS_KEPT = 20   # per run, in the manifest and reports (the count is exact)

# matplotlib's rcParams are process-global, so two threads of one Dask worker must not
# draw at the same time; processes are what gives the speed-up anyway.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Task:
    """What a worker needs for one job: the job, the outputs to write and the config."""

    job: Job
    outputs: tuple[str, ...]
    config: object
    strict: bool = False
    labels: tuple[str | None, ...] | None = None   # chosen on the client (see batch.remote)
    warm_fast: bool = False   # the batch's logs are worth loading pyarrow for (io.fast.worth_warming)


def warm_up() -> str:
    """Import matplotlib and the drawing code once per worker process, not once per figure.

    Returns this worker's rlplot version, so that a client can refuse mismatched workers."""
    from .. import pipeline  # noqa: F401
    from ..figure import import_drawing

    import_drawing()
    try:   # the default smoothing's kernel, loaded the way the pipeline loads it (without
        # statsmodels' package __init__, which pulls in pandas and scipy: ~0.3 s per worker)
        from ..smoothing import statsmodels_lowess_kernel
        statsmodels_lowess_kernel()
    except ImportError:
        pass
    return __version__


def run_job(task: Task) -> Outcome:
    """Render one job; every error becomes a failed Outcome so that it fails only its own figure."""
    from ..pipeline import render
    from .refs import refs_at

    job = task.job
    if task.warm_fast:
        from ..io.fast import warm_fast_path
        warm_fast_path()   # once per worker: then 64 KB-1 MB logs take the fast path too
    try:
        labels = list(task.labels) if task.labels is not None else labels_for(job, task.config)
        runs = refs_at(job.inputs)   # a log, a run folder, a store's run: found, not walked
        with _RENDER_LOCK:
            result = render(runs, list(task.outputs), task.config,
                            strict=task.strict, labels=labels)
        notes = job_notes(result.prepared, result.notices)   # drawing warnings too
        del result   # free the figure now; a worker renders many
        return outcome_of(job, RENDERED, written=tuple(task.outputs), notes=notes,
                          worker=os.getpid())
    except RlplotError as exc:
        error = str(exc.located(job.where))   # a member's own error names that member's file
    except MemoryError:
        error = f"{job.where}: out of memory"
    except Exception as exc:  # an rlplot bug must not stop the other runs
        error = f"{job.where}: internal error: {type(exc).__name__}: {exc}"
    return outcome_of(job, FAILED, error=error, worker=os.getpid())


def job_notes(prepared, notices: Sequence) -> JobNotes:
    """Rows, warnings and the final smoothed value of each panel of a rendered figure.

    Several runs (a group): rows and warnings are summed, the final value is the aggregate's
    (or, overlaid, the mean of the runs' final smoothed values) and ``runs`` counts them.
    ``notices``: every warning of the render."""
    finals = []
    for index, panel in enumerate(prepared.panels):
        if prepared.aggregated and prepared.groups:
            values = [_last(g.curves[index].y) for g in prepared.groups]
        else:
            values = [_last(smoothed[index].y) for smoothed in prepared.smoothed]
        values = [v for v in values if v is not None]
        finals.append(PanelFinal(panel.title or panel.metric,
                                 sum(values) / len(values) if values else None))
    notices = list(notices)
    return JobNotes(rows=sum(max((len(s) for s in run.series), default=0) for run in prepared.runs),
                    warning_count=len(notices),
                    warnings=tuple(str(n) for n in notices[:MAX_WARNINGS_KEPT]),
                    final=tuple(finals), runs=len(prepared.runs) if prepared.groups else None)


def _last(y) -> float | None:
    value = float(y[-1]) if len(y) else float("nan")
    return value if value == value else None


def labels_for(job: Job, config) -> list[str] | None:
    """The labels ``pipeline.render`` gets for a job: None (automatic, or ``runs.labels``), or
    the group's name for a lone run that ``--group-by`` does not match."""
    # A lone run that --group-by does not match is labelled by the pipeline with its file
    # stem ("metrics" for every run of a sweep); its group name (its relative path) says more,
    # unless runs.labels names it.
    if job.group is None or job.matched:
        return None
    from ..names import run_label

    mapping = config.runs.labels
    return None if job.source in mapping or run_label(job.source) in mapping else [job.group]
