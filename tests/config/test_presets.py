"""Every preset renders, and its figure's artists show what the preset promises."""
from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.colors import to_hex, to_rgba

from rlplot.config import Config, load_config, preset_names
from rlplot.config.presets import preset_description, preset_dirs
from rlplot.pipeline import render

from ..conftest import DATA

FOUR_METRICS = DATA / "four_metrics.jsonl"
PRESETS = ["default", "paper", "paper-wide", "slides", "poster", "dark", "colorblind", "anonymized-x",
           "four-panel"]


def draw(tmp_path: Path, preset: str, log: Path, *outputs: str, sets=()):
    config = load_config([preset], [*sets, "figure.dpi=40"]).config   # small PNGs: fast tests
    return render([str(log)], [str(tmp_path / o) for o in outputs], config)


def seed_log_path(seed_log, preset):
    return FOUR_METRICS if preset == "four-panel" else seed_log


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.axison]


def test_every_shipped_preset_is_listed_and_described():
    assert set(PRESETS) <= set(preset_names())
    for name in preset_names():
        assert preset_description(name), f"{name}.yaml needs a first comment line"


@pytest.mark.parametrize("preset", PRESETS)
def test_each_preset_renders(tmp_path, seed_log, preset):
    result = draw(tmp_path, preset, seed_log_path(seed_log, preset), "out.png")
    assert Path(result.written[0]).stat().st_size > 1000
    config = load_config([preset]).config
    fig = result.figure
    assert tuple(fig.get_size_inches()) == pytest.approx((config.figure.width, config.figure.height))
    axes = visible_axes(fig)
    assert len(axes) == len(config.panels)
    for ax, panel in zip(axes, config.panels):
        assert ax.title.get_fontsize() == pytest.approx(config.figure.title_size)
        assert ax.xaxis.label.get_fontsize() == pytest.approx(config.figure.label_size)
        (points,) = ax.collections
        assert to_hex(points.get_facecolor()[0]) == to_hex(panel.scatter.color)
        assert points.get_sizes()[0] == pytest.approx(panel.scatter.size)
        line = ax.get_lines()[0]
        assert to_hex(line.get_color()) == to_hex(panel.line.color)
        assert line.get_linewidth() == pytest.approx(panel.line.width)


def test_default_preset_is_the_built_in_defaults():
    assert load_config(["default"]).config == Config()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_default_preset_renders_byte_identical_to_no_config(invoke, seed_log, tmp_path, fmt):
    plain, preset = tmp_path / f"plain.{fmt}", tmp_path / f"preset.{fmt}"
    off = ("--set", "output.provenance=false")     # the command lines differ; the figures must not
    assert invoke("render", seed_log, "-o", plain, *off).exit_code == 0
    assert invoke("render", seed_log, "-c", "default", "-o", preset, *off).exit_code == 0
    assert plain.read_bytes() == preset.read_bytes()


def test_paper_is_small_serif_with_truetype_pdf_and_rasterised_points(tmp_path, seed_log):
    result = draw(tmp_path, "paper", seed_log, "out.pdf")
    fig = result.figure
    assert fig.get_size_inches()[0] == 3.5
    ax = visible_axes(fig)[0]
    assert ax.title.get_fontfamily() == ["serif"]
    assert ax.title.get_fontname() == "DejaVu Serif"
    assert max(t.get_fontsize() for t in ax.get_yticklabels()) <= 7
    assert all(c.get_rasterized() for a in visible_axes(fig) for c in a.collections)
    assert not any(line.get_rasterized() for line in ax.get_lines())   # the curve stays vector
    pdf = Path(result.written[0]).read_bytes()
    assert b"/FontFile2" in pdf          # TrueType embedded (pdf.fonttype 42) ...
    assert b"/Type3" not in pdf          # ... not Type 3 bitmaps-as-glyphs
    assert b"/Subtype /Image" in pdf     # the rasterised scatter layer


def test_paper_writes_pdf_by_default(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", seed_log, "-c", "paper")
    assert result.exit_code == 0 and result.output.strip() == "run.pdf"


def test_paper_wide_is_seven_inches_and_serif(tmp_path, seed_log):
    fig = draw(tmp_path, "paper-wide", seed_log, "out.png").figure
    assert fig.get_size_inches()[0] == 7.0
    assert visible_axes(fig)[0].title.get_fontfamily() == ["serif"]


def test_slides_are_sixteen_by_nine_with_large_fonts(tmp_path, seed_log):
    fig = draw(tmp_path, "slides", seed_log, "out.png").figure
    width, height = fig.get_size_inches()
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    ax = visible_axes(fig)[0]
    assert ax.title.get_fontsize() >= 20 and ax.get_yticklabels()[0].get_fontsize() >= 14
    assert ax.get_legend().get_texts()[0].get_fontsize() >= 14


def test_poster_is_bigger_than_slides(tmp_path, seed_log):
    poster = draw(tmp_path, "poster", seed_log, "out.png").figure
    assert poster.get_size_inches()[0] >= 20
    assert visible_axes(poster)[0].title.get_fontsize() >= 36


def test_dark_has_a_dark_background_and_light_text(tmp_path, seed_log):
    fig = draw(tmp_path, "dark", seed_log, "out.png").figure
    assert sum(to_rgba(fig.get_facecolor())[:3]) < 0.3
    ax = visible_axes(fig)[0]
    assert sum(to_rgba(ax.get_facecolor())[:3]) < 0.3
    assert sum(to_rgba(ax.title.get_color())[:3]) > 2.5
    assert sum(to_rgba(ax.get_yticklabels()[0].get_color())[:3]) > 2.5


def test_colorblind_uses_okabe_ito(tmp_path, seed_log):
    okabe_ito = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"}
    fig = draw(tmp_path, "colorblind", seed_log, "out.png").figure
    for ax in visible_axes(fig):
        assert to_hex(ax.collections[0].get_facecolor()[0]) in okabe_ito
        assert to_hex(ax.get_lines()[0].get_color()) in okabe_ito


def test_anonymized_x_hides_tick_values_but_keeps_the_label(tmp_path, seed_log):
    fig = draw(tmp_path, "anonymized-x", seed_log, "out.png").figure
    fig.canvas.draw()
    for ax in visible_axes(fig):
        assert [t.get_text() for t in ax.get_xticklabels()] == [""] * len(ax.get_xticklabels())
        assert ax.xaxis.get_offset_text().get_text() == ""
        assert ax.get_xlabel() == "RL flops"
        assert any(t.get_text() for t in ax.get_yticklabels())   # y values stay


def test_four_panel_draws_a_two_by_two_grid(tmp_path):
    fig = draw(tmp_path, "four-panel", FOUR_METRICS, "out.png").figure
    axes = visible_axes(fig)
    assert [ax.get_title() for ax in axes] == ["Training Accuracy vs Steps", "Average parallelism vs Steps",
                                               "Response length vs Steps", "KL divergence vs Steps"]
    rows_cols = {(ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start) for ax in axes}
    assert rows_cols == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert axes[2].get_legend().get_texts()[0].get_text() == "Mean response length (tokens)"


def test_style_presets_stack_after_a_panel_config(tmp_path):
    config = load_config(["four-panel", "paper"]).config
    assert len(config.panels) == 4
    assert {p.scatter.size for p in config.panels} == {2.5}     # paper's panels.* reached all four
    assert config.figure.width == 3.5


def test_presets_are_read_from_the_repository_configs_folder():
    folders = [d.name for d in preset_dirs()]
    assert "configs" in folders or "_presets" in folders
