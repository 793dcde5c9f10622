"""Grouping runs and aggregating each group: legends, bands, footnote, smoothing after aggregation."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.aggregate import group_key
from rlplot.choices import AGGREGATES, RUN_BANDS
from rlplot.config import load_config
from rlplot.errors import ConfigError
from rlplot.figure.chart import draw_chart
from rlplot.pipeline import prepare
from tests.conftest import make_sweep


@pytest.mark.parametrize("path, pattern, expected", [
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"lr([^_]+)_seed", "3e-4"),
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"(?P<group>lr[^_]+)_seed(\d+)", "lr3e-4"),
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"lr[^_]+", "lr3e-4"),
    ("other/metrics.jsonl", r"lr([^_]+)_seed", None),
])
def test_group_key_is_the_named_or_first_capture_group(path, pattern, expected):
    assert group_key(path, pattern) == expected


def test_bad_group_regex_is_a_config_error():
    with pytest.raises(ConfigError, match="invalid regular expression"):
        group_key("a", "(")


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_grouped_aggregate_figure_has_counted_legends_bands_and_footnote(tmp_path):
    paths = make_sweep(tmp_path)
    config = load_config(overrides={"runs": {"group_by": r"lr([^_]+)_seed", "aggregate": "median",
                                             "reps": 200}}).config
    prepared = prepare(paths, config)
    assert [g.label for g in prepared.groups] == ["1e-3", "3e-4"]
    assert [len(g.members) for g in prepared.groups] == [3, 3]
    fig = draw_chart(prepared, config)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["1e-3 (n=3)", "3e-4 (n=3)"]
    assert len(ax.collections) == 2          # two bands, no raw points by default
    assert len(ax.lines) == 2
    footnote = fig.get_supxlabel()
    assert footnote.startswith("median of 3 runs · LOWESS frac=0.2")
    assert "band = 95 % bootstrap CI, 200 reps" in footnote
    # The intersection grid starts where the latest-starting run starts.
    assert prepared.groups[0].curves[0].x[0] == pytest.approx(2e18)


def test_union_range_reports_the_dropping_count(tmp_path):
    paths = make_sweep(tmp_path, groups=("1",), seeds=3)
    config = load_config(overrides={"runs": {"aggregate": "mean", "x_range": "union",
                                             "band": "sd"}}).config
    prepared = prepare(paths, config)
    counts = prepared.groups[0].counts[0]
    assert counts.max() == 3 and counts.min() == 1
    fig = draw_chart(prepared, config)
    assert legend_texts(fig.axes[0]) == ["all runs (n=3…1)"]


def test_overlay_without_aggregation_colours_by_group(tmp_path):
    paths = make_sweep(tmp_path, seeds=2)
    config = load_config(overrides={"runs": {"group_by": r"lr([^_]+)_seed"}}).config
    fig = draw_chart(prepare(paths, config), config)
    ax = fig.axes[0]
    assert legend_texts(ax) == ["1e-3 (n=2)", "3e-4 (n=2)"]
    colours = [line.get_color() for line in ax.lines]
    assert colours[0] == colours[1] != colours[2] == colours[3]


def test_smoothing_after_aggregation_smooths_the_statistic_not_the_runs(tmp_path):
    paths = make_sweep(tmp_path, groups=("1",), seeds=3)
    config = load_config(overrides={"runs": {"aggregate": "mean", "smooth": "after",
                                             "band": "none"}}).config
    prepared = prepare(paths, config)
    assert {s.method for per_run in prepared.smoothed for s in per_run} == {"none"}
    assert prepared.groups[0].curves[0].method == "lowess"
    assert "of the aggregate" in prepared.footnote


def test_runs_of_a_multi_run_file_are_grouped_and_aggregated_each(tmp_path):
    lines = ["run,tag,step,value"]
    for run, offset in (("seed1", 0.0), ("seed2", 1.0)):
        lines += [f"{run},reward,{i},{i + offset}" for i in range(20)]
    log = tmp_path / "long.csv"
    log.write_text("\n".join(lines) + "\n")
    config = load_config(overrides={"panels": [{"metric": "reward"}],
                                    "runs": {"aggregate": "mean", "band": "none"}}).config
    prepared = prepare([str(log)], config)
    assert len(prepared.runs) == 2
    assert prepared.groups[0].members == (0, 1)
    np.testing.assert_allclose(prepared.groups[0].curves[0].y[[0, -1]], [0.5, 19.5], atol=0.05)


@pytest.mark.parametrize("aggregate", ["mean", "median", "iqm"])
@pytest.mark.parametrize("band", ["sd", "sem", "ci"])
def test_footnote_words_are_the_labels_of_the_chosen_choices(tmp_path, aggregate, band):
    paths = make_sweep(tmp_path, groups=("1",), seeds=2, n=10)
    config = load_config(overrides={"runs": {"aggregate": aggregate, "band": band, "reps": 100,
                                             "level": 90}}).config
    footnote = prepare(paths, config).footnote
    assert footnote.startswith(f"{AGGREGATES[aggregate].title} of 2 runs · ")
    assert footnote.endswith("band = " + RUN_BANDS[band].title.format(level=90, reps=100))
    assert "{" not in footnote


def test_union_range_is_said_in_the_footnote_and_intersection_is_not(tmp_path):
    paths = make_sweep(tmp_path, groups=("1",), seeds=2, n=10)
    notes = {mode: prepare(paths, load_config(overrides={"runs": {
        "aggregate": "mean", "band": "none", "x_range": mode}}).config).footnote
        for mode in ("union", "intersection")}
    assert notes["union"].endswith(" · x range = union of runs")
    assert "x range" not in notes["intersection"]
