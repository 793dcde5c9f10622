"""Merging layers: which layer wins, where each value came from, panels by index and ``*``, rc, styles."""
from __future__ import annotations

from pathlib import Path

import pytest

from rlplot.cli.render import render_overrides
from rlplot.config import Config, load_config
from rlplot.config.layers import Layer
from rlplot.config.merge import merge_layers
from rlplot.errors import ConfigError

from .helpers import write


@pytest.fixture
def layered(tmp_path, monkeypatch):
    """base.yaml < a.yaml (extends base) < b.yaml; each sets some of figure.width/height/dpi/suptitle."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "styles").mkdir()
    write(tmp_path / "styles" / "base.yaml",
          "figure: {width: 5, height: 2, dpi: 100, suptitle: base, footnote: base}\n")
    write(tmp_path / "styles" / "a.yaml",
          "extends: base.yaml\nfigure: {width: 6, height: 3, dpi: 110, suptitle: a}\n")
    write(tmp_path / "b.yaml", "figure: {width: 7, height: 4, dpi: 120}\n")
    return tmp_path


def test_each_layer_wins_over_the_ones_below(layered):
    loaded = load_config(["styles/a.yaml", "b.yaml"], ["figure.width=8", "figure.height=5"],
                         render_overrides(width=9.0))
    fig = loaded.config.figure
    assert fig.width == 9.0            # CLI flag beats --set
    assert fig.height == 5             # --set beats the last -c
    assert fig.dpi == 120              # the last -c beats the first
    assert fig.suptitle == "a"         # a file beats what it extends
    assert fig.footnote == "base"      # the extends chain beats the defaults
    assert fig.font_size == Config().figure.font_size   # untouched: the default


def test_later_config_files_win(layered):
    assert load_config(["b.yaml", "styles/a.yaml"]).config.figure.width == 6
    assert load_config(["styles/a.yaml", "b.yaml"]).config.figure.width == 7


def test_sources_name_the_file_and_line_of_each_value(layered):
    loaded = load_config(["styles/a.yaml", "b.yaml"], ["figure.height=5"])
    assert loaded.origin[("figure", "width")] == ("b.yaml", 1)
    assert loaded.origin[("figure", "suptitle")] == ("styles/a.yaml", 2)
    assert loaded.origin[("figure", "footnote")] == (str(Path("styles/base.yaml")), 1)
    assert loaded.origin[("figure", "height")] == ("--set", None)
    assert loaded.origin[("figure", "grid")] == ("default", None)


def test_a_replaced_value_forgets_the_sources_below_it():
    merged, origin = merge_layers([Layer("one", {"runs": {"labels": {"a": "x", "b": "y"}}}, {("runs",): 1}),
                                   Layer("two", {"runs": {"labels": 3}}, {("runs", "labels"): 7})])
    assert merged["runs"]["labels"] == 3
    assert origin[("runs", "labels")] == ("two", 7)
    assert not [path for path in origin if path[:2] == ("runs", "labels") and len(path) > 2]


def test_set_panel_index_changes_one_panel_only():
    config = load_config([], ['panels.1.title="Parallelism"', "panels.0.scatter.color=black"]).config
    assert [p.title for p in config.panels] == ["Training Accuracy vs Steps", "Parallelism"]
    assert config.panels[0].scatter.color == "black"
    assert config.panels[1].scatter.color == Config().panels[1].scatter.color
    assert config.panels[1].y_label == "Average Parallelism"     # the rest of panel 1 is kept


def test_set_new_panel_index_appends_a_panel():
    config = load_config([], ["panels.2.metric=kl", "figure.cols=3"]).config
    assert [p.metric for p in config.panels] == ["accuracy", "parallelism", "kl"]


def test_star_styles_every_panel(tmp_path):
    cfg = write(tmp_path / "s.yaml", "panels:\n  '*':\n    line: {width: 5}\n")
    config = load_config([str(cfg)], ["panels.*.scatter.size=3"]).config
    assert [p.line.width for p in config.panels] == [5, 5]
    assert [p.scatter.size for p in config.panels] == [3, 3]
    assert [p.title for p in config.panels] == [p.title for p in Config().panels]


def test_a_panel_list_replaces_the_panels_and_starts_from_panel_defaults(tmp_path):
    cfg = write(tmp_path / "p.yaml", "panels:\n  - metric: kl\n    title: KL\n")
    loaded = load_config([str(cfg)])
    assert len(loaded.config.panels) == 1
    panel = loaded.config.panels[0]
    assert (panel.metric, panel.title, panel.y_format) == ("kl", "KL", "auto")
    assert loaded.origin[("panels", 0, "title")] == (str(cfg), 3)
    assert loaded.origin[("panels", 0, "y_format")] == ("default", None)


def test_panel_mapping_in_a_file_addresses_panels(tmp_path):
    cfg = write(tmp_path / "p.yaml", "panels:\n  1:\n    title: Right\n")
    config = load_config([str(cfg)]).config
    assert [p.title for p in config.panels] == ["Training Accuracy vs Steps", "Right"]


@pytest.mark.parametrize("text, expected", [
    ("panels: {x: {title: 1}}\n", "panels.x: a panel is addressed by its number (0, 1, …)"),
    ("panels: {'*': 3}\n", "panels.* must be a mapping of panel options"),
    ("panels: {1: 3}\n", "panels.1 must be a mapping of panel options"),
])
def test_bad_panel_addresses_are_errors_at_their_line(tmp_path, text, expected):
    cfg = write(tmp_path / "p.yaml", "figure: {width: 4}\n" + text)
    with pytest.raises(ConfigError) as caught:
        load_config([str(cfg)])
    assert str(caught.value) == f"{cfg}:2: {expected}"


def test_panel_smoothing_overrides_only_its_keys():
    config = load_config([], ["smoothing.frac=0.3", "panels.1.smoothing.it=2"]).config
    assert config.panels[1].smoothing.frac == 0.3 and config.panels[1].smoothing.it == 2
    assert config.panels[0].smoothing is None


def test_rc_merges_across_layers_and_set_nests(tmp_path):
    cfg = write(tmp_path / "r.yaml", "rc: {font.size: 9, lines.linewidth: 2}\n")
    loaded = load_config([str(cfg)], ["rc.font.size=11"])
    assert loaded.config.rc == {"font.size": 11, "lines.linewidth": 2}
    assert loaded.origin[("rc", "font.size")] == ("--set", None)
    assert loaded.origin[("rc", "lines.linewidth")] == (str(cfg), 1)


def test_star_also_styles_panels_that_later_layers_create():
    loaded = load_config(["paper", "four-panel"])
    panels = loaded.config.panels
    assert len(panels) == 4 and {p.scatter.size for p in panels} == {2.5}   # from paper's panels.*
    assert panels[3].legend.loc == "lower right"                           # four-panel's own key
    assert panels[3].legend.font_size == 5                                 # paper's, underneath
    assert loaded.origin[("panels", 3, "scatter", "size")] == ("preset:paper", 17)
    assert loaded.origin[("panels", 3, "legend", "loc")][0] == "preset:four-panel"


def test_star_styling_reaches_panels_chosen_with_y_flags():
    config = load_config(["slides"], [], render_overrides(("accuracy", "kl"))).config
    assert [p.metric for p in config.panels] == ["accuracy", "kl"]
    assert {p.line.width for p in config.panels} == {4}
    assert config.panels[1].title is None          # a new panel: no seed title carried over


def test_a_later_panel_key_beats_an_earlier_star(tmp_path):
    cfg = write(tmp_path / "p.yaml", "panels:\n  - metric: kl\n    line: {width: 9}\n")
    assert load_config(["slides", str(cfg)]).config.panels[0].line.width == 9
    assert load_config([str(cfg), "slides"]).config.panels[0].line.width == 4


def test_annotate_flag_is_a_layer_that_reaches_every_panel():
    config = load_config(["four-panel"], [], render_overrides(annotate=True)).config
    assert len(config.panels) == 4 and all(p.annotate for p in config.panels)
    config = load_config([], [], render_overrides(("reward",), annotate=True)).config
    assert [(p.metric, p.annotate) for p in config.panels] == [("reward", True)]


def test_relative_style_paths_are_read_next_to_the_config(tmp_path, monkeypatch, seed_log):
    from matplotlib.colors import to_hex

    from rlplot.pipeline import render

    (tmp_path / "cfg").mkdir()
    write(tmp_path / "cfg" / "mine.mplstyle", "axes.facecolor: eeeeee\n")
    write(tmp_path / "cfg" / "s.yaml", "style: [mine.mplstyle]\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(["cfg/s.yaml"]).config
    assert config.style == (str((tmp_path / "cfg" / "mine.mplstyle").resolve()),)
    fig = render([str(seed_log)], [], config).figure
    assert to_hex(fig.axes[0].get_facecolor()) == "#eeeeee"
