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
@click.argument("logs", nargs=-1, required=True, metavar="LOG|DIR...")
@opt.print_format(SUMMARY_FORMATS, "text")
@click.option("-t", "--threshold", "thresholds", multiple=True, metavar="METRIC=VALUE",
              callback=_thresholds,
              help="Report where the smoothed METRIC first crosses VALUE; repeatable. On percent "
                   "panels 0.5, 50 and 50% all mean 50 %.")
@opt.config_options
@opt.log_options
@opt.group_by
@opt.where
@opt.reading_options
@opt.debug
def summary(logs, fmt, thresholds, configs, sets, x, ys, labels, input_format, strict, quiet,
            group_by, where, jobs, executor, scheduler):
    """Report per run and metric: points, range, dip, knee, threshold crossings, variance growth.

    Uses the same runs, reading, cleaning and smoothing as ``rlplot render`` (and its -c/--set);
    JSON carries each run's config and group.

    \b
    rlplot summary run.jsonl
    rlplot summary run.jsonl -t accuracy=50% -f markdown >> "$GITHUB_STEP_SUMMARY"
    rlplot summary runs/ --y rollout/ep_rew_mean --group-by cfg:lr -f json > summary.json
    """
    from ..config import load_config
    from ..pipeline import prepare
    from ..runs.parallel import Reading
    from ..choices import SUMMARY_FORMATS
    from ..summary import summarize
    from .output import echo_notices
    from .render import render_overrides

    overrides = render_overrides(ys, x=x, input_format=input_format, group_by=group_by, where=where)
    config = load_config(configs, sets, overrides).config
    prepared = prepare(list(logs), config, strict=strict, labels=list(labels),
                       reading=Reading(jobs, executor, scheduler))
    if not quiet:
        echo_notices(prepared.notices)
    click.echo(SUMMARY_FORMATS.load(fmt)(summarize(prepared, thresholds)), nl=False)
