"""``rlplot render``: logs in, one figure out (to one or more files)."""
from __future__ import annotations

from typing import Sequence

import click

from ..choices import DUPLICATE_POLICIES, RESTART_POLICIES, SMOOTHING_METHODS, X_RANGES
from ..config.schema import option_help
from . import options as opt
from .command import Command

class FracType(click.ParamType):
    """``--frac``: a number, or ``auto`` (chosen by cross-validation; see docs/smoothing.md)."""

    name = "frac"

    def convert(self, value, param, ctx):
        if isinstance(value, float) or str(value).strip().lower() == "auto":
            return value if isinstance(value, float) else "auto"
        try:
            return float(value)
        except ValueError:
            self.fail(f"{value!r} is neither a number nor 'auto'", param, ctx)


# Each dedicated flag and the config key it sets: the flags form the top config layer.
FLAG_KEYS = {
    "x": "data.x", "restarts": "data.restarts", "duplicates": "data.duplicates",
    "input_format": "data.format", "formats": "output.formats",
    "smooth": "smoothing.method", "frac": "smoothing.frac", "ema_weight": "smoothing.weight",
    "dpi": "figure.dpi", "width": "figure.width", "height": "figure.height",
    "aggregate": "runs.aggregate", "band": "runs.band", "reps": "runs.reps",
    "x_range": "runs.x_range", "group_by": "runs.group_by", "where": "runs.where",
}


def render_overrides(ys=(), annotate: bool = False, **flags) -> dict:
    """The dedicated CLI flags as a config layer (they win over every file and --set)."""
    layer: dict = {}
    for name, value in flags.items():
        if value is not None and value != ():
            section, key = FLAG_KEYS[name].split(".")
            layer.setdefault(section, {})[key] = list(value) if isinstance(value, tuple) else value
    extra = {"annotate": True} if annotate else {}
    if ys:
        layer["panels"] = [{"metric": y, **extra} for y in ys]
    elif annotate:
        layer["panels"] = {"*": extra}  # every panel, however many the configs made
    return layer


def figure_outputs(logs: Sequence[str], outputs: Sequence[str], formats: Sequence[str],
                   config) -> list[str]:
    """The files to write: ``-o`` as given, else ``<log or folder name>.<format>`` per output.formats."""
    from ..names import input_stem

    if outputs and formats:
        raise click.UsageError("-o names the files (the extension picks the format); --formats is "
                               "for automatic names: give one or the other")
    return list(outputs) or [f"{input_stem(logs[0])}.{ext}" for ext in config.output.formats]


