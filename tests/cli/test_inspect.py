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


# ---------------------------------------------------------------------------- figures

@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_inspect_prints_what_made_a_figure(invoke, seed_log, tmp_path, monkeypatch, fmt):
    from rlplot.provenance import file_digest

    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-o", f"fig.{fmt}", "--dpi", "40", "--smooth", "ema").exit_code == 0
    result = invoke("inspect", f"fig.{fmt}")
    assert result.exit_code == 0, result.stderr
    sha256, size = file_digest(seed_log)
    assert result.stdout.splitlines() == [
        f"fig.{fmt}",
        f"  made by: rlplot {__import__('rlplot').__version__}",
        f"  command: rlplot render run.jsonl -o fig.{fmt} --dpi 40 --smooth ema",
        "  inputs (1):",
        f"    run.jsonl  {size:,} bytes  sha256 {sha256}",
        "  config: the defaults, except (as --set KEY=VALUE would give them):",
        "    figure.dpi=40",
        "    smoothing.method=ema",
    ]


def test_inspect_json_lists_figures_beside_logs(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-o", "fig.svg", "--smooth", "ema").exit_code == 0
    result = invoke("inspect", "-f", "json", "run.jsonl", "fig.svg")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == ["run.jsonl"]
    (figure,) = data["figures"]
    assert figure["path"] == "fig.svg" and figure["error"] is None
    assert figure["provenance"]["command"] == "rlplot render run.jsonl -o fig.svg --smooth ema"
    # the record keeps the sections that differ from the defaults, each whole
    assert figure["provenance"]["config"]["smoothing"]["method"] == "ema"
    assert figure["provenance"]["config"]["smoothing"]["frac"] == 0.2
    assert "figure" not in figure["provenance"]["config"]
    logs_only = json.loads(invoke("inspect", "-f", "json", "run.jsonl").stdout)
    assert "figures" not in logs_only


def test_a_figure_without_provenance_is_an_error_after_the_rest(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-o", "anon.png", "--set",
                  "output.provenance=false").exit_code == 0
    assert invoke("render", "run.jsonl", "-o", "fig.png").exit_code == 0
    result = invoke("inspect", "anon.png", "run.jsonl", "fig.png")
    assert result.exit_code == 1
    blocks = result.stdout.split("\n\n")
    # the logs first (with what differs across their runs), then the figures, each in order
    assert [b.splitlines()[0] for b in blocks] == ["run.jsonl", "anon.png", "fig.png"]
    assert blocks[1] == "anon.png\n  error: no rlplot provenance in this figure"
    as_json = json.loads(invoke("inspect", "-f", "json", "anon.png").stdout)
    assert as_json["figures"] == [{"path": "anon.png", "provenance": None,
                                   "error": "no rlplot provenance in this figure"}]


def test_a_hashes_only_figure_shows_no_path(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-c", "anonymized-x", "-o", "anon.pdf").exit_code == 0
    result = invoke("inspect", "anon.pdf")
    assert result.exit_code == 0
    assert "  command: (not recorded)" in result.stdout
    assert "    (path not recorded)  " in result.stdout and "run.jsonl" not in result.stdout
    assert "    figure.x_tick_format=hidden" in result.stdout
    assert "    output.provenance=hashes" in result.stdout
