"""Validation of each option: wrong types, ranges, choices from the registries, rc; every problem located."""
from __future__ import annotations

import subprocess
import sys

import pytest

from rlplot import choices
from rlplot.config import Config, load_config
from rlplot.config.layers import config_layers
from rlplot.config import validate
from rlplot.config.loader import resolve
from rlplot.errors import ConfigError
from rlplot.registry import unknown_hint

from .helpers import messages, write

# Every option whose allowed values are a registry of rlplot.choices, with a typo of one entry.
# The message names the option as validation sees it; a smoothing method names an implementation.
REGISTRY_OPTIONS = [
    ("data.restarts", choices.RESTART_POLICIES, "keep-lst", "data.restarts: unknown restarts policy 'keep-lst'"),
    ("data.duplicates", choices.DUPLICATE_POLICIES, "frist", "data.duplicates: unknown duplicates policy 'frist'"),
    ("smoothing.method", choices.SMOOTHING_METHODS, "lowes",
     "smoothing.method: unknown smoothing method 'lowes'"),
    ("panels.0.band", choices.PANEL_BANDS, "residuals", "panels[0].band: unknown panel band 'residuals'"),
    ("runs.aggregate", choices.AGGREGATES, "medain", "runs.aggregate: unknown aggregate statistic 'medain'"),
    ("runs.band", choices.RUN_BANDS, "sdd", "runs.band: unknown band 'sdd'"),
    ("runs.x_range", choices.X_RANGES, "unoin", "runs.x_range: unknown x range 'unoin'"),
    ("output.formats", choices.FIGURE_FORMATS, "pnng", "output.formats[0]: unknown figure format 'pnng'"),
    ("figure.x_tick_format", choices.X_TICK_FORMATS, "SI", "figure.x_tick_format: unknown x tick format 'SI'"),
    ("panels.0.y_format", choices.Y_TICK_FORMATS, "percnt", "panels[0].y_format: unknown y tick format 'percnt'"),
]


def test_unknown_key_names_file_line_and_suggestion(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure:\n  width: 4\npanels:\n  - metric: accuracy\n"
                "    y_label: Acc\n    y_format: percent\n    titel: Accuracy\n")
    assert messages(cfg) == [f"{cfg}:7: unknown key 'titel' in panels[0] (did you mean 'title'?)"]


def test_an_unknown_key_without_a_close_match_lists_the_known_keys(tmp_path):
    cfg = write(tmp_path / "x.yaml", "output:\n  zzzzzz: 1\n")
    assert messages(cfg) == [f"{cfg}:2: unknown key 'zzzzzz' in output (known keys: dpi, transparent, "
                             "rasterize_above, metadata, formats, provenance)"]


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
        "choose one of: lowess, ema, twema, rolling, gaussian, none)",
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
    ("panels: [{metric: a, smoothing: 3}]\n", "panels[0].smoothing must be a mapping of smoothing options"),
    ("output: {formats: [png, gif]}\n", "output.formats[1]: unknown figure format 'gif'"),
    ("rc: {lines.linewidth: wide}\n", "rc.lines.linewidth: 'wide' is not allowed"),
    ("rc: {backend: TkAgg}\n", "rc: 'backend' is not a style setting"),
    ("figure: 3\n", "figure must be a mapping"),
    ("figure: {suptitle: [a]}\n", "figure.suptitle: ['a'] is not text"),
    ("data: {aliases: {accuracy: 3}}\n", "data.aliases.accuracy must be a list"),
    ("output: {metadata: [a]}\n", "output.metadata must be a mapping"),
])
def test_bad_values_name_key_value_and_allowed(tmp_path, text, expected):
    cfg = write(tmp_path / "bad.yaml", text)
    found = messages(cfg)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"{cfg}:1: "), found


@pytest.mark.parametrize("option, registry, typo, what", REGISTRY_OPTIONS,
                         ids=[o[0] for o in REGISTRY_OPTIONS])
