"""The compare figures, tested through their artists: bars at the CIs, ticks at the points,
curves and bands equal to the arrays, labels from the registries, same bytes every time."""
from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rlplot.data import Series
from rlplot.figure.compare import (CompareStyle, draw_interval_estimates, draw_performance_profiles,
                                   draw_probability_of_improvement, draw_sample_efficiency)
from rlplot.stats import evaluate
from rlplot.choices import AGGREGATE_METRICS, COMPARE_FIGURES, PROFILE_KINDS

STYLE = CompareStyle()


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(3)
    cells = {(a, t): [Series("r", np.linspace(0, 1e6, 30), level * np.linspace(0, 1, 30) + rng.normal(0, 0.1, 30),
                             "env_steps") for _ in range(4)]
             for a, level in (("ppo", 1.0), ("sac", 0.6), ("td3", 0.3)) for t in ("hopper", "walker", "ant")}
    return evaluate(cells, normalize="minmax", reps=200, pairs="all", curve_points=12, tau_points=21)


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def point_ticks(ax) -> np.ndarray:
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    return np.array([segment[0][0] for segment in lines.get_segments()])


def test_interval_estimates_one_column_per_metric_one_bar_per_algorithm(result):
    est = result.intervals
    axes = Figure().subplots(1, len(est.metrics))
    assert draw_interval_estimates(axes, est, STYLE) is axes
    for m, ax in enumerate(axes):
        rectangles = bars(ax)
        assert len(rectangles) == len(est.algorithms)
        np.testing.assert_allclose([r.get_x() for r in rectangles], est.low[:, m])
        np.testing.assert_allclose([r.get_x() + r.get_width() for r in rectangles], est.high[:, m])
        np.testing.assert_allclose([r.get_y() + r.get_height() / 2 for r in rectangles], [0, 1, 2])
        np.testing.assert_allclose(point_ticks(ax), est.point[:, m])
        assert ax.get_xlabel() == AGGREGATE_METRICS[est.metrics[m]].title
        assert ax.get_ylim()[0] > ax.get_ylim()[1]            # first algorithm on top
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == (list(est.algorithms) if m == 0 else ["", "", ""])
    assert [to_rgba(r.get_facecolor())[:3] for r in bars(axes[0])] == \
        [to_rgba(STYLE.color(i))[:3] for i in range(3)]


def test_interval_estimates_need_one_axes_per_metric(result):
    with pytest.raises(ValueError, match="4 metrics need as many axes"):
        draw_interval_estimates(Figure().subplots(1, 2), result.intervals, STYLE)


def test_profiles_are_curves_with_bands(result):
    prof = result.profiles
    ax = Figure().subplots()
    assert draw_performance_profiles(ax, prof, STYLE) is ax
    assert [line.get_label() for line in ax.lines] == list(prof.algorithms)
    for i, line in enumerate(ax.lines):
        np.testing.assert_allclose(line.get_xdata(), prof.tau)
        np.testing.assert_allclose(line.get_ydata(), prof.point[i])
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3
    for i, band in enumerate(bands):
        vertices = band.get_paths()[0].vertices
        assert vertices[:, 1].min() == pytest.approx(prof.low[i].min())
        assert vertices[:, 1].max() == pytest.approx(prof.high[i].max())
    assert ax.get_ylabel() == PROFILE_KINDS[prof.kind].title and "(τ)" in ax.get_xlabel()
    assert ax.get_xscale() == "linear"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(prof.algorithms)


def test_log_profiles_get_a_log_axis(result):
    from dataclasses import replace

    prof = replace(result.profiles, scale="log", tau=np.geomspace(0.01, 1, 21))
    ax = draw_performance_profiles(Figure().subplots(), prof, STYLE)
    assert ax.get_xscale() == "log"


def test_improvement_bars_per_pair_with_x_left_and_y_right(result):
    imp = result.improvements
    fig = Figure()
    ax = fig.subplots()
    assert draw_probability_of_improvement(ax, imp, STYLE) is ax
    rectangles = bars(ax)
    np.testing.assert_allclose([r.get_x() for r in rectangles], imp.low)
    np.testing.assert_allclose([r.get_x() + r.get_width() for r in rectangles], imp.high)
    np.testing.assert_allclose(point_ticks(ax), imp.point)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ppo", "ppo", "sac"]
    (right,) = [other for other in fig.axes if other is not ax]
    assert [t.get_text() for t in right.get_yticklabels()] == ["sac", "td3", "td3"]
    assert right.get_ylim() == ax.get_ylim()
    assert any(np.allclose(line.get_xdata(), 0.5) for line in ax.lines)   # no-difference line
    assert ax.get_xlim() == (0.0, 1.0)
    colors = [to_rgba(r.get_facecolor())[:3] for r in rectangles]
    assert colors[0] == colors[1] != colors[2]                             # coloured by X


def test_sample_efficiency_lines_and_bands(result):
    curves = result.curves
    ax = draw_sample_efficiency(Figure().subplots(), curves, STYLE)
    for i, line in enumerate(ax.lines):
        np.testing.assert_allclose(line.get_xdata(), curves.x)
        np.testing.assert_allclose(line.get_ydata(), curves.point[i])
    assert ax.get_xlabel() == "env_steps" and ax.get_ylabel() == "IQM normalized score"
    assert ax.get_xlim() == (curves.x[0], curves.x[-1])


def render(result) -> bytes:
    fig = Figure(figsize=(10, 6))
    grid = fig.subplots(2, 4)
    draw_interval_estimates(grid[0], result.intervals, STYLE)
    draw_performance_profiles(grid[1, 0], result.profiles, STYLE)
    draw_probability_of_improvement(grid[1, 1], result.improvements, STYLE)
    draw_sample_efficiency(grid[1, 2], result.curves, STYLE)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=60, metadata={"Software": "rlplot"})
    return out.getvalue()


def test_same_result_same_bytes(result):
    assert render(result) == render(result)


def test_every_figure_kind_names_its_drawing_function():
    assert [COMPARE_FIGURES.load(name).__name__ for name in COMPARE_FIGURES.names] == [
        "draw_interval_estimates", "draw_performance_profiles", "draw_probability_of_improvement",
        "draw_sample_efficiency"]


def test_colours_cycle():
    style = CompareStyle(colors=("red", "blue"))
    assert [style.color(i) for i in range(3)] == ["red", "blue", "red"]
