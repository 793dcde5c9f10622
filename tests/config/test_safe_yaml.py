"""Safe YAML: syntax errors with line and column, duplicate keys, unsafe tags, bombs and deep nesting."""
from __future__ import annotations

import pytest

from rlplot.config import load_config
from rlplot.config.safe_yaml import MAX_EXPANDED_NODES, parse_yaml
from rlplot.errors import ConfigError

from .helpers import messages, write


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    cfg = write(tmp_path / "s.yaml", "figure:\n  width: 4\n  height: [1, 2\n")
    (message,) = messages(cfg)
    assert message.startswith(f"{cfg}:4: YAML syntax error, column 1:")


def test_duplicate_keys_are_an_error_naming_both_lines(tmp_path):
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
    assert f"at most {MAX_EXPANDED_NODES} values" in message


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    cfg = write(tmp_path / "deep.yaml", "a: " + "[" * 3000 + "]" * 3000 + "\n")
    (message,) = messages(cfg)
    assert "nested too deeply" in message


def test_yaml_keys_are_found_under_their_typed_path():
    data, lines = parse_yaml("panels:\n  1:\n    title: x\n", "t.yaml")
    assert data == {"panels": {1: {"title": "x"}}}
    assert lines[("panels", 1, "title")] == 3


def test_list_items_get_the_line_they_start_on():
    _, lines = parse_yaml("style:\n  - a\n  - b\n", "t.yaml")
    assert (lines[("style",)], lines[("style", 0)], lines[("style", 1)]) == (1, 2, 3)


def test_an_empty_document_is_an_empty_mapping():
    assert parse_yaml("# only a comment\n", "t.yaml") == ({}, {})


def test_set_value_alias_bomb_and_tags_are_refused():
    levels = ["&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 7):
        levels.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")   # 10**7 values expanded
    with pytest.raises(ConfigError, match="too many values"):
        load_config([], ["figure.suptitle=[" + ", ".join(levels) + "]"])
    with pytest.raises(ConfigError, match="unsafe or unknown YAML tag '!!python/object/apply:os.system'"):
        load_config([], ["figure.suptitle=!!python/object/apply:os.system ['true']"])
