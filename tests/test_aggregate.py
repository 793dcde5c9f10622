"""Several runs: grids, statistics, bootstrap bands, grouping, labels, and what the figure says."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rlplot.aggregate import (band_bootstrap, band_sd, band_sem, common_grid, group_key, on_grid,
                              stat_iqm, stat_mean, stat_median)
from rlplot.config import load_config
from rlplot.errors import ConfigError, InputError
from rlplot.figure.chart import draw_chart
from rlplot.pipeline import distinct_labels, prepare

from .conftest import write_jsonl


def test_interpolation_never_extrapolates():
    grid = np.linspace(0, 10, 11)
    values = on_grid(np.array([2.0, 4.0, 6.0]), np.array([1.0, 3.0, 5.0]), grid)
    assert np.isnan(values[:2]).all() and np.isnan(values[7:]).all()
    np.testing.assert_allclose(values[2:7], [1, 2, 3, 4, 5])


def test_intersection_and_union_grids():
    xs = [np.array([0.0, 5.0, 10.0]), np.array([2.0, 20.0])]
    inter = common_grid(xs, "intersection", 9)
    union = common_grid(xs, "union", 21)
    assert inter[0] == 2.0 and inter[-1] == 10.0 and len(inter) == 9
    assert union[0] == 0.0 and union[-1] == 20.0
    with pytest.raises(ConfigError, match="share no x range"):
        common_grid([np.array([0.0, 1.0]), np.array([2.0, 3.0])], "intersection")


def test_mean_of_seeds_recovers_the_true_curve():
    rng = np.random.default_rng(3)
    grid = np.linspace(0, 1, 50)
    truth = 0.3 + 0.4 * grid
    rows = []
    for _ in range(400):
        x = np.sort(rng.uniform(0, 1, 300))
        x[0], x[-1] = 0.0, 1.0
        rows.append(on_grid(x, 0.3 + 0.4 * x + rng.normal(0, 0.05), grid))  # a per-seed offset
    np.testing.assert_allclose(stat_mean(np.vstack(rows)), truth, atol=0.01)


def test_iqm_and_median_match_direct_computation():
    rng = np.random.default_rng(4)
    matrix = rng.standard_t(2, size=(13, 30))
    np.testing.assert_allclose(stat_iqm(matrix), stats.trim_mean(matrix, 0.25, axis=0))
    np.testing.assert_allclose(stat_median(matrix), np.median(matrix, axis=0))


def test_statistics_ignore_runs_that_do_not_cover_a_point():
    matrix = np.array([[1.0, np.nan], [3.0, 5.0], [5.0, np.nan]])
    np.testing.assert_allclose(stat_mean(matrix), [3.0, 5.0])
    np.testing.assert_allclose(stat_iqm(matrix), [3.0, 5.0])


def test_sd_and_sem_bands():
    matrix = np.array([[1.0, 2.0], [3.0, 6.0]])
    center = stat_mean(matrix)
    sd = band_sd(matrix, center)
    sem = band_sem(matrix, center)
    np.testing.assert_allclose(sd.high - center, np.std(matrix, axis=0, ddof=1))
    np.testing.assert_allclose(sem.high - center, np.std(matrix, axis=0, ddof=1) / np.sqrt(2))


def test_bootstrap_ci_is_seeded_and_covers_the_true_mean_at_about_the_nominal_rate():
    rng = np.random.default_rng(5)
    first = band_bootstrap(rng.normal(size=(10, 3)), np.zeros(3), reps=300, seed=1)
    matrix = rng.normal(size=(10, 3))
    a = band_bootstrap(matrix, stat_mean(matrix), reps=300, seed=7)
    b = band_bootstrap(matrix, stat_mean(matrix), reps=300, seed=7)
    np.testing.assert_array_equal(a.low, b.low)
    assert first.low.shape == (3,)
    hits = trials = 0
    for _ in range(150):
        matrix = rng.normal(2.0, 1.0, size=(20, 4))
        band = band_bootstrap(matrix, stat_mean(matrix), reps=400, seed=int(rng.integers(1 << 30)))
        hits += int(np.sum((band.low <= 2.0) & (band.high >= 2.0)))
        trials += 4
    assert 0.88 <= hits / trials <= 0.99  # percentile bootstrap with 20 runs: slightly under 95 %


@pytest.mark.parametrize("path, pattern, expected", [
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"lr([^_]+)_seed", "3e-4"),
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"(?P<group>lr[^_]+)_seed(\d+)", "lr3e-4"),
    ("sweep/lr3e-4_seed1/metrics.jsonl", r"lr[^_]+", "lr3e-4"),
    ("other/metrics.jsonl", r"lr([^_]+)_seed", None),
])
def test_group_key(path, pattern, expected):
    assert group_key(path, pattern) == expected


def test_bad_group_regex_is_a_config_error():
    with pytest.raises(ConfigError, match="invalid regular expression"):
        group_key("a", "(")


def test_labels_use_the_differing_path_parts():
    assert distinct_labels(["a/x.jsonl", "a/y.jsonl"]) == ["x", "y"]
    assert distinct_labels(["sweep/lr1_s1/metrics.jsonl", "sweep/lr1_s2/metrics.jsonl"]) == ["lr1_s1",
                                                                                              "lr1_s2"]
    assert distinct_labels(["r/a/s1/m.csv", "r/b/s1/m.csv"]) == ["a", "b"]


def make_sweep(tmp_path, groups=("1e-3", "3e-4"), seeds=3, n=40):
    rng = np.random.default_rng(6)
    paths = []
    for g, lr in enumerate(groups):
        for s in range(seeds):
            folder = tmp_path / "sweep" / f"lr{lr}_seed{s}"
            folder.mkdir(parents=True)
            paths.append(str(write_jsonl(folder / "metrics.jsonl", [
                {"step": i + s, "rl_flops": (i + s) * 1e18, "accuracy": 0.3 + 0.1 * g + 0.005 * i
                 + float(rng.normal(0, 0.01)), "parallelism": 8 + g} for i in range(n)])))
    return paths


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


def test_runs_with_flops_and_runs_with_steps_are_not_mixed(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"rl_flops": i * 1e18, "accuracy": 0.5, "parallelism": 8}
                                           for i in range(5)])
    b = write_jsonl(tmp_path / "b.jsonl", [{"step": i, "accuracy": 0.5, "parallelism": 8}
                                           for i in range(5)])
    with pytest.raises(InputError, match="some runs have a FLOPs column and others only steps"):
        prepare([str(a), str(b)])


def test_cli_aggregate_flags(invoke, tmp_path):
    make_sweep(tmp_path)
    out = tmp_path / "cmp.png"
    result = invoke("render", str(tmp_path / "sweep" / "*" / "metrics.jsonl"), "--group-by",
                    r"lr([^_]+)_seed", "--aggregate", "iqm", "--band", "sem", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    bad = invoke("render", str(tmp_path / "sweep" / "*" / "metrics.jsonl"), "--aggregate", "avg",
                 "-o", out)
    assert bad.exit_code == 1 and "runs.aggregate: 'avg' is not allowed" in bad.stderr


def test_glob_matching_nothing_is_an_error(invoke, tmp_path):
    result = invoke("render", str(tmp_path / "nothing" / "*.jsonl"), "-o", tmp_path / "x.png")
    assert result.exit_code == 1 and "no file matches this pattern" in result.stderr


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


def test_data_out_never_overwrites_a_log_named_by_a_glob(invoke, tmp_path):
    folder = tmp_path / "gl"
    folder.mkdir()
    a = write_jsonl(folder / "a.jsonl", [{"step": i, "accuracy": 0.5, "parallelism": 8}
                                         for i in range(10)])
    before = a.read_bytes()
    result = invoke("render", str(folder / "*.jsonl"), "-o", tmp_path / "x.png",
                    "--data-out", a)
    assert result.exit_code == 1 and a.read_bytes() == before
