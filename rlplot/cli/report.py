"""``rlplot report``: a sweep as one self-contained HTML page (or Markdown with PNGs beside it)."""
from __future__ import annotations

import os

import click
from click.core import ParameterSource

from ..choices import REPORT_FORMATS
from . import options as opt
from .exits import ExitCode
from .render import RecordingCommand, command_line, render_overrides
from .summary import summary as _summary_command

# The same -t/--threshold as `rlplot summary`: one option, declared there.
_threshold = next(p for p in _summary_command.params if p.name == "thresholds")
threshold = click.option(*_threshold.opts, "thresholds", multiple=True, metavar=_threshold.metavar,
                         callback=_threshold.callback, help=_threshold.help)

MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_NAME = {"html": "report.html", "markdown": "report.md"}


def report_format(fmt: str, source: ParameterSource | None, output: str | None) -> str:
    """The format to write: -f when given, else markdown for an -o ending in .md, else html."""
    if source is ParameterSource.COMMANDLINE or output is None:
        return fmt
    return "markdown" if output.lower().endswith(MARKDOWN_SUFFIXES) else "html"


@click.command(cls=RecordingCommand)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "output", metavar="FILE",
              help="The report file (default: report.html here; report.md with -f markdown). An "
                   "-o ending in .md writes Markdown unless -f says otherwise.")
@opt.print_format(REPORT_FORMATS, "html")
@click.option("--title", default="rlplot report", show_default=True, help="The report's title.")
@threshold
@opt.config_options
@opt.log_options
@opt.group_by
@opt.aggregate
@opt.band
@opt.jobs
@opt.debug
def report(inputs, output, fmt, title, thresholds, configs, sets, x, ys, labels, input_format, strict,
           quiet, group_by, aggregate, band, jobs):
    """Write one report of INPUT... (logs, globs): per run or group its chart, summary numbers
    and data-quality notes; the effective config and every input's sha256.

    HTML (the default) is one self-contained page: interactive charts (hover, legend, zoom, a
    filter box) with static SVG fallbacks, nothing loaded from the network. -f markdown writes
    Markdown with one PNG per section beside it. A log that cannot be read is a note in the
    report and an error line here (exit code 1); the other logs are still reported.

    \b
    rlplot report 'sweep/*/metrics.jsonl' -o report.html
    rlplot report 'sweep/*/metrics.jsonl' --group-by 'lr([^_]+)_seed' --aggregate mean -o by-lr.html
    rlplot report runs/*.jsonl -t accuracy=50% -f markdown -o summary/report.md
    """
    from ..config import load_config
    from ..errors import OutputError
    from ..report.build import build_report
    from ..runs.discover import expand_paths
    from .output import error_line, warn

    ctx = click.get_current_context()
    fmt = report_format(fmt, ctx.get_parameter_source("fmt"), output)
    output = output or DEFAULT_NAME[fmt]
    overrides = render_overrides(ys, x=x, input_format=input_format, group_by=group_by,
                                 aggregate=aggregate, band=band)
    config = load_config(configs, sets, overrides).config
    paths = expand_paths(inputs)
    if os.path.realpath(output) in {os.path.realpath(p) for p in paths}:
        raise OutputError("the report would overwrite an input", file=output,
                          hint="choose another -o path")
    image_dir = (os.path.dirname(output) or ".") if fmt == "markdown" else None
    built = build_report(paths, config, title=title, command=command_line(ctx),
                         thresholds=thresholds, labels=labels, strict=strict, image_dir=image_dir,
                         workers=jobs or os.cpu_count() or 1)
    for exc in built.failed:
        click.echo(error_line(str(exc)), err=True)
    notes = built.report.note_count - len(built.failed)
    if notes and not quiet:
        warn(f"{notes:,} data-quality note{'s' if notes != 1 else ''}: see the report")
    REPORT_FORMATS.load(fmt)(built, output)
    for image in built.images:
        if image is not None:
            click.echo(os.path.join(image_dir, image) if image_dir != "." else image)
    click.echo(output)
    return ExitCode.ERROR if built.failed else ExitCode.OK
