"""Every list of choices is declared once, in choices.py, and every entry leads to real code."""
from __future__ import annotations

import pytest

from rlplot import choices
from rlplot.io.registry import FORMATS
from rlplot.registry import Registry

REGISTRIES = {name: value for name, value in vars(choices).items() if isinstance(value, Registry)}
ENTRIES = [(name, entry.name) for name, registry in REGISTRIES.items() for entry in registry.choices()
           if entry.target]


@pytest.mark.parametrize("registry, entry", ENTRIES, ids=[f"{r}.{e}" for r, e in ENTRIES])
def test_every_target_is_importable_code(registry, entry):
    assert REGISTRIES[registry].load(entry) is not None


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_every_entry_has_a_name_and_one_line_of_help(name):
    for entry in REGISTRIES[name].choices():
        assert entry.name and entry.help and "\n" not in entry.help, (name, entry.name)


def test_input_formats_read_and_detect_with_real_functions():
    for fmt in FORMATS.choices():
        assert callable(FORMATS.load(fmt.name))
        if fmt.detect:
            module, _, attribute = fmt.detect.partition(":")
            assert callable(getattr(__import__(module, fromlist=[attribute]), attribute))


def test_registries_have_distinct_names_in_messages():
    whats = [registry.what for registry in REGISTRIES.values()]
    assert len(whats) == len(set(whats))
