"""``rlplot summary``: the numbers behind the chart (dip, knee, thresholds, variance) as text, JSON, Markdown or CSV."""
from __future__ import annotations

import click

from . import debug_option
from .common import config_options, echo_notices, log_options


def _thresholds(ctx, param, values):
    from ..summary import parse_threshold

    try:
        return tuple(parse_threshold(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def summary_overrides(x, ys) -> dict:
    """``--x``/``--y`` as a config layer (they win over every file and --set), as in ``render``."""
    layer: dict = {}
    if x is not None:
        layer["data"] = {"x": x}
    if ys:
        layer["panels"] = [{"metric": y} for y in ys]
    return layer


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown", "csv"]),
              default="text", show_default=True, help="Output format (markdown fits a CI job summary).")
@click.option("-t", "--threshold", "thresholds", multiple=True, metavar="METRIC=VALUE",
              callback=_thresholds,
              help="Report where the smoothed METRIC first crosses VALUE; repeatable. On percent "
                   "panels 0.5, 50 and 50% all mean 50 %.")
@config_options
@log_options
@debug_option
def summary(logs, fmt, thresholds, configs, sets, x, ys, labels, strict, quiet):
    """Report per run and metric: points, range, dip, knee, threshold crossings, variance growth.

    Uses the same reading, cleaning and smoothing as ``rlplot render`` (and its -c/--set).

    \b
    rlplot summary run.jsonl
    rlplot summary run.jsonl -t accuracy=50% --format markdown >> "$GITHUB_STEP_SUMMARY"
    rlplot summary runs/*.jsonl --format json > summary.json
    """
    from ..config import load_config
    from ..pipeline import prepare
    from ..choices import SUMMARY_FORMATS
    from ..summary import summarize

    config = load_config(configs, sets, summary_overrides(x, ys)).config
    prepared = prepare(list(logs), config, strict=strict, labels=list(labels))
    if not quiet:
        echo_notices(prepared.notices)
    click.echo(SUMMARY_FORMATS.load(fmt)(summarize(prepared, thresholds)), nl=False)
