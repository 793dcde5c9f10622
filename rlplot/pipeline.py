"""The library API behind ``rlplot render``: read -> clean -> smooth (here) -> draw -> save.

``prepare`` does everything up to smoothing and imports no matplotlib; ``render``
adds drawing and atomic saving. A notebook can call either.
"""
from __future__ import annotations

import glob
import os
import warnings
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from .clean import clean_series, cleaning_notices
from .columns import ROLE_ALIASES, X_ROLES, default_x, is_flops, require_column
from .config.schema import Config, PanelStyle, SmoothingSpec
from .data import Notice, Run, Smoothed, Table
from .errors import ColumnError, InputError, OutputError
from .figure.text import plain_text
from .io import read_tables
from .io.fast import header_table
from .smoothing import check_params, describe, smooth_series

FLOPS_LABEL = "RL flops"


@dataclass(frozen=True)
class Group:
    """Runs drawn as one: their indices into ``Prepared.runs`` and, when aggregated, one curve per panel."""

    label: str
    members: tuple[int, ...]
    curves: tuple[Smoothed, ...] = ()          # [panel]: x grid, statistic, band; empty: not aggregated
    counts: tuple[np.ndarray, ...] = ()        # [panel]: runs covering each grid point, (n_grid,)


@dataclass(frozen=True)
class Prepared:
    """Runs read, cleaned and smoothed, with every panel's titles resolved: ready to draw."""

    runs: tuple[Run, ...]
    smoothed: tuple[tuple[Smoothed, ...], ...]   # [run][panel]
    panels: tuple[PanelStyle, ...]
    x_label: str
    groups: tuple[Group, ...] = ()               # empty: every run stands for itself
    aggregated: bool = False
    footnote: str | None = None

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning of every run (reading, cleaning, then smoothing), in order."""
        return tuple(n for run, smoothed in zip(self.runs, self.smoothed)
                     for n in run.notices + tuple(m for s in smoothed for m in s.notices))


@dataclass(frozen=True)
class RenderResult:
    """What ``render`` produced: the figure, the files written and the prepared data."""

    figure: object
    written: tuple[str, ...]
    prepared: Prepared
    drawing_notices: tuple[Notice, ...] = ()   # what matplotlib warned about while drawing

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning: reading, cleaning, smoothing, then drawing."""
        return self.prepared.notices + self.drawing_notices


def merged_aliases(config: Config) -> dict[str, tuple[str, ...]]:
    """Built-in role aliases with the config's ``data.aliases`` tried first."""
    aliases = dict(ROLE_ALIASES)
    for role, names in config.data.aliases.items():
        aliases[role.lower()] = tuple(names) + aliases.get(role.lower(), ())
    return aliases


def run_label(path: str) -> str:
    """A run's default label: the file name without log extensions (``-`` is 'stdin')."""
    if path == "-":
        return "stdin"
    name = Path(path).name
    for suffix in (".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt", ".log"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path


def smoothing_params(spec: SmoothingSpec) -> dict:
    """A smoothing spec as the keyword parameters of its method."""
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.name != "method"}


def needed_columns(config: Config, aliases: dict[str, tuple[str, ...]]) -> list[str]:
    """Every name the x column and the panel metrics may be found under (so big logs read only those)."""
    names = [config.data.x] if config.data.x else list(X_ROLES)
    names += [panel.metric for panel in config.panels]
    return names + [a for n in names for a in aliases.get(n.lower(), ())]


def _resolves(table, config: Config, aliases) -> bool:
    try:
        for name in [config.data.x] * bool(config.data.x) + [p.metric for p in config.panels]:
            require_column(table, name, aliases)
    except ColumnError:
        return False
    return True


def load_run(path: str, config: Config, *, strict: bool = False, label: str | None = None) -> Run:
    """Read and clean a single-run log into a Run holding one Series per panel of ``config``."""
    runs = load_runs(path, config, strict=strict, label=label)
    if len(runs) != 1:
        raise InputError(f"holds {len(runs)} runs", file=path, hint="use load_runs()")
    return runs[0]


def _read_needed(path: str, config: Config, strict: bool) -> tuple[Table, ...]:
    # Big plain logs are read column-wise, only the columns the figure needs. When those
    # names do not resolve, the error must still list every column: take them from a big
    # log's header, or else from a full tolerant read.
    aliases = merged_aliases(config)
    fmt = config.data.format
    tables = read_tables(path, format=fmt, strict=strict, columns=needed_columns(config, aliases))
    if len(tables) == 1 and not _resolves(tables[0], config, aliases):
        head = header_table(path, format=fmt)
        if head is not None and not _resolves(head, config, aliases):
            return (head,)
        tables = read_tables(path, format=fmt, strict=strict)
    return tables


