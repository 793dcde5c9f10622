"""``rlplot inspect``: what each log holds and how rlplot would read it (text or --json)."""
from __future__ import annotations

import click

from ..config.schema import option_help
from . import debug_option
from .common import config_options

MAX_SKIPPED_SHOWN = 20


def _num(value) -> str:
    return "-" if value is None else f"{value:.6g}"


def report_text(report) -> str:
    """A FileReport as readable text (one block per file)."""
    out = [report.path]
    if report.error:
        out.append(f"  error: {report.error}")
        if report.format:
            out.append(f"  format: {report.format}")
        return "\n".join(out)
    how = "forced with --format" if report.format_forced else "detected"
    out.append(f"  format: {report.format} ({how})")
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
    for skip in report.skipped[:MAX_SKIPPED_SHOWN]:
        where = f"line {skip.line}" if skip.line is not None else "record"
        out.append(f"    {where}: {skip.why}")
    if len(report.skipped) > MAX_SKIPPED_SHOWN:
        out.append(f"    … {len(report.skipped) - MAX_SKIPPED_SHOWN} more")
    return "\n".join(out)


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys) instead of text.")
@click.option("--format", "fmt", metavar="NAME", help=option_help("data.format"))
@config_options
@debug_option
def inspect(logs, as_json, fmt, configs, sets):
    """Show what each LOG holds: format, columns, x choice, panels, restarts, skipped lines.

    \b
    rlplot inspect monitor.csv progress.txt
    rlplot inspect --json metrics.jsonl
    """
    import json

    from ..config import load_config
    from ..inspect import inspect_log

    overrides = {"data": {"format": fmt}} if fmt else None
    config = load_config(configs, sets, overrides).config
    reports = [inspect_log(path, config=config) for path in logs]
    if as_json:
        click.echo(json.dumps({"files": [r.to_dict() for r in reports]}, indent=2, sort_keys=True,
                              allow_nan=False))
    else:
        click.echo("\n\n".join(report_text(r) for r in reports))
    if any(r.error for r in reports):
        raise click.exceptions.Exit(1)
