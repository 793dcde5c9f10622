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


# ---------------------------------------------------------------------------- folders of runs

def _event_tree(tmp_path):
    from tests.io.tb_fixtures import legacy_run, name_file, truncate
    from tests.runs.trees import config_json, csv_run, curve, header_only_run

    root = tmp_path / "logs"
    # a resumed job: the second file logs steps 200 and 300 again
    first = legacy_run(root / "PPO_1", [("reward", s, s / 100, 1e9 + s) for s in range(0, 400, 100)])
    name_file(first, 1000)
    second = legacy_run(root / "PPO_1", [("reward", s, s / 50, 2e9 + s) for s in range(200, 600, 100)])
    name_file(second, 2000)
    config_json(root / "PPO_1", {"lr": 3e-4, "algo": "ppo"})
    damaged = legacy_run(root / "PPO_2", [("reward", s, 1.0, 1e9 + s) for s in range(5)])
    truncate(damaged, damaged.stat().st_size - 3)
    config_json(root / "PPO_2", {"lr": 1e-3, "algo": "ppo"})
    header_only_run(root / "PPO_3")
    csv_run(root / "csv_run" / "progress.csv", curve())
    return root


def test_inspect_paths_reports_every_run_of_a_folder(tmp_path):
    from rlplot.inspect import inspect_paths

    root = _event_tree(tmp_path)
    report = inspect_paths([str(root)])
    by_label = {f.label: f for f in report.files}
    assert list(by_label) == ["progress", "PPO_1", "PPO_2", "PPO_3"]
    resumed = by_label["PPO_1"]
    assert resumed.kind == "tfevents" and len(resumed.files) == 2
    (tag,) = resumed.events.tags
    assert (tag.name, tag.points, tag.min_step, tag.max_step, tag.restarts, tag.repeats) == (
        "reward", 8, 0, 500, 1, 0)
    assert by_label["PPO_2"].events.tags[0].points == 4
    assert len(by_label["PPO_2"].damage) == 1 and "byte" in by_label["PPO_2"].damage[0]
    assert by_label["PPO_3"].events.tags == () and by_label["PPO_3"].events.events == 1
    assert by_label["progress"].kind == "log" and by_label["progress"].runs[0].rows == 12
    assert resumed.config == {"lr": 3e-4, "algo": "ppo"}
    # a key some runs lack differs too: the CSV run has no config
    assert report.differing == ("lr", "algo") and report.config_keys == ("lr", "algo")
    assert resumed.config_differs == ("lr", "algo") and by_label["progress"].config == {}


def test_inspect_dir_text_marks_the_config_keys_that_differ(invoke, tmp_path):
    root = _event_tree(tmp_path)
    result = invoke("inspect", root)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "  config: lr=3e-4 *, algo=ppo *" in out and "  config: none found" in out
    assert "tags: none (only a header: the job stopped before logging anything)" in out
    assert "    reward        8  0 … 500                      1       0" in out
    assert out.rstrip().endswith("config keys over 4 runs (* differs: worth grouping by with "
                                 "--group-by cfg:KEY):\n  * lr: 3e-4, 0.001\n  * algo: ppo")
    as_json = json.loads(invoke("inspect", "-f", "json", root).stdout)
    assert as_json["differing_config_keys"] == ["lr", "algo"]
    assert [f["label"] for f in as_json["files"]] == ["progress", "PPO_1", "PPO_2", "PPO_3"]
    assert as_json["files"][1]["events"]["tags"][0]["restarts"] == 1


def test_inspect_a_store_lists_its_runs_and_says_what_was_skipped(invoke, tmp_path_factory):
    from tests.io.tracker_fixtures import built_store

    store = built_store("mlflow-sqlite", tmp_path_factory) / "mlflow.db"
    result = invoke("inspect", "-f", "json", store)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [f["label"] for f in data["files"]][:2] == ["cartpole-lr0.001", "cartpole-lr0.0003"]
    assert data["files"][0]["kind"] == "mlflow" and data["files"][0]["config"]["lr"] == 0.001
    assert data["differing_config_keys"] == ["algo", "lr", "seed"]
    assert "rlplot: warning: " + str(store) + ": skipped 3 deleted runs" in result.stderr
