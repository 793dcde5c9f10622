"""The ``rlplot`` command: a thin Click layer over the library API.

Subcommands live in their own modules and are imported only when run (Click's
"lazily loading subcommands" pattern), so ``rlplot --help`` and ``--version`` stay free
of numpy, matplotlib and statsmodels. This is the only place that turns a subcommand's
result or error into an exit code (see ``ExitCode``).
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from .._version import __version__
from .debug import debug as debug_option, debugging
from .exits import ExitCode
from .output import error_line

__all__ = ["COMMANDS", "ExitCode", "LazyGroup", "cli", "error_line", "exit_process", "exit_status",
           "run"]

# name -> ("module:attribute", one line for ``rlplot --help``); one line per subcommand.
COMMANDS = {
    "render": ("rlplot.cli.render:render", "Render logs to the two-panel chart (PNG/SVG/PDF)."),
    "config": ("rlplot.cli.config:config", "Show, validate, create and list YAML style configs."),
    "summary": ("rlplot.cli.summary:summary",
                "Dip, knee, thresholds and variance growth per run (text/JSON/Markdown/CSV)."),
    "inspect": ("rlplot.cli.inspect:inspect", "Show what a log holds and how rlplot reads it."),
    "batch": ("rlplot.cli.batch:batch", "Render one figure per run of a sweep (parallel, incremental)."),
    "watch": ("rlplot.cli.watch:watch", "Re-render a figure whenever a live log grows."),
    "compare": ("rlplot.cli.compare:compare",
                "Compare algorithms across tasks: rliable's CIs, profiles, P(X > Y), curves, tables."),
    "report": ("rlplot.cli.report:report", "One self-contained HTML page (or Markdown) for a sweep."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use, and that maps results to exit codes."""

    def __init__(self, *args, lazy_subcommands: dict[str, tuple[str, str]] | None = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands or {}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx, name):
        if name not in self.lazy_subcommands:
            return super().get_command(ctx, name)
        module, _, attribute = self.lazy_subcommands[name][0].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}:{attribute} is a {type(command).__name__}, not a click "
                            "command")
        return command

    def format_commands(self, ctx, formatter):
        # The one-line summaries above, so that `rlplot --help` imports no subcommand.
        rows = [(name, self.lazy_subcommands[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        """Run the subcommand; map its result, rlplot's errors and Ctrl-C to one exit code."""
        from ..errors import RlplotError

        try:
            code = ExitCode.of(super().invoke(ctx))
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except RlplotError as exc:
            if debugging(ctx):
                raise
            click.echo(error_line(str(exc)), err=True)
            code = ExitCode.ERROR
        except KeyboardInterrupt:
            click.echo("rlplot: interrupted", err=True)
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:     # e.g. `rlplot summary … | head`: nothing left to say
            code = ExitCode.ERROR
        except Exception as exc:  # an rlplot bug: still one line, with a way to see more
            if debugging(ctx):
                raise
            click.echo(error_line(f"internal error: {type(exc).__name__}: {exc} "
                                  "(run with --debug for a traceback, and please report it)"),
                       err=True)
            code = ExitCode.ERROR
        if code != ExitCode.OK:
            ctx.exit(code)
        return None


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="rlplot")
@debug_option
def cli():
    """Publication-quality figures of RL training logs (CSV, JSONL, JSON)."""


def run() -> None:
    """Console-script entry point (``rlplot`` and ``python -m rlplot``); ends in ``exit_process``."""
    try:
        cli.main(prog_name="rlplot")
    except SystemExit as done:   # Click ends every standalone run this way
        exit_process(done.code)
    exit_process(0)


def exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` would end the process with (printing a message code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_process(code: object) -> None:
    """End the process with ``code`` (as ``sys.exit`` takes it), skipping Python's teardown when
    nothing can need it.

    Once the outputs are written and closed, freeing every object of matplotlib, numpy and the
    rest one by one only delays the prompt (~0.1 s after a small render: a third garbage
    collection, the rest module clean-up). The standard streams are flushed and the atexit
    handlers run as in a normal exit; the normal exit is taken whenever another thread is alive,
    a child process is not reaped yet, or ``RLPLOT_FULL_EXIT=1``.
    """
    import atexit
    import threading

    status = exit_status(code)
    if os.environ.get("RLPLOT_FULL_EXIT") == "1" or threading.active_count() > 1 \
            or _children_alive():
        sys.exit(status)
    atexit._run_exitfuncs()   # what the interpreter runs first (coverage, weakref finalizers...)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (`| head`) or stream: nothing to add
            pass
    os._exit(status)


def _children_alive() -> bool:
    # multiprocessing's atexit handler joins its children; a pool rlplot closed has none left.
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is not None and bool(multiprocessing.active_children())
