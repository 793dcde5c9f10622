"""rlplot.summary, .inspect, .compare and .report on data in memory: the numbers the commands print."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pytest

import rlplot
from rlplot.errors import ConfigError, InputError
from rlplot.inspect import inspect_log

from tests.conftest import ROOT, SAMPLE_CSV

COMPARE = ROOT / "sample_runs" / "compare"


def exact_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, float_precision="round_trip")


def test_summary_gives_the_numbers_rlplot_summary_prints(invoke):
    printed = json.loads(invoke("summary", SAMPLE_CSV, "-t", "accuracy=50%", "-f", "json").stdout)
    view = rlplot.summary(pl.read_csv(SAMPLE_CSV), thresholds="accuracy=50%")
    mine = view.to_dict()
    assert mine["runs"][0]["metrics"] == printed["runs"][0]["metrics"]
    assert mine["thresholds"] == printed["thresholds"] and mine["x_label"] == printed["x_label"]
    assert mine["runs"][0]["source"] == "<data>" and mine["runs"][0]["label"] == "data"
    markdown = view._repr_markdown_()
    assert "Training Accuracy" in markdown and markdown.count("\n|") >= 3
    assert str(view).startswith("data (<data>, 300 rows)")


def test_summary_data_is_the_csv_form_as_a_frame_of_the_users_library(invoke):
    printed = invoke("summary", SAMPLE_CSV, "-f", "csv").stdout.splitlines()
    rows = rlplot.summary(pl.read_csv(SAMPLE_CSV)).data()
    assert isinstance(rows, pl.DataFrame)
    assert rows.columns == printed[0].split(",")
    assert rows["points"].to_list() == [300, 300] and rows["dropped"].to_list() == [0, 0]
    assert rows["last"].to_list() == [float(line.split(",")[12]) for line in printed[1:]]


def test_a_threshold_that_is_not_metric_equals_value_is_a_config_error():
    with pytest.raises(ConfigError, match="threshold: 'accuracy' is not METRIC=VALUE"):
        rlplot.summary(exact_csv(SAMPLE_CSV), thresholds=["accuracy"])


def test_inspect_reports_a_frames_columns_as_inspect_log_reports_the_file():
    from_file = inspect_log(str(SAMPLE_CSV)).runs[0]
    view = rlplot.inspect(exact_csv(SAMPLE_CSV))
    (report,) = view.report.files
    (run,) = report.runs
    assert run.columns == from_file.columns and run.x == from_file.x and run.panels == from_file.panels
    assert (report.path, report.format, report.label) == ("<data>", "pandas", "data")
    assert "| accuracy | numeric | 300 |" in view._repr_markdown_()


def test_inspect_gives_each_run_its_constant_columns_as_config():
    frame = pd.DataFrame({"run": ["a", "a", "b", "b"], "lr": [0.1, 0.1, 0.2, 0.2],
                          "algo": ["ppo", "ppo", "ppo", "ppo"], "step": [0, 1, 0, 1],
                          "reward": [1.0, 2.0, 3.0, 4.0]})
    view = rlplot.inspect(frame, runs="run", y="reward")
    assert [f.config for f in view.report.files] == [{"lr": 0.1, "algo": "ppo"}, {"lr": 0.2, "algo": "ppo"}]
    assert view.report.differing == ("lr",)
    assert [f.config_differs for f in view.report.files] == [("lr",), ("lr",)]
    assert view.report.files[0].runs[0].panels[0].column == "reward"
    assert "config: lr=0.1, algo=ppo" in view._repr_markdown_()


def compare_frame() -> pd.DataFrame:
    """The compare sample's logs as one frame: algo, task and seed columns."""
    parts = []
    for path in sorted(COMPARE.glob("*/*/seed*.csv")):
        parts.append(exact_csv(path).assign(algo=path.parts[-3], task=path.parts[-2],
                                            run=f"{path.parts[-3]}/{path.parts[-2]}/{path.stem}"))
    return pd.concat(parts, ignore_index=True)