def load_runs(path: str, config: Config, *, strict: bool = False, label: str | None = None,
              default_label: str | None = None) -> tuple[Run, ...]:
    """Read and clean every run a log holds (a TensorBoard long export or W&B panel export holds several).

    A one-run file is labelled ``label``, else ``default_label``, else its name; a file with
    several runs labels each by its run name (prefixed by ``label`` if given).
    """
    tables = _read_needed(path, config, strict)
    if len(tables) == 1:
        return (run_from_table(tables[0], config, label or default_label or run_label(path)),)
    return tuple(run_from_table(t, config, f"{label}: {t.run}" if label else str(t.run))
                 for t in tables)


def _skipped_hint(table: Table) -> str:
    # When a column is missing because the lines holding it were skipped, say why.
    if not table.skipped:
        return ""
    first = table.skipped[0]
    where = f"line {first.line}: " if first.line is not None else ""
    count = len(table.skipped)
    lines = "1 line was" if count == 1 else f"{count} lines were"
    return f"; {lines} skipped, the first ({where}{first.what.removeprefix('skipped line: ')})"


def run_from_table(table: Table, config: Config, label: str) -> Run:
    """Clean one Table into a Run: one Series per panel, warnings for everything dropped."""
    aliases = merged_aliases(config)
    where = f"{table.source} [{table.run}]" if table.run else table.source
    try:
        x_name = (require_column(table, config.data.x, aliases) if config.data.x
                  else default_x(table, aliases))
    except ColumnError as exc:
        exc.hint = (exc.hint or "") + _skipped_hint(table)
        raise
    series, drops = [], []
    for panel in config.panels:
        try:
            y_name = require_column(table, panel.metric, aliases)
        except ColumnError as exc:
            if panel.metric.lower() in aliases and exc.hint:
                exc.hint += "; choose columns with --x/--y"
            exc.hint = (exc.hint or "") + _skipped_hint(table)
            if table.run:
                exc.file = where
            raise
        cleaned, dropped = clean_series(table, x_name, y_name, restarts=config.data.restarts,
                                        duplicates=config.data.duplicates)
        if len(cleaned) == 0:
            raise InputError(f"no usable points for '{y_name}'" +
                             (f": {dropped.describe()}" if dropped.count else ""),
                             file=where, hint="check the column, or choose another with --y")
        if config.data.flops_per_step and not is_flops(x_name, aliases):
            cleaned = replace(cleaned, x=cleaned.x * config.data.flops_per_step, x_name="flops")
        series.append(cleaned)
        drops.append(dropped)
    # table.notes (what an adapter added or set aside) are shown by `rlplot inspect`, not here.
    notices = [*table.skipped, *cleaning_notices(where, drops)]
    return Run(label=label, source=table.source, series=tuple(series), notices=tuple(notices),
               n_rows=table.n_rows)


def resolve_panel(panel: PanelStyle, column: str, x_label: str) -> PanelStyle:
    """Fill a panel's automatic title and labels from its column and the x label."""
    y_label = panel.y_label or plain_text(column)
    return replace(panel, y_label=y_label, title=panel.title or f"{y_label} vs {x_label}",
                   label=panel.label or y_label)


