"""The config loader: layering order, --set addressing, extends chains, sources, and every error class."""
from __future__ import annotations

from pathlib import Path

import pytest

from rlplot.cli.render import render_overrides
from rlplot.config import Config, load_config
from rlplot.config.loader import (MAX_CONFIG_BYTES, config_layers, parse_yaml, resolve,
                                  validate_refs)
from rlplot.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def messages(*refs, sets=()) -> list[str]:
    return [str(e) for e in validate_refs([str(r) for r in refs], sets)]


# ---------------------------------------------------------------------------- layering

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


def test_presets_are_found_by_name_and_labelled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine.yaml", "extends: paper\nfigure: {height: 2.0}\n")
    loaded = load_config(["mine.yaml"])
    assert loaded.config.figure.width == 3.5 and loaded.config.figure.height == 2.0
    assert loaded.origin[("figure", "width")][0] == "preset:paper"
    assert loaded.origin[("figure", "height")] == ("mine.yaml", 2)


def test_a_local_file_wins_over_a_preset_of_the_same_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "paper.yaml", "figure: {width: 4.25}\n")
    assert load_config(["paper.yaml"]).config.figure.width == 4.25
    assert load_config(["paper"]).config.figure.width == 3.5


def test_paper_wide_extends_paper():
    config = load_config(["paper-wide"]).config
    assert config.figure.width == 7.0
    assert config.figure.font_family == "serif"          # from paper
    assert config.output.formats == ("pdf",)              # from paper


# ---------------------------------------------------------------------------- --set and panels

def test_set_values_are_yaml_typed():
    config = load_config([], ["figure.dpi=300", "figure.grid=false", "output.formats=[png, pdf]",
                              "figure.suptitle=Run: 1", "figure.x_min=1e3"]).config
    assert config.figure.dpi == 300 and config.figure.grid is False
    assert config.output.formats == ("png", "pdf")
    assert config.figure.suptitle == "Run: 1"   # not YAML: kept as typed
    assert config.figure.x_min == 1000.0


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


def test_panel_smoothing_overrides_only_its_keys():
    config = load_config([], ["smoothing.frac=0.3", "panels.1.smoothing.it=2"]).config
    assert config.panels[1].smoothing.frac == 0.3 and config.panels[1].smoothing.it == 2
    assert config.panels[0].smoothing is None


def test_rc_merges_across_layers_and_set_nests(tmp_path):
    cfg = write(tmp_path / "r.yaml", "rc: {font.size: 9, lines.linewidth: 2}\n")
    config = load_config([str(cfg)], ["rc.font.size=11"]).config
    assert config.rc == {"font.size": 11, "lines.linewidth": 2}


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


# ---------------------------------------------------------------------------- validation

def test_unknown_key_names_file_line_and_suggestion(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure:\n  width: 4\npanels:\n  - metric: accuracy\n"
                "    y_label: Acc\n    y_format: percent\n    titel: Accuracy\n")
    assert messages(cfg) == [f"{cfg}:7: unknown key 'titel' in panels[0] (did you mean 'title'?)"]


def test_every_problem_is_reported_with_its_line(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure:\n  dpi: lots\n  width: 0.5\n  layout: tite\n"
                "  facecolor: blurple\nsmoothing: {method: lowes}\nrc: {font.sise: 3}\n"
                "style: [no-such-style]\n")
    found = messages(cfg)
    assert found == [
        f"{cfg}:2: figure.dpi: 'lots' is not a number (expected an integer)",
        f"{cfg}:3: figure.width: 0.5 is out of range (allowed: >= 1 and <= 100)",
        f"{cfg}:4: figure.layout: 'tite' is not allowed (did you mean 'tight'? "
        "choose one of: constrained, tight, none)",
        f"{cfg}:5: figure.facecolor: 'blurple' is not a colour (use a name (red, tab:blue), "
        "#rrggbb or C0..C9)",
        f"{cfg}:6: smoothing.method: unknown smoothing method 'lowes' (did you mean 'lowess'? "
        "choose one of: " + ", ".join(__import__("rlplot.choices").choices.SMOOTHING_METHODS) + ")",
        f"{cfg}:7: rc: unknown matplotlib rcParam 'font.sise' (did you mean 'font.size'?)",
        f"{cfg}:8: style[0]: unknown matplotlib style 'no-such-style' (use a style name "
        "(see matplotlib.style.available) or a .mplstyle path)",
    ]


