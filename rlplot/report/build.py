"""Runs -> a ``Report``: what ``rlplot report`` builds, through the same reading, cleaning,
smoothing and grouping as ``rlplot render`` (``pipeline.prepare``, once per section's logs).

Each section is read, summarised, thinned and drawn, then only its small report data is kept, so
a sweep of long logs costs the memory of its largest group, not of the whole sweep. A log that
cannot be read becomes a data-quality note of the report (the others are still reported);
``BuiltReport.failed`` lists them for the caller's exit code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator, Sequence

from ..aggregate import group_key
from ..atomic import atomic_output
from ..config.schema import Config
from ..errors import ColumnError, InputError, RlplotError
from ..figure.panels import LINE_MAX_POINTS
from ..names import STDIN
from ..pipeline import prepare
from ..provenance import make_provenance
from ..runs.discover import choose_labels, expand_paths
from ..summary import Threshold
from .encode import section_ids
from .model import InputFile, QualityNote, Report, Section
from .sections import Budget, section_of, units

# Values a page holds in all, over every run and panel: drawn points, smoothed-curve points. A
# few runs keep what the static figure draws (up to scatter.max_points); 200 runs of two panels
# get 150 points and 80 curve points each, which keeps such a page near 5 MB.
PAGE_POINTS = 60_000
PAGE_CURVE_POINTS = 32_000
FEWEST_POINTS = 100
FEWEST_CURVE_POINTS = 60
UNKNOWN_DATE = "unknown"
MIN_JOBS_PER_WORKER = 4        # fewer groups of logs than this per worker: no worker processes


@dataclass(frozen=True)
class BuiltReport:
    """The report, the PNG written per section (None: none), and the logs that could not be read."""

    report: Report
    images: tuple[str | None, ...]
    failed: tuple[RlplotError, ...]


def budget_for(n_runs: int, config: Config) -> Budget:
    """Points per run and panel for a page of ``n_runs`` runs."""
    shares = max(n_runs, 1) * max(len(config.panels), 1)
    most = min(p.scatter.max_points for p in config.panels) if config.panels else PAGE_POINTS
    return Budget(points=max(FEWEST_POINTS, min(most, PAGE_POINTS // shares)),
                  curve=max(FEWEST_CURVE_POINTS, min(LINE_MAX_POINTS, PAGE_CURVE_POINTS // shares)))


def buckets(paths: Sequence[str], config: Config) -> list[list[int]]:
    """Which logs are read together (indices into ``paths``), in order: a group's logs (a log the
    pattern does not match alone), every log when aggregating without groups, else each log alone."""
    if config.runs.group_by:
        keyed: dict[object, list[int]] = {}
        for index, path in enumerate(paths):
            key = group_key(path, config.runs.group_by)
            keyed.setdefault(("group", key) if key is not None else ("log", index), []).append(index)
        return list(keyed.values())
    if config.runs.aggregate != "none":
        return [list(range(len(paths)))]
    return [[index] for index in range(len(paths))]


def path_labels(paths: Sequence[str], config: Config, labels: Sequence[str]) -> list[str] | None:
    """Each log's label over the whole sweep (the user's, else the automatic one that tells the
    logs apart), so that reading a group's logs alone names them as ``render`` of all would."""
    chosen, automatic = choose_labels(paths, config.runs.labels, labels)
    if len(paths) == 1:
        return [chosen[0]] if chosen[0] else None
    return [c or a for c, a in zip(chosen, automatic)]


