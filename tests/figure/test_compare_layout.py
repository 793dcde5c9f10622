"""Whole compare figures from a config (rlplot/figure/compare_layout.py): sizes, the presets' style,
one kind per Figure or every kind in a grid, tested through the artists."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib import ticker
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from rlplot.choices import COMPARE_FIGURES
from rlplot.config import load_config
from rlplot.data import Series
from rlplot.errors import InputError
from rlplot.figure.compare import OKABE_ITO
from rlplot.figure.compare_layout import (RESULT_OF, compare_figures, compare_style, draw_kind,
                                          kind_size, score_label)
from rlplot.stats import evaluate


@pytest.fixture(scope="module")
def comparison():
    rng = np.random.default_rng(5)
    cells = {(a, t): [Series("r", np.linspace(0, 5e4, 20), level * np.linspace(0, 1, 20) + rng.normal(0, 0.05, 20),
                             "step") for _ in range(3)]
             for a, level in (("ppo", 1.0), ("sac", 0.5)) for t in ("hopper", "walker")}
    return evaluate(cells, normalize="minmax", reps=100, curve_points=10, tau_points=11)


def config(*sets, presets=()):
    return load_config(list(presets), list(sets)).config


def axes_of(figure):
    return [ax for ax in figure.get_axes() if ax.get_visible()]


def test_every_figure_kind_has_the_result_it_draws(comparison):
    assert set(RESULT_OF) == set(COMPARE_FIGURES.names)
    assert all(getattr(comparison, attribute) is not None for attribute in RESULT_OF.values())


def test_sizes_follow_the_figure_unless_a_kind_sets_its_own():
    cfg = config()
    assert kind_size("intervals", cfg) == (12.0, 4.8)
    assert kind_size("profiles", cfg) == (6.0, 4.8)
    assert kind_size("intervals", cfg, rows=3) == pytest.approx((12.0, 1.0 + 0.45 * 3))
    assert kind_size("improvement", cfg, rows=20) == (6.0, 4.8)           # at most figure.height
    cfg = config("compare.profiles.width=3", "compare.profiles.height=2", "figure.width=8")
    assert kind_size("profiles", cfg) == (3.0, 2.0) and kind_size("efficiency", cfg) == (4.0, 4.8)


def test_style_comes_from_the_keys_the_presets_set():
    paper = load_config(["paper"]).config
    style = compare_style(paper, "minmax")
    assert (style.font_size, style.label_size, style.tick_size) == (7, 7, 6)
    assert style.line_width == paper.panels[0].line.width == 1.0
    assert style.legend_size == 5 and style.legend_frame is False
    assert style.colors == OKABE_ITO and style.score_label == "Min-max normalized score"
    own = compare_style(config("compare.line_width=3", "compare.colors=[red, blue]",
                               "compare.score_label=Return"), "none")
    assert own.line_width == 3 and own.colors == ("red", "blue") and own.score_label == "Return"


@pytest.mark.parametrize("normalization, label", [
    ("none", "Score"), ("minmax", "Min-max normalized score"), ("references (refs.yaml)", "Normalized score")])
def test_score_labels_say_what_the_numbers_are(normalization, label):
    assert score_label(normalization) == label


def test_one_figure_per_kind_sized_and_drawn(comparison):
    cfg = config()
    figures = compare_figures(comparison, cfg)
    assert [kinds for kinds, _ in figures] == [(k,) for k in COMPARE_FIGURES.names]
    by_kind = {kinds[0]: figure for kinds, figure in figures}
    intervals = by_kind["intervals"]
    assert len(axes_of(intervals)) == len(comparison.intervals.metrics)
    assert tuple(intervals.get_size_inches()) == pytest.approx((12.0, 1.0 + 0.45 * 2))
    assert intervals._supxlabel.get_text() == "Min-max normalized score"
    for ax in axes_of(intervals):
        assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 2
    assert tuple(by_kind["profiles"].get_size_inches()) == pytest.approx((6.0, 4.8))
    (profiles,) = axes_of(by_kind["profiles"])
    assert [line.get_label() for line in profiles.get_lines()] == ["ppo", "sac"]
    assert len([c for c in profiles.collections if isinstance(c, PolyCollection)]) == 2


def test_colours_and_line_width_of_the_config_reach_the_artists(comparison):
    cfg = config("compare.colors=['#112233', '#445566']", "compare.line_width=4.5")
    ((_, figure),) = compare_figures(comparison, cfg, kinds=["efficiency"])
    (ax,) = axes_of(figure)
    lines = ax.get_lines()
    assert [to_rgba(line.get_color()) for line in lines] == [to_rgba("#112233"), to_rgba("#445566")]
    assert all(line.get_linewidth() == 4.5 for line in lines)


def test_efficiency_ticks_follow_figure_x_tick_format(comparison):
    ((_, figure),) = compare_figures(comparison, config("figure.x_tick_format=si"), kinds=["efficiency"])
    (ax,) = axes_of(figure)
    assert isinstance(ax.xaxis.get_major_formatter(), ticker.EngFormatter)
    assert ax.get_xlabel() == "step"


def test_a_layout_puts_every_kind_in_one_grid(comparison):
    cfg = config("compare.layout=1+3", "compare.intervals.title=Aggregates")
    ((kinds, figure),) = compare_figures(comparison, cfg)
    assert kinds == COMPARE_FIGURES.names
    rows = figure.subfigs
    assert len(rows) == 2 and [len(row.subfigs) for row in rows] == [1, 3]
    intervals = rows[0].subfigs[0]
    assert len(intervals.axes) == 4 and intervals._suptitle.get_text() == "Aggregates"
    # rows as tall as their tallest cell, the figure as wide as its widest row
    assert tuple(figure.get_size_inches()) == pytest.approx((18.0, 1.0 + 0.45 * 2 + 4.8))
    assert len(axes_of(figure)) == 4 + 1 + 2 + 1       # improvement has its right-hand twin


def test_a_kind_that_was_not_computed_is_an_error(comparison):
    from matplotlib.figure import Figure

    with pytest.raises(InputError, match="nothing to draw for 'efficiency': it was not computed"):
        draw_kind(Figure(), "efficiency", replace(comparison, curves=None), compare_style(config()), config())


def test_same_comparison_same_bytes(comparison, tmp_path):
    from rlplot.figure.save import save_figure

    outputs = []
    for name in ("a.png", "b.png"):
        ((_, figure),) = compare_figures(comparison, config("compare.layout=2x2"))
        outputs.append((tmp_path / name).read_bytes() if save_figure(figure, str(tmp_path / name)) else b"")
    assert outputs[0] == outputs[1] and outputs[0][:8] == b"\x89PNG\r\n\x1a\n"
