"""The whole batch: skip what the manifest shows current, run the rest, record what lands."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .._version import __version__
from ..errors import InputError, RlplotError
from .executors import make_executor
from .hashing import FileStamps, config_sha256, job_sha256
from .manifest import Manifest
from .outcomes import FAILED, RENDERED, UP_TO_DATE, JobNotes, Outcome, outcome_of
from .planning import Job
from .worker import Task


@dataclass(frozen=True)
class Started:
    """What ``run_batch`` tells its caller before the first job: how many runs are planned."""

    total: int
    up_to_date: int


def run_batch(jobs: Sequence[Job], out_dir: str, config, *, executor=None, force: bool = False,
              fail_fast: bool = False, strict: bool = False,
              on_start: Callable[[Started], None] | None = None) -> Iterator[Outcome]:
    """Render ``jobs`` (skipping those the manifest shows current), yielding each Outcome.

    Up-to-date runs come first. The manifest is updated as outputs land and is always
    replaced atomically; closing the generator early (``--fail-fast``) still writes it.
    """
    if any(job.group is not None for job in jobs) and not config.runs.group_by:
        # The pipeline groups a job's runs by config.runs.group_by: without it a group's
        # figure would be an unlabelled overlay.
        raise RlplotError("group jobs need runs.group_by in the config",
                          hint="plan(..., group_by=config.runs.group_by)")
    executor = executor or make_executor()
    manifest = Manifest.load(out_dir)
    config_hash = config_sha256(config, strict)
    tasks, hashes, current = _triage(jobs, manifest, config_hash, force, config, strict)
    if on_start:
        on_start(Started(total=len(jobs), up_to_date=sum(o.status == UP_TO_DATE for o in current)))
    yield from current
    if fail_fast and any(o.status == FAILED for o in current):
        return
    stream = executor.run(tasks)
    try:
        for outcome in stream:
            if outcome.status == RENDERED:
                _record(manifest, outcome, hashes[outcome.key], config_hash)
                manifest.flush(force=False)
            yield outcome
            if fail_fast and outcome.status == FAILED:
                break
    finally:
        stream.close()
        manifest.flush()


def worker_config(config):
    """The config each job renders with: ``runs.where`` left out, since discovery kept only the
    runs meeting it (a lone run's automatic label is not the one it had among all runs)."""
    from dataclasses import replace

    if not config.runs.where:
        return config
    return replace(config, runs=replace(config.runs, where=()))


def _triage(jobs: Sequence[Job], manifest: Manifest, config_hash: str, force: bool, config,
            strict: bool) -> tuple[list[Task], dict[str, str], list[Outcome]]:
    """Split jobs into tasks to run and outcomes known now (up to date, or an unreadable log);
    also returns each readable job's input hash by key."""
    tasks, hashes, current = [], {}, []
    stamps = FileStamps(manifest.stamps)
    for job in jobs:
        try:
            hashes[job.key] = job_sha256(job, stamps.file_hash)
        except OSError as exc:
            current.append(outcome_of(job, FAILED, error=str(InputError(
                f"cannot read: {exc.strerror or exc}", file=exc.filename or job.source))))
            continue
        stale = tuple(o for o in job.outputs
                      if force or not manifest.up_to_date(o, hashes[job.key], config_hash))
        if stale:
            tasks.append(Task(job, stale, config, strict))
        else:
            notes = JobNotes.from_json(manifest.entry(job.outputs[0]).get("summary"))
            current.append(outcome_of(job, UP_TO_DATE, notes=notes))
    manifest.record_stamps({path: value for path, value in stamps.taken.items()
                            if manifest.stamps.get(path) != value})
    return _with_fast_reading(tasks), hashes, current


def _with_fast_reading(tasks: list[Task]) -> list[Task]:
    """The tasks, told to load pyarrow in their worker when their logs are worth it: a worker
    reads many, so pyarrow's import is paid once and 10,000-row logs read ~5x faster."""
    from dataclasses import replace

    from ..io.fast import log_sizes, worth_warming

    files = (path for task in tasks for member in task.job.input_files for path in member)
    if not worth_warming(log_sizes(files)):
        return tasks
    return [replace(task, warm_fast=True) for task in tasks]


def _record(manifest: Manifest, outcome: Outcome, input_hash: str, config_hash: str) -> None:
    """Remember each output a job wrote, with what it was made from and its notes."""
    source = ({"input": outcome.source} if outcome.group is None else
              {"group": outcome.group, "inputs": list(outcome.members)})
    notes = outcome.notes.to_json() if outcome.notes is not None else {}
    for out in outcome.written:
        manifest.record(out, {**source, "input_sha256": input_hash, "config_sha256": config_hash,
                              "rlplot": __version__, "summary": notes})