@pytest.mark.parametrize("text, expected", [
    ("figure: {grid: maybe}\n", "figure.grid: 'maybe' is not true or false"),
    ("figure: {dpi: 150.5}\n", "figure.dpi: 150.5 is not a whole number"),
    ("smoothing: {frac: 0}\n", "smoothing.frac: 0 is out of range (allowed: > 0 and <= 1)"),
    ("smoothing: {delta: soon}\n", "smoothing.delta: 'soon' is not allowed (allowed: 'auto' or a number)"),
    ("panels: [{metric: a, scatter: {marker: star}}]\n", "panels[0].scatter.marker: 'star' is not allowed"),
    ("panels: []\n", "panels: at least one panel is needed"),
    ("panels: [{title: x}]\n", "panels[0] has no metric"),
    ("figure: {rows: 1, cols: 1}\n", "figure.rows × figure.cols = 1×1 is too small for 2 panels"),
    ("figure: {x_min: 5, x_max: 1}\n", "figure: x_min 5 is not below x_max 1"),
    ("output: {formats: [png, gif]}\n", "output.formats[1]: 'gif' is not allowed"),
    ("rc: {lines.linewidth: wide}\n", "rc.lines.linewidth: 'wide' is not allowed"),
    ("rc: {backend: TkAgg}\n", "rc: 'backend' is not a style setting"),
    ("style: ['https://example.com/x.mplstyle']\n", "styles from URLs are not loaded"),
    ("figure: 3\n", "figure must be a mapping"),
    ("data: {aliases: {accuracy: 3}}\n", "data.aliases.accuracy must be a list"),
])
def test_bad_values_name_key_value_and_allowed(tmp_path, text, expected):
    cfg = write(tmp_path / "bad.yaml", text)
    found = messages(cfg)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"{cfg}:1: "), found


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    cfg = write(tmp_path / "s.yaml", "figure:\n  width: 4\n  height: [1, 2\n")
    (message,) = messages(cfg)
    assert message.startswith(f"{cfg}:4: YAML syntax error, column 1:")


def test_duplicate_keys_are_an_error(tmp_path):
    cfg = write(tmp_path / "d.yaml", "figure:\n  width: 4\n  width: 5\n")
    assert messages(cfg) == [f"{cfg}:3: duplicate key 'width' in figure (first set on line 2)"]


def test_python_tags_are_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    cfg = write(tmp_path / "evil.yaml",
                f"figure:\n  suptitle: !!python/object/apply:os.system ['touch {marker}']\n")
    (message,) = messages(cfg)
    assert message.startswith(f"{cfg}:2: unsafe or unknown YAML tag '!!python/object/apply:os.system'")
    assert not marker.exists()


def test_alias_bomb_is_refused_without_expanding(tmp_path):
    
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    cfg = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")   # 9**10 values when expanded
    (message,) = messages(cfg)   # expanding it would take hours: the budget stops the walk early
    assert "too many values (an alias bomb?)" in message


def test_oversized_file_is_refused_before_reading(tmp_path):
    cfg = tmp_path / "big.yaml"
    cfg.write_text("# " + "x" * MAX_CONFIG_BYTES + "\n")
    (message,) = messages(cfg)
    assert f"config file is {MAX_CONFIG_BYTES + 3} bytes" in message


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    cfg = write(tmp_path / "deep.yaml", "a: " + "[" * 3000 + "]" * 3000 + "\n")
    (message,) = messages(cfg)
    assert "nested too deeply" in message


def test_extends_problems(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "loop1.yaml", "extends: loop2.yaml\n")
    write(tmp_path / "loop2.yaml", "extends: loop1.yaml\n")
    write(tmp_path / "missing.yaml", "figure: {width: 4}\nextends: papr\n")
    assert "'extends' loops back" in messages("loop1.yaml")[0]
    assert messages("missing.yaml") == [
        "missing.yaml:2: no config file or preset 'papr' (did you mean the preset 'paper'?)"]


