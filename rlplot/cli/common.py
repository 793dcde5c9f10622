"""Pieces shared by subcommands: config options and printing warnings to stderr."""
from __future__ import annotations

from collections import defaultdict

import click

MAX_SKIPPED_SHOWN = 5  # per file; the rest are counted


def config_options(func):
    """``-c/--config`` (repeatable, file or preset) and ``--set key.path=value`` (repeatable)."""
    func = click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
                        help="Override one config value (YAML-typed); repeatable.")(func)
    func = click.option("-c", "--config", "configs", multiple=True, metavar="FILE|PRESET",
                        help="YAML config file or preset name; repeatable, later ones win.")(func)
    return func


def log_options(func):
    """Options every command that reads logs shares: --x, --y, --label, --strict, -q."""
    from ..config.schema import option_help

    for decorator in reversed((
        click.option("--x", "x", metavar="COL", help=option_help("data.x")),
        click.option("--y", "ys", multiple=True, metavar="COL",
                     help="Metric column for a panel; repeatable, one panel per --y, in order."),
        click.option("--label", "labels", multiple=True, help="Label of each run, in order."),
        click.option("--strict", is_flag=True, help="Treat every skipped line as an error."),
        click.option("-q", "--quiet", is_flag=True, help="Do not print warnings."),
    )):
        func = decorator(func)
    return func


def echo_notices(notices) -> None:
    """Print warnings to stderr: every kind of problem, but at most a few skipped lines per file."""
    skipped = defaultdict(int)
    for notice in notices:
        if notice.what.startswith("skipped line"):
            skipped[notice.file] += 1
            if skipped[notice.file] > MAX_SKIPPED_SHOWN:
                continue
        click.echo(f"rlplot: warning: {notice}", err=True)
    for file, count in skipped.items():
        if count > MAX_SKIPPED_SHOWN:
            click.echo(f"rlplot: warning: {file}: … and {count - MAX_SKIPPED_SHOWN} more skipped lines",
                       err=True)
