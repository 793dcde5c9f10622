"""``rlplot config``: show the effective config, validate files, write a starter, list presets."""
from __future__ import annotations

from pathlib import Path

import click

from . import options as opt
from .command import Command
from .exits import ExitCode
from .output import error_line

DEFAULT_INIT_PATH = "rlplot.yaml"


@click.group("config")
def config():
    """Show, validate, create and list YAML style configs.

    \b
    rlplot config list
    rlplot config show -c paper --set figure.width=5 --sources
    rlplot config validate my-style.yaml
    rlplot config init my-style.yaml
    """


@config.command("show", cls=Command, short_help="Print the merged config as YAML.")
@opt.config_options
@click.option("--sources", is_flag=True,
              help="End each value with where it came from: default, preset:NAME:LINE, FILE:LINE, --set.")
@opt.debug
def show(configs, sets, sources):
    """Print the effective merged config (defaults < -c files in order < --set) as YAML."""
    from ..config.docs import show_yaml
    from ..config.loader import load_config

    loaded = load_config(configs, sets)
    click.echo(show_yaml(loaded.config, loaded.origin if sources else None), nl=False)


@config.command("validate", cls=Command, short_help="Check configs; list every problem.")
@click.argument("files", nargs=-1, required=True, metavar="FILE|PRESET...")
@opt.sets
@opt.debug
def validate(files, sets):
    """Check config files; print every problem, one per line, and exit 1 if there is any."""
    from ..config.loader import validate_refs

    problems = validate_refs(files, sets)
    for problem in problems:
        click.echo(error_line(str(problem)), err=True)
    if problems:
        return ExitCode.ERROR
    for ref in files:
        click.echo(f"{ref}: ok")
    return ExitCode.OK


@config.command("init", cls=Command, short_help="Write a commented starter config.")
@click.argument("path", required=False, default=DEFAULT_INIT_PATH, metavar="[PATH]")
@opt.force
@opt.debug
def init(path, force):
    """Write a commented starter config with every option at its default (default: rlplot.yaml)."""
    from ..atomic import write_text_atomic
    from ..config.docs import STARTER_HEADER, starter_yaml
    from ..errors import OutputError

    target = Path(path)
    if target.is_dir():
        raise OutputError("is a folder", file=path, hint="give a file name, e.g. style.yaml")
    if target.exists() and not force:
        raise OutputError("already exists", file=path, hint="use --force to overwrite it")
    write_text_atomic(target, starter_yaml(STARTER_HEADER))
    click.echo(str(target))


@config.command("list", cls=Command, short_help="List presets with descriptions.")
@opt.debug
def list_presets():
    """List the presets that ship with rlplot, with their one-line descriptions."""
    from ..config.loader import preset_description, preset_names

    names = preset_names()
    width = max((len(n) for n in names), default=0)
    for name in names:
        click.echo(f"{name:<{width}}  {preset_description(name)}")
