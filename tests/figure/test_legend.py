"""Legend placement, checked through the drawn artists after a real Agg draw."""
from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from rlplot.config import Config, load_config
from rlplot.config.schema import FigureStyle, PanelStyle
from rlplot.figure.chart import draw_chart
from rlplot.figure.legend import (CORNERS, CornerKeeper, corner_boxes, covered, drawn_points,
                                  place_legend)
from rlplot.pipeline import prepare

from ..conftest import SAMPLE_JSONL

UPPER_LEFT, UPPER_RIGHT, LOWER_LEFT, LOWER_RIGHT = 2, 1, 3, 4   # matplotlib's location codes


def _style(**legend) -> PanelStyle:
    return replace(PanelStyle(), legend=replace(PanelStyle().legend, **{"loc": "auto", **legend}))


def _panel(y, x=None, runs=1, figsize=(6.0, 4.0)):
    """A constrained-layout Agg figure with one panel drawn as rlplot draws one: points and a line."""
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.linspace(0.0, 1.0, len(y)) if x is None else x
    for run in range(runs):
        ax.scatter(x, y + run, s=14, linewidths=0, label=f"run {run} points")
        ax.plot(x, y + run, linewidth=2, label=f"run {run} line" if runs > 1 else "Smoothed Curve")
    ax.set_xlabel("steps")
    return fig, ax


def _points_under(ax, legend) -> int:
    """Drawn points (and crossing lines) under the legend's box as drawn, markers' size included."""
    box = legend.get_window_extent()
    radius = np.sqrt(14.0) / 2.0 * ax.figure.dpi / 72.0
    lines = sum(line.get_transform().transform_path(line.get_path()).intersects_bbox(box, filled=False)
                for line in ax.lines)
    return covered(box, drawn_points(ax), radius) + int(lines)


def _falling(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, n)
    return 10.0 * np.exp(-4.0 * t) + rng.normal(0, 0.2, n)


def test_a_falling_curve_keeps_its_points_out_from_under_the_legend():
    fig, ax = _panel(_falling())
    legend = place_legend(ax, _style(), FigureStyle())
    fig.canvas.draw()
    assert legend is ax.get_legend()
    assert legend._loc != UPPER_LEFT
    assert _points_under(ax, legend) == 0
    assert ax.bbox.contains(*legend.get_window_extent().p0)   # still inside the axes


def test_a_rising_curve_keeps_the_seed_place_and_size():
    rising = np.linspace(0.0, 1.0, 300) ** 2
    fig, ax = _panel(rising)
    legend = place_legend(ax, _style(), FigureStyle())
    fig.canvas.draw()
    reference_fig, reference_ax = _panel(rising)
    reference = reference_ax.legend(loc="upper left", frameon=True, fontsize=9.0)
    reference_fig.canvas.draw()
    assert legend._loc == UPPER_LEFT and _points_under(ax, legend) == 0
    assert np.allclose(legend.get_window_extent().bounds, reference.get_window_extent().bounds)


def _full(n=4000, seed=1):
    rng = np.random.default_rng(seed)
    return np.sort(rng.uniform(0, 1, n)), rng.uniform(0, 1, n)


def test_an_axes_full_of_points_puts_the_legend_outside_on_the_right():
    x, y = _full()
    fig, ax = _panel(y, x)
    legend = place_legend(ax, _style(), FigureStyle())
    fig.canvas.draw()
    box = legend.get_window_extent()
    assert box.x0 >= ax.bbox.x1 and box.x1 <= fig.bbox.x1 + 0.5   # right of the axes, in the figure
    assert not any(isinstance(a, CornerKeeper) for a in ax.get_children())


def test_outside_below_sits_under_the_tick_labels_and_axis_label():
    x, y = _full()
    fig, ax = _panel(y, x)
    legend = place_legend(ax, _style(outside="below"), FigureStyle())
    fig.canvas.draw()
    box = legend.get_window_extent()
    below = ax.xaxis.get_tightbbox(fig.canvas.get_renderer())
    assert box.y1 <= below.y0 + 0.5 and box.y0 >= fig.bbox.y0 - 0.5
    assert abs((box.x0 + box.x1) / 2 - (ax.bbox.x0 + ax.bbox.x1) / 2) < 1.0   # centred


def _columns(legend) -> int:
    return len({round(text.get_window_extent().x0) for text in legend.get_texts()})