def test_unknown_config_reference():
    with pytest.raises(ConfigError, match="no config file or preset 'slidez'.*'slides'"):
        load_config(["slidez"])


def test_set_without_equals_is_an_error():
    with pytest.raises(ConfigError, match="--set needs key.path=value"):
        load_config([], ["figure.width"])


def test_set_value_alias_bomb_and_tags_are_refused():
    levels = ["&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 7):
        levels.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")   # 10**7 values expanded
    with pytest.raises(ConfigError, match="too many values"):
        load_config([], ["figure.suptitle=[" + ", ".join(levels) + "]"])
    with pytest.raises(ConfigError, match="unsafe or unknown YAML tag '!!python/object/apply:os.system'"):
        load_config([], ["figure.suptitle=!!python/object/apply:os.system ['true']"])


def test_load_config_raises_the_first_problem(tmp_path):
    cfg = write(tmp_path / "two.yaml", "figure:\n  dpi: 1\n  width: 0\n")
    with pytest.raises(ConfigError, match="figure.dpi: 1 is out of range") as caught:
        load_config([str(cfg)])
    assert str(caught.value).endswith("(allowed: >= 20 and <= 1200; 1 more problem: rlplot config validate)")


def test_numbers_written_in_e_notation_are_numbers(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure: {x_min: 1e19, x_max: 2.5E21}\n")   # text in YAML 1.1
    figure = load_config([str(cfg)]).config.figure
    assert (figure.x_min, figure.x_max) == (1e19, 2.5e21)
    bad = write(tmp_path / "nan.yaml", "figure: {x_min: .nan}\n")
    assert "figure.x_min: nan is not a finite number" in messages(bad)[0]


def test_yaml_keys_are_found_under_their_typed_path():
    data, lines = parse_yaml("panels:\n  1:\n    title: x\n", "t.yaml")
    assert data == {"panels": {1: {"title": "x"}}}
    assert lines[("panels", 1, "title")] == 3


def test_invalid_values_leave_defaults_in_the_built_config(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure: {dpi: 5, width: 6}\n")
    config, problems = resolve(config_layers([str(cfg)]))
    assert config.figure.dpi == Config().figure.dpi and config.figure.width == 6
    assert len(problems.errors) == 1


def test_a_top_level_smoothing_problem_is_reported_once(tmp_path):
    cfg = write(tmp_path / "s.yaml", "smoothing:\n  fracc: 0.3\n  frac: 2\npanels:\n  0:\n"
                "    smoothing: {it: 1}\n")
    assert messages(cfg) == [
        f"{cfg}:2: unknown key 'fracc' in smoothing (did you mean 'frac'?)",
        f"{cfg}:3: smoothing.frac: 2 is out of range (allowed: > 0 and <= 1)"]


def test_star_also_styles_panels_that_later_layers_create(tmp_path):
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


def test_extends_paths_are_relative_to_the_extending_file_not_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "cfg").mkdir()
    write(tmp_path / "cfg" / "base.yaml", "figure: {width: 5}\n")
    write(tmp_path / "cfg" / "child.yaml", "extends: base.yaml\n")
    write(tmp_path / "base.yaml", "figure: {width: 9}\n")          # a decoy in the working folder
    write(tmp_path / "paper", "figure: {width: 9}\n")              # a decoy named like a preset
    monkeypatch.chdir(tmp_path)
    assert load_config(["cfg/child.yaml"]).config.figure.width == 5
    assert load_config(["paper-wide"]).config.figure.font_family == "serif"   # extends the preset


def test_annotate_flag_is_a_layer_that_reaches_every_panel():
    config = load_config(["four-panel"], [], render_overrides(annotate=True)).config
    assert len(config.panels) == 4 and all(p.annotate for p in config.panels)
    config = load_config([], [], render_overrides(("reward",), annotate=True)).config
    assert [(p.metric, p.annotate) for p in config.panels] == [("reward", True)]


def test_input_format_is_checked_against_the_reader_registry():
    with pytest.raises(ConfigError, match="unknown input format 'monitr'.*did you mean 'monitor'"):
        load_config(sets=["data.format=monitr"])
    assert load_config(sets=["data.format=monitor"]).config.data.format == "monitor"
