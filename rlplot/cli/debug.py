"""``--debug``: a traceback instead of the one-line error (or ``RLPLOT_DEBUG=1``).

Apart from ``options.py`` because the ``rlplot`` group takes it too, and ``rlplot --help``
must not pay for the config schema that the other shared options read their help from.
"""
from __future__ import annotations

import os

import click

_DEBUG = "rlplot.debug"     # ctx.meta key, shared by the group's and the subcommand's contexts
DEBUG_HELP = "Show a traceback on errors."


def set_debug(ctx: click.Context, param, value: bool) -> bool:
    """Click callback for ``--debug``: tracebacks instead of one-line errors, for this invocation."""
    if value:
        ctx.meta[_DEBUG] = True
    return value


def debugging(ctx: click.Context) -> bool:
    """Whether --debug (of the group or the subcommand) or RLPLOT_DEBUG asks for tracebacks."""
    return bool(ctx.meta.get(_DEBUG) or os.environ.get("RLPLOT_DEBUG"))


debug = click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                     callback=set_debug, help=DEBUG_HELP)
