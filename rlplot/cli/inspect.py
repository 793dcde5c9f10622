"""``rlplot inspect``: what each log or run holds and how rlplot would read it (text or JSON)."""
from __future__ import annotations

from pathlib import Path

import click

from ..choices import INSPECT_FORMATS
from . import options as opt
from .command import Command
from .exits import ExitCode

# Skipped lines listed per file in the report; the rest are counted.
SKIPPED_LINES_LISTED = 20

def _num(value) -> str:
    return "-" if value is None else f"{value:.6g}"


def _utc(seconds: float) -> str:
    import datetime

    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} s"


def events_text(report) -> list[str]:
    """An event-file run's lines: files, events, wall-time span, tags, other tags, damage."""
    ev = report.events
    names = ", ".join(name.rsplit("/", 1)[-1] for name in report.files[:3])
    more = f", … {len(report.files) - 3} more" if len(report.files) > 3 else ""
    out = [f"  source: tfevents, {len(report.files)} file{'s' * (len(report.files) != 1)}: "
           f"{names}{more}"]
    span = (f", wall time {_utc(ev.first_wall)} → {_utc(ev.last_wall)} UTC "
            f"({_span(ev.last_wall - ev.first_wall)})" if ev.first_wall is not None else "")
    out.append(f"  events: {ev.events}{span}")
    width = max([len(t.name) for t in ev.tags] + [4])
    if not ev.tags:
        why = ("only a header: the job stopped before logging anything"
               if ev.events <= len(report.files) else "no scalar summaries")
        out.append(f"  tags: none ({why}); render leaves this run out")
    else:
        out.append(f"  tags ({len(ev.tags)}):")
        out.append(f"    {'name':<{width}}  {'points':>7}  {'steps':<21} {'restarts':>8} {'repeats':>7}")
    for t in ev.tags:
        steps = f"{t.min_step} … {t.max_step}"
        out.append(f"    {t.name:<{width}}  {t.points:>7}  {steps:<21} {t.restarts:>8} {t.repeats:>7}")
    if ev.other_tags:
        kinds: dict[str, int] = {}
        for _, what in ev.other_tags:
            kinds[what] = kinds.get(what, 0) + 1
        out.append(f"  other tags: {len(ev.other_tags)} (" +
                   ", ".join(f"{what}: {n}" for what, n in kinds.items()) + ")")
    out.append(f"  damage: {len(report.damage) or 'none'}")
    out += [f"    {what}" for what in report.damage[:SKIPPED_LINES_LISTED]]
    return out


def config_text(report) -> str:
    """``config: lr=3e-4 *, algo=ppo`` (* marks a key whose values differ across the runs)."""
    from ..runs.configs import format_value

    if not report.config:
        return "  config: none found"
    items = [f"{key}={format_value(value)}" + (" *" if key in report.config_differs else "")
             for key, value in report.config.items()]
    return "  config: " + ", ".join(items)


def keys_text(inspected) -> str:
    """The closing block over several runs: every config key, those that differ first."""
    from ..runs.configs import values_of

    configs = [f.config for f in inspected.files if f.error is None]
    if not inspected.config_keys:
        return f"config keys over {len(configs)} runs: none found (docs/formats.md: run configs)"
    lines = [f"config keys over {len(configs)} runs (* differs: worth grouping by with "
             "--group-by cfg:KEY):"]
    order = list(inspected.differing) + [k for k in inspected.config_keys
                                         if k not in inspected.differing]
    for key in order:
        mark = "*" if key in inspected.differing else " "
        lines.append(f"  {mark} {key}: {', '.join(values_of(configs, key))}")
    return "\n".join(lines)


def report_text(report) -> str:
    """A FileReport as readable text (one block per file or run)."""
    out = [report.path]
    if report.error:
        out.append(f"  error: {report.error}")
        if report.format:
            out.append(f"  format: {report.format}")
        return "\n".join(out)
    if report.label is not None:
        out.append(f"  label: {report.label}")
    if report.events is not None:
        return "\n".join(out + events_text(report) + [config_text(report)])
    how = "forced with --input-format" if report.format_forced else "detected"
    out.append(f"  format: {report.format} ({how})" if report.kind == "log" else
               f"  source: {report.kind} ({report.format})")
    if len(report.runs) > 1:
        out.append(f"  runs: {len(report.runs)} ({', '.join(str(r.run) for r in report.runs)})")
    for run in report.runs:
        indent = "  "
        if run.run is not None:
            out.append(f"  run '{run.run}':")
            indent = "    "
        out.append(f"{indent}rows: {run.rows}")
        for note in run.notes:
            out.append(f"{indent}note: {note}")
        width = max([len(c.name) for c in run.columns] + [6])
        out.append(f"{indent}columns ({len(run.columns)}):")
        out.append(f"{indent}  {'name':<{width}}  {'type':<7} {'numeric':>7} {'NaN':>5} {'inf':>4} "
                   f"{'empty':>6} {'text':>5}  range")
        for c in run.columns:
            rng = f"{_num(c.min)} … {_num(c.max)}" if c.min is not None else "-"
            out.append(f"{indent}  {c.name:<{width}}  {c.type:<7} {c.numeric:>7} {c.nan:>5} "
                       f"{c.inf:>4} {c.empty:>6} {c.non_numeric:>5}  {rng}")
        chosen = run.x if run.x is not None else "the row number (no x-like column)"
        out.append(f"{indent}x: {chosen}" + (f"   candidates: {', '.join(run.x_candidates)}"
                                             if run.x_candidates else "   candidates: none"))
        for panel in run.panels:
            target = panel.column if panel.column else f"not available: {panel.problem}"
            out.append(f"{indent}default panel '{panel.metric}': {target}")
        if run.restarts:
            where = "; ".join(f"{'line ' + str(r.line) if r.line else 'row ' + str(r.row)}: "
                              f"{r.x_from:g} → {r.x_to:g}" for r in run.restarts[:10])
            more = f"; … {run.restart_count - 10} more" if run.restart_count > 10 else ""
            out.append(f"{indent}restarts: {run.restart_count} ({where}{more})")
        else:
            out.append(f"{indent}restarts: none")
        if run.duplicate_x_values:
            out.append(f"{indent}duplicate x: {run.duplicate_x_values} values on "
                       f"{run.duplicate_x_rows} extra rows (each series merges them by --duplicates)")
        else:
            out.append(f"{indent}duplicate x: none")
    out.append(f"  skipped lines: {len(report.skipped)}")
    for skip in report.skipped[:SKIPPED_LINES_LISTED]:
        where = f"line {skip.line}" if skip.line is not None else "record"
        out.append(f"    {where}: {skip.why}")
    if len(report.skipped) > SKIPPED_LINES_LISTED:
        out.append(f"    … {len(report.skipped) - SKIPPED_LINES_LISTED} more")
    if report.label is not None or report.config:
        out.append(config_text(report))
    return "\n".join(out)


