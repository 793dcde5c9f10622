"""``rlplot compare``: logs of several algorithms on several tasks in, rliable's evaluation out
(interval estimates, performance profiles, P(X > Y), sample-efficiency curves; tables)."""
from __future__ import annotations

from typing import Sequence

import click

from ..choices import COMPARE_FIGURES, NORMALIZATIONS, PROFILE_KINDS, SCORE_METHODS, TABLE_FORMATS, TAU_SCALES
from ..config.schema import option_help
from . import options as opt
from .command import Command

# Each dedicated flag and the config key it sets: the flags form the top config layer.
FLAG_KEYS = {
    "algo_by": "compare.algo_by", "task_by": "compare.task_by", "score": "compare.score",
    "normalize": "compare.normalize", "kinds": "compare.kinds", "layout": "compare.layout",
    "pairs": "compare.improvement.pairs", "profile": "compare.profiles.kind",
    "tau_scale": "compare.profiles.tau_scale", "reps": "runs.reps", "level": "runs.level",
    "seed": "runs.seed", "x": "data.x", "input_format": "data.format",
}
DEFAULT_NAME = "compare"     # without -o and --table: compare-<kind>.<format> here


def compare_overrides(ys: Sequence[str] = (), **flags) -> dict:
    """The dedicated flags as a config layer (they win over every file and --set)."""
    layer: dict = {}
    for name, value in flags.items():
        if value is None or value == ():
            continue
        *sections, key = FLAG_KEYS[name].split(".")
        node = layer
        for section in sections:
            node = node.setdefault(section, {})
        node[key] = list(value) if isinstance(value, tuple) else value
    if ys:
        layer["panels"] = [{"metric": ys[0]}]
    return layer


def default_outputs(outputs: Sequence[str], tables: Sequence[str], formats: Sequence[str]) -> list[str]:
    """``-o`` as given; with neither ``-o`` nor ``--table``, ``compare.<format>`` per output.formats."""
    if outputs or tables:
        return list(outputs)
    return [f"{DEFAULT_NAME}.{fmt}" for fmt in formats]


def _described(registry, **names) -> str:
    return "; ".join(f"{names.get(c.name, c.name)}: {c.help}" for c in registry.choices())


SPEC_HELP = ("regex over each run's path whose first capture group (or the group named 'group') "
             "names the {what}; runs sharing algorithm and task are the seeds of one cell "
             "[config: compare.{key}]")


@click.command(cls=Command)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--algo-by", metavar="SPEC", help=SPEC_HELP.format(what="algorithm", key="algo_by"))
@click.option("--task-by", metavar="SPEC", help=SPEC_HELP.format(what="task", key="task_by"))
@opt.outputs
@click.option("--table", "tables", multiple=True, metavar="FILE",
              help="Also write every aggregate with its CI and runs, P(X > Y) and per-task means; the "
                   "extension picks the format: " + _described(TABLE_FORMATS) + "; repeatable.")
@opt.config_options
@opt.x
@opt.y
@opt.input_format
@click.option("--score", metavar="SPEC", help="Score of a run (default last:10%): "
              + _described(SCORE_METHODS) + " [config: compare.score].")
@click.option("--normalize", metavar="none|minmax|FILE.yaml", help="Normalization: "
              + _described(NORMALIZATIONS, references="FILE.yaml") + " [config: compare.normalize].")
@click.option("--kinds", metavar="KIND[,KIND]", callback=opt._split_commas, multiple=True,
              help="Figures to draw, in order (default: all): " + _described(COMPARE_FIGURES)
                   + " [config: compare.kinds].")
@click.option("--layout", metavar="1+3|RxC", help=option_help("compare.layout"))
@click.option("--pairs", metavar="first|all|X:Y[,X:Y]", callback=opt._split_commas, multiple=True,
              help="The pairs of P(X > Y): first (default: the first algorithm against each other), "
                   "all (every pair), or X:Y pairs, comma-separated or repeated "
                   "[config: compare.improvement.pairs].")
@click.option("--profile", metavar=opt.one_of(PROFILE_KINDS), help=option_help("compare.profiles.kind"))
@click.option("--tau-scale", metavar=opt.one_of(TAU_SCALES),
              help=option_help("compare.profiles.tau_scale"))
@opt.reps
@click.option("--level", type=float, help=option_help("runs.level"))
@click.option("--seed", type=int, help=option_help("runs.seed"))
@opt.strict
@opt.quiet
@opt.reading_options
@opt.debug
def compare(inputs, algo_by, task_by, outputs, tables, configs, sets, x, ys, input_format, score,
            normalize, kinds, layout, pairs, profile, tau_scale, reps, level, seed, strict, quiet,
            jobs, executor, scheduler):
    """Compare algorithms across tasks from their training logs, as rliable does: interval
    estimates of median, IQM, mean and optimality gap, performance profiles, probability of
    improvement and sample-efficiency curves, with stratified-bootstrap CIs (docs/compare.md).

    --y names the metric scored (once; default: the first panel's metric). -o fig.png writes
    fig-intervals.png, fig-profiles.png, ... (or put {kind} in the name); with --layout, every
    kind in one figure. Without -o and --table: compare-<kind>.<format> here, for each of
    output.formats.

    \b
    rlplot compare 'runs/*/*/*.csv' --algo-by 'runs/([^/]+)/' --task-by 'runs/[^/]+/([^/]+)/' \\
        --y episode_return --normalize refs.yaml -o figs/cmp.png --table figs/cmp.md
    rlplot compare 'runs/*/*/*.csv' --algo-by … --task-by … -o 'figs/{kind}.pdf' -c paper
    rlplot compare 'runs/*/*/*.csv' --algo-by … --task-by … --layout 1+3 -o all.png
    """
    from ..compare import compare_logs
    from ..config import load_config
    from ..runs.parallel import Reading
    from .output import echo_notices

    if len(ys) > 1:
        raise click.UsageError("compare scores one metric: give --y once (default: the first "
                               "panel's metric)")
    overrides = compare_overrides(
        ys, algo_by=algo_by, task_by=task_by, score=score, normalize=normalize, kinds=kinds,
        layout=layout, pairs=pairs, profile=profile, tau_scale=tau_scale, reps=reps, level=level,
        seed=seed, x=x, input_format=input_format)
    loaded = load_config(configs, sets, overrides)
    config = loaded.config
    written_to = default_outputs(outputs, tables, config.output.formats)
    result = compare_logs(list(inputs), written_to, list(tables), config, strict=strict,
                          origin=loaded.origin, reading=Reading(jobs, executor, scheduler))
    if not quiet:
        echo_notices(result.notices)
    for path in result.written:
        click.echo(path)
