"""Text generated from the schema stays in sync, and every option is declared completely."""
from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass

import pytest

from rlplot.config import Config, load_config
from rlplot.config.docs import (DEFAULT_PRESET_HEADER, allowed_text, field_at, reference_markdown,
                                starter_yaml)
from rlplot.config.schema import option_help

from .conftest import ROOT

REGENERATE = "regenerate with: python -m rlplot.config.docs"


def sections(cls=Config, seen=None):
    """Every section class reachable from Config."""
    seen = seen if seen is not None else []
    if cls in seen:
        return seen
    seen.append(cls)
    for spec in fields(cls):
        tp = typing.get_type_hints(cls)[spec.name]
        for inner in (tp, *typing.get_args(tp)):
            if is_dataclass(inner):
                sections(inner, seen)
    return seen


def all_options():
    return [(cls, spec) for cls in sections() for spec in fields(cls)]


def test_docs_config_md_is_generated_from_the_schema():
    page = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), f"docs/config.md is stale: {REGENERATE}"


def test_default_preset_is_generated_from_the_schema():
    text = (ROOT / "configs" / "default.yaml").read_text(encoding="utf-8")
    assert text == starter_yaml(DEFAULT_PRESET_HEADER), f"configs/default.yaml is stale: {REGENERATE}"


@pytest.mark.parametrize("cls, spec", all_options(), ids=lambda v: getattr(v, "name", None) or
                         getattr(v, "__name__", ""))
def test_every_option_has_help_and_numbers_have_a_range(cls, spec):
    assert spec.metadata.get("help", "").strip(), f"{cls.__name__}.{spec.name} has no help"
    tp = typing.get_type_hints(cls)[spec.name]
    numeric = tp in (int, float) or set(typing.get_args(tp)) - {type(None)} <= {int, float} and \
        bool(set(typing.get_args(tp)) & {int, float})
    limits_free = {"y_min", "y_max", "x_min", "x_max"}   # data coordinates: any number
    if numeric and spec.name not in limits_free:
        assert allowed_text(spec), f"{cls.__name__}.{spec.name} is a number without min/max"


def test_the_sections_of_the_issue_exist():
    names = {f.name for f in fields(Config)}
    assert {"figure", "data", "panels", "smoothing", "output", "rc", "style"} <= names
    for path in [("figure", "width"), ("figure", "rows"), ("figure", "x_tick_format"),
                 ("figure", "footnote"), ("data", "flops_per_step"), ("panels", 0, "y_tick_step"),
                 ("panels", 0, "scatter", "max_points"), ("panels", 0, "line", "style"),
                 ("panels", 0, "legend", "loc"), ("panels", 0, "smoothing", "frac"),
                 ("output", "formats"), ("output", "rasterize_above"), ("output", "metadata")]:
        assert field_at(path) is not None, path


def test_reference_lists_every_option_and_preset():
    page = reference_markdown()
    from rlplot.config.docs import default_of

    for cls, spec in all_options():
        if cls is Config:
            assert f"## `{spec.name}`" in page, spec.name          # a section heading
        elif not is_dataclass(default_of(spec)):                   # sub-sections expand to rows
            assert f".{spec.name}` |" in page, f"{cls.__name__}.{spec.name}"
    for preset in ("paper", "slides", "four-panel"):
        assert f"| `{preset}` |" in page


def test_cli_help_reads_the_schema():
    assert option_help("figure.dpi").startswith("resolution of PNG output")
    assert "[config: figure.dpi; default: 150]" in option_help("figure.dpi")


def test_starter_loads_back_to_the_defaults(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(starter_yaml(["x"]))
    assert load_config([str(path)]).config == Config()


def test_readme_example_config_is_valid(tmp_path):
    import re

    from rlplot.config.loader import validate_refs

    text = (ROOT / "docs" / "configs.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "extends:" in b)
    path = tmp_path / "my-paper.yaml"
    path.write_text(example)
    assert [str(e) for e in validate_refs([str(path)])] == []
    config = load_config([str(path)]).config
    assert config.panels[1].title == "Parallelism" and config.panels[0].line.width == 1.5
    assert config.figure.font_family == "serif"     # from extends: paper


def test_gallery_has_an_image_of_every_preset():
    from rlplot.config import preset_names

    text = (ROOT / "docs" / "configs.md").read_text(encoding="utf-8")
    for name in preset_names():
        image = ROOT / "docs" / "gallery" / f"{name}.png"
        assert image.is_file() and image.stat().st_size < 150_000, name
        assert f"](gallery/{name}.png)" in text, name
