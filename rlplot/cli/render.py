"""``rlplot render``: logs in, one figure out (to one or more files)."""
from __future__ import annotations

import click

from ..config.schema import option_help
from . import debug_option
from .common import config_options, echo_notices


def render_overrides(x, ys, smooth, frac, ema_weight, dpi, width, height) -> dict:
    """The dedicated CLI flags as a config layer (they win over every file and --set)."""
    layer: dict = {}

    def put(section, key, value):
        if value is not None:
            layer.setdefault(section, {})[key] = value

    put("data", "x", x)
    put("smoothing", "method", smooth)
    put("smoothing", "frac", frac)
    put("smoothing", "weight", ema_weight)
    put("figure", "dpi", dpi)
    put("figure", "width", width)
    put("figure", "height", height)
    if ys:
        layer["panels"] = [{"metric": y} for y in ys]
    return layer


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
              help="Output file (.png, .svg, .pdf); repeatable. Default: <log name>.png here.")
@config_options
@click.option("--x", "x", metavar="COL", help=option_help("data.x"))
@click.option("--y", "ys", multiple=True, metavar="COL",
              help="Metric column for a panel; repeatable, one panel per --y, in order.")
@click.option("--smooth", metavar="METHOD", help=option_help("smoothing.method") +
              " Methods: lowess (frac or bandwidth), ema (weight), twema (halflife), rolling (window),"
              " gaussian (sigma), none; set their parameters with --set smoothing.<param>=VALUE.")
@click.option("--frac", type=float, help=option_help("smoothing.frac"))
@click.option("--ema-weight", type=float, help=option_help("smoothing.weight"))
@click.option("--dpi", type=int, help=option_help("figure.dpi"))
@click.option("--width", type=float, help=option_help("figure.width"))
@click.option("--height", type=float, help=option_help("figure.height"))
@click.option("--data-out", "data_out", metavar="FILE.csv",
              help="Also write every point (x, y, smoothed, band) of every run and panel as "
                   "long-form CSV.")
@click.option("--label", "labels", multiple=True, help="Legend label of each run, in order.")
@click.option("--strict", is_flag=True, help="Treat every skipped line as an error.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@debug_option
def render(logs, outputs, configs, sets, x, ys, smooth, frac, ema_weight, dpi, width, height,
           data_out, labels, strict, quiet):
    """Render LOG... (CSV, TSV, JSONL, JSON, .gz, or - for stdin) to the two-panel chart.

    \b
    rlplot render run.jsonl -o figures/run.png -o figures/run.pdf
    rlplot render progress.txt --x TotalEnvInteracts --y AverageEpRet -o ret.svg
    rlplot render run.jsonl --smooth twema --set smoothing.halflife=5.0e+19 --data-out run.csv
    """
    from ..config import load_config
    from ..pipeline import render as render_logs, run_label

    overrides = render_overrides(x, ys, smooth, frac, ema_weight, dpi, width, height)
    config = load_config(configs, sets, overrides).config
    outputs = outputs or (f"{run_label(logs[0])}.png",)
    result = render_logs(list(logs), list(outputs), config, strict=strict, labels=list(labels),
                         data_out=data_out)
    if not quiet:
        echo_notices(result.prepared.notices)
    for path in result.written:
        click.echo(path)
