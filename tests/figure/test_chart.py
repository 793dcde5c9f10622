"""The default figure is the seed chart: checked through its artists, not its pixels."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib import ticker
from matplotlib.colors import to_hex

from rlplot.config import Config, load_config
from rlplot.figure.chart import draw_chart
from rlplot.figure.downsample import minmax_indices
from rlplot.pipeline import prepare

from tests.conftest import SAMPLE_JSONL, write_jsonl


@pytest.fixture(scope="module")
def sample_figure():
    prepared = prepare([str(SAMPLE_JSONL)], Config())
    return draw_chart(prepared, Config()), prepared


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_titles_labels_and_legends_follow_the_seed_chart(sample_figure):
    fig, _ = sample_figure
    left, right = fig.axes
    assert left.get_title() == "Training Accuracy vs Steps"
    assert right.get_title() == "Average parallelism vs Steps"
    assert left.get_ylabel() == "Training Accuracy"
    assert right.get_ylabel() == "Average Parallelism"
    assert left.get_xlabel() == right.get_xlabel() == "RL flops"
    assert legend_texts(left) == ["Training Accuracy", "Smoothed Curve"]
    assert legend_texts(right) == ["Average Parallelism", "Smoothed Curve"]


def test_legend_is_top_left_and_fixed(sample_figure):
    fig, _ = sample_figure
    for ax in fig.axes:
        assert ax.get_legend()._loc == 2  # 'upper left'; never 'best', which scans every point


def test_points_are_blue_and_the_line_red(sample_figure):
    fig, _ = sample_figure
    for ax in fig.axes:
        (points,) = ax.collections
        (line,) = ax.lines
        assert to_hex(points.get_facecolor()[0], keep_alpha=False) == to_hex("tab:blue")
        assert to_hex(line.get_color()) == to_hex("tab:red")


def test_every_point_is_drawn_and_line_is_the_smoothed_curve(sample_figure):
    fig, prepared = sample_figure
    for index, ax in enumerate(fig.axes):
        series = prepared.runs[0].series[index]
        offsets = ax.collections[0].get_offsets()
        assert len(offsets) == len(series) == 300
        np.testing.assert_allclose(offsets[:, 1], series.y)
        np.testing.assert_allclose(ax.lines[0].get_ydata(), prepared.smoothed[0][index].y)


def test_accuracy_axis_is_percent_with_five_point_gridlines(sample_figure):
    fig, _ = sample_figure
    ax = fig.axes[0]
    formatter = ax.yaxis.get_major_formatter()
    assert isinstance(formatter, ticker.PercentFormatter) and formatter.xmax == 1.0
    ticks = ax.get_yticks()
    np.testing.assert_allclose(np.diff(ticks), 0.05)
    low, high = ax.get_ylim()
    assert low == pytest.approx(0.30) and high == pytest.approx(0.70)  # the seed's 30 %..70 %
    assert formatter(0.35, 0) == "35.0%"


def test_parallelism_axis_has_integer_gridlines_and_limits_on_them(sample_figure):
    fig, prepared = sample_figure
    ax = fig.axes[1]
    np.testing.assert_allclose(np.diff(ax.get_yticks()), 1.0)
    low, high = ax.get_ylim()
    assert low == int(low) and high == int(high)
    y = prepared.runs[0].series[1].y
    assert low <= y.min() and high >= y.max() and high - y.max() < 1.5


def test_x_ticks_are_scientific_with_a_shared_offset(sample_figure):
    fig, _ = sample_figure
    formatter = fig.axes[0].xaxis.get_major_formatter()
    assert isinstance(formatter, ticker.ScalarFormatter)
    fig.canvas.draw()
    assert formatter.get_offset() == "\u00d710\u00b2\u00b9"


def test_percent_panel_accepts_0_to_100_data(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"step": i, "accuracy": 35 + i, "parallelism": 8}
                                             for i in range(20)])
    prepared = prepare([str(log)], Config())
    fig = draw_chart(prepared, Config())
    formatter = fig.axes[0].yaxis.get_major_formatter()
    assert formatter.xmax == 100.0
    np.testing.assert_allclose(np.diff(fig.axes[0].get_yticks()), 5.0)
    assert fig.axes[0].get_xlabel() == "step"  # no FLOPs column: the label says what x is


def test_custom_y_panels_take_names_from_columns(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"step": i, "reward": i * 2.0, "kl": 0.1 * i}
                                             for i in range(30)])
    config = load_config(overrides={"panels": [{"metric": "reward"}, {"metric": "kl"},
                                               {"metric": "reward"}]}).config
    fig = draw_chart(prepare([str(log)], config), config)
    assert [ax.get_title() for ax in fig.axes] == ["reward vs step", "kl vs step", "reward vs step"]
    assert legend_texts(fig.axes[1]) == ["kl", "Smoothed Curve"]


def test_large_series_is_downsampled_for_drawing_only(tmp_path):
    n = 20_000
    rng = np.random.default_rng(1)
    y = rng.normal(size=n)
    log = write_jsonl(tmp_path / "big.jsonl", [{"step": i, "accuracy": float(v), "parallelism": 1.0}
                                               for i, v in enumerate(y)])
    config = load_config(sets=["panels.0.scatter.max_points=500"]).config
    prepared = prepare([str(log)], config)
    assert len(prepared.runs[0].series[0]) == n  # smoothing saw every point
    fig = draw_chart(prepared, config)
    offsets = fig.axes[0].collections[0].get_offsets()
    assert len(offsets) <= 500
    assert offsets[:, 1].max() == y.max() and offsets[:, 1].min() == y.min()


def test_minmax_keeps_ends_and_extremes():
    y = np.sin(np.linspace(0, 20, 10_001))
    keep = minmax_indices(y, 200)
    assert len(keep) <= 200 and keep[0] == 0 and keep[-1] == len(y) - 1
    assert y[keep].max() == y.max() and y[keep].min() == y.min()
    assert np.all(np.diff(keep) > 0)


def test_several_runs_get_palette_colours_and_run_labels(tmp_path):
    paths = []
    for name in ("a", "b"):
        paths.append(str(write_jsonl(tmp_path / f"{name}.jsonl", [
            {"step": i, "accuracy": 0.5, "parallelism": 8 + i} for i in range(10)])))
    fig = draw_chart(prepare(paths, Config()), Config())
    ax = fig.axes[0]
    assert legend_texts(ax) == ["a", "b"]
    colours = {to_hex(line.get_color()) for line in ax.lines}
    assert len(colours) == 2


def test_drawing_never_opens_the_input(seed_log, monkeypatch):
    import builtins
    import io as stdlib_io

    prepared = prepare([str(seed_log)], Config())
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        assert str(file) != str(seed_log), "drawing opened the input log"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(stdlib_io, "open", guarded)
    fig = draw_chart(prepared, Config())
    fig.canvas.draw()
    assert len(fig.axes) == 2


def test_percent_scale_comes_from_the_data_not_from_a_band_above_one(tmp_path):
    rng = np.random.default_rng(2)
    acc = np.clip(np.linspace(0.7, 1.05, 80) + rng.normal(0, 0.03, 80), 0, 1.0)
    log = write_jsonl(tmp_path / "r.jsonl", [{"step": i, "accuracy": float(a), "parallelism": 8.0}
                                             for i, a in enumerate(acc)])
    config = load_config(sets=["panels.0.band=residual"]).config
    prepared = prepare([str(log)], config)
    assert np.nanmax(prepared.smoothed[0][0].band_high) > 1.0   # the band overshoots 100 %
    fig = draw_chart(prepared, config)
    assert fig.axes[0].yaxis.get_major_formatter().xmax == 1.0


def test_points_a_log_axis_cannot_show_are_reported(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"x": x, "accuracy": 0.5, "parallelism": 8}
                                             for x in (-3, -1, 0, 1, 2)])
    config = load_config(sets=["data.x=x", "figure.x_scale=log"]).config
    notices = [n.what for n in prepare([str(log)], config).notices]
    assert "accuracy: 3 of 5 points have x <= 0 and are not shown on the log x axis" in notices


def many_runs(tmp_path, count, rows=12):
    paths = []
    for number in range(count):
        paths.append(str(write_jsonl(tmp_path / f"run{number:02d}.jsonl", [
            {"step": i, "accuracy": 0.3 + number / 100 + i / 200, "parallelism": 8 + number}
            for i in range(rows)])))
    return paths


def test_past_the_palette_runs_take_another_dash_and_marker(tmp_path):
    from rlplot.figure.chart import RUN_COLORS, run_style

    fig = draw_chart(prepare(many_runs(tmp_path, 14), Config()), Config())
    ax = fig.axes[0]
    looks = [(to_hex(line.get_color()), line.get_linestyle()) for line in ax.lines]
    assert len(looks) == 14 and len(set(looks)) == 14           # no two runs drawn alike
    assert looks[0] == (to_hex(RUN_COLORS[0]), "-") and looks[8] == (to_hex(RUN_COLORS[0]), "--")
    markers = [c.get_paths()[0] for c in ax.collections]       # the 9th run's points are squares
    assert len(markers[8].vertices) != len(markers[0].vertices)
    # The legend shows each run's dash, so two runs in one colour read apart there too.
    handles = ax.get_legend().legend_handles
    assert [h.get_linestyle() for h in handles[:9]] == ["-"] * 8 + ["--"]
    assert {run_style(n) for n in range(32)} == {run_style(n) for n in range(32)} and \
        len({run_style(n) for n in range(32)}) == 32 and run_style(32) == run_style(0)


def test_past_32_runs_the_render_says_they_repeat(tmp_path):
    from rlplot.pipeline import render

    result = render(many_runs(tmp_path, 33, rows=5), [str(tmp_path / "all.png")])
    assert any("33 runs in one panel: past 32" in n.what for n in result.notices)


def test_y_limits_follow_what_is_drawn_not_hidden_points(tmp_path):
    rng = np.random.default_rng(3)
    paths = []
    for number in range(30):   # points far below the curves: -0.9 … 1.6
        paths.append(str(write_jsonl(tmp_path / f"r{number}.jsonl", [
            {"step": i, "reward": float(i / 40 + rng.normal(0, 0.4)), "parallelism": 8.0}
            for i in range(40)])))
    for runs, sets in ((paths, ["runs.aggregate=mean", "runs.band=ci", "runs.reps=200"]),
                       (paths[:1], ["panels.0.scatter.show=false", "smoothing.frac=0.8"])):
        config = load_config(sets=["panels.0.metric=reward", *sets]).config
        prepared = prepare(runs, config)
        ax = draw_chart(prepared, config).axes[0]
        drawn = np.concatenate([line.get_ydata() for line in ax.lines] +
                               [p.vertices[:, 1] for c in ax.collections for p in c.get_paths()])
        raw = np.concatenate([run.series[0].y for run in prepared.runs])
        low, high = ax.get_ylim()
        assert low <= drawn.min() and drawn.max() <= high
        assert low > raw.min() + 0.3 and high < raw.max() - 0.3, (sets, low, high)


def test_a_percent_series_mixing_scales_is_warned_about(tmp_path):
    from rlplot.pipeline import render

    mixed = write_jsonl(tmp_path / "mixed.jsonl", [
        {"step": i, "accuracy": (0.3 + i / 200) if i % 2 else (30 + i / 2), "parallelism": 8}
        for i in range(40)])
    result = render([str(mixed)], [str(tmp_path / "m.png")])
    [warning] = [n.what for n in result.notices if "mixes" in n.what]
    assert f"{mixed}: 'accuracy' mixes 0–1 and 0–100 values (e.g. 0.305 and 30)" in warning
    one_scale = write_jsonl(tmp_path / "pct.jsonl", [
        {"step": i, "accuracy": 0.2 + i * 1.5, "parallelism": 8} for i in range(40)])
    assert not any("mixes" in n.what for n in render([str(one_scale)], [str(tmp_path / "p.png")]
                                                     ).notices)


def test_drawing_warnings_become_notices_but_garbage_collector_warnings_pass_through():
    import warnings

    from rlplot.data import Notice
    from rlplot.figure.chart import drawing_notices

    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        with drawing_notices(Config()) as notices:
            warnings.warn("Glyph 1 missing from font", UserWarning)
            warnings.warn("Glyph 1 missing from font", UserWarning)
            warnings.warn("Unclosed socket <zmq.Socket>", ResourceWarning)
    assert notices == [Notice("drawing: Glyph 1 missing from font")]
    assert [(w.category, str(w.message)) for w in outside] == [
        (ResourceWarning, "Unclosed socket <zmq.Socket>")]
