"""``rlplot report``: a sweep as one self-contained HTML page (or Markdown with PNGs beside it)."""
from __future__ import annotations

import os

import click

from ..choices import REPORT_FORMATS, REPORT_SUFFIXES
from . import options as opt
from .exits import ExitCode
from .render import RecordingCommand, command_line, render_overrides
from .summary import summary as _summary_command

# The same -t/--threshold as `rlplot summary`: one option, declared there.
_threshold = next(p for p in _summary_command.params if p.name == "thresholds")
threshold = click.option(*_threshold.opts, "thresholds", multiple=True, metavar=_threshold.metavar,
                         callback=_threshold.callback, help=_threshold.help)

# -o picks its format by extension (rlplot.choices.REPORT_SUFFIXES), else -f; without -o, these names:
DEFAULT_NAME = {"html": "report.html", "markdown": "report.md"}


def report_outputs(outputs, fmt: str) -> list[tuple[str, str]]:
    """(path, format) of each file to write: -o's extension picks the format (else -f); without
    -o, report.html or report.md here."""
    if not outputs:
        return [(DEFAULT_NAME[fmt], fmt)]
    return [(path, REPORT_SUFFIXES.get(os.path.splitext(path)[1].lower(), fmt)) for path in outputs]


@click.command(cls=RecordingCommand)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@opt.outputs
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
def report(inputs, outputs, fmt, title, thresholds, configs, sets, x, ys, labels, input_format, strict,
           quiet, group_by, aggregate, band, jobs):
    """Write one report of INPUT... (logs, globs): per run or group its chart, summary numbers
    and data-quality notes; the effective config and every input's sha256.

    HTML (the default) is one self-contained page: interactive charts (hover, legend, zoom, a
    filter box) with static SVG fallbacks, nothing loaded from the network. Markdown (an -o
    ending in .md, or -f markdown) comes with one PNG per section beside it. A log that cannot be
    read is a note in the report and an error line here (exit code 1); the others are reported.

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
    written_to = report_outputs(outputs, fmt)
    overrides = render_overrides(ys, x=x, input_format=input_format, group_by=group_by,
                                 aggregate=aggregate, band=band)
    config = load_config(configs, sets, overrides).config
    paths = expand_paths(inputs)
    real_inputs = {os.path.realpath(p) for p in paths}
    for path, _ in written_to:
        if os.path.realpath(path) in real_inputs:
            raise OutputError("the report would overwrite an input", file=path,
                              hint="choose another -o path")
    markdown = [path for path, kind in written_to if kind == "markdown"]
    image_dir = (os.path.dirname(markdown[0]) or ".") if markdown else None
    built = build_report(paths, config, title=title, command=command_line(ctx),
                         thresholds=thresholds, labels=labels, strict=strict, image_dir=image_dir,
                         workers=jobs or os.cpu_count() or 1)
    for exc in built.failed:
        click.echo(error_line(str(exc)), err=True)
    notes = built.report.note_count - len(built.failed)
    if notes and not quiet:
        warn(f"{notes:,} data-quality note{'s' if notes != 1 else ''}: see the report")
    images = [None if i is None else os.path.normpath(os.path.join(image_dir, i)) for i in built.images]
    for image in filter(None, images):
        click.echo(image)
    for path, kind in written_to:
        REPORT_FORMATS.load(kind)(built, path, images)
        click.echo(path)
    return ExitCode.ERROR if built.failed else ExitCode.OK