def test_more_entries_than_max_inside_go_outside_in_the_columns_asked_for():
    fig, ax = _panel(np.linspace(0, 1, 50) ** 2, runs=4)      # 8 entries, free upper left
    legend = place_legend(ax, _style(max_inside=6, outside="below", columns=3), FigureStyle())
    fig.canvas.draw()
    assert legend.get_window_extent().y1 <= ax.bbox.y0 and _columns(legend) == 3
    fig, ax = _panel(np.linspace(0, 1, 50) ** 2, runs=4)
    inside = place_legend(ax, _style(max_inside=8), FigureStyle())
    fig.canvas.draw()
    assert inside._loc == UPPER_LEFT and _columns(inside) == 1


def test_an_outside_right_legend_taller_than_the_axes_gets_more_columns():
    fig, ax = _panel(np.linspace(0, 1, 50), runs=20, figsize=(8.0, 3.0))   # 40 entries
    legend = place_legend(ax, _style(), FigureStyle())
    fig.canvas.draw()
    assert legend.get_window_extent().x0 >= ax.bbox.x1 and _columns(legend) > 1
    assert legend.get_window_extent().height <= ax.bbox.height * 1.1


def test_the_corner_is_checked_again_when_drawn():
    fig, ax = _panel(_falling())
    legend = place_legend(ax, _style(), FigureStyle())
    fig.canvas.draw()
    first = legend._loc
    # Later artists fill the corner chosen first; the draw moves the legend to a free one.
    box = ax.transAxes.inverted().transform(legend.get_window_extent())
    gx, gy = np.meshgrid(np.linspace(*box[:, 0], 12), np.linspace(*box[:, 1], 12))
    ax.scatter(*ax.transData.inverted().transform(ax.transAxes.transform(
        np.column_stack([gx.ravel(), gy.ravel()]))).T, s=14)
    fig.canvas.draw()
    assert legend._loc != first and _points_under(ax, legend) == 0


def test_given_points_decide_where_the_legend_goes():
    fig, ax = _panel(np.linspace(0, 1, 30) ** 2)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    legend = place_legend(ax, _style(), FigureStyle(), drawn_xy=np.array([[0.05, 0.95]]))
    fig.canvas.draw()
    assert legend._loc == UPPER_RIGHT


@pytest.mark.parametrize("loc,code", [("lower right", LOWER_RIGHT), ("upper left", UPPER_LEFT),
                                      ("lower left", LOWER_LEFT), ("best", 0)])
def test_a_fixed_location_is_used_as_given(loc, code):
    fig, ax = _panel(_falling())
    legend = place_legend(ax, _style(loc=loc), FigureStyle())
    fig.canvas.draw()
    assert legend._loc == code
    assert not any(isinstance(a, CornerKeeper) for a in ax.get_children())


def test_without_labelled_artists_there_is_no_legend():
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    assert place_legend(ax, _style(), FigureStyle()) is None and ax.get_legend() is None


def test_the_same_figure_places_its_legend_the_same_way():
    places = []
    for _ in range(2):
        fig, ax = _panel(_falling(seed=3))
        legend = place_legend(ax, _style(), FigureStyle())
        fig.canvas.draw()
        places.append((legend._loc, legend.get_window_extent().bounds))
    assert places[0] == places[1]


def test_corner_boxes_are_where_matplotlib_puts_the_legend():
    fig, ax = _panel(_falling(), runs=2)
    legend = place_legend(ax, _style(loc="upper left", font_size=14.0), FigureStyle())
    fig.canvas.draw()
    boxes = corner_boxes(legend)
    for corner in CORNERS:
        legend.set_loc(corner)
        assert np.allclose(boxes[corner].bounds, legend.get_window_extent().bounds), corner


def test_covered_counts_points_within_the_box_grown_by_the_margin():
    box = Bbox.from_extents(10, 10, 20, 20)
    points = np.array([[15, 15], [21, 15], [25, 25], [10, 20]], dtype=float)
    assert covered(box, points) == 2 and covered(box, points, margin=1.5) == 3


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_the_seed_chart_is_pixel_identical_with_auto_placement():
    config = load_config((), ["panels.*.legend.loc=upper left"]).config
    prepared = prepare([str(SAMPLE_JSONL)], config)
    fixed = draw_chart(prepared, config)
    placed = draw_chart(prepared, config)
    for ax, panel in zip(placed.axes, prepared.panels):
        ax.get_legend().remove()
        place_legend(ax, replace(panel, legend=replace(panel.legend, loc="auto")), Config().figure)
    assert _png(placed) == _png(fixed)
    assert [ax.get_legend()._loc for ax in placed.axes] == [UPPER_LEFT, UPPER_LEFT]
