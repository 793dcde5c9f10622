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
