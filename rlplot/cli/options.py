"""Every option that more than one subcommand takes, declared once: one name, one meaning, one wording.

Subcommands compose these decorators. ``SHARED`` maps each flag to its help so that a
test can check that every subcommand's ``--help`` words it the same way. Choices and
their help come from ``rlplot.choices`` (light: importing it loads no numpy); input
formats from the io registry, looked up only when a value is checked (``input_formats``).
"""
from __future__ import annotations

from typing import Callable

import click
from click.core import ParameterSource

from ..choices import AGGREGATES, EXECUTORS, FIGURE_FORMATS, RUN_BANDS
from ..config.schema import OutputSpec, option_help
from ..registry import Registry, unknown_hint
from .command import LegacyOption, Moved, move_value
from .debug import DEBUG_HELP, debug as debug_option

SHARED: dict[str, str] = {}     # flag -> its help, for the one-wording test


def input_formats() -> tuple[str, ...]:
    """The names of the input (log) formats: the io registry, imported only when needed."""
    from ..io.registry import FORMATS

    return tuple(FORMATS)


def one_of(registry: Registry) -> str:
    """``[a|b|c]``: a flag's metavar, from the registry that declares its choices."""
    return "[" + "|".join(registry.names) + "]"


def shared(*decls: str, help: str, **attrs) -> Callable:
    """Declare a shared option: a click.option whose help is recorded under each of its flags."""
    for flag in decls:
        if flag.startswith("-"):
            SHARED[flag] = help
    return click.option(*decls, help=help, **attrs)


def compose(*decorators: Callable) -> Callable:
    """Apply option decorators so that ``--help`` lists them in the order given."""
    def apply(func):
        for decorator in reversed(decorators):
            func = decorator(func)
        return func
    return apply


def _split_commas(ctx, param, values) -> tuple[str, ...]:
    """``("png,svg", "pdf")`` -> ``("png", "svg", "pdf")``; the config layer checks the names."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


# -- config ------------------------------------------------------------------------------------
configs = shared("-c", "--config", "configs", multiple=True, metavar="FILE|PRESET",
                 help="YAML config file or preset name; repeatable, later ones win.")
sets = shared("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override one config value (YAML-typed); repeatable.")
config_options = compose(configs, sets)

# -- reading logs ------------------------------------------------------------------------------
x = shared("--x", "x", metavar="COL|wall|relative", help=option_help("data.x"))
y = shared("--y", "ys", multiple=True, metavar="COL",
           help="Metric column for a panel; repeatable, one panel per --y, in order.")
label = shared("--label", "labels", multiple=True, metavar="NAME",
               help="Label of each run, in order; repeatable.")
input_format = shared("--input-format", "input_format", metavar="NAME",
                      help="Log format (default: detected from the content; `rlplot inspect` "
                           "shows it, docs/formats.md lists the names). [config: data.format]")
strict = shared("--strict", is_flag=True, help="Treat every skipped line as an error.")
quiet = shared("-q", "--quiet", is_flag=True,
               help="No warnings and no progress (errors still print).")
log_options = compose(x, y, label, input_format, strict, quiet)

# -- what a command writes ---------------------------------------------------------------------
outputs = shared("-o", "--output", "outputs", multiple=True, metavar="FILE",
                 help="File to write; the extension picks the format (figures: .png, .svg, "
                      ".pdf; report: .html, .md); repeatable. Default: <log name>.<format> here, "
                      "for each of --formats (report: report.html, or report.md with -f "
                      "markdown; compare: see its help).")
formats = shared("--formats", "formats", multiple=True, metavar="FMT[,FMT]",
                 callback=_split_commas,
                 help=f"Figure formats ({FIGURE_FORMATS.listing()}) where names are automatic: "
                      "<log name>.<format>, or under --out-dir in batch; comma-separated or "
                      "repeated. [config: output.formats; default: "
                      f"{','.join(OutputSpec().formats)}]")
out_dir = shared("--out-dir", "out_dir", metavar="DIR",
                 help="Folder for the figures (and the manifest that makes reruns incremental).")


def print_format(registry: Registry, default: str, *, legacy_input_format: bool = False):
    """``-f/--format FMT``: what the command prints, from ``registry``.

    With ``legacy_input_format`` (inspect), a value that names an input format takes
    the old meaning of ``--format`` (the log format) with a deprecation warning.
    """
    def check(ctx, param, value):
        if value is None or value in registry:
            return value
        if legacy_input_format and value in input_formats():
            move_value(ctx, Moved(f"--format {value}", f"--input-format {value}", "input_format",
                                  value))
            ctx.set_parameter_source(param.name, ParameterSource.DEFAULT)  # not a printed format
            return default
        raise click.BadParameter(f"unknown {registry.what} '{value}' "
                                 f"({unknown_hint(value, registry.names)})", ctx=ctx, param=param)

    # Not in SHARED: one meaning (what is printed), but each command has its own choices.
    return click.option("-f", "--format", "fmt", default=default, show_default=True, callback=check,
                        metavar=one_of(registry),
                        help="What to print: " + registry.described() + ".")


# -- several runs ------------------------------------------------------------------------------
group_by = shared("--group-by", "group_by", multiple=True, metavar="REGEX|cfg:KEY",
                  help="Group the runs (render: a line or an aggregate per group; batch: a figure "
                       "per group); repeatable: " + option_help("runs.group_by"))
where = shared("--where", "where", multiple=True, metavar="[cfg:]KEY=VALUE",
               help="Repeatable; " + option_help("runs.where"))
aggregate = shared("--aggregate", metavar=one_of(AGGREGATES),
                   help=option_help("runs.aggregate") + " (batch: needs --group-by)")
band = shared("--band", metavar=one_of(RUN_BANDS), help=option_help("runs.band"))
reps = shared("--reps", type=int, metavar="N", help=option_help("runs.reps"))

# -- where jobs run ----------------------------------------------------------------------------
jobs = shared("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: all cores).")
executor = shared("--executor", type=click.Choice(EXECUTORS.names), default=EXECUTORS.names[0],
                  show_default=True, help="Where jobs run: " + EXECUTORS.described() + ".")
scheduler = shared("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (with --executor dask), e.g. tcp://head:8786.")
# render, compare, inspect and summary read many runs through the batch executors (runs.parallel)
reading_options = compose(jobs, executor, scheduler)

force = shared("--force", is_flag=True,
               help="Write even where the output exists (batch: re-render runs that are up to date).")
debug = debug_option             # declared in debug.py: the group takes it too
SHARED["--debug"] = DEBUG_HELP

# -- old spellings (kept for one release; see rlplot.cli.command) --------------------------------
legacy_input_format = click.option("--format", "legacy_input_format", cls=LegacyOption,
                                   target="input_format", old="--format NAME",
                                   new="--input-format NAME")
legacy_json = click.option("--json", "legacy_json", cls=LegacyOption, is_flag=True, target="fmt",
                           old="--json", new="-f json", convert=lambda flag: "json")
legacy_formats = click.option("--format", "legacy_formats", cls=LegacyOption, multiple=True,
                              target="formats", old="--format FMT", new="--formats FMT",
                              convert=lambda values: _split_commas(None, None, values))
legacy_out_dir = click.option("-o", "legacy_out_dir", cls=LegacyOption, target="out_dir",
                              old="-o DIR", new="--out-dir DIR")
