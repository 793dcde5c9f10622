"""The registry mechanism: ordered names, did-you-mean errors, lazy implementations."""
from __future__ import annotations

import pytest

from rlplot.errors import ConfigError
from rlplot.registry import Choice, Registry, closest


def make() -> Registry:
    return Registry("colour", (Choice("red", "warm", "Red", "math:pi"), Choice("blue", "cold")))


def test_names_keep_declaration_order_and_membership():
    reg = make()
    assert reg.names == ("red", "blue") and list(reg) == ["red", "blue"] and len(reg) == 2
    assert "red" in reg and "green" not in reg
    assert reg["red"].title == "Red" and reg["blue"].title == "blue"


def test_unknown_name_is_a_config_error_with_a_suggestion():
    with pytest.raises(ConfigError) as info:
        make().check("rde", file="c.yaml", line=3)
    assert str(info.value) == "c.yaml:3: unknown colour 'rde' (did you mean 'red'? choose one of: red, blue)"


def test_load_imports_the_target_once_and_refuses_entries_without_one():
    import math

    reg = make()
    assert reg.load("red") == math.pi
    with pytest.raises(LookupError):
        reg.load("blue")


def test_closest_prefers_a_case_insensitive_match():
    assert closest("BLUE", ["blue", "blur"]) == ["blue"]
    assert closest("zzz", ["blue"]) == []


def test_described_lists_every_choice_with_its_help():
    assert make().described() == "red: warm; blue: cold"
