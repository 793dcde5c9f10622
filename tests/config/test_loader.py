"""The public loading API: the first problem raised with a count of the rest, every problem listed."""
from __future__ import annotations

import pytest

from rlplot.config import Config, LoadedConfig, load_config
from rlplot.config.loader import validate_refs
from rlplot.errors import ConfigError

from .helpers import write


def test_no_configs_load_the_defaults_with_default_sources():
    loaded = load_config()
    assert isinstance(loaded, LoadedConfig) and loaded.config == Config()
    assert loaded.origin[("figure", "dpi")] == ("default", None)


def test_load_config_raises_the_first_problem_and_counts_the_rest(tmp_path):
    cfg = write(tmp_path / "two.yaml", "figure:\n  dpi: 1\n  width: 0\n")
    with pytest.raises(ConfigError, match="figure.dpi: 1 is out of range") as caught:
        load_config([str(cfg)])
    assert str(caught.value).endswith("(allowed: >= 20 and <= 1200; 1 more problem: rlplot config validate)")


def test_validate_refs_checks_each_reference_on_its_own(tmp_path):
    good = write(tmp_path / "good.yaml", "figure: {width: 4}\n")
    bad = write(tmp_path / "bad.yaml", "figure: {width: 0}\n")
    found = [str(e) for e in validate_refs([str(bad), str(good), "nope"])]
    assert len(found) == 2
    assert found[0] == f"{bad}:1: figure.width: 0 is out of range (allowed: >= 1 and <= 100)"
    assert found[1].startswith("nope: no config file or preset 'nope' (give a path or a preset: ")
    assert "paper, paper-wide" in found[1]


def test_validate_refs_names_the_reference_of_a_problem_without_a_file():
    (problem,) = validate_refs(["paper"], ["figure"])
    assert str(problem).startswith("paper: --set needs key.path=value, got 'figure'")
