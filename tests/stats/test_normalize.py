"""The score matrix's checks and per-task normalization (none, minmax, reference YAML)."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.errors import ConfigError, InputError
from rlplot.stats import from_cells, from_rliable, normalize, read_references
from rlplot.stats.normalize import from_references, minmax

CELLS = {("a", "pong"): [0.0, 10.0], ("a", "breakout"): [3.0], ("b", "pong"): [20.0, 5.0],
         ("b", "breakout"): [1.0, 2.0]}


def test_matrix_keeps_first_seen_order_unless_told():
    matrix = from_cells(CELLS)
    assert matrix.algorithms == ("a", "b") and matrix.tasks == ("pong", "breakout")
    np.testing.assert_array_equal(matrix.counts, [[2, 1], [2, 2]])
    assert not matrix.equal_counts
    ordered = from_cells(CELLS, algorithms=["b", "a"], tasks=["breakout", "pong"])
    np.testing.assert_array_equal(ordered.cells[0][0], [1.0, 2.0])
    with pytest.raises(ValueError):
        ordered.cells[0][0][0] = 9.0                     # frozen: later stages cannot edit scores


@pytest.mark.parametrize("cells, message", [
    ({("a", "t"): [1.0], ("b", "u"): [2.0]}, "algorithm 'a' has no runs on task 'u'"),
    ({("a", "t"): []}, "has no runs on task 't'"),
    ({("a", "t"): [1.0, np.nan]}, "not finite"),
    ({}, "no runs to compare"),
])
def test_matrix_refuses_missing_cells_and_bad_scores(cells, message):
    with pytest.raises(InputError, match=message):
        from_cells(cells)


def test_unequal_counts_are_noticed_and_rliable_layout_refused():
    matrix = from_cells(CELLS)
    assert len(matrix.notices) == 1 and "a 1-2" in str(matrix.notices[0])
    with pytest.raises(InputError, match="'a' has different numbers of runs"):
        matrix.to_rliable()
    equal = from_rliable({"x": np.zeros((3, 2)), "y": np.ones((5, 2))})
    assert equal.equal_counts and equal.notices == ()      # counts may differ between algorithms


def test_from_rliable_checks_shapes():
    with pytest.raises(InputError, match="same tasks"):
        from_rliable({"x": np.zeros((3, 2)), "y": np.zeros((3, 4))})
    with pytest.raises(InputError, match="2 task names for 3"):
        from_rliable({"x": np.zeros((3, 3))}, tasks=["p", "q"])


def test_minmax_maps_each_task_onto_0_1_over_all_algorithms():
    scaled, norm = normalize(from_cells(CELLS), "minmax")
    np.testing.assert_allclose(scaled.cells[0][0], [0.0, 0.5])     # pong: 0..20
    np.testing.assert_allclose(scaled.cells[1][0], [1.0, 0.25])
    np.testing.assert_allclose(scaled.cells[0][1], [1.0])          # breakout: 1..3
    np.testing.assert_allclose(scaled.cells[1][1], [0.0, 0.5])
    assert scaled.normalization == "minmax" and norm.method == "minmax"
    np.testing.assert_allclose(norm.scale("pong", np.array([10.0, 30.0])), [0.5, 1.5])  # curves too


def test_minmax_of_a_constant_task_is_zero_with_a_notice():
    norm = minmax(from_cells({("a", "t"): [4.0, 4.0], ("b", "t"): [4.0]}))
    assert "every run scored 4" in str(norm.notices[0])
    scaled = norm.apply(from_cells({("a", "t"): [4.0, 4.0], ("b", "t"): [4.0]}))
    np.testing.assert_array_equal(scaled.cells[0][0], [0.0, 0.0])
    assert any("every run scored 4" in str(n) for n in scaled.notices)


def test_none_leaves_scores_as_they_are():
    scaled, _ = normalize(from_cells(CELLS), "none")
    np.testing.assert_array_equal(scaled.cells[1][0], [20.0, 5.0])
    assert scaled.normalization == "none"


def write(tmp_path, text: str):
    path = tmp_path / "refs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reference_scores_give_human_normalized_scores(tmp_path):
    path = write(tmp_path, "pong: {random: -20, human: 0}\nbreakout:\n  random: 1\n  expert: 3\nextra: {random: 0, expert: 1}\n")
    scaled, norm = normalize(from_cells(CELLS), str(path))
    np.testing.assert_allclose(scaled.cells[0][0], [1.0, 1.5])       # (0 + 20) / 20, (10 + 20) / 20
    np.testing.assert_allclose(scaled.cells[0][1], [1.0])
    assert scaled.normalization == f"references ({path})"
    assert norm.source == str(path)


def test_a_task_without_references_is_named(tmp_path):
    path = write(tmp_path, "pong: {random: 0, expert: 1}\nbreakouts: {random: 0, expert: 1}\n")
    with pytest.raises(ConfigError, match="no reference scores for task 'breakout'") as info:
        normalize(from_cells(CELLS), str(path))
    assert info.value.file == str(path) and "did you mean 'breakouts'" in info.value.hint


@pytest.mark.parametrize("text, message", [
    ("[1, 2]", "must be a mapping"), ("", "must be a mapping"),
    ("pong: 3", "expected {random: R, expert: E}"),
    ("pong: {random: 0}", "needs 'random' and one of"),
    ("pong: {random: 0, expert: 1, human: 2}", "needs 'random' and one of"),
    ("pong: {random: 0, exprt: 1}", "did you mean 'expert'"),
    ("pong: {random: 0, expert: high}", "finite number, not 'high'"),
    ("pong: {random: 0, expert: .nan}", "finite number"),
    ("pong: {random: 0, expert: true}", "finite number"),
    ("pong: {random: 2, expert: 2}", "equal"),
    ("pong: {random: 0, expert: !!python/name:os.system}", "YAML error"),
    ("pong: {random: 0\n  expert: [", "YAML error"),
])
def test_bad_reference_files_are_config_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        read_references(write(tmp_path, text))
    assert info.value.file.endswith("refs.yaml")


def test_reference_file_problems(tmp_path):
    with pytest.raises(ConfigError, match="cannot read reference scores"):
        read_references(tmp_path / "missing.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_references(tmp_path / "bin.yaml")
    with pytest.raises(ConfigError, match="YAML error") as info:
        read_references(write(tmp_path, "pong: {random: 0, expert: 1}\nbad: [\n"))
    assert info.value.line is not None


def test_unknown_normalization_has_a_hint():
    with pytest.raises(ConfigError, match="unknown normalization 'minmx'") as info:
        normalize(from_cells(CELLS), "minmx")
    assert "did you mean 'minmax'" in info.value.hint


def test_references_from_a_mapping():
    norm = from_references({"pong": {"random": -21, "human": 15}})
    np.testing.assert_allclose(norm.scale("pong", np.array([-21.0, 15.0])), [0.0, 1.0])