def x_axis_label(config: Config, runs: Sequence[Run]) -> str:
    """``figure.x_label``, else "RL flops" for a FLOPs x, else the x column's name."""
    if config.figure.x_label:
        return config.figure.x_label
    names = {s.x_name for run in runs for s in run.series}
    aliases = merged_aliases(config)
    if all(is_flops(n, aliases) for n in names):
        return FLOPS_LABEL
    return plain_text(" / ".join(sorted(names)))


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Expand glob patterns (``runs/*/metrics.jsonl``) that are not existing files; keep order, drop repeats."""
    out: list[str] = []
    for path in paths:
        if path != "-" and not os.path.exists(path) and glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", file=path)
            out.extend(m for m in matches if os.path.isfile(m))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def distinct_labels(paths: Sequence[str]) -> list[str]:
    """Short labels that tell runs apart: the stems, or the path parts that differ when stems repeat.

    ``a/s1/metrics.jsonl, a/s2/metrics.jsonl`` -> ``s1, s2``.
    """
    stems = [run_label(p) for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    parts = [list(Path(os.path.normpath(p)).parent.parts) + [run_label(p)] for p in paths]
    while all(len(p) > 1 for p in parts) and len({p[0] for p in parts}) == 1:
        parts = [p[1:] for p in parts]
    while all(len(p) > 1 for p in parts) and len({p[-1] for p in parts}) == 1:
        parts = [p[:-1] for p in parts]
    return ["/".join(p) for p in parts]


def _labels(paths: Sequence[str], config: Config, labels: Sequence[str] | None
            ) -> tuple[list[str | None], list[str]]:
    """Per path: the label the user chose (--label, then runs.labels), and the automatic one."""
    auto = distinct_labels(paths)
    mapping = config.runs.labels
    chosen = [mapping.get(p, mapping.get(a)) for p, a in zip(paths, auto)]
    for index, label in enumerate(labels or ()):
        if index < len(chosen):
            chosen[index] = label
    return chosen, auto


def _check_same_x(runs: Sequence[Run], config: Config) -> None:
    names = {run.source: run.series[0].x_name for run in runs if run.series}
    if len(set(names.values())) > 1:
        aliases = merged_aliases(config)
        kinds = {("FLOPs" if is_flops(n, aliases) else n) for n in names.values()}
        listing = ", ".join(f"{src} uses '{name}'" for src, name in names.items())
        what = ("some runs have a FLOPs column and others only steps" if "FLOPs" in kinds
                else "the runs use different x columns")
        raise InputError(f"{what}: {listing}",
                         hint="pick one column for all with --x, or set data.flops_per_step")


def _smooth(series, spec: SmoothingSpec) -> Smoothed:
    return smooth_series(series, spec.method, smoothing_params(spec))


def prepare(paths: Sequence[str], config: Config | None = None, *, strict: bool = False,
            labels: Sequence[str] | None = None) -> Prepared:
    """Read, clean and smooth every log for the panels of ``config`` (default: the seed chart).

    With ``runs.group_by`` runs are grouped; with ``runs.aggregate`` each group becomes one
    curve (and band) per panel.
    """
    config = config or Config()
    paths = expand_paths(paths)
    if not paths:
        raise InputError("no log files given", hint="rlplot render LOG.jsonl -o out.png")
    for panel in config.panels:   # bad smoothing parameters fail before any log is read
        spec = panel.smoothing or config.smoothing
        check_params(spec.method, smoothing_params(spec))
    explicit, automatic = _labels(paths, config, labels)
    runs = tuple(run for i, p in enumerate(paths)
                 for run in load_runs(p, config, strict=strict, label=explicit[i],
                                      default_label=automatic[i]))
    if len(runs) > 1:
        _check_same_x(runs, config)
    x_label = x_axis_label(config, runs)
    aggregate_after = config.runs.aggregate != "none" and config.runs.smooth == "after"
    smoothed = []
    for run in runs:
        per_panel = []
        for panel, series in zip(config.panels, run.series):
            spec = panel.smoothing or config.smoothing
            spec = SmoothingSpec(method="none") if aggregate_after else spec
            done = smooth_series(series, spec.method, smoothing_params(spec), band=panel.band,
                                 band_k=panel.band_k)
            per_panel.append(replace(done, notices=tuple(replace(n, file=run.source)
                                                         for n in done.notices)))
        smoothed.append(tuple(per_panel))
    panels = tuple(resolve_panel(p, runs[0].series[i].name, x_label)
                   for i, p in enumerate(config.panels))
    runs = tuple(_log_scale_notices(run, config) for run in runs)
    groups = _groups(runs, config)
    footnote = None
    if config.runs.aggregate != "none":
        groups = tuple(_aggregate_group(g, smoothed, runs, config) for g in groups)
        footnote = _aggregate_footnote(groups, config) if config.runs.footnote else None
    return Prepared(runs=runs, smoothed=tuple(smoothed), panels=panels, x_label=x_label,
                    groups=groups, aggregated=config.runs.aggregate != "none", footnote=footnote)


def _log_scale_notices(run: Run, config: Config) -> Run:
    """Say how many points a log axis cannot show (x or y <= 0), instead of hiding them silently."""
    extra = []
    for panel, series in zip(config.panels, run.series):
        for axis, on, values in (("x", config.figure.x_scale, series.x),
                                 ("y", panel.y_scale, series.y)):
            hidden = int(np.count_nonzero(values <= 0)) if on == "log" else 0
            if hidden:
                extra.append(Notice(f"{series.name}: {hidden} of {len(series)} points have "
                                    f"{axis} <= 0 and are not shown on the log {axis} axis",
                                    file=run.source))
    return replace(run, notices=run.notices + tuple(extra)) if extra else run


def _groups(runs: Sequence[Run], config: Config) -> tuple[Group, ...]:
    """Group runs (not paths: a TensorBoard long export holds several) by ``runs.group_by``."""
    from .aggregate import group_key

    if config.runs.group_by is None and config.runs.aggregate == "none":
        return ()
    members: dict[str, list[int]] = {}
    for index, run in enumerate(runs):
        key = group_key(run.source, config.runs.group_by) if config.runs.group_by else "all runs"
        key = run.label if key is None else key  # unmatched: a group of its own
        members.setdefault(key, []).append(index)
    return tuple(Group(label=key, members=tuple(idx)) for key, idx in members.items())


def _aggregate_group(group: Group, smoothed, runs, config: Config) -> Group:
    from .aggregate import aggregate_curves
    from .data import Series

    curves, counts = [], []
    for panel_index, panel in enumerate(config.panels):
        curve, count = aggregate_curves([smoothed[i][panel_index] for i in group.members], config.runs)
        if config.runs.smooth == "after":
            valid = np.isfinite(curve.y)
            fitted = _smooth(Series(panel.metric, curve.x[valid], curve.y[valid]),
                             panel.smoothing or config.smoothing)
            y = curve.y.copy()
            y[valid] = fitted.y
            curve = replace(curve, y=y, method=fitted.method, params=fitted.params)
        curves.append(curve)
        counts.append(count)
    return Group(label=group.label, members=group.members, curves=tuple(curves), counts=tuple(counts))


def _aggregate_footnote(groups: Sequence[Group], config: Config) -> str:
    spec = config.runs
    sizes = sorted({len(g.members) for g in groups})
    runs_text = f"{sizes[0]} runs" if len(sizes) == 1 else f"{sizes[0]}–{sizes[-1]} runs"
    stat = {"mean": "mean", "median": "median", "iqm": "interquartile mean"}[spec.aggregate]
    smoothing = config.smoothing
    smooth_text = describe(smoothing.method, smoothing_params(smoothing))
    smooth_text += " per run" if spec.smooth == "before" else " of the aggregate"
    band = {"none": None, "sd": "band = ± 1 SD over runs", "sem": "band = ± 1 SEM over runs",
            "ci": f"band = {spec.level:g} % bootstrap CI, {spec.reps} reps"}[spec.band]
    parts = [f"{stat} of {runs_text}", smooth_text]
    if band:
        parts.append(band)
    if spec.x_range == "union":
        parts.append("x range = union of runs")
    return " · ".join(parts)


def check_outputs(outputs: Sequence[str], inputs: Sequence[str]) -> None:
    """Refuse unknown output formats and outputs that would overwrite an input, before any work."""
    from .figure.save import output_format

    real_inputs = {os.path.realpath(p) for p in inputs if p != "-"}
    for out in outputs:
        output_format(out)
        if os.path.realpath(out) in real_inputs:
            raise OutputError("output would overwrite an input", file=out,
                              hint="choose another -o path")


def render(paths: Sequence[str], outputs: Sequence[str] = (), config: Config | None = None, *,
           strict: bool = False, labels: Sequence[str] | None = None,
           data_out: str | None = None) -> RenderResult:
    """Render logs to a figure and write it to each output path (atomically, deterministically);
    ``data_out`` also writes every drawn series as long-form CSV (see rlplot.export)."""
    config = config or Config()
    paths = expand_paths(paths)   # check outputs against the files a glob names, not the glob
    check_outputs(outputs, paths)
    if data_out is not None:
        from .export import check_data_out
        check_data_out(data_out, paths, outputs)
    prepared = prepare(paths, config, strict=strict, labels=labels)
    from .figure.chart import draw_chart, style_context
    from .figure.save import save_figure

    # matplotlib's own warnings become notices, so they reach the user as one rlplot line.
    with style_context(config), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw_chart(prepared, config)
        written = tuple(save_figure(fig, out, dpi=config.output.dpi or config.figure.dpi,
                                    transparent=config.output.transparent,
                                    metadata=config.output.metadata) for out in outputs)
    drawn = tuple(dict.fromkeys(Notice(f"drawing: {w.message}") for w in caught))
    if data_out is not None:
        from .export import write_data_csv
        written += (write_data_csv(prepared, data_out),)
    return RenderResult(figure=fig, written=written, prepared=prepared, drawing_notices=drawn)