def test_registry_choices_are_checked_with_the_registry_hint(option, registry, typo, what):
    (message,) = messages("default", sets=[f"{option}={typo}"])
    assert message == f"--set: {what} ({unknown_hint(typo, registry)})"
    assert "did you mean" in message and registry.listing() in message


def test_every_registry_entry_is_accepted():
    for option, registry, _, _ in REGISTRY_OPTIONS:
        for name in registry:
            assert messages("default", sets=[f"{option}={name}"]) == [], (option, name)


def test_a_value_naming_an_implementation_is_worded_as_the_registry_words_it():
    (message,) = messages("default", sets=["smoothing.method=loess"])
    with pytest.raises(ConfigError) as caught:
        choices.SMOOTHING_METHODS.check("loess")
    assert message == f"--set: smoothing.method: {caught.value}"


def test_input_format_is_checked_against_the_reader_registry():
    with pytest.raises(ConfigError, match="unknown input format 'monitr'.*did you mean 'monitor'"):
        load_config(sets=["data.format=monitr"])
    assert load_config(sets=["data.format=monitor"]).config.data.format == "monitor"


def test_numbers_written_in_e_notation_are_numbers(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure: {x_min: 1e19, x_max: 2.5E21}\n")   # text in YAML 1.1
    figure = load_config([str(cfg)]).config.figure
    assert (figure.x_min, figure.x_max) == (1e19, 2.5e21)
    bad = write(tmp_path / "nan.yaml", "figure: {x_min: .nan}\n")
    assert "figure.x_min: nan is not a finite number" in messages(bad)[0]


def test_delta_takes_auto_or_a_number():
    assert load_config(sets=["smoothing.delta=auto"]).config.smoothing.delta == "auto"
    assert load_config(sets=["smoothing.delta=3"]).config.smoothing.delta == 3.0


def test_frac_takes_auto_or_a_share_and_nothing_else():
    assert load_config(sets=["smoothing.frac=auto"]).config.smoothing.frac == "auto"
    loaded = load_config(sets=["panels.0.smoothing.frac=auto"]).config
    assert loaded.panels[0].smoothing.frac == "auto" and loaded.smoothing.frac == 0.2
    (message,) = messages("default", sets=["smoothing.frac=fast"])
    assert "smoothing.frac: 'fast' is not allowed" in message and "'auto' or a number" in message


def test_legend_placement_options_are_checked():
    legend = load_config(sets=["panels.*.legend.loc=auto", "panels.0.legend.max_inside=3",
                               "panels.0.legend.outside=below", "panels.0.legend.columns=2"]
                         ).config.panels[0].legend
    assert (legend.loc, legend.max_inside, legend.outside, legend.columns) == ("auto", 3, "below", 2)
    assert messages("default", sets=["panels.0.legend.loc=outside below"]) == []
    (bad_side,) = messages("default", sets=["panels.0.legend.outside=left"])
    assert "right, below" in bad_side
    (bad_columns,) = messages("default", sets=["panels.0.legend.columns=0"])
    assert "panels[0].legend.columns: 0 is out of range" in bad_columns


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


@pytest.mark.parametrize("value", sorted(validate._NAMED_COLORS) + [
    "#abc", "#abcd", "#aabbcc", "#AABBCCDD", "#ab", "#abcde", "C0", "C12", "C", "c0", "0.25", "1",
    "0", "1.5", "-0.1", " 0.5", ".5", "1e-1", "nan", "inf", "xkcd:sky blue", "none", "tab:grey",
    "notacolour"])
def test_colours_known_without_matplotlib_are_the_ones_it_accepts(value):
    from matplotlib.colors import is_color_like

    assert validate._is_color(value) == is_color_like(value)


def test_the_default_config_is_checked_without_importing_matplotlib():
    # Its import (~0.2 s) would come before any log is read; the drawing stage imports it.
    code = ("import sys; from rlplot.config import load_config; "
            "load_config(sets=['runs.aggregate=mean']); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
