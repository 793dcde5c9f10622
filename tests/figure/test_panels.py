"""Bands drawn by panels.draw_panel (residual, and the min/max a W&B panel export logs), and
byte-determinism with a rasterised big scatter."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba

from rlplot.config import load_config
from rlplot.config.schema import Config, DataSpec, PanelStyle
from rlplot.figure.text import LOGGED_BAND_LABEL
from rlplot.pipeline import render
from tests.conftest import DATA, seed_like_records, write_jsonl


def bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_the_default_figure_draws_no_band(seed_log):
    fig = render([str(seed_log)]).figure
    for ax in fig.axes:
        assert bands(ax) == []
        assert [t.get_text() for t in ax.get_legend().get_texts()] == \
            [ax.get_ylabel(), "Smoothed Curve"]


def test_band_is_a_light_fill_in_the_line_colour_between_points_and_line(seed_log):
    config = load_config([], ["panels.0.band=residual", "panels.0.band_k=1"], {}).config
    result = render([str(seed_log)], config=config)
    left, right = result.figure.axes
    assert bands(right) == []
    (band,) = bands(left)
    (line,) = left.get_lines()
    assert band.get_facecolor()[0][:3] == pytest.approx(to_rgba(line.get_color())[:3])
    assert band.get_alpha() == pytest.approx(0.2)
    assert band.get_zorder() < line.get_zorder()
    (points,) = [c for c in left.collections if isinstance(c, PathCollection)]
    assert band.get_zorder() > points.get_zorder()   # a dense cloud must not hide it
    assert "± 1 × local residual RMS" in [t.get_text() for t in left.get_legend().get_texts()]
    # The drawn band spans the computed one.
    smoothed = result.prepared.smoothed[0][0]
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx(smoothed.band_low.min())
    assert vertices[:, 1].max() == pytest.approx(smoothed.band_high.max())


def test_several_runs_draw_label_free_bands_in_run_colours(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", seed_like_records(40))
    b = write_jsonl(tmp_path / "b.jsonl", seed_like_records(50))
    config = load_config([], ["panels.1.band=residual"], {}).config
    fig = render([str(a), str(b)], config=config).figure
    right = fig.axes[1]
    drawn = bands(right)
    assert len(drawn) == 2
    assert [tuple(p.get_facecolor()[0][:3]) for p in drawn] == \
        [tuple(to_rgba(line.get_color())[:3]) for line in right.get_lines()]
    assert not any("RMS" in t.get_text() for t in right.get_legend().get_texts())


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_big_rasterised_scatter_with_band_is_byte_deterministic(tmp_path, suffix):
    rng = np.random.default_rng(1)
    n = 30000
    t = np.linspace(0, 1, n)
    log = tmp_path / "big.csv"
    rows = np.column_stack([1e19 + t * 1e21, 0.35 + 0.3 * t + rng.normal(0, 0.02, n),
                            8 + 6 * t + rng.normal(0, 0.3, n)])
    np.savetxt(log, rows, delimiter=",", header="rl_flops,accuracy,avg_parallelism", comments="")
    config = load_config([], ["panels.0.band=residual"], {}).config
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    result = render([str(log)], [str(first)], config=config)
    render([str(log)], [str(second)], config=config)
    assert first.read_bytes() == second.read_bytes()
    (scatter,) = [c for c in result.figure.axes[0].collections if isinstance(c, PathCollection)]
    assert scatter.get_rasterized()          # 4,000 drawn points > rasterize_above (2,000)
    assert len(scatter.get_offsets()) <= 4000
    if suffix == ".svg":
        assert b"<image" in first.read_bytes()   # the points went in as one bitmap


def wandb_config(**data) -> Config:
    return Config(panels=(PanelStyle(metric="eval/accuracy"),), data=DataSpec(**data))


def test_wandb_min_max_is_drawn_as_the_run_band_with_a_legend_entry():
    result = render([str(DATA / "wandb_panel_one_run.csv")], config=wandb_config())
    (ax,) = result.figure.axes
    (band,) = bands(ax)
    (line,) = ax.get_lines()
    logged = result.prepared.runs[0].series[0].band
    vertices = band.get_paths()[0].vertices
    # The fill spans exactly the logged min/max over the logged steps, in the line's colour.
    assert vertices[:, 0].min() == logged.x.min() and vertices[:, 0].max() == logged.x.max()
    assert vertices[:, 1].min() == pytest.approx(logged.low.min())
    assert vertices[:, 1].max() == pytest.approx(logged.high.max())
    assert band.get_facecolor()[0][:3] == pytest.approx(to_rgba(line.get_color())[:3])
    assert band.get_alpha() == pytest.approx(0.2) and band.get_zorder() < line.get_zorder()
    assert LOGGED_BAND_LABEL in [t.get_text() for t in ax.get_legend().get_texts()]
    assert result.figure.get_supxlabel() == ""
    # The limits leave room for the band, not only for the points.
    low, high = ax.get_ylim()
    assert low <= logged.low.min() and high >= logged.high.max()


def test_each_wandb_run_gets_its_band_in_its_colour_and_a_footnote_says_what_it_is():
    result = render([str(DATA / "wandb_panel.csv")],
                    config=Config(panels=(PanelStyle(metric="train/reward"),)))
    (ax,) = result.figure.axes
    drawn = bands(ax)
    assert len(drawn) == 2
    assert [tuple(p.get_facecolor()[0][:3]) for p in drawn] == \
        [tuple(to_rgba(line.get_color())[:3]) for line in ax.get_lines()]
    for band, run in zip(drawn, result.prepared.runs):
        vertices = band.get_paths()[0].vertices
        assert vertices[:, 1].min() == pytest.approx(run.series[0].band.low.min())
        assert vertices[:, 1].max() == pytest.approx(run.series[0].band.high.max())
    assert LOGGED_BAND_LABEL not in [t.get_text() for t in ax.get_legend().get_texts()]
    assert result.figure.get_supxlabel() == f"shaded: {LOGGED_BAND_LABEL}"
    quiet = replace(Config(panels=(PanelStyle(metric="train/reward"),)),
                    runs=replace(Config().runs, footnote=False))
    assert render([str(DATA / "wandb_panel.csv")], config=quiet).figure.get_supxlabel() == ""


def test_aggregating_wandb_runs_draws_the_aggregate_band_not_the_logged_ones():
    config = Config(panels=(PanelStyle(metric="train/reward"),),
                    runs=replace(Config().runs, aggregate="mean", band="none", x_range="union"))
    result = render([str(DATA / "wandb_panel.csv")], config=config)
    assert bands(result.figure.axes[0]) == []
    assert "shaded" not in result.figure.get_supxlabel()