def data_date(paths: Sequence[str]) -> str:
    """The newest input's modification time, UTC, ISO 8601 (``2024-05-01T12:00:00Z``)."""
    times = [os.stat(p).st_mtime for p in paths if p != STDIN and os.path.isfile(p)]
    if not times:
        return UNKNOWN_DATE
    return datetime.fromtimestamp(max(times), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def report_inputs(paths: Sequence[str], config: Config) -> tuple[InputFile, ...]:
    """The provenance table: each input file's path, size and sha256 (by hash only with
    ``output.provenance: hashes``; none with false)."""
    mode = config.output.provenance
    if mode is False:
        return ()
    files = [p for p in paths if p != STDIN and os.path.isfile(p)]
    return tuple(InputFile.of(p, shown_as=None if mode is True else f"input {i}")
                 for i, p in enumerate(files, start=1))


@dataclass(frozen=True)
class Plan:
    """What the work on every group of logs shares (sent to each worker process)."""

    config: Config
    budget: Budget
    thresholds: tuple[Threshold, ...]
    strict: bool
    command: str
    labels: tuple[str, ...]       # as the user gave them (recorded in the PNGs)
    images: bool                  # also draw each section as a PNG


@dataclass(frozen=True)
class Part:
    """What one group of logs gave: its sections (and their PNGs), or the error that stopped it."""

    sections: tuple[Section, ...] = ()
    images: tuple[bytes | None, ...] = ()
    failure: RlplotError | None = None
    runs: int = 0
    rows: int = 0


def build_part(plan: Plan, logs: Sequence[str], names: Sequence[str] | None) -> Part:
    """Read, summarise and draw the sections of one group of logs (``names``: their labels)."""
    try:
        prepared = prepare(logs, plan.config, strict=plan.strict, labels=names)
    except (InputError, ColumnError) as exc:   # that log's own problem: report the others
        return Part(failure=exc)
    sections, images = [], []
    for title, unit in units(prepared):
        sections.append(section_of(title, unit, plan.config, plan.budget, plan.thresholds))
        images.append(_png(plan, unit, logs) if plan.images else None)
    return Part(tuple(sections), tuple(images), None, len(prepared.runs),
                sum(run.n_rows or 0 for run in prepared.runs))


def _png(plan: Plan, unit, logs: Sequence[str]) -> bytes:
    from .static import png_bytes

    record = make_provenance(logs, plan.config, plan.command, plan.labels or None)
    return png_bytes(unit, plan.config, record)[0]


def _run_part(job: tuple[Plan, list[str], list[str] | None]) -> Part:
    return build_part(*job)


def parts(jobs: list[tuple[Plan, list[str], list[str] | None]], workers: int) -> Iterator[Part]:
    """Each job's Part, in order: here, or in ``workers`` worker processes when there is enough
    to do (a worker pays rlplot's imports once, about a second)."""
    if workers <= 1 or len(jobs) < MIN_JOBS_PER_WORKER * 2:
        yield from map(_run_part, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, as rlplot batch: the parent may hold threads that fork would copy mid-lock.
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs) // MIN_JOBS_PER_WORKER),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(_run_part, jobs, chunksize=2)


def build_report(paths: Sequence[str], config: Config, *, title: str, command: str,
                 thresholds: Sequence[Threshold] = (), labels: Sequence[str] = (),
                 strict: bool = False, image_dir: str | None = None,
                 workers: int = 1) -> BuiltReport:
    """Read, summarise and draw every section of a report of ``paths`` (files or globs), in
    ``workers`` processes.

    ``command`` is shown in the header (and recorded in the PNGs); ``image_dir``: also write each
    section's figure there as a PNG (for the Markdown report), named as ``image_names`` names them.
    """
    from ..config.docs import show_yaml

    paths = expand_paths(paths)
    if not paths:
        raise InputError("no log files given", hint="rlplot report LOG... -o report.html")
    names = path_labels(paths, config, labels)
    plan = Plan(config, budget_for(len(paths), config), tuple(thresholds), strict, command,
                tuple(labels), image_dir is not None)
    jobs = [(plan, [paths[i] for i in bucket], None if names is None else [names[i] for i in bucket])
            for bucket in buckets(paths, config)]
    sections: list[Section] = []
    images: list[str | None] = []
    failed: list[RlplotError] = []
    runs = rows = 0
    for part in parts(jobs, workers):
        if part.failure is not None:
            failed.append(part.failure)
        runs, rows = runs + part.runs, rows + part.rows
        for section, png in zip(part.sections, part.images):
            sections.append(section)
            images.append(_write_image(png, image_dir, sections))
    notes = tuple(QualityNote(f"not in the report: {exc.what}", exc.file, exc.line) for exc in failed)
    counts = [("runs", runs), ("files", len(paths))]
    if len(sections) != runs:
        counts.append(("sections", len(sections)))
    counts.append(("logged rows", rows))
    report = Report(title=title, command=command, data_date=data_date(paths), sections=tuple(sections),
                    counts=tuple(counts), config_text=show_yaml(config),
                    inputs=report_inputs(paths, config), notes=notes)
    return BuiltReport(report=report, images=tuple(images), failed=tuple(failed))


def report_of_prepared(prepared, config: Config, *, title: str, command: str,
                       thresholds: Sequence[Threshold] = (), inputs: Sequence[InputFile] = (),
                       date: str = UNKNOWN_DATE) -> BuiltReport:
    """A report of runs already read and prepared (``pipeline.prepare_runs``: data in memory),
    one section per group or run as ``build_report`` makes them; no images, nothing failed.
    What finding the runs noticed is the report's notes."""
    from dataclasses import replace

    from ..config.docs import show_yaml

    budget = budget_for(len(prepared.runs), config)
    sections = tuple(section_of(name, unit, config, budget, tuple(thresholds))
                     for name, unit in units(replace(prepared, found=())))
    counts = [("runs", len(prepared.runs))]
    if len(sections) != len(prepared.runs):
        counts.append(("sections", len(sections)))
    counts.append(("logged rows", sum(run.n_rows or 0 for run in prepared.runs)))
    notes = tuple(prepared.found)
    report = Report(title=title, command=command, data_date=date, sections=sections,
                    counts=tuple(counts), config_text=show_yaml(config), inputs=tuple(inputs),
                    notes=notes)
    return BuiltReport(report=report, images=(None,) * len(sections), failed=())


def _write_image(png: bytes | None, image_dir: str | None, sections: list[Section]) -> str | None:
    # The PNG beside a Markdown report, named as image_names names the section.
    if png is None or image_dir is None:
        return None
    name = section_ids(s.title for s in sections)[-1] + ".png"
    with atomic_output(os.path.join(image_dir, name)) as stream:
        stream.write(png)
    return name


def write_html_report(built: BuiltReport, path: str, images: Sequence[str | None] = ()) -> str:
    """Write the report as one HTML page (the ``html`` entry of REPORT_FORMATS)."""
    from .page import write_html

    return write_html(built.report, path)


def write_markdown_report(built: BuiltReport, path: str, images: Sequence[str | None]) -> str:
    """Write the report as Markdown (the ``markdown`` entry of REPORT_FORMATS); ``images`` are the
    section PNGs ``build_report`` wrote (paths as the caller names them, None: no image),
    linked relative to the Markdown file."""
    from .markdown import write_markdown

    here = os.path.dirname(path) or "."
    return write_markdown(built.report, path, images=[
        None if image is None else os.path.relpath(image, here) for image in images])
