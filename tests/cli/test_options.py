"""Shared options (rlplot/cli/options.py): one name, one meaning, one wording in every subcommand.

Every subcommand's ``--help`` is run; each shared flag it lists must carry the one help
text declared in options.py, the README's CLI vocabulary table must name exactly the
commands that take each flag, and every list of choices must be the registry's.
"""
from __future__ import annotations

import re
from itertools import takewhile

import click
import pytest

from rlplot.choices import (AGGREGATES, DUPLICATE_POLICIES, EXECUTORS, FIGURE_FORMATS,
                            RESTART_POLICIES, RUN_BANDS, SMOOTHING_METHODS, SUMMARY_FORMATS,
                            X_RANGES)
from rlplot.cli import COMMANDS, cli
from rlplot.cli.options import SHARED

from ..conftest import ROOT


def every_command() -> dict[str, click.Command]:
    """``{"render": <Command>, ..., "config show": <Command>}``: every command a user can run."""
    ctx = click.Context(cli)
    found = {}
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": command.get_command(ctx, sub)
                          for sub in command.list_commands(ctx)})
        else:
            found[name] = command
    return found


COMMAND_LINES = every_command()


def visible_flags(command: click.Command) -> dict[str, click.Option]:
    """Each flag ``--help`` lists, and its option."""
    return {flag: p for p in command.params if isinstance(p, click.Option) and not p.hidden
            for flag in p.opts + p.secondary_opts}


def squash(text: str) -> str:
    """Help text with the line wrapping and hyphenation of Click's formatter undone."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", sorted(COMMAND_LINES))
def test_help_words_every_shared_flag_as_declared(invoke, name):
    result = invoke(*name.split(), "--help")
    assert result.exit_code == 0
    listed = squash(result.stdout)
    flags = visible_flags(COMMAND_LINES[name])
    shared = sorted(set(flags) & set(SHARED))
    assert "--debug" in shared           # every command has at least one shared flag
    for flag in shared:
        assert flags[flag].help == SHARED[flag], (name, flag)
        assert squash(SHARED[flag]) in listed, (name, flag)


def test_print_format_means_what_the_command_prints():
    summary_f = visible_flags(COMMAND_LINES["summary"])["-f"]
    inspect_f = visible_flags(COMMAND_LINES["inspect"])["--format"]
    for option in (summary_f, inspect_f):
        assert option.opts == ["-f", "--format"] and option.help.startswith("What to print: ")
        assert option.default == "text"
    assert summary_f.metavar == "[" + "|".join(SUMMARY_FORMATS.names) + "]"
    assert inspect_f.metavar == "[text|json]"
    holders = {name for name, command in COMMAND_LINES.items() if "-f" in visible_flags(command)}
    assert holders == {"summary", "inspect", "report"}


def test_a_flag_name_means_one_thing():
    """Outside the print format, a flag with the same name is the same option everywhere."""
    meanings: dict[str, set] = {}
    for name, command in COMMAND_LINES.items():
        for flag, option in visible_flags(command).items():
            if flag not in ("-f", "--format", "-h", "--help"):
                meanings.setdefault(flag, set()).add((option.name, option.help))
    assert {flag: m for flag, m in meanings.items() if len(m) > 1} == {}


@pytest.mark.parametrize("command, flag, registry", [
    ("render", "--aggregate", AGGREGATES), ("batch", "--aggregate", AGGREGATES),
    ("render", "--band", RUN_BANDS), ("render", "--x-range", X_RANGES),
    ("render", "--restarts", RESTART_POLICIES), ("render", "--duplicates", DUPLICATE_POLICIES),
])
def test_choices_shown_in_help_are_the_registry(command, flag, registry):
    assert visible_flags(COMMAND_LINES[command])[flag].metavar == "[" + "|".join(registry.names) + "]"


def test_executor_choices_and_help_are_the_registry():
    option = visible_flags(COMMAND_LINES["batch"])["--executor"]
    assert tuple(option.type.choices) == EXECUTORS.names
    assert all(choice.help in option.help for choice in EXECUTORS.choices())


def test_smoothing_and_figure_formats_are_listed_from_the_registry():
    smooth = visible_flags(COMMAND_LINES["render"])["--smooth"].help
    assert SMOOTHING_METHODS.listing() in smooth
    assert FIGURE_FORMATS.listing() in SHARED["--formats"]


# ---------------------------------------------------------------------------- the README's table

def readme_vocabulary() -> dict[str, set[str]]:
    """The README's CLI vocabulary table: each flag -> the commands it names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.split("### CLI vocabulary", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| flag |"))
    table = {}
    for row in takewhile(lambda line: line.startswith("|"), lines[start + 2:]):
        cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
        spelled = re.findall(r"`([^`]+)`", cells[0])
        flags = [part.split()[0] for s in spelled for part in s.split(", ") if part.startswith("-")]
        commands = set(COMMAND_LINES) if cells[2] == "every command" else \
            {c.strip() for c in cells[2].split(",")}
        for flag in flags:
            table[flag] = commands
    return table


def test_the_readme_vocabulary_names_exactly_the_commands_that_take_each_flag():
    table = readme_vocabulary()
    assert set(SHARED) <= set(table), "every shared flag is in the README's table"
    for flag, commands in table.items():
        holders = {name for name, command in COMMAND_LINES.items()
                   if flag in visible_flags(command)}
        assert holders == commands, flag
