"""The library API behind ``rlplot render``: read -> clean -> smooth (here) -> draw -> save.

``prepare`` does everything up to smoothing and imports no matplotlib; ``render``
adds drawing and atomic saving. A notebook can call either.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Sequence

from .clean import clean_series
from .columns import ROLE_ALIASES, X_ROLES, default_x, is_flops, require_column
from .config.schema import Config, PanelStyle, SmoothingSpec
from .data import Notice, Run, Smoothed
from .errors import ColumnError, InputError, OutputError
from .io import read_log
from .io.fast import header_table
from .smoothing import smooth_series

FLOPS_LABEL = "RL flops"


@dataclass(frozen=True)
class Prepared:
    """Runs read, cleaned and smoothed, with every panel's titles resolved: ready to draw."""

    runs: tuple[Run, ...]
    smoothed: tuple[tuple[Smoothed, ...], ...]   # [run][panel]
    panels: tuple[PanelStyle, ...]
    x_label: str

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning of every run, in order."""
        return tuple(n for run in self.runs for n in run.notices)


@dataclass(frozen=True)
class RenderResult:
    """What ``render`` produced: the figure, the files written and the prepared data."""

    figure: object
    written: tuple[str, ...]
    prepared: Prepared


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
    """Read and clean one log into a Run holding one Series per panel of ``config``."""
    aliases = merged_aliases(config)
    table = read_log(path, strict=strict, columns=needed_columns(config, aliases))
    if not _resolves(table, config, aliases):
        # The error lists every column: from a big log's header, else from a full read.
        head = header_table(path)
        table = head if head is not None and not _resolves(head, config, aliases) else \
            read_log(path, strict=strict)
    x_name = (require_column(table, config.data.x, aliases) if config.data.x
              else default_x(table, aliases))
    series, drops = [], []
    for panel in config.panels:
        try:
            y_name = require_column(table, panel.metric, aliases)
        except ColumnError as exc:
            if panel.metric.lower() in aliases and exc.hint:
                exc.hint += "; choose columns with --x/--y"
            raise
        cleaned, dropped = clean_series(table, x_name, y_name)
        if len(cleaned) == 0:
            raise InputError(f"no usable points for '{y_name}'" +
                             (f": {dropped.describe()}" if dropped.count else ""),
                             file=table.source, hint="check the column, or choose another with --y")
        if config.data.flops_per_step and not is_flops(x_name, aliases):
            cleaned = replace(cleaned, x=cleaned.x * config.data.flops_per_step, x_name="flops")
        series.append(cleaned)
        if dropped.count:
            drops.append(dropped)
    notices = list(table.skipped)
    if drops:
        notices.append(Notice("dropped points: " + "; ".join(d.describe() for d in drops),
                              file=table.source))
    return Run(label=label or run_label(path), source=table.source, series=tuple(series),
               notices=tuple(notices))


def resolve_panel(panel: PanelStyle, column: str, x_label: str) -> PanelStyle:
    """Fill a panel's automatic title and labels from its column and the x label."""
    y_label = panel.y_label or column
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
    return " / ".join(sorted(names))


def prepare(paths: Sequence[str], config: Config | None = None, *, strict: bool = False,
            labels: Sequence[str] | None = None) -> Prepared:
    """Read, clean and smooth every log for the panels of ``config`` (default: the seed chart)."""
    config = config or Config()
    if not paths:
        raise InputError("no log files given", hint="rlplot render LOG.jsonl -o out.png")
    runs = tuple(load_run(p, config, strict=strict, label=labels[i] if labels and i < len(labels)
                          else None) for i, p in enumerate(paths))
    x_label = x_axis_label(config, runs)
    smoothed = []
    for run in runs:
        per_panel = []
        for panel, series in zip(config.panels, run.series):
            spec = panel.smoothing or config.smoothing
            per_panel.append(smooth_series(series, spec.method, smoothing_params(spec)))
        smoothed.append(tuple(per_panel))
    panels = tuple(resolve_panel(p, runs[0].series[i].name, x_label)
                   for i, p in enumerate(config.panels))
    return Prepared(runs=runs, smoothed=tuple(smoothed), panels=panels, x_label=x_label)


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
           strict: bool = False, labels: Sequence[str] | None = None) -> RenderResult:
    """Render logs to a figure and write it to each output path (atomically, deterministically)."""
    config = config or Config()
    check_outputs(outputs, paths)
    prepared = prepare(paths, config, strict=strict, labels=labels)
    from .figure.chart import draw_chart, style_context
    from .figure.save import save_figure

    with style_context(config):
        fig = draw_chart(prepared, config)
        written = tuple(save_figure(fig, out, dpi=config.output.dpi or config.figure.dpi,
                                    transparent=config.output.transparent,
                                    metadata=config.output.metadata) for out in outputs)
    return RenderResult(figure=fig, written=written, prepared=prepared)
