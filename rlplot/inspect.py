"""``rlplot inspect`` as a library: what a log or a run holds and how rlplot would read it, as
plain data.

``inspect_log`` reports on one log file; ``inspect_paths`` on every run some paths hold
(folders walked, stores listed): one report per run with its source kind and files, its
columns (or, for event files, its tags with point counts, step ranges, restarts and
damage) and its config, plus which config keys differ across the runs. Nothing here
prints or imports matplotlib; the command (``rlplot/cli/inspect.py``) formats the
report as text or JSON.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np

from .clean import MAX_RESTARTS_LISTED, find_restarts, keep_last_mask
from .columns import default_x, require_column, x_candidates
from .config.schema import Config
from .data import Column, Table
from .errors import RlplotError
from .io import detect_format, tables_from_source
from .io.sources import read_source


@dataclass(frozen=True)
class ColumnReport:
    """One column: its kind and counts of each kind of cell; min/max over finite values."""

    name: str
    type: str            # numeric, text, mixed (numbers and text) or empty
    numeric: int         # cells holding a number (NaN and ±inf included)
    nan: int
    inf: int
    empty: int           # absent key, empty cell or null
    non_numeric: int
    min: float | None
    max: float | None


@dataclass(frozen=True)
class RestartReport:
    """Where x went back: ``line`` (when known) or 1-based ``row``, and the values around the drop."""

    line: int | None
    row: int
    x_from: float
    x_to: float


@dataclass(frozen=True)
class PanelReport:
    """A panel of the default chart and the column it would show, or why it cannot."""

    metric: str
    column: str | None
    problem: str | None


@dataclass(frozen=True)
class SkippedLine:
    """A line the reader skipped, and why."""

    line: int | None
    why: str


@dataclass(frozen=True)
class RunReport:
    """One run of a file (most files hold one)."""

    run: str | None
    rows: int
    columns: tuple[ColumnReport, ...]
    x_candidates: tuple[str, ...]
    x: str | None                   # the x chosen without --x; None = the row number
    panels: tuple[PanelReport, ...]
    restarts: tuple[RestartReport, ...]   # the first 100
    restart_count: int
    duplicate_x_values: int         # distinct x values that occur on more than one row
    duplicate_x_rows: int           # rows beyond the first for each such value
    notes: tuple[str, ...]


@dataclass(frozen=True)
class TagReport:
    """One scalar tag of an event-file run: points, step range, steps that went back or repeat."""

    name: str
    points: int
    min_step: int
    max_step: int
    restarts: int
    repeats: int


@dataclass(frozen=True)
class EventsReport:
    """What an event-file run holds, scanned without keeping its points."""

    events: int
    tags: tuple[TagReport, ...]
    other_tags: tuple[tuple[str, str], ...]   # (tag, what it holds: images, histograms, ...)
    first_wall: float | None
    last_wall: float | None


@dataclass(frozen=True)
class FileReport:
    """Everything ``rlplot inspect`` says about one log file, or one run found in a folder or store."""

    path: str
    format: str | None
    format_forced: bool
    runs: tuple[RunReport, ...]
    skipped: tuple[SkippedLine, ...]
    error: str | None = None
    kind: str = "log"                            # the run source (rlplot.choices.RUN_SOURCES)
    label: str | None = None                     # the run's label in a figure
    files: tuple[str, ...] = ()                  # what it is read from
    events: EventsReport | None = None           # an event-file run's tags
    damage: tuple[str, ...] = ()                 # damaged records skipped (event files)
    config: Mapping[str, Any] = field(default_factory=dict)
    config_differs: tuple[str, ...] = ()         # its keys whose values differ across the runs
    config_sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """A JSON-ready dict with stable keys (NaN-free: missing numbers are None)."""
        return asdict(self)


def column_report(column: Column) -> ColumnReport:
    """Count the cells of a column by kind and take the range of its finite values."""
    held = ~column.missing & ~column.nonnumeric
    values = column.values[held]
    nan = int(np.isnan(values).sum())
    inf = int(np.isinf(values).sum())
    finite = values[np.isfinite(values)]
    numeric, text = int(held.sum()), int(column.nonnumeric.sum())
    kind = ("mixed" if numeric and text else "numeric" if numeric else "text" if text else "empty")
    return ColumnReport(name=column.name, type=kind, numeric=numeric, nan=nan, inf=inf,
                        empty=int(column.missing.sum()), non_numeric=text,
                        min=float(finite.min()) if finite.size else None,
                        max=float(finite.max()) if finite.size else None)


def run_report(table: Table, config: Config) -> RunReport:
    """Inspect one Table: columns, x choice, default-panel mapping, restarts and duplicate x."""
    x_name = default_x(table)
    panels = []
    for panel in config.panels:
        try:
            panels.append(PanelReport(panel.metric, require_column(table, panel.metric), None))
        except RlplotError as exc:
            # The column list is already in the report; keep only the closest-match part of the hint.
            hint = "; ".join(p for p in (exc.hint or "").split("; ") if not p.startswith("columns:"))
            panels.append(PanelReport(panel.metric, None,
                                      exc.what + (f" ({hint})" if hint else "")))
    restarts: list[RestartReport] = []
    dup_values = dup_rows = restart_count = 0
    if x_name is not None:
        column = table.columns[x_name]
        ok = ~column.missing & ~column.nonnumeric & np.isfinite(column.values)
        rows = np.flatnonzero(ok)
        x = column.values[ok]
        lines = np.asarray(table.first_line)[rows] if table.first_line is not None else None
        restarts = [RestartReport(r.line, r.row + 1, r.x_from, r.x_to)
                    for r in find_restarts(x, lines, rows, MAX_RESTARTS_LISTED)]
        restart_count = int((x[1:] < x[:-1]).sum())
        if config.data.restarts == "keep-last":
            x = x[keep_last_mask(x)]  # count the duplicates the default policy would still see
        _, counts = np.unique(x, return_counts=True)
        dup_values = int((counts > 1).sum())
        dup_rows = int((counts[counts > 1] - 1).sum())
    return RunReport(run=table.run, rows=table.n_rows,
                     columns=tuple(column_report(c) for c in table.columns.values()),
                     x_candidates=tuple(x_candidates(table)), x=x_name, panels=tuple(panels),
                     restarts=tuple(restarts), restart_count=restart_count,
                     duplicate_x_values=dup_values,
                     duplicate_x_rows=dup_rows, notes=tuple(n.what for n in table.notes))


def inspect_log(path: str, *, format: str | None = None, config: Config | None = None) -> FileReport:
    """Read a log the way ``render`` would and report on it; a file rlplot cannot read gets ``error``."""
    config = config or Config()
    fmt = format or config.data.format
    detected = None
    try:
        source = read_source(path)  # once: `-` (stdin) cannot be read twice
        detected = fmt or detect_format(source)
        tables = tables_from_source(source, detected)
    except RlplotError as exc:
        return FileReport(path=path, format=detected, format_forced=fmt is not None, runs=(),
                          skipped=(), error=str(exc))
    skipped = tuple(SkippedLine(n.line, n.what.removeprefix("skipped line: "))
                    for n in tables[0].skipped)
    return FileReport(path=path, format=tables[0].format, format_forced=fmt is not None,
                      runs=tuple(run_report(t, config) for t in tables), skipped=skipped)


@dataclass(frozen=True)
class InspectReport:
    """``inspect_paths``: a report per run, the config keys that differ, what finding the runs said."""

    files: tuple[FileReport, ...]
    config_keys: tuple[str, ...]          # every config key over the runs, in first-seen order
    differing: tuple[str, ...]            # the keys whose values differ across the runs
    notices: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """A JSON-ready dict with stable keys."""
        return {"files": [f.to_dict() for f in self.files], "config_keys": list(self.config_keys),
                "differing_config_keys": list(self.differing), "notices": list(self.notices)}


def events_report(files: Sequence[str]) -> tuple[EventsReport, tuple[str, ...]]:
    """Scan an event-file run: its tags and what it holds besides, and its damage."""
    from .io.tfevents import scan_event_run

    scan = scan_event_run(files)
    tags = tuple(TagReport(t.name, t.points, t.min_step, t.max_step, t.restarts, t.repeats)
                 for t in scan.tags)
    return (EventsReport(scan.events, tags, scan.other_tags, scan.first_wall, scan.last_wall),
            tuple(str(n) for n in scan.notices))


def inspect_ref(ref, config: Config, label: str | None = None) -> FileReport:
    """Report on one run found by ``runs.walk`` (a ``RunRef``), with its config."""
    from .choices import RUN_SOURCES
    from .runs.configs import ref_config

    base = FileReport(path=ref.where, format=None, format_forced=False, runs=(), skipped=(),
                      kind=ref.kind, label=label, files=ref.files)
    try:
        if ref.kind == "log":
            logged = inspect_log(ref.source, config=config)
            report = replace(logged, kind=ref.kind, label=label, files=ref.files)
        elif ref.kind == "tfevents":
            events, damage = events_report(ref.files)
            report = replace(base, format="tfevents", events=events, damage=damage)
        else:
            tables = RUN_SOURCES.load(ref.kind).read(ref, None, False, None)
            report = replace(base, format=tables[0].format,
                             runs=tuple(run_report(t, config) for t in tables),
                             skipped=tuple(SkippedLine(n.line, n.what) for n in tables[0].skipped))
        settings = ref_config(ref)
    except RlplotError as exc:
        return replace(base, error=str(exc))
    return replace(report, config=dict(settings.values), config_sources=settings.sources)


def inspect_item(item: tuple, config: Config) -> FileReport:
    """``inspect_ref`` of one ``(ref, label)``: what a reading worker runs."""
    return inspect_ref(item[0], config, item[1])


def inspect_paths(paths: Sequence[str], *, config: Config | None = None,
                  reading=None) -> InspectReport:
    """Report on every run the paths hold (log files, folders of runs, stores, globs); many runs
    are read in parallel as ``reading`` (a ``runs.parallel.Reading``) says, reported in order."""
    from .runs.configs import differing_keys
    from .runs.discover import automatic_labels, expand_paths
    from .runs.load import is_plain_file_run
    from .runs.parallel import read_each
    from .runs.walk import find_path

    config = config or Config()
    reports, notices, items = [], [], []    # reports: a FileReport, or the index of an item
    for path in expand_paths(paths):
        try:
            found = find_path(path)
        except RlplotError as exc:
            reports.append(FileReport(path=path, format=None, format_forced=False, runs=(),
                                      skipped=(), error=str(exc)))
            continue
        notices += [str(n) for n in found.notices]
        labels = automatic_labels(found.refs)
        # a log named as it is keeps the file report it always had; runs found in it are labelled
        for ref, label in zip(found.refs, labels):
            reports.append(len(items))
            items.append((ref, None if ref.kind == "log" and ref.found_in is None else label))
    read = read_each(items, inspect_item, (config,), reading,
                     paths=[path for ref, _ in items for path in ref.files],
                     local=not all(is_plain_file_run(ref) for ref, _ in items))
    reports = [read[r] if isinstance(r, int) else r for r in reports]
    configs = [r.config for r in reports if r.error is None]
    differing = tuple(differing_keys(configs)) if len(configs) > 1 else ()
    keys = tuple(dict.fromkeys(k for c in configs for k in c))
    reports = [replace(r, config_differs=tuple(k for k in r.config if k in differing))
               for r in reports]
    return InspectReport(tuple(reports), keys, differing, tuple(notices))
