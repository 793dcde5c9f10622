"""Jobs sent to another machine's process (a Dask worker): paths resolved on the client, and
outcomes mapped back to the paths the user gave.

A worker's working folder is not the client's, so every path a task holds (the logs, the
outputs, ``.mplstyle`` files) is made absolute before it leaves, and the run labels are
chosen here, where ``runs.labels`` can still match the paths as the user wrote them.
"""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Sequence

from .outcomes import Outcome
from .worker import Task, labels_for


def remote_task(task: Task) -> Task:
    """``task`` with absolute paths and explicit labels, ready for another working folder."""
    from ..runs.discover import choose_ref_labels
    from .refs import refs_at

    job = task.job
    chosen, _ = choose_ref_labels(refs_at(job.inputs), task.config.runs.labels,
                                  labels_for(job, task.config))
    absolute = replace(job, source=os.path.abspath(job.source),
                       outputs=tuple(os.path.abspath(o) for o in job.outputs),
                       members=tuple(os.path.abspath(m) for m in job.members),
                       files=tuple(tuple(os.path.abspath(f) for f in files) for files in job.files))
    return replace(task, job=absolute, outputs=tuple(os.path.abspath(o) for o in task.outputs),
                   config=_absolute_styles(task.config), labels=tuple(chosen))


def local_outcome(outcome: Outcome, task: Task, sent: Task) -> Outcome:
    """A worker's outcome for ``sent``, told in the paths of ``task`` (as the user gave them)."""
    written = tuple(mine for mine, theirs in zip(task.outputs, sent.outputs)
                    if theirs in outcome.written)
    job = task.job
    return replace(outcome, source=job.source, outputs=job.outputs, members=job.members,
                   written=written)


def sees_paths(paths: Sequence[str]) -> list[str]:
    """Run on each worker: the ``paths`` it cannot see (the client's shared-folder check)."""
    return [path for path in paths if not os.path.exists(path)]


def _absolute_styles(config):
    # Style sheets given as files are found relative to the client's working folder.
    styles = tuple(os.path.abspath(s) if os.path.isfile(s) else s for s in config.style)
    return config if styles == tuple(config.style) else replace(config, style=styles)
