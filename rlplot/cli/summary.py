"""``rlplot summary``: the numbers behind the chart (dip, knee, thresholds, variance), as -f prints them."""
from __future__ import annotations

import click

from ..choices import SUMMARY_FORMATS
from . import options as opt
from .command import Command


def _thresholds(ctx, param, values):
    from ..summary import parse_threshold

    try:
        return tuple(parse_threshold(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command(cls=Command)
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@opt.print_format(SUMMARY_FORMATS, "text")
@click.option("-t", "--threshold", "thresholds", multiple=True, metavar="METRIC=VALUE",
              callback=_thresholds,
              help="Report where the smoothed METRIC first crosses VALUE; repeatable. On percent "
                   "panels 0.5, 50 and 50% all mean 50 %.")
@opt.config_options
@opt.log_options
@opt.debug
def summary(logs, fmt, thresholds, configs, sets, x, ys, labels, input_format, strict, quiet):
    """Report per run and metric: points, range, dip, knee, threshold crossings, variance growth.

    Uses the same reading, cleaning and smoothing as ``rlplot render`` (and its -c/--set).

    \b
    rlplot summary run.jsonl
    rlplot summary run.jsonl -t accuracy=50% -f markdown >> "$GITHUB_STEP_SUMMARY"
    rlplot summary runs/*.jsonl -f json > summary.json
    """
    from ..config import load_config
    from ..pipeline import prepare
    from ..choices import SUMMARY_FORMATS
    from ..summary import summarize
    from .output import echo_notices
    from .render import render_overrides

    overrides = render_overrides(ys, x=x, input_format=input_format)
    config = load_config(configs, sets, overrides).config
    prepared = prepare(list(logs), config, strict=strict, labels=list(labels))
    if not quiet:
        echo_notices(prepared.notices)
    click.echo(SUMMARY_FORMATS.load(fmt)(summarize(prepared, thresholds)), nl=False)
