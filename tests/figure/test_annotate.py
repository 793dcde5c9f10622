"""Annotations of the dip and the knee: present only when asked for, at the right x, not moving the axes."""
from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rlplot.config import Config, load_config
from rlplot.figure.annotate import annotate_panel
from rlplot.figure.chart import draw_chart
from rlplot.insights import CurveInsight, Dip, Knee
from rlplot.pipeline import prepare

from ..conftest import SAMPLE_JSONL

GIDS = ("rlplot-dip", "rlplot-dip-label", "rlplot-knee", "rlplot-knee-marker", "rlplot-knee-label")


def marks(ax) -> dict:
    """Annotation artists of an axes by gid."""
    found: dict = {}
    for artist in ax.get_children():
        gid = artist.get_gid()
        if gid and gid.startswith("rlplot-"):
            found.setdefault(gid, []).append(artist)
    return found


def chart(*sets, paths=(SAMPLE_JSONL,)):
    config = load_config((), list(sets)).config
    return draw_chart(prepare([str(p) for p in paths], config), config)


def test_default_figure_has_no_annotations():
    fig = chart()
    assert all(marks(ax) == {} for ax in fig.axes)
    assert Config().panels[0].annotate is False and Config().panels[1].annotate is False


def test_annotated_sample_marks_dip_and_knee_of_parallelism_only():
    fig = chart("panels.0.annotate=true", "panels.1.annotate=true")
    accuracy, parallelism = fig.axes
    assert marks(accuracy) == {}   # a steady rise: no dip, no knee
    found = marks(parallelism)
    assert sorted(found) == sorted(GIDS)
    (dip,) = found["rlplot-dip"]
    assert 0.15e21 <= dip.get_xdata()[0] <= 0.25e21
    (knee,) = found["rlplot-knee"]
    assert 0.7e21 <= knee.get_xdata()[0] <= 0.8e21
    assert knee.get_linestyle() == "--"
    assert [t.get_text() for t in found["rlplot-dip-label"]] == ["dip"]
    assert [t.get_text() for t in found["rlplot-knee-label"]] == ["knee"]
    legend_texts = [t.get_text() for t in parallelism.get_legend().get_texts()]
    assert legend_texts == ["Average Parallelism", "Smoothed Curve"]


def test_per_panel_switch_annotates_one_panel_and_keeps_limits():
    plain = chart()
    annotated = chart("panels.1.annotate=true")
    assert marks(annotated.axes[0]) == {} and marks(annotated.axes[1])
    for before, after in zip(plain.axes, annotated.axes):
        assert before.get_xlim() == pytest.approx(after.get_xlim())
        assert before.get_ylim() == pytest.approx(after.get_ylim())


def test_render_flag_annotates_every_panel(invoke, tmp_path):
    from rlplot.cli import render as render_module  # noqa: F401  (the flag lives there)

    out = tmp_path / "a.svg"
    result = invoke("render", SAMPLE_JSONL, "-o", out, "--annotate")
    assert result.exit_code == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert 'id="rlplot-knee"' in svg and 'id="rlplot-dip"' in svg
    plain = tmp_path / "p.svg"
    assert invoke("render", SAMPLE_JSONL, "-o", plain).exit_code == 0
    assert "rlplot-knee" not in plain.read_text(encoding="utf-8")
    out.rename(tmp_path / "first.svg")    # the same command again: the same bytes, provenance too
    invoke("render", SAMPLE_JSONL, "-o", out, "--annotate")
    assert out.read_bytes() == (tmp_path / "first.svg").read_bytes()


def test_annotation_style_options_change_labels_line_style_and_colour():
    fig = chart("panels.1.annotate=true", "panels.1.annotation.dip_label=''",
                "panels.1.annotation.knee_label=onset", "panels.1.annotation.color=green",
                "panels.1.annotation.style=':'")
    found = marks(fig.axes[1])
    assert "rlplot-dip-label" not in found
    assert [t.get_text() for t in found["rlplot-knee-label"]] == ["onset"]
    (knee,) = found["rlplot-knee"]
    assert knee.get_linestyle() == ":"
    assert knee.get_color() == "green"


def test_bad_annotation_option_is_a_config_error():
    from rlplot.errors import ConfigError

    with pytest.raises(ConfigError, match="annotate"):
        load_config((), ["panels.1.annotate=maybe"])
    with pytest.raises(ConfigError, match="style"):
        load_config((), ["panels.1.annotation.style=wavy"])


def test_several_runs_are_annotated_in_their_colours_without_overprinting(tmp_path):
    from rlplot.figure.chart import RUN_COLORS

    seeds = SAMPLE_JSONL.parent / "second_run"
    fig = chart("panels.1.annotate=true", paths=(seeds / "seed1.jsonl", seeds / "seed2.jsonl"))
    knees = marks(fig.axes[1])["rlplot-knee"]
    assert [k.get_color() for k in knees] == list(RUN_COLORS[:2])
    labels = marks(fig.axes[1])["rlplot-knee-label"]
    assert labels[0].xyann != labels[1].xyann  # stacked, not printed over each other


def test_annotate_panel_draws_exactly_what_it_is_given():
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 10], [0, 10])
    insight = CurveInsight(points=2, x_min=0, x_max=10, first=0, last=10, min=0, min_x=0, max=10,
                           max_x=10, change=10, crossings=(), dip=None,
                           knee=Knee(6.0, 4.0, 0.1, 2.0, 0.9, 100.0), variance=None)
    from rlplot.config import PanelStyle

    assert annotate_panel(ax, insight, PanelStyle()) is ax
    found = marks(ax)
    assert "rlplot-dip" not in found
    assert list(found["rlplot-knee"][0].get_xdata()) == [6.0, 6.0]
    assert list(found["rlplot-knee-marker"][0].get_ydata()) == [4.0]
    with_dip = CurveInsight(**{**insight.__dict__, "knee": None,
                               "dip": Dip(2.0, 1.0, 0.5, 1.0, 1.5, 9.0)})
    ax2 = fig.add_subplot(2, 1, 2)
    annotate_panel(ax2, with_dip, PanelStyle())
    assert list(marks(ax2)["rlplot-dip"][0].get_xdata()) == [2.0]
    assert "rlplot-knee" not in marks(ax2)
