"""The ``rlplot`` command: a thin Click layer over the library API.

Subcommands live in their own modules and are imported only when run, so
``rlplot --help`` and ``--version`` stay free of numpy, matplotlib and statsmodels.
This is the only place that turns rlplot's errors into messages and exit codes.
"""
from __future__ import annotations

import importlib
import os

import click

from .._version import __version__

# name -> "module:function"; one line per subcommand.
COMMANDS = {
    "render": ("rlplot.cli.render:render", "Render logs to the two-panel chart (PNG/SVG/PDF)."),
    "config": ("rlplot.cli.config:config", "Show, validate, create and list YAML style configs."),
    "summary": ("rlplot.cli.summary:summary", "Dip, knee, thresholds and variance growth per run (text/JSON/Markdown/CSV)."),
    "inspect": ("rlplot.cli.inspect:inspect", "Show what a log holds and how rlplot reads it."),
    "batch": ("rlplot.cli.batch:batch", "Render one figure per run of a sweep (parallel, incremental)."),
    "watch": ("rlplot.cli.watch:watch", "Re-render a figure whenever a live log grows."),
}

EXIT_ERROR = 1
EXIT_USAGE = 2
_state = {"debug": bool(os.environ.get("RLPLOT_DEBUG"))}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use, and that maps errors to exit codes."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name][0].partition(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        # Use the one-line summaries in COMMANDS so that help imports no subcommand.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        from ..errors import RlplotError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except RlplotError as exc:
            if _state["debug"]:
                raise
            click.echo(error_line(str(exc)), err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("rlplot: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(EXIT_ERROR)
        except Exception as exc:  # an rlplot bug: still one line, with a way to see more
            if _state["debug"]:
                raise
            click.echo(error_line(f"internal error: {type(exc).__name__}: {exc} "
                                  "(run with --debug for a traceback, and please report it)"),
                       err=True)
            ctx.exit(EXIT_ERROR)


def set_debug(ctx, param, value):
    """Click callback for ``--debug``: show tracebacks instead of one-line errors."""
    if value:
        _state["debug"] = True
    return value


debug_option = click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                            callback=set_debug, help="Show a traceback on errors.")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rlplot")
@debug_option
def cli():
    """Publication-quality figures of RL training logs (CSV, JSONL, JSON)."""


def error_line(message: str) -> str:
    """The one-line error format: ``rlplot: error: <message>`` (line breaks inside folded)."""
    return "rlplot: error: " + " ".join(str(message).split())


def run() -> None:
    """Console-script entry point (``rlplot`` and ``python -m rlplot``)."""
    cli.main(prog_name="rlplot")
