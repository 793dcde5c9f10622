"""The ``rlplot`` group (rlplot/cli/__init__.py): lazy subcommands, light help, one way to exit."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest

from rlplot import __version__
from rlplot.cli import COMMANDS, ExitCode, LazyGroup, cli
from rlplot.errors import InputError

from ..conftest import SAMPLE_JSONL

CLI_DIR = Path(__file__).resolve().parents[2] / "rlplot" / "cli"
HEAVY = ("numpy", "matplotlib", "pandas", "statsmodels", "scipy")
CONFIG_COMMANDS = ("show", "validate", "init", "list")
EVERY_HELP = ([["--help"], ["--version"]] + [[name, "--help"] for name in sorted(COMMANDS)] +
              [["config", name, "--help"] for name in CONFIG_COMMANDS])


def test_help_lists_every_command_with_its_one_line_summary(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for name, (_, summary) in COMMANDS.items():
        assert f"{name} {' '.join(summary.split())}" in text


@pytest.mark.parametrize("args", EVERY_HELP, ids=" ".join)
def test_help_imports_no_heavy_module(args):
    code = ("import sys\nfrom rlplot.cli import cli\n"
            f"try:\n    cli.main(args={args!r}, prog_name='rlplot')\nexcept SystemExit as e:\n"
            "    assert e.code == 0, e.code\n"
            f"print('LOADED', sorted(m for m in {HEAVY + ('yaml',)!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip().splitlines()[-1]
    # The group's own help and version do not even load the config (YAML) layer.
    assert loaded == "LOADED []" if len(args) == 1 else loaded in ("LOADED []", "LOADED ['yaml']")
    assert "Usage: rlplot" in out.stdout or args == ["--version"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_lazy_entry_is_the_click_command_of_that_name(name):
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command) and command.name == name


def test_a_lazy_entry_that_is_not_a_command_is_refused():
    group = LazyGroup(lazy_subcommands={"oops": ("rlplot.cli.output:error_line", "not a command")})
    with pytest.raises(TypeError, match="rlplot.cli.output:error_line is a function, not a click"):
        group.get_command(click.Context(group), "oops")
    assert group.get_command(click.Context(group), "missing") is None


def test_version_and_help_in_a_real_process():
    version = subprocess.run([sys.executable, "-m", "rlplot", "--version"], capture_output=True,
                             text=True, check=True)
    assert version.stdout.strip() == f"rlplot, version {__version__}"
    short = subprocess.run([sys.executable, "-m", "rlplot", "render", "-h"], capture_output=True,
                           text=True, check=True).stdout
    assert "--frac" in short and "smoothing.frac" in short


# ---------------------------------------------------------------------------- exit codes

def test_exit_codes_are_the_documented_numbers():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 130]
    assert ExitCode.of(None) is ExitCode.OK and ExitCode.of(1) is ExitCode.ERROR
    with pytest.raises(ValueError):
        ExitCode.of(7)


def test_an_rlplot_error_is_one_line_and_exit_1(invoke, tmp_path):
    result = invoke("render", tmp_path / "nope.csv")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == f"rlplot: error: {tmp_path / 'nope.csv'}: no such file (check the path)\n"


def test_a_usage_error_exits_2(invoke):
    result = invoke("render", "--no-such-flag")
    assert result.exit_code == ExitCode.USAGE
    assert "Error: No such option" in result.stderr and "--no-such-flag" in result.stderr


def test_an_unknown_command_exits_2(invoke):
    result = invoke("rendr")
    assert result.exit_code == ExitCode.USAGE and "No such command 'rendr'" in result.stderr


def _raise(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


def test_ctrl_c_exits_130(invoke, monkeypatch):
    monkeypatch.setattr("rlplot.pipeline.render", _raise(KeyboardInterrupt()))
    result = invoke("render", SAMPLE_JSONL, "-o", "never.png")
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.stderr == "rlplot: interrupted\n"


def test_a_closed_pipe_exits_1_quietly(invoke, monkeypatch):
    monkeypatch.setattr("rlplot.pipeline.render", _raise(BrokenPipeError()))
    result = invoke("render", SAMPLE_JSONL, "-o", "never.png")
    assert result.exit_code == ExitCode.ERROR and result.stderr == ""


def test_a_bug_is_one_line_that_points_at_debug(invoke, monkeypatch):
    monkeypatch.setattr("rlplot.pipeline.render", _raise(ZeroDivisionError("boom")))
    result = invoke("render", SAMPLE_JSONL, "-o", "never.png")
    assert result.exit_code == ExitCode.ERROR
    (line,) = result.stderr.splitlines()
    assert line.startswith("rlplot: error: internal error: ZeroDivisionError: boom (run with --debug")


@pytest.mark.parametrize("where", ["group", "subcommand"])
def test_debug_raises_instead_of_one_line(invoke, tmp_path, where):
    args = ["render", tmp_path / "nope.csv"]
    args = ["--debug", *args] if where == "group" else [*args, "--debug"]
    with pytest.raises(InputError, match="no such file"):
        invoke(*args)


def test_debug_shows_the_traceback_in_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "rlplot", "--debug", "render",
                             str(tmp_path / "nope.csv")], capture_output=True, text=True)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_a_returned_exit_code_is_the_process_exit_code(invoke, tmp_path):
    empty, bad = tmp_path / "e.csv", tmp_path / "bad.yaml"
    empty.write_text("")
    bad.write_text("figure: {dpi: high}\n")
    assert invoke("inspect", empty).exit_code == ExitCode.ERROR
    assert invoke("config", "validate", bad).exit_code == ExitCode.ERROR
    assert invoke("config", "validate", "paper").exit_code == ExitCode.OK


def _exits_in(path: Path) -> list[str]:
    """Calls that end the process (``.exit(``, ``sys.exit``, ``raise SystemExit/Exit``) in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "exit":
            found.append(f"{path.name}:{node.lineno} .exit()")
        if isinstance(node, ast.Raise) and node.exc is not None:
            name = ast.unparse(node.exc)
            if name.startswith(("SystemExit", "click.exceptions.Exit", "Exit(")):
                found.append(f"{path.name}:{node.lineno} raise {name}")
    return found


def test_only_the_group_turns_results_into_exits():
    subcommands = sorted(p for p in CLI_DIR.glob("*.py") if p.name != "__init__.py")
    assert subcommands, CLI_DIR
    assert [hit for path in subcommands for hit in _exits_in(path)] == []
    assert _exits_in(CLI_DIR / "__init__.py")    # the one place that does
