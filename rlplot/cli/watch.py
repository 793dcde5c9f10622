"""``rlplot watch``: keep a figure of a training run up to date while it trains."""
from __future__ import annotations

import time

import click

from . import debug_option, error_line
from .common import config_options, log_options


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
              help="Output file (.png, .svg, .pdf); repeatable. Default: <log name>.png here.")
@config_options
@click.option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Seconds between polls of the logs' size and modification time.")
@click.option("--debounce", type=click.FloatRange(min=0), default=0.5, show_default=True,
              help="Render once a log has been quiet this many seconds.")
@click.option("--max-wait", type=click.FloatRange(min=0), default=5.0, show_default=True,
              help="Render at least this often while a log keeps growing.")
@log_options
@debug_option
def watch(logs, outputs, configs, sets, interval, debounce, max_wait, x, ys, labels, strict, quiet):
    """Re-render LOG... to the chart whenever a log grows; Ctrl-C to stop.

    A partial last line (a log mid-write) is skipped quietly; if a log cannot be read,
    the last good figure stays and the error is printed once.

    \b
    rlplot watch runs/current/metrics.jsonl -o live.png --interval 2
    """
    from ..config import load_config
    from ..pipeline import run_label
    from ..watch import ERROR, RENDERED, WAITING, watch as watch_logs
    from .render import render_overrides

    config = load_config(configs, sets, render_overrides(ys, x=x)).config
    outputs = outputs or (f"{run_label(logs[0])}.png",)
    shown: set[str] = set()

    def report(event) -> None:
        stamp = time.strftime("%H:%M:%S")
        if event.kind == ERROR:
            click.echo(error_line(event.message), err=True)
            if not quiet:
                click.echo("rlplot: keeping the last good figure; waiting for the log to change",
                           err=True)
        elif event.kind == WAITING and not quiet:
            click.echo(f"rlplot: {event.message}", err=True)
        elif event.kind == RENDERED:
            if not quiet:
                click.echo(f"rlplot: {stamp} rendered {event.rows} rows", err=True)
                for text in event.warnings:
                    if text not in shown:   # once per distinct warning, not on every re-render
                        shown.add(text)
                        click.echo(f"rlplot: warning: {text}", err=True)
            for path in event.written:
                click.echo(path)

    try:
        watch_logs(logs, outputs, config, strict=strict, interval=interval, debounce=debounce,
                   max_wait=max_wait, on_event=report, labels=labels)
    except KeyboardInterrupt:
        # Stopping the watch is how it normally ends, not an error.
        if not quiet:
            click.echo("rlplot: stopped watching", err=True)
