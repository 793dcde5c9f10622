"""Text generated from the schema: docs/config.md and configs/default.yaml in sync, starter, ``show``."""
from __future__ import annotations

import re
from dataclasses import fields, is_dataclass

from rlplot.config import Config, load_config, preset_names
from rlplot.config.docs import (DEFAULT_PRESET_HEADER, allowed_text, main, reference_markdown, show_yaml,
                                starter_yaml)
from rlplot.config.loader import validate_refs
from rlplot.config.schema import default_of, field_at

from ..conftest import ROOT
from .test_schema import REGISTRY_OF, all_options

REGENERATE = "regenerate with: python -m rlplot.config.docs"


def test_docs_config_md_is_generated_from_the_schema():
    page = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), f"docs/config.md is stale: {REGENERATE}"


def test_default_preset_is_generated_from_the_schema():
    text = (ROOT / "configs" / "default.yaml").read_text(encoding="utf-8")
    assert text == starter_yaml(DEFAULT_PRESET_HEADER), f"configs/default.yaml is stale: {REGENERATE}"


def test_the_check_mode_finds_nothing_stale(capsys):
    assert main(["--check"]) == 0 and capsys.readouterr().out == ""


def test_reference_lists_every_option_and_preset():
    page = reference_markdown()
    for cls, spec in all_options():
        if cls is Config:
            assert f"## `{spec.name}`" in page, spec.name          # a section heading
        elif not is_dataclass(default_of(spec)):                   # sub-sections expand to rows
            assert f".{spec.name}` |" in page, f"{cls.__name__}.{spec.name}"
    for preset in preset_names():
        assert f"| `{preset}` |" in page


def test_reference_lists_every_registry_entry_with_its_help():
    page = reference_markdown()
    for path, registry in REGISTRY_OF.items():
        if path[:2] == ("panels", 0) and path[2] == "smoothing":
            continue   # a panel's smoothing takes the keys of the `smoothing` section
        shown = ".".join("panels[N]" if p == "panels" else p for p in path if p != 0)
        part = page.split(f"Choices of `{shown}`:")[1].split("\n\n", 2)[1]
        rows = [line for line in part.splitlines() if line.startswith("| `")]
        assert rows == [f"| `{c.name}` | {c.help} |" for c in registry.choices()], shown


def test_allowed_values_of_a_registry_option_are_its_names():
    assert allowed_text(field_at(("runs", "aggregate"))) == "none, mean, median, iqm"
    assert allowed_text(field_at(("smoothing", "delta"))) == "auto, or a number >= 0"
    assert allowed_text(field_at(("figure", "facecolor"))) == "a matplotlib colour"


def test_starter_loads_back_to_the_defaults(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(starter_yaml(["x"]))
    assert load_config([str(path)]).config == Config()


def test_starter_puts_help_and_allowed_values_above_each_option():
    lines = starter_yaml(["header"]).splitlines()
    index = lines.index("  x_scale: linear")
    assert lines[index - 1] == "  # x axis scale [linear, log]"
    index = lines.index("  x_tick_format: auto")
    assert lines[index - 1].startswith("  # x tick labels; auto: ")
    assert lines[index - 1].endswith(" [auto, sci, eng, si, count, date, duration, plain, hidden]")


def test_show_sources_end_each_value_with_where_it_came_from():
    loaded = load_config(["slides"], ["figure.dpi=90"])
    lines = show_yaml(loaded.config, loaded.origin).splitlines()
    assert "  width: 13.33  # preset:slides:3" in lines
    assert "  dpi: 90  # --set" in lines
    assert "  grid: true  # default" in lines
    assert "figure:" in lines and "panels:" in lines          # sections carry no comment
    assert show_yaml(loaded.config).count("#") == 0


def test_readme_example_config_is_valid(tmp_path):
    text = (ROOT / "docs" / "configs.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "extends:" in b)
    path = tmp_path / "my-paper.yaml"
    path.write_text(example)
    assert [str(e) for e in validate_refs([str(path)])] == []
    config = load_config([str(path)]).config
    assert config.panels[1].title == "Parallelism" and config.panels[0].line.width == 1.5
    assert config.figure.font_family == "serif"     # from extends: paper


def test_gallery_has_an_image_of_every_preset():
    text = (ROOT / "docs" / "configs.md").read_text(encoding="utf-8")
    for name in preset_names():
        image = ROOT / "docs" / "gallery" / f"{name}.png"
        assert image.is_file() and image.stat().st_size < 150_000, name
        assert f"](gallery/{name}.png)" in text, name


def test_every_section_of_config_has_a_heading_in_order():
    headings = re.findall(r"^## `(\w+)`", reference_markdown(), flags=re.M)
    assert headings == [f.name for f in fields(Config)]
