"""The schema: every option declared completely, look-ups by key path, choices that ARE the registries."""
from __future__ import annotations

from dataclasses import fields, is_dataclass

import pytest

from rlplot import choices
from rlplot.config import Config, to_mapping
from rlplot.config.schema import (AnnotationStyle, FigureStyle, PanelStyle, SmoothingSpec, default_of,
                                  field_at, field_types, option_help, range_text, section_of)
from rlplot.registry import Registry

# Each list of choices offered outside the schema too, by the key path of its option.
REGISTRY_OF = {
    ("data", "restarts"): choices.RESTART_POLICIES,
    ("data", "duplicates"): choices.DUPLICATE_POLICIES,
    ("smoothing", "method"): choices.SMOOTHING_METHODS,
    ("panels", 0, "smoothing", "method"): choices.SMOOTHING_METHODS,
    ("panels", 0, "band"): choices.PANEL_BANDS,
    ("runs", "aggregate"): choices.AGGREGATES,
    ("runs", "band"): choices.RUN_BANDS,
    ("runs", "x_range"): choices.X_RANGES,
    ("output", "formats"): choices.FIGURE_FORMATS,
    ("output", "provenance"): choices.PROVENANCE_MODES,
    ("figure", "x_tick_format"): choices.X_TICK_FORMATS,
    ("panels", 0, "y_format"): choices.Y_TICK_FORMATS,
    ("compare", "kinds"): choices.COMPARE_FIGURES,
    ("compare", "intervals", "metrics"): choices.AGGREGATE_METRICS,
    ("compare", "profiles", "kind"): choices.PROFILE_KINDS,
    ("compare", "profiles", "tau_scale"): choices.TAU_SCALES,
    ("compare", "efficiency", "statistic"): choices.AGGREGATE_METRICS,
}


def sections(cls=Config, seen=None) -> list:
    """Every section class reachable from Config."""
    seen = seen if seen is not None else []
    if cls not in seen:
        seen.append(cls)
        for spec in fields(cls):
            inner = section_of(field_types(cls)[spec.name])
            if inner is not None:
                sections(inner, seen)
    return seen


def all_options() -> list:
    """(section, field) of every declared option."""
    return [(cls, spec) for cls in sections() for spec in fields(cls)]


def option_paths(cls=Config, path=()) -> list:
    """The key path of every option (panels as panel 0)."""
    out = []
    for spec in fields(cls):
        sub = path + (spec.name,) + ((0,) if spec.name == "panels" else ())
        out.append(sub)
        inner = section_of(field_types(cls)[spec.name])
        if inner is not None:
            out += option_paths(inner, sub)
    return out


def test_sections_are_found_through_every_kind_of_type():
    assert {FigureStyle, PanelStyle, SmoothingSpec, AnnotationStyle} <= set(sections())
    assert section_of(field_types(PanelStyle)["smoothing"]) is SmoothingSpec     # X | None
    assert section_of(field_types(Config)["panels"]) is PanelStyle               # tuple[X, ...]
    assert section_of(field_types(Config)["style"]) is None


@pytest.mark.parametrize("cls, spec", all_options(), ids=lambda v: getattr(v, "name", None) or
                         getattr(v, "__name__", ""))
def test_every_option_has_help_and_numbers_have_a_range(cls, spec):
    assert spec.metadata.get("help", "").strip(), f"{cls.__name__}.{spec.name} has no help"
    inner = set(getattr(field_types(cls)[spec.name], "__args__", ())) - {type(None)}
    numeric = field_types(cls)[spec.name] in (int, float) or (inner and inner <= {int, float})
    limits_free = {"y_min", "y_max", "x_min", "x_max"}   # data coordinates: any number
    if numeric and spec.name not in limits_free:
        assert range_text(spec.metadata), f"{cls.__name__}.{spec.name} is a number without min/max"


def test_the_sections_of_the_issue_exist():
    names = {f.name for f in fields(Config)}
    assert {"figure", "data", "panels", "smoothing", "output", "rc", "style", "runs"} <= names
    for path in [("figure", "width"), ("figure", "rows"), ("figure", "x_tick_format"),
                 ("figure", "footnote"), ("data", "flops_per_step"), ("panels", 0, "y_tick_step"),
                 ("panels", 0, "scatter", "max_points"), ("panels", 0, "line", "style"),
                 ("panels", 0, "legend", "loc"), ("panels", 0, "smoothing", "frac"),
                 ("output", "formats"), ("output", "rasterize_above"), ("output", "metadata")]:
        assert field_at(path) is not None, path


def test_field_at_finds_nothing_outside_the_schema():
    assert field_at(("figure", "widht")) is None
    assert field_at(("figure", "width", "deeper")) is None
    assert field_at(("rc", "font.size")) is None


@pytest.mark.parametrize("path, registry", list(REGISTRY_OF.items()), ids=lambda v: str(v))
def test_schema_choices_are_the_registries_themselves(path, registry):
    assert field_at(path).metadata["choices"] is registry


def test_no_other_option_offers_a_registry():
    offering = {path for path in option_paths()
                if isinstance(field_at(path).metadata.get("choices"), Registry)}
    assert offering == set(REGISTRY_OF)


def test_cli_help_reads_the_schema():
    assert option_help("figure.dpi").startswith("resolution of PNG output")
    assert "[config: figure.dpi; default: 150]" in option_help("figure.dpi")
    assert option_help("panels.0.band").endswith("[config: panels.0.band; default: none]")
    with pytest.raises(KeyError):
        option_help("figure.dpii")


def test_defaults_and_plain_data():
    assert default_of(field_at(("figure", "dpi"))) == 150
    assert default_of(field_at(("figure",))) == FigureStyle()
    plain = to_mapping(Config())
    assert plain["output"]["formats"] == ["png"] and isinstance(plain["panels"], list)
    assert plain["panels"][0]["scatter"]["marker"] == "o"
    assert not any(is_dataclass(v) for v in plain.values())


def test_range_text_spells_open_and_closed_bounds():
    assert range_text(field_at(("smoothing", "frac")).metadata) == "> 0 and <= 1"
    assert range_text(field_at(("figure", "dpi")).metadata) == ">= 20 and <= 1200"
    assert range_text(field_at(("figure", "suptitle")).metadata) == ""