def test_compare_on_columns_gives_the_tables_rlplot_compare_writes(invoke, tmp_path):
    logs = sorted(str(p) for p in COMPARE.glob("*/*/seed*.csv"))
    table = tmp_path / "cli.json"
    invoke("compare", *logs, "--algo-by", "([^/]+)/[^/]+/seed", "--task-by", "([^/]+)/seed",
           "--y", "episode_return", "--reps", "200", "--normalize", "minmax", "--table", table)
    view = rlplot.compare(compare_frame(), runs="run", algo_by="algo", task_by="task",
                          y="episode_return", reps=200, normalize="minmax")
    assert json.loads(view.table("json")) == json.loads(table.read_text(encoding="utf-8"))
    assert view.figure is not None and len(view.figure.axes) >= 4   # every kind, one figure
    assert view._repr_png_().startswith(b"\x89PNG")
    written = view.save(tmp_path / "fig.png", tables=[tmp_path / "mine.md"])
    assert [p.rsplit("/", 1)[1] for p in written] == [
        "fig-intervals.png", "fig-profiles.png", "fig-improvement.png", "fig-efficiency.png", "mine.md"]


def test_compare_specs_may_be_regexes_over_the_run_names():
    view = rlplot.compare(compare_frame(), runs="run", algo_by=r"\[([^/]+)/", task_by=r"/([^/]+)/seed",
                          y="episode_return", reps=200, kinds=["intervals"])
    by_columns = rlplot.compare(compare_frame(), runs="run", algo_by="algo", task_by="task",
                                y="episode_return", reps=200, kinds=["intervals"])
    assert view.table("csv") == by_columns.table("csv")
    with pytest.raises(ConfigError, match="algo_by 'algo_' has no capture group"):
        rlplot.compare(compare_frame(), runs="run", algo_by="algo_", task_by="task", y="episode_return")
    with pytest.raises(ConfigError, match="compare scores one metric"):
        rlplot.compare(compare_frame(), runs="run", algo_by="algo", task_by="task", y=["a", "b"])


def test_compare_refuses_a_column_that_changes_within_a_run():
    frame = compare_frame()
    with pytest.raises(InputError, match="column 'task' changes within run"):
        rlplot.compare(frame.assign(run=frame["algo"]), runs="run", algo_by="algo", task_by="task",
                       y="episode_return")


def test_report_of_data_writes_the_page_with_a_section_per_group(tmp_path):
    frame = compare_frame()
    view = rlplot.report(frame, tmp_path / "r.html", runs="run", y="episode_return",
                         group_by="algo", aggregate="mean", title="Sweep")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert [s.title for s in view.report.sections] == ["algo=ppo", "algo=sac", "algo=td3"]
    assert "<title>Sweep</title>" in page and "rlplot.report(&lt;DataFrame&gt;" in page
    assert view.report.inputs[0].path == "<data>" and len(view.report.inputs[0].sha256) == 64
    assert view._repr_html_().startswith("<iframe srcdoc=")
    view.save(tmp_path / "r.md")
    assert "## algo=ppo" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_report_of_paths_is_rlplot_reports(tmp_path):
    view = rlplot.report(str(SAMPLE_CSV), tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "## seed\\_like\\_run" in text and (tmp_path / view.built.images[0].rsplit("/", 1)[1]).is_file()
    with pytest.raises(Exception, match="unknown report format '.txt'"):
        view.save(tmp_path / "r.txt")


def test_numbers_read_from_memory_equal_those_read_from_the_file():
    mine = rlplot.summary(exact_csv(SAMPLE_CSV), smooth="ema").runs[0].metrics[0].insight
    theirs = rlplot.summary(str(SAMPLE_CSV), smooth="ema").runs[0].metrics[0].insight
    assert mine == theirs
    assert np.isfinite(mine.last)
