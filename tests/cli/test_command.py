"""Old spellings (rlplot/cli/command.py): applied after parsing, one warning each, -q silences them."""
from __future__ import annotations

import re

import click
import pytest

from rlplot.cli.command import Command, LegacyOption


@click.command(cls=Command, needs=("out_dir",))
@click.option("--out-dir")
@click.option("--kind")
@click.option("--formats", multiple=True)
@click.option("-q", "--quiet", is_flag=True)
@click.option("-o", "legacy_out_dir", cls=LegacyOption, target="out_dir", old="-o DIR",
              new="--out-dir DIR")
@click.option("--type", "legacy_kind", cls=LegacyOption, target="kind", old="--type",
              new="--kind", convert=str.upper)
@click.option("--format", "legacy_formats", cls=LegacyOption, multiple=True, target="formats",
              old="--format", new="--formats")
def toy(out_dir, kind, formats, quiet):
    click.echo(f"{out_dir} {kind} {','.join(formats)}")


def run(runner, *args):
    return runner.invoke(toy, list(args), catch_exceptions=False)


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("rlplot: warning:")]


def test_the_new_spellings_print_no_warning(runner):
    result = run(runner, "--out-dir", "d", "--kind", "k", "--formats", "png")
    assert result.exit_code == 0 and result.stdout == "d k png\n" and result.stderr == ""


def test_an_old_spelling_gives_its_value_to_the_new_option_and_warns_once(runner):
    result = run(runner, "-o", "d", "--type", "k", "--format", "png", "--format", "svg")
    assert result.exit_code == 0
    assert result.stdout == "d K png,svg\n"            # --type's value went through convert
    assert warnings(result) == ["rlplot: warning: -o DIR is deprecated; use --out-dir DIR",
                                "rlplot: warning: --type is deprecated; use --kind",
                                "rlplot: warning: --format is deprecated; use --formats"]


def test_quiet_silences_deprecation_warnings(runner):
    result = run(runner, "-q", "-o", "d")
    assert result.exit_code == 0 and result.stdout == "d None \n" and result.stderr == ""


def test_old_and_new_spellings_of_a_repeatable_option_add_up(runner):
    result = run(runner, "--out-dir", "d", "--formats", "pdf", "--format", "png")
    assert result.stdout == "d None pdf,png\n" and len(warnings(result)) == 1


def test_old_and_new_spellings_that_agree_are_fine(runner):
    assert run(runner, "--out-dir", "d", "-o", "d").stdout == "d None \n"


def test_old_and_new_spellings_that_disagree_are_a_usage_error(runner):
    result = run(runner, "--out-dir", "d", "-o", "e")
    assert result.exit_code == 2
    assert "-o DIR (deprecated) and --out-dir disagree; give only --out-dir" in result.stderr


def test_a_needed_option_may_come_from_its_old_spelling_but_not_from_nowhere(runner):
    result = run(runner, "--kind", "k")
    assert result.exit_code == 2 and "Missing option '--out-dir'" in result.stderr
    assert run(runner, "-o", "d").exit_code == 0


def test_old_spellings_are_hidden_from_help(runner):
    text = runner.invoke(toy, ["--help"]).stdout
    listed = re.findall(r"^\s+(-[-\w]+)", text, flags=re.M)
    assert listed == ["--out-dir", "--kind", "--formats", "-q", "--help"]


def test_shell_completion_neither_applies_nor_warns(capsys):
    ctx = toy.make_context("toy", ["-o", "d"], resilient_parsing=True)
    assert ctx.params["out_dir"] is None
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args", [("-o", "d", "-o", "d"), ("--type", "a", "--type", "b")])
def test_a_repeated_old_spelling_still_warns_once(runner, args):
    result = run(runner, "--out-dir", "d", *args) if args[0] == "--type" else run(runner, *args)
    assert result.exit_code == 0 and len(warnings(result)) == 1
