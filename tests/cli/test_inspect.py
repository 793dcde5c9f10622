"""``rlplot inspect``: -f text/json, --input-format, the old --json and --format NAME, exit codes."""
from __future__ import annotations

import json

import pytest

from rlplot.choices import INSPECT_FORMATS
from rlplot.cli.inspect import SKIPPED_LINES_LISTED

from ..conftest import DATA, write_jsonl

MONITOR = DATA / "monitor.csv"


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("rlplot: warning:")]


def test_text_is_the_default_and_json_is_one_object(invoke):
    text = invoke("inspect", MONITOR)
    assert text.exit_code == 0 and text.stdout.startswith(f"{MONITOR}\n  format: monitor (detected)")
    as_json = invoke("inspect", "-f", "json", MONITOR)
    assert as_json.exit_code == 0 and as_json.stderr == ""
    (report,) = json.loads(as_json.stdout)["files"]
    assert report["format"] == "monitor" and not report["format_forced"]
    assert INSPECT_FORMATS.names == ("text", "json")


def test_format_json_is_the_printed_format_not_the_input_format(invoke):
    result = invoke("inspect", "--format", "json", MONITOR)
    assert result.exit_code == 0 and warnings(result) == []
    assert json.loads(result.stdout)["files"][0]["format"] == "monitor"


def test_input_format_forces_the_reader(invoke):
    result = invoke("inspect", "--input-format", "csv", MONITOR)
    assert result.exit_code == 0 and warnings(result) == []
    assert "format: csv (forced with --input-format)" in result.stdout


@pytest.mark.parametrize("old, new, warning", [
    (["--json"], ["-f", "json"], "--json is deprecated; use -f json"),
    (["--format", "csv"], ["--input-format", "csv"],
     "--format csv is deprecated; use --input-format csv"),
    (["--format", "monitor", "--json", "--json"], ["--input-format", "monitor", "-f", "json"], None),
])
def test_old_spellings_print_the_same_and_warn_once_each(invoke, old, new, warning):
    before, after = invoke("inspect", *old, MONITOR), invoke("inspect", *new, MONITOR)
    assert before.exit_code == after.exit_code == 0
    assert before.stdout == after.stdout and after.stderr == ""
    if warning:
        assert warnings(before) == [f"rlplot: warning: {warning}"]
    else:
        assert warnings(before) == ["rlplot: warning: --format monitor is deprecated; use "
                                    "--input-format monitor",
                                    "rlplot: warning: --json is deprecated; use -f json"]
    assert invoke("inspect", "-q", *old, MONITOR).stderr == ""


def test_a_format_that_is_neither_printed_nor_read_is_a_usage_error(invoke):
    result = invoke("inspect", "--format", "yaml", MONITOR)
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown inspect format 'yaml' (choose one of: text, json)" in result.stderr


def test_an_unreadable_log_exits_1_after_every_file_is_reported(invoke, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_text("")
    result = invoke("inspect", empty, MONITOR)
    assert result.exit_code == 1
    assert "the log is empty" in result.stdout and "format: monitor" in result.stdout


def test_skipped_lines_are_listed_up_to_the_limit_then_counted(invoke, tmp_path):
    extra = 7
    records = [{"step": i, "accuracy": 0.5} for i in range(5)]
    records += [f"{{broken {i}" for i in range(SKIPPED_LINES_LISTED + extra)]
    log = write_jsonl(tmp_path / "r.jsonl", records + [{"step": 9, "accuracy": 0.6}])
    out = invoke("inspect", log).stdout
    assert f"skipped lines: {SKIPPED_LINES_LISTED + extra}" in out
    assert out.count(": malformed JSON") == SKIPPED_LINES_LISTED
    assert out.rstrip().endswith(f"… {extra} more")
