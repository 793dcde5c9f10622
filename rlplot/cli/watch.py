"""``rlplot watch``: keep a figure of a training run up to date while it trains."""
from __future__ import annotations

import time

import click

from . import options as opt
from .command import Command
from .output import error_line, warn


def event_printer(quiet: bool):
    """A ``watch`` event handler: paths on stdout, errors always, progress and warnings unless quiet."""
    from ..watch import ERROR, RENDERED, WAITING

    shown: set[str] = set()

    def report(event) -> None:
        if event.kind == ERROR:
            click.echo(error_line(event.message), err=True)
            if not quiet:
                click.echo("rlplot: keeping the last good figure; waiting for the log to change",
                           err=True)
        elif event.kind == WAITING and not quiet:
            click.echo(f"rlplot: {event.message}", err=True)
        elif event.kind == RENDERED:
            if not quiet:
                click.echo(f"rlplot: {time.strftime('%H:%M:%S')} rendered {event.rows} rows",
                           err=True)
                for text in event.warnings:
                    if text not in shown:   # once per distinct warning, not on every re-render
                        shown.add(text)
                        warn(text)
            for path in event.written:
                click.echo(path)
    return report


@click.command(cls=Command)
@click.argument("logs", nargs=-1, required=True, metavar="LOG|DIR...")
@opt.outputs
@opt.formats
@opt.config_options
@click.option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Seconds between polls of the logs' size and modification time.")
@click.option("--debounce", type=click.FloatRange(min=0), default=0.5, show_default=True,
              help="Render once a log has been quiet this many seconds.")
@click.option("--max-wait", type=click.FloatRange(min=0), default=5.0, show_default=True,
              help="Render at least this often while a log keeps growing.")
@opt.log_options
@opt.group_by
@opt.where
@opt.debug
def watch(logs, outputs, formats, configs, sets, interval, debounce, max_wait, x, ys, labels,
          input_format, strict, quiet, group_by, where):
    """Re-render LOG|DIR... to the chart whenever a log grows; Ctrl-C to stop.

    The figure goes to -o (its extension picks the format), else to <log name>.<format>
    here for each of --formats (default: the config's output.formats, png). A folder is
    walked on every change, so runs that appear in it join the figure. A partial last
    line (a log mid-write) is skipped quietly; if a log cannot be read, the last good
    figure stays and the error is printed once.

    \b
    rlplot watch runs/current/metrics.jsonl -o live.png --interval 2
    rlplot watch runs/current/metrics.jsonl --formats png,svg
    rlplot watch tb_logs/ --y rollout/ep_rew_mean --x relative -o live.png
    """
    from ..config import load_config
    from ..watch import watch as watch_logs
    from .render import figure_outputs, render_overrides

    overrides = render_overrides(ys, x=x, input_format=input_format, formats=formats,
                                 group_by=group_by, where=where)
    config = load_config(configs, sets, overrides).config
    written_to = figure_outputs(logs, outputs, formats, config)
    try:
        watch_logs(logs, written_to, config, strict=strict, interval=interval, debounce=debounce,
                   max_wait=max_wait, on_event=event_printer(quiet), labels=labels)
    except KeyboardInterrupt:
        # Stopping the watch is how it normally ends, not an error.
        if not quiet:
            click.echo("rlplot: stopped watching", err=True)
