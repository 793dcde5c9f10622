"""``rlplot inspect``: the library report and the command's text and JSON output."""
from __future__ import annotations

import json

import pytest

from rlplot.inspect import inspect_log
from tests.conftest import DATA


def test_a_partial_jsonl_is_reported_with_its_skipped_last_line():
    report = inspect_log(str(DATA / "verl_partial.jsonl"))
    assert report.format == "jsonl" and not report.format_forced and report.error is None
    (run,) = report.runs
    assert run.rows == 3 and run.x == "rl_flops"
    assert run.x_candidates == ("rl_flops", "step")
    assert [(p.metric, p.column) for p in run.panels] == [("accuracy", "accuracy"),
                                                          ("parallelism", "parallelism")]
    acc = {c.name: c for c in run.columns}["accuracy"]
    assert (acc.type, acc.numeric, acc.empty, acc.min, acc.max) == ("numeric", 3, 0, 0.35, 0.37)
    par = {c.name: c for c in run.columns}["parallelism"]
    assert par.empty == 1
    assert [(s.line, s.why) for s in report.skipped] == [
        (4, "partial last line (the file may still be being written)")]


def test_columns_are_counted_by_kind_of_cell(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("step,a,b,c,d\n1,nan,x,,1\n2,inf,y,,abc\n3,0.5,z,,2\n")
    cols = {c.name: c for c in inspect_log(str(path)).runs[0].columns}
    assert (cols["a"].type, cols["a"].nan, cols["a"].inf, cols["a"].min) == ("numeric", 1, 1, 0.5)
    assert (cols["b"].type, cols["b"].non_numeric, cols["b"].min) == ("text", 3, None)
    assert (cols["c"].type, cols["c"].empty) == ("empty", 3)
    assert (cols["d"].type, cols["d"].numeric, cols["d"].non_numeric) == ("mixed", 2, 1)


def test_restarts_and_duplicates_are_located():
    (run,) = inspect_log(str(DATA / "restarted.csv")).runs
    assert [(r.line, r.x_from, r.x_to) for r in run.restarts] == [(6, 3.0, 1.0)]
    assert run.restart_count == 1
    assert run.duplicate_x_values == 0  # keep-last (the default) replaces the overlap


def test_duplicates_are_counted_under_keep_all():
    from rlplot.config.schema import Config, DataSpec

    config = Config(data=DataSpec(restarts="keep-all"))
    (run,) = inspect_log(str(DATA / "restarted.csv"), config=config).runs
    assert (run.duplicate_x_values, run.duplicate_x_rows) == (3, 3)


def test_panel_mapping_says_why_not():
    (run,) = inspect_log(str(DATA / "monitor.csv")).runs
    assert run.panels[0].column is None and "no column 'accuracy'" in run.panels[0].problem
    assert "timesteps" in run.x_candidates and "t" in run.x_candidates and run.x == "timesteps"
    assert any("timesteps" in note for note in run.notes)


def test_multi_run_file_reports_each_run():
    report = inspect_log(str(DATA / "wandb_panel.csv"))
    assert report.format == "wandb-panel" and [r.run for r in report.runs] == ["ppo-seed-1", "sac run"]


def test_unreadable_file_is_a_report_not_an_exception(tmp_path):
    empty = tmp_path / "progress.csv"
    empty.write_bytes(b"")
    report = inspect_log(str(empty))
    assert report.runs == () and "empty" in report.error


def test_a_forced_format_is_marked_in_the_report():
    report = inspect_log(str(DATA / "monitor.csv"), format="csv")
    assert report.format == "csv" and report.format_forced


def test_text_report_names_format_restarts_panels_and_notes(invoke):
    result = invoke("inspect", DATA / "restarted.csv", DATA / "events.jsonl")
    assert result.exit_code == 0
    out = result.output
    assert "format: csv (detected)" in out and "format: jsonl-events (detected)" in out
    assert "restarts: 1 (line 6: 3 → 1)" in out
    assert "default panel 'accuracy': accuracy" in out
    assert "note: set aside 1 'config' record" in out


def test_cli_json_is_stable_and_complete(invoke):
    first = invoke("inspect", "-f", "json", DATA / "tb_long.csv", DATA / "verl_partial.jsonl")
    second = invoke("inspect", "-f", "json", DATA / "tb_long.csv", DATA / "verl_partial.jsonl")
    assert first.exit_code == 0 and first.output == second.output
    data = json.loads(first.output)
    long, partial = data["files"]
    assert long["format"] == "tensorboard-long" and len(long["runs"]) == 2
    assert set(long["runs"][0]) == {"run", "rows", "columns", "x_candidates", "x", "panels",
                                    "restarts", "restart_count", "duplicate_x_values",
                                    "duplicate_x_rows", "notes"}
    assert partial["skipped"] == [{"line": 4, "why": "partial last line (the file may still be "
                                                     "being written)"}]


def test_a_forced_format_is_said_in_the_text_report(invoke):
    result = invoke("inspect", "--format", "csv", DATA / "monitor.csv")
    assert "format: csv (forced with --input-format)" in result.output


def test_cli_error_exit_code_after_reporting_every_file(invoke, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_text("")
    result = invoke("inspect", empty, DATA / "monitor.csv")
    assert result.exit_code == 1
    assert "the log is empty" in result.output and "format: monitor" in result.output


def test_cli_reads_stdin(invoke):
    result = invoke("inspect", "-", input=(DATA / "tb_download.csv").read_text())
    assert result.exit_code == 0 and "format: tensorboard (detected)" in result.output


@pytest.mark.parametrize("path", sorted(DATA.iterdir()), ids=lambda p: p.name)
def test_inspect_explains_every_fixture(invoke, path):
    result = invoke("inspect", "-f", "json", path)
    assert result.exit_code == 0
    report = json.loads(result.output)["files"][0]
    assert report["error"] is None and report["runs"]
    assert all(run["columns"] for run in report["runs"])


def test_inspect_log_is_part_of_the_public_api():
    import rlplot

    assert rlplot.inspect_log is inspect_log
