"""-j/--jobs, --executor and --scheduler on the commands that read many runs: one declaration,
and the same bytes whichever number of workers read the runs."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import click
from click.testing import CliRunner

from rlplot.cli import cli as main
from rlplot.cli.options import SHARED
from rlplot.choices import EXECUTORS
from tests.runs.trees import csv_run, curve

READERS = ("render", "compare", "inspect", "summary")



def _sweep(root: Path, runs: int = 8) -> Path:
    for k in range(runs):
        algo = ("ppo", "sac")[k % 2]
        csv_run(root / algo / "cartpole" / f"seed{k}.csv", curve(n=20, offset=k % 3))
    return root


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", READERS)
def test_every_reading_command_declares_the_batch_options_once(command):
    params = {p.name: p for p in main.get_command(click.Context(main), command).params}
    assert params["jobs"].help == SHARED["--jobs"]
    assert params["executor"].help == SHARED["--executor"]
    assert params["scheduler"].help == SHARED["--scheduler"]
    assert list(params["executor"].type.choices) == list(EXECUTORS.names)


def test_render_figure_and_data_are_byte_identical_with_one_or_two_workers(tmp_path, pooled):
    root = _sweep(tmp_path / "runs")
    digests = []
    for jobs in ("1", "2"):
        png, data = tmp_path / f"j{jobs}.png", tmp_path / f"j{jobs}.csv"
        # The provenance records the command as typed (-j 1 or -j 2): the rest must not differ.
        result = CliRunner().invoke(main, ["render", str(root), "--y", "reward", "--x", "step",
                                           "--aggregate", "mean", "--band", "ci", "-o", str(png),
                                           "--data-out", str(data), "-j", jobs,
                                           "--set", "output.provenance=false"])
        assert result.exit_code == 0, result.output
        digests.append((_digest(png), _digest(data)))
    assert len(pooled) == 1 and pooled[0] >= 2   # only -j 2 used the pool, in slices
    assert digests[0] == digests[1]


@pytest.mark.parametrize("command, extra", [
    ("summary", ["--y", "reward", "--x", "step", "-f", "json"]),
    ("inspect", ["-f", "json"]),
])
def test_printed_reports_are_identical_with_one_or_two_workers(tmp_path, pooled, command, extra):
    root = _sweep(tmp_path / "runs")
    printed = [CliRunner().invoke(main, [command, str(root), *extra, "-j", jobs])
               for jobs in ("1", "2")]
    assert [r.exit_code for r in printed] == [0, 0], printed[1].output
    assert printed[0].output == printed[1].output and "seed7" in printed[1].output
    assert len(pooled) == 1


def test_compare_tables_are_identical_with_one_or_two_workers(tmp_path, pooled):
    root = _sweep(tmp_path / "runs")
    tables = []
    for jobs in ("1", "2"):
        table = tmp_path / f"j{jobs}.md"
        result = CliRunner().invoke(main, [
            "compare", f"{root}/*/*/*.csv", "--algo-by", r"runs/([^/]+)/", "--task-by",
            r"runs/[^/]+/([^/]+)/", "--y", "reward", "--x", "step", "--kinds", "intervals",
            "--reps", "200", "-o", str(tmp_path / f"j{jobs}.png"), "--table", str(table),
            "-j", jobs])
        assert result.exit_code == 0, result.output
        tables.append(table.read_text(encoding="utf-8"))
    assert tables[0] == tables[1] and "ppo" in tables[0]
    assert len(pooled) == 1


def test_a_run_left_out_in_a_worker_is_warned_as_in_serial(tmp_path, pooled):
    root = _sweep(tmp_path / "runs")
    csv_run(root / "ppo" / "cartpole" / "seed3.csv", [{"step": 1, "loss": 2}])
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["render", str(root), "--y", "reward", "--x", "step",
                                           "-o", str(tmp_path / f"j{jobs}.png"), "-j", jobs])
        assert result.exit_code == 0, result.output
        outputs.append([line for line in result.output.splitlines() if "left out" in line])
    assert outputs[0] == outputs[1] and len(outputs[0]) == 1 and "seed3.csv" in outputs[0][0]


def test_dask_without_a_scheduler_is_one_error_line(tmp_path):
    root = _sweep(tmp_path / "runs", 3)
    result = CliRunner().invoke(main, ["render", str(root), "--y", "reward", "--x", "step",
                                       "-o", str(tmp_path / "out.png"), "--executor", "dask"])
    assert result.exit_code != 0
    assert "--executor dask needs --scheduler ADDRESS" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_executor_is_refused_with_the_choices(tmp_path):
    result = CliRunner().invoke(main, ["summary", str(tmp_path), "--executor", "threads"])
    assert result.exit_code == 2
    assert "process" in result.output and "dask" in result.output
