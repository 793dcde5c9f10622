"""Run scores: the spec parser, each method on series with a known answer, scoring whole cells."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlplot.data import Run, Series
from rlplot.errors import ConfigError, InputError
from rlplot.stats import DEFAULT_SCORE, ScoreSpec, parse_score, score_cells, score_run
from rlplot.choices import SCORE_METHODS


@pytest.mark.parametrize("text, spec", [
    ("last", ScoreSpec("last")), ("last:5", ScoreSpec("last", points=5)),
    ("last:10%", ScoreSpec("last", percent=10.0)), (" last : 2.5 % ", ScoreSpec("last", percent=2.5)),
    ("last:100%", ScoreSpec("last", percent=100.0)), ("max", ScoreSpec("max")), ("auc", ScoreSpec("auc")),
])
def test_parse_accepts_every_documented_form(text, spec):
    assert parse_score(text) == spec
    assert parse_score(str(spec)) == spec   # str() gives back a spec that parses the same


@pytest.mark.parametrize("text, message", [
    ("lats", "did you mean 'last'"), ("mean", "unknown score method 'mean'"),
    ("max:3", "max takes no argument"), ("auc:10%", "auc takes no argument"),
    ("last:0", "at least 1"), ("last:0%", "above 0"), ("last:150%", "at most 100"),
    ("last:abc", "cannot read 'abc'"), ("last:-3", "cannot read"), ("last:", "cannot read"),
])
def test_parse_errors_say_what_is_wrong(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_score(text)


def test_default_is_the_mean_over_the_last_tenth_of_x():
    assert parse_score() == parse_score(DEFAULT_SCORE) == ScoreSpec("last", percent=10.0)
    x = np.arange(0.0, 101.0)                     # 0..100: the last 10 % is x >= 90
    y = np.where(x >= 90, 7.0, 0.0) + np.where(x == 100, 11.0, 0.0)
    assert score_run(x, y) == pytest.approx((7.0 * 11 + 11.0) / 11)


def test_every_method_on_a_known_series():
    x = np.array([0.0, 1.0, 2.0, 4.0])
    y = np.array([0.0, 2.0, 5.0, 1.0])
    assert score_run(x, y, "last") == 1.0
    assert score_run(x, y, "last:2") == 3.0
    assert score_run(x, y, "last:50%") == 3.0     # x >= 2
    assert score_run(x, y, "max") == 5.0
    # trapezoids: (0+2)/2*1 + (2+5)/2*1 + (5+1)/2*2 = 1 + 3.5 + 6 = 10.5 over a span of 4
    assert score_run(x, y, "auc") == pytest.approx(10.5 / 4)


def test_one_point_runs_score_that_point():
    for method in ("last", "last:3", "last:10%", "max", "auc"):
        assert score_run(np.array([5.0]), np.array([0.25]), method) == 0.25


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e3, 1e3)),
       st.floats(-100, 100), st.floats(0.1, 10))
def test_methods_agree_where_they_must(y, start, step):
    x = start + step * np.arange(len(y))
    assert score_run(x, y, "last:100%") == pytest.approx(np.mean(y), rel=1e-9, abs=1e-9)
    assert score_run(x, y, f"last:{len(y)}") == pytest.approx(np.mean(y), rel=1e-9, abs=1e-9)
    assert min(y) - 1e-9 <= score_run(x, y, "auc") <= score_run(x, y, "max") + 1e-9
    assert score_run(x, np.full_like(y, 3.0), "auc") == pytest.approx(3.0)


@pytest.mark.parametrize("x, y, message", [
    ([], [], "no points"), ([0.0, np.nan], [1.0, 2.0], "non-finite"), ([0.0, 1.0], [1.0, np.inf], "non-finite"),
    ([1.0, 0.0], [1.0, 2.0], "not ascending"), ([0.0, 1.0], [1.0], "differ in shape"),
])
def test_unusable_series_are_input_errors_located_at_their_source(x, y, message):
    with pytest.raises(InputError, match=message) as info:
        score_run(np.array(x), np.array(y), "last", source="runs/a.csv")
    assert info.value.file == "runs/a.csv"


def test_every_method_has_one_line_of_help_and_an_implementation():
    for choice in SCORE_METHODS.choices():
        assert choice.help and "\n" not in choice.help
        assert callable(SCORE_METHODS.load(choice.name))


def run(source: str, y, x=None) -> Run:
    y = np.asarray(y, dtype=float)
    x = np.arange(len(y), dtype=float) if x is None else np.asarray(x, dtype=float)
    return Run(label=source, source=source, series=(Series("return", x, y, "step"),))


def test_score_cells_builds_the_matrix_and_notes_short_runs():
    cells = {("ppo", "hopper"): [run("p1.csv", [0, 1, 2]), run("p2.csv", [0, 3])],
             ("ppo", "walker"): [run("p3.csv", [5, 5, 5])],
             ("sac", "hopper"): [run("s1.csv", [1, 1, 1])], ("sac", "walker"): [run("s2.csv", [2, 4, 6])]}
    matrix = score_cells(cells, "last:3")
    assert matrix.algorithms == ("ppo", "sac") and matrix.tasks == ("hopper", "walker")
    assert matrix.score == "last:3"
    np.testing.assert_allclose(matrix.cells[0][0], [1.0, 1.5])
    np.testing.assert_allclose(matrix.cells[1][1], [4.0])
    short = [n for n in matrix.notices if "fewer than the 3" in str(n)]
    assert [n.file for n in short] == ["p2.csv"]
    assert any("runs per task differ (ppo 1-2)" in str(n) for n in matrix.notices)


def test_score_cells_reports_the_failing_file():
    cells = {("a", "t"): [run("good.csv", [1.0]), run("empty.csv", [])]}
    with pytest.raises(InputError, match="no points") as info:
        score_cells(cells)
    assert info.value.file == "empty.csv"