def figure_text(path: str, record, error: str | None) -> str:
    """What made a figure (its provenance record) as readable text."""
    from ..config.emit import flow
    from ..provenance import config_changes

    out = [path]
    if error or record is None:
        out.append(f"  error: {error or 'no rlplot provenance in this figure'}")
        return "\n".join(out)
    out.append(f"  made by: rlplot {record.version}")
    out.append(f"  command: {record.command if record.command is not None else '(not recorded)'}")
    out.append(f"  inputs ({len(record.inputs)}):")
    for item in record.inputs:
        size = "-" if item.size is None else f"{item.size:,} bytes"
        out.append(f"    {item.path or '(path not recorded)'}  {size}  sha256 {item.sha256 or '-'}")
    if record.labels:
        out.append(f"  labels: {', '.join(record.labels)}")
    changes = config_changes(record.config)
    out.append("  config: " + ("the defaults" if not changes else
                               "the defaults, except (as --set KEY=VALUE would give them):"))
    out += [f"    {key}={flow(value)}" for key, value in changes]
    return "\n".join(out)


def _figure(path: str):
    from ..errors import RlplotError
    from ..provenance import read_provenance

    try:
        return read_provenance(path), None
    except RlplotError as exc:
        return None, exc.what


@click.command(cls=Command)
@click.argument("logs", nargs=-1, required=True, metavar="LOG|DIR...")
@opt.print_format(INSPECT_FORMATS, "text", legacy_input_format=True)
@opt.input_format
@opt.config_options
@opt.quiet
@opt.reading_options
@opt.legacy_json
@opt.debug
def inspect(logs, fmt, input_format, configs, sets, quiet, jobs, executor, scheduler):
    """Show what each LOG or run in DIR holds: format (or run source), columns or tags (points,
    step ranges), x choice, panels, restarts, damage, skipped lines, and each run's config, with
    the keys whose values differ across the runs marked; for a figure rlplot wrote (.png, .svg,
    .pdf), what made it: version, command, inputs, config.

    Exit code 1 if a log cannot be read, or a figure records no provenance (after reporting
    every file).

    \b
    rlplot inspect monitor.csv progress.txt
    rlplot inspect -f json metrics.jsonl
    rlplot inspect --input-format csv monitor.csv
    rlplot inspect tb_logs/ mlruns/
    rlplot inspect figures/run.png
    """
    import json

    from ..choices import FIGURE_FORMATS
    from ..config import load_config
    from ..inspect import inspect_paths
    from ..runs.parallel import Reading
    from .output import warn
    from .render import render_overrides

    config = load_config(configs, sets, render_overrides(input_format=input_format)).config
    is_figure = [Path(p).suffix.lower()[1:] in FIGURE_FORMATS for p in logs]
    figures = {p: _figure(p) for p, fig in zip(logs, is_figure) if fig}
    inspected = inspect_paths([p for p, fig in zip(logs, is_figure) if not fig], config=config,
                              reading=Reading(jobs, executor, scheduler))
    if not quiet:
        for notice in inspected.notices:
            warn(notice)
    reports = inspected.files
    if fmt == "json":
        out = inspected.to_dict()
        if figures:
            out["figures"] = [{"path": p, "provenance": r.to_dict() if r else None,
                               "error": e if r or e else "no rlplot provenance in this figure"}
                              for p, (r, e) in figures.items()]
        click.echo(json.dumps(out, indent=2, sort_keys=True, allow_nan=False))
    else:
        blocks = [report_text(r) for r in reports]
        read = [r for r in reports if r.error is None]
        if len(read) > 1 and (inspected.config_keys or any(r.label is not None for r in read)):
            blocks.append(keys_text(inspected))
        blocks += [figure_text(p, *figures[p]) for p in dict.fromkeys(figures)]
        click.echo("\n\n".join(blocks))
    failed = any(r.error for r in reports) or any(r is None for r, _ in figures.values())
    return ExitCode.ERROR if failed else ExitCode.OK