class RecordingCommand(Command):
    """A subcommand that keeps its argv as given, for the provenance of what it writes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[ARGV_KEY] = list(args)
        return super().parse_args(ctx, args)


ARGV_KEY = "rlplot.argv"


def command_line(ctx: click.Context) -> str:
    """The command as the user typed it, quoted with shlex: ``rlplot render 'my run.jsonl' -o a.png``."""
    import shlex

    argv = ctx.meta.get(ARGV_KEY, [])
    names = []
    while ctx.parent is not None:     # the subcommand's names; the program is always rlplot
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    return shlex.join(["rlplot", *names, *argv])


def like_figure(figure: str, logs: Sequence[str], labels: Sequence[str]):
    """``--like FIGURE``: its recorded config as a layer, and the logs (the recorded ones, checked
    to hash the same, when none are given) and labels to draw."""
    from ..config.layers import Layer
    from ..errors import InputError
    from ..provenance import check_inputs, read_provenance

    record = read_provenance(figure)
    if record is None:
        raise InputError("the figure records no rlplot provenance (made by another program, or "
                         "with output.provenance: false)", file=figure,
                         hint="render the logs with -c CONFIG instead")
    if not logs:
        logs = check_inputs(record, figure)
        labels = labels or record.labels
    return Layer(name=figure, data=dict(record.config)), list(logs), list(labels)


def load_with_base(base, configs, sets, overrides):
    """The effective config with ``base`` (a config Layer) under every -c, --set and flag."""
    from ..config.layers import config_layers
    from ..config.loader import resolve

    config, problems = resolve([base, *config_layers(configs, sets, overrides)])
    if problems.errors:
        raise problems.in_file_order()[0]
    return config


def _smooth_help() -> str:
    return (f"{option_help('smoothing.method')} METHOD: {SMOOTHING_METHODS.listing()}; set a "
            "method's parameters with --set smoothing.<param>=VALUE (docs/smoothing.md).")


@click.command(cls=RecordingCommand)
@click.argument("logs", nargs=-1, metavar="LOG|DIR...")
@opt.outputs
@opt.formats
@opt.config_options
@opt.log_options
@click.option("--smooth", metavar="METHOD", help=_smooth_help())
@click.option("--frac", type=FracType(), metavar="F|auto", help=option_help("smoothing.frac"))
@click.option("--ema-weight", type=float, help=option_help("smoothing.weight"))
@click.option("--dpi", type=int, help=option_help("figure.dpi"))
@click.option("--width", type=float, help=option_help("figure.width"))
@click.option("--height", type=float, help=option_help("figure.height"))
@click.option("--data-out", "data_out", metavar="FILE.csv",
              help="Also write every point (x, y, smoothed, band) of every run and panel as "
                   "long-form CSV.")
@opt.group_by
@opt.where
@opt.aggregate
@opt.band
@opt.reps
@click.option("--x-range", metavar=opt.one_of(X_RANGES), help=option_help("runs.x_range"))
@click.option("--restarts", metavar=opt.one_of(RESTART_POLICIES), help=option_help("data.restarts"))
@click.option("--duplicates", metavar=opt.one_of(DUPLICATE_POLICIES),
              help=option_help("data.duplicates"))
@click.option("--annotate", is_flag=True,
              help="Mark the dip and the knee on every panel (as in rlplot summary) [config: "
                   "panels.N.annotate].")
@click.option("--like", "like", metavar="FIGURE",
              help="Re-render with the config a figure rlplot wrote records (under -c, --set and "
                   "flags), on its recorded inputs if they still hash the same, or on LOG... "
                   "(see `rlplot inspect FIGURE`).")
@opt.reading_options
@opt.legacy_input_format
@opt.debug
def render(logs, outputs, formats, configs, sets, x, ys, labels, input_format, strict, quiet,
           smooth, frac, ema_weight, dpi, width, height, data_out, group_by, where, aggregate,
           band, reps, x_range, restarts, duplicates, annotate, like, jobs, executor, scheduler):
    """Render runs to the two-panel chart: LOG files (CSV, TSV, JSONL, JSON, .gz, - for stdin, an
    event file, an mlflow.db, a .wandb file) and DIRs of runs (event-file folders, logs, mlruns/,
    wandb/ run folders), walked.

    \b
    rlplot render run.jsonl -o figures/run.png -o figures/run.pdf
    rlplot render run.jsonl --formats png,svg          # run.png and run.svg here
    rlplot render progress.txt --x TotalEnvInteracts --y AverageEpRet -o ret.svg
    rlplot render logs/ --y rollout/ep_rew_mean --group-by '(PPO|DQN)_seed' --aggregate iqm
    rlplot render mlruns/ --y train/reward --group-by cfg:lr --where experiment=cartpole
    rlplot render tb_logs/ --y rollout/ep_rew_mean --x relative
    rlplot render run.jsonl --smooth twema --set smoothing.halflife=5e19 --data-out run.csv
    rlplot render --like figures/run.png -c paper -o run-paper.pdf   # restyle a figure later
    rlplot render sweep/ --aggregate mean --band ci -j 2    # 1,000 runs read by 2 processes
    """
    from ..config import load_config
    from ..pipeline import render as render_logs
    from ..runs.parallel import Reading
    from .output import echo_notices

    if not logs and not like:
        raise click.MissingParameter(ctx=click.get_current_context(), param_type="argument",
                                     param_hint="'LOG...'")

    overrides = render_overrides(
        ys, annotate, x=x, smooth=smooth, frac=frac, ema_weight=ema_weight, dpi=dpi, width=width,
        height=height, aggregate=aggregate, band=band, reps=reps, x_range=x_range,
        group_by=group_by, where=where, restarts=restarts, duplicates=duplicates,
        input_format=input_format, formats=formats)
    if like:
        base, logs, labels = like_figure(like, logs, labels)
        config = load_with_base(base, configs, sets, overrides)
    else:
        config = load_config(configs, sets, overrides).config
    written_to = figure_outputs(logs, outputs, formats, config)
    result = render_logs(list(logs), written_to, config, strict=strict, labels=list(labels),
                         data_out=data_out, command=command_line(click.get_current_context()),
                         reading=Reading(jobs, executor, scheduler))
    if not quiet:
        echo_notices(result.notices)
    for path in result.written:
        click.echo(path)
