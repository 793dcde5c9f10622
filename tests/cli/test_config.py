"""``rlplot config`` and config errors through the CLI: one line on stderr, exit 1, no traceback."""
from __future__ import annotations

import struct
from pathlib import Path

import pytest
import yaml

from rlplot.config import Config, load_config, preset_names
from rlplot.config.loader import MAX_CONFIG_BYTES


def one_error_line(result) -> str:
    """Assert a clean failure and return its single stderr line."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rlplot: error: ")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


BOMB = "\n".join(['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] +
                 [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)])

ERROR_CASES = {
    "unknown key": ("figure:\n  width: 4\npanels:\n  - metric: accuracy\n    y_label: Acc\n"
                    "    y_format: percent\n    titel: Accuracy\n",
                    ":7: unknown key 'titel' in panels[0] (did you mean 'title'?)"),
    "wrong type": ("figure:\n  dpi: high\n", ":2: figure.dpi: 'high' is not a number (expected an integer)"),
    "out of range": ("panels:\n  0:\n    scatter: {alpha: 2}\n",
                     ":3: panels[0].scatter.alpha: 2 is out of range (allowed: >= 0 and <= 1)"),
    "bad choice": ("figure:\n  x_tick_format: SI\n",
                   ":2: figure.x_tick_format: unknown x tick format 'SI' (did you mean 'si'? choose one of: "
                   "auto, sci, eng, si, count, date, duration, plain, hidden)"),
    "bad rc": ("rc:\n  lines.linewidth: thick\n", ":2: rc.lines.linewidth: 'thick' is not allowed"),
    "syntax": ("figure:\n  width: 4\n   height: 3\n", ":3: YAML syntax error, column 10:"),
    "python tag": ("figure:\n  suptitle: !!python/name:os.system\n",
                   ":2: unsafe or unknown YAML tag '!!python/name:os.system'"),
    "alias bomb": (BOMB, ": YAML expands to too many values (an alias bomb?)"),
    "not a mapping": ("- a\n- b\n", ":1: a config must be a mapping of sections"),
    "duplicate key": ("figure:\n  width: 4\n  width: 5\n",
                      ":3: duplicate key 'width' in figure (first set on line 2)"),
    "bad extends": ("figure: {width: 4}\nextends: papr\n",
                    ":2: no config file or preset 'papr' (did you mean the preset 'paper'?)"),
    "extends loop": ("extends: x.yaml\n", ":1: 'extends' loops back to a file already being read"),
    "deep nesting": ("a: " + "[" * 3000 + "]" * 3000 + "\n", ": YAML is nested too deeply"),
    "panel without metric": ("panels:\n  - title: Accuracy\n", ":2: panels[0] has no metric"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_render_with_a_bad_config_fails_in_one_line(invoke, seed_log, tmp_path, case):
    text, expected = ERROR_CASES[case]
    cfg = tmp_path / "x.yaml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out.png"
    line = one_error_line(invoke("render", seed_log, "-c", cfg, "-o", out))
    assert line.startswith(f"rlplot: error: {cfg}{expected}"), line
    assert not out.exists()


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_validate_reports_each_class(invoke, tmp_path, case):
    text, expected = ERROR_CASES[case]
    cfg = tmp_path / "x.yaml"
    cfg.write_text(text, encoding="utf-8")
    line = one_error_line(invoke("config", "validate", cfg))
    assert line.startswith(f"rlplot: error: {cfg}{expected}"), line


def test_oversized_config_is_refused(invoke, seed_log, tmp_path):
    cfg = tmp_path / "big.yaml"
    cfg.write_text("figure:\n  suptitle: '" + "x" * MAX_CONFIG_BYTES + "'\n")
    line = one_error_line(invoke("render", seed_log, "-c", cfg, "-o", tmp_path / "o.png"))
    assert f"{cfg}: config file is" in line and f"at most {MAX_CONFIG_BYTES} bytes" in line


def test_bad_set_value_names_the_set(invoke, seed_log, tmp_path):
    line = one_error_line(invoke("render", seed_log, "--set", "panels.1.y_scale=logarithmic",
                                 "-o", tmp_path / "o.png"))
    assert line.startswith("rlplot: error: --set: panels[1].y_scale: 'logarithmic' is not allowed")


def test_unknown_preset_suggests_one(invoke, seed_log, tmp_path):
    line = one_error_line(invoke("render", seed_log, "-c", "papr", "-o", tmp_path / "o.png"))
    assert line == "rlplot: error: no config file or preset 'papr' (did you mean the preset 'paper'?)"


def test_validate_prints_every_problem_of_every_file(invoke, tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text("figure:\n  dpi: 5\n  widht: 3\n")
    b = tmp_path / "b.yaml"
    b.write_text("smoothing: {frac: 2}\n")
    good = tmp_path / "good.yaml"
    good.write_text("extends: paper\n")
    result = invoke("config", "validate", a, good, b)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rlplot: error: {a}:2: figure.dpi: 5 is out of range (allowed: >= 20 and <= 1200)",
        f"rlplot: error: {a}:3: unknown key 'widht' in figure (did you mean 'width'?)",
        f"rlplot: error: {b}:1: smoothing.frac: 2 is out of range (allowed: > 0 and <= 1)",
    ]


def test_validate_prints_ok_for_each_good_config(invoke, tmp_path):
    result = invoke("config", "validate", "paper", "four-panel")
    assert result.exit_code == 0 and result.output == "paper: ok\nfour-panel: ok\n"


def test_show_prints_the_merged_config_as_loadable_yaml(invoke, tmp_path):
    result = invoke("config", "show", "-c", "paper", "--set", "panels.1.title=Right")
    assert result.exit_code == 0
    data = yaml.safe_load(result.output)
    assert data["figure"]["width"] == 3.5 and data["panels"][1]["title"] == "Right"
    again = tmp_path / "again.yaml"
    again.write_text(result.output)
    assert load_config([str(again)]).config == load_config(["paper"], ["panels.1.title=Right"]).config


def test_show_sources_ends_each_value_with_where_it_came_from(invoke, tmp_path):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("extends: paper\nfigure:\n  height: 2\n")
    result = invoke("config", "show", "-c", cfg, "--set", "figure.dpi=72", "--sources")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "  width: 3.5  # preset:paper:7" in lines
    assert f"  height: 2.0  # {cfg}:3" in lines
    assert "  dpi: 72  # --set" in lines
    assert "  grid: true  # default" in lines
    assert yaml.safe_load(result.output)["figure"]["height"] == 2.0   # still valid YAML


def test_list_shows_every_preset_with_its_description(invoke):
    result = invoke("config", "list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == preset_names()
    assert {"default", "paper", "paper-wide", "slides", "poster", "dark", "colorblind",
            "anonymized-x", "four-panel"} <= set(names)
    paper = next(line for line in result.output.splitlines() if line.startswith("paper "))
    assert "3.5 in wide" in paper


def test_init_writes_a_commented_starter_that_loads_to_the_defaults(invoke, tmp_path):
    target = tmp_path / "style.yaml"
    result = invoke("config", "init", target)
    assert result.exit_code == 0 and result.output.strip() == str(target)
    text = target.read_text()
    assert "# figure width in inches [>= 1 and <= 100]\n  width: 12.0" in text
    assert load_config([str(target)]).config == Config()
    assert [p.name for p in tmp_path.iterdir()] == ["style.yaml"]   # no temp file left


def test_init_refuses_to_overwrite_without_force(invoke, tmp_path):
    target = tmp_path / "style.yaml"
    target.write_text("mine\n")
    line = one_error_line(invoke("config", "init", target))
    assert line == f"rlplot: error: {target}: already exists (use --force to overwrite it)"
    assert target.read_text() == "mine\n"
    assert invoke("config", "init", target, "--force").exit_code == 0
    assert target.read_text().startswith("# rlplot style config")


def test_init_default_path(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("config", "init").exit_code == 0
    assert (tmp_path / "rlplot.yaml").is_file()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return struct.unpack(">II", data[16:24])


def test_cli_flags_beat_set_which_beats_config_files(invoke, seed_log, tmp_path):
    cfg = tmp_path / "w.yaml"
    cfg.write_text("figure: {width: 4, height: 2, dpi: 50}\n")
    out = tmp_path / "a.png"
    assert invoke("render", seed_log, "-c", cfg, "-o", out).exit_code == 0
    assert png_size(out) == (200, 100)
    assert invoke("render", seed_log, "-c", cfg, "--set", "figure.width=6", "-o", out).exit_code == 0
    assert png_size(out) == (300, 100)
    assert invoke("render", seed_log, "-c", cfg, "--set", "figure.width=6", "--width", "8",
                  "-o", out).exit_code == 0
    assert png_size(out) == (400, 100)


def test_output_formats_choose_the_default_outputs(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", seed_log, "--set", "output.formats=[png, svg]")
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines() == ["run.png", "run.svg"]
    assert (tmp_path / "run.svg").read_bytes().lstrip().startswith(b"<?xml")
