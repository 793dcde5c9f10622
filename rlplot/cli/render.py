"""``rlplot render``: logs in, one figure out (to one or more files)."""
from __future__ import annotations

import click

from ..config.schema import option_help
from . import debug_option
from .common import config_options, log_options, echo_notices


# Each dedicated flag and the config key it sets: the flags form the top config layer.
FLAG_KEYS = {
    "x": "data.x", "restarts": "data.restarts", "duplicates": "data.duplicates", "fmt": "data.format",
    "smooth": "smoothing.method", "frac": "smoothing.frac", "ema_weight": "smoothing.weight",
    "dpi": "figure.dpi", "width": "figure.width", "height": "figure.height",
    "aggregate": "runs.aggregate", "band": "runs.band", "reps": "runs.reps",
    "x_range": "runs.x_range", "group_by": "runs.group_by",
}


def render_overrides(ys=(), annotate: bool = False, **flags) -> dict:
    """The dedicated CLI flags as a config layer (they win over every file and --set)."""
    layer: dict = {}
    for name, value in flags.items():
        if value is not None:
            section, key = FLAG_KEYS[name].split(".")
            layer.setdefault(section, {})[key] = value
    extra = {"annotate": True} if annotate else {}
    if ys:
        layer["panels"] = [{"metric": y, **extra} for y in ys]
    elif annotate:
        layer["panels"] = {"*": extra}  # every panel, however many the configs made
    return layer


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
              help="Output file (.png, .svg, .pdf); repeatable. Default: <log name>.png here "
              "(config: output.formats).")
@config_options
@log_options
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
@click.option("--group-by", metavar="REGEX", help=option_help("runs.group_by"))
@click.option("--aggregate", metavar="STAT", help=option_help("runs.aggregate") + " (mean, median, iqm)")
@click.option("--band", metavar="KIND", help=option_help("runs.band"))
@click.option("--reps", type=int, help=option_help("runs.reps"))
@click.option("--x-range", metavar="MODE", help=option_help("runs.x_range"))
@click.option("--restarts", metavar="POLICY",
              help=option_help("data.restarts"))
@click.option("--duplicates", metavar="POLICY",
              help=option_help("data.duplicates"))
@click.option("--format", "fmt", metavar="NAME", help=option_help("data.format"))
@click.option("--annotate", is_flag=True,
              help="Mark the dip and the knee on every panel (as in rlplot summary) [config: "
                   "panels.N.annotate].")
@debug_option
def render(logs, outputs, configs, sets, x, ys, smooth, frac, ema_weight, dpi, width, height,
           labels, group_by, aggregate, band, reps, x_range, strict, restarts, duplicates, fmt,
           quiet, annotate, data_out):
    """Render LOG... (CSV, TSV, JSONL, JSON, .gz, or - for stdin) to the two-panel chart.

    \b
    rlplot render run.jsonl -o figures/run.png -o figures/run.pdf
    rlplot render progress.txt --x TotalEnvInteracts --y AverageEpRet -o ret.svg
    rlplot render 'sweep/*/metrics.jsonl' --group-by 'lr([^_]+)_seed' --aggregate mean -o cmp.png
    rlplot render run.jsonl --smooth twema --set smoothing.halflife=5e19 --data-out run.csv
    """
    from ..config import load_config
    from ..pipeline import render as render_logs, run_label

    overrides = render_overrides(
        ys, annotate, x=x, smooth=smooth, frac=frac, ema_weight=ema_weight, dpi=dpi, width=width,
        height=height, aggregate=aggregate, band=band, reps=reps, x_range=x_range,
        group_by=group_by, restarts=restarts, duplicates=duplicates, fmt=fmt)
    config = load_config(configs, sets, overrides).config
    outputs = outputs or tuple(f"{run_label(logs[0])}.{ext}" for ext in config.output.formats)
    result = render_logs(list(logs), list(outputs), config, strict=strict, labels=list(labels),
                         data_out=data_out)
    if not quiet:
        echo_notices(result.notices)
    for path in result.written:
        click.echo(path)
