"""The ``compare`` section (rlplot/config/compare.py): validated like every section, the layout grammar."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.choices import AGGREGATE_METRICS, COMPARE_FIGURES
from rlplot.config import load_config
from rlplot.config.compare import CompareSpec, parse_layout
from rlplot.errors import ConfigError


def test_defaults_draw_every_kind_with_every_metric():
    spec = load_config().config.compare
    assert spec == CompareSpec()
    assert spec.kinds == COMPARE_FIGURES.names and spec.intervals.metrics == AGGREGATE_METRICS.names
    assert (spec.score, spec.normalize, spec.improvement.pairs) == ("last:10%", "none", ("first",))


def test_values_are_validated_with_the_registries_hints():
    with pytest.raises(ConfigError, match=r"compare.kinds\[1\]: unknown compare figure 'profile'") as info:
        load_config([], ["compare.kinds=[intervals, profile]"])
    assert "did you mean 'profiles'?" in info.value.hint
    with pytest.raises(ConfigError, match=r"compare.colors\[0\]: 'blu' is not a colour"):
        load_config([], ["compare.colors=[blu]"])
    with pytest.raises(ConfigError, match="compare.profiles.tau_points: 1 is out of range"):
        load_config([], ["compare.profiles.tau_points=1"])
    loaded = load_config([], ["compare.intervals.metrics=[iqm]", "compare.improvement.pairs=all"]).config
    assert loaded.compare.intervals.metrics == ("iqm",) and loaded.compare.improvement.pairs == ("all",)


def test_a_preset_keeps_the_compare_defaults_and_a_file_sets_them(tmp_path):
    assert load_config(["paper"]).config.compare == CompareSpec()
    path = tmp_path / "c.yaml"
    path.write_text("compare:\n  score: max\n  efficiency: {points: 7}\n", encoding="utf-8")
    spec = load_config([str(path)]).config.compare
    assert spec.score == "max" and spec.efficiency.points == 7


@pytest.mark.parametrize("text, count, rows", [
    ("1+3", 4, (1, 3)), ("4", 4, (4,)), ("2x2", 4, (2, 2)), ("2x2", 3, (2, 1)), ("1x4", 4, (4,)),
    ("4x1", 4, (1, 1, 1, 1)), (" 2 + 2 ", 4, (2, 2)), ("1", 1, (1,)),
])
def test_layouts_give_kinds_per_row(text, count, rows):
    assert parse_layout(text, count) == rows


@pytest.mark.parametrize("text, count, message", [
    ("1+2", 4, "places 3 figures, not 4"), ("2+0+2", 4, "places 4 figures"),
    ("2x1", 4, "does not fit 4 figures"), ("3x2", 4, "does not fit"), ("0x4", 4, "does not fit"),
    ("grid", 4, "cannot read 'grid'"), ("2*2", 4, "cannot read"),
])
def test_bad_layouts_say_why(text, count, message):
    with pytest.raises(ConfigError, match=message.replace("+", r"\+")):
        parse_layout(text, count)


@settings(deadline=None)   # a shared machine: no per-example deadline
@given(st.lists(st.integers(1, 5), min_size=1, max_size=6))
def test_rows_written_out_are_read_back(rows):
    assert parse_layout("+".join(map(str, rows)), sum(rows)) == tuple(rows)


@settings(deadline=None)   # a shared machine: no per-example deadline
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 36))
def test_a_grid_fills_rows_in_reading_order_without_an_empty_row(rows, cols, count):
    if rows * cols < count or (rows - 1) * cols >= count:
        with pytest.raises(ConfigError):
            parse_layout(f"{rows}x{cols}", count)
        return
    counts = parse_layout(f"{rows}x{cols}", count)
    assert sum(counts) == count and len(counts) == rows and all(1 <= c <= cols for c in counts)
    assert list(counts) == sorted(counts, reverse=True)
