"""Cleaning: every dropped point is counted under a reason; points come out sorted by x."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.clean import clean_series, keep_last_mask, merge_duplicates
from rlplot.errors import InputError
from rlplot.io import read_log

from .conftest import DATA


def test_drops_are_counted_by_reason_and_points_sorted_by_x(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("step,acc\n3,0.3\n1,0.1\n2,nan\n,0.4\n5,inf\n6,abc\n4,0.35\n")
    series, dropped = clean_series(read_log(str(path)), "step", "acc", restarts="keep-all")
    np.testing.assert_array_equal(series.x, [1, 3, 4])
    np.testing.assert_array_equal(series.y, [0.1, 0.3, 0.35])
    assert (dropped.missing, dropped.nonnumeric, dropped.nan, dropped.inf) == (1, 1, 1, 1)
    assert dropped.count == 4 and dropped.total == 7
    assert dropped.describe() == "4 of 7 from 'acc' (1 non-numeric, 1 NaN, 1 inf, 1 with 'step' missing)"


def test_without_an_x_column_the_row_number_is_x(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("acc\n0.5\n0.6\n")
    series, dropped = clean_series(read_log(str(path)), None, "acc")
    np.testing.assert_array_equal(series.x, [0, 1])
    assert series.x_name == "row" and dropped.count == 0


def test_equal_x_keep_file_order(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("step,acc\n1,0.9\n0,0.0\n1,0.1\n")
    series, _ = clean_series(read_log(str(path)), "step", "acc", restarts="keep-all",
                             duplicates="keep")
    np.testing.assert_array_equal(series.y, [0.0, 0.9, 0.1])


# ---------------------------------------------------------------- restarts and duplicates


def restarted():
    return read_log(str(DATA / "restarted.csv"))  # steps 0 1 2 3 | 1 2 3 4 (restart at line 6)


def test_keep_last_replaces_the_points_a_restart_logs_again():
    series, dropped = clean_series(restarted(), "step", "accuracy")
    np.testing.assert_array_equal(series.x, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(series.y, [0.30, 0.41, 0.42, 0.43, 0.44])
    assert dropped.replaced == 3 and dropped.duplicates == 0
    (restart,) = dropped.restarts
    assert (restart.line, restart.x_from, restart.x_to, restart.replaced) == (6, 3, 1, 3)
    text = dropped.describe_restarts()
    assert "line 6: 3 → 1" in text and "3 earlier points" in text and "keep-last" in text


def test_keep_all_keeps_both_and_still_reports():
    series, dropped = clean_series(restarted(), "step", "accuracy", restarts="keep-all",
                                   duplicates="keep")
    assert len(series) == 8 and dropped.replaced == 0
    assert "both kept" in dropped.describe_restarts()


def test_keep_all_with_mean_averages_the_overlap():
    series, dropped = clean_series(restarted(), "step", "accuracy", restarts="keep-all",
                                   duplicates="mean")
    np.testing.assert_allclose(series.y, [0.30, 0.36, 0.37, 0.38, 0.44])
    assert dropped.duplicates == 3 and "averaged" in dropped.describe_duplicates()


def test_error_policy_names_the_line():
    with pytest.raises(InputError, match="goes back from 3 to 1") as info:
        clean_series(restarted(), "step", "accuracy", restarts="error")
    assert info.value.line == 6 and "keep-last" in info.value.hint


def test_restarts_are_found_in_file_order_not_after_sorting(tmp_path):
    # Sorted, these x look fine; only file order shows the restart.
    path = tmp_path / "r.csv"
    path.write_text("step,acc\n10,1\n20,2\n5,3\n")
    series, dropped = clean_series(read_log(str(path)), "step", "acc")
    np.testing.assert_array_equal(series.x, [5])
    assert dropped.replaced == 2 and dropped.restarts[0].line == 4


def test_restart_ignores_rows_without_the_metric(tmp_path):
    # An eval metric logged every other row: its own points never go back.
    path = tmp_path / "r.csv"
    path.write_text("step,eval\n1,\n2,0.5\n3,\n4,0.6\n")
    _, dropped = clean_series(read_log(str(path)), "step", "eval")
    assert dropped.restarts == () and dropped.missing == 2


@pytest.mark.parametrize("policy, expected", [("last", [1, 30]), ("first", [1, 10]),
                                              ("mean", [1, 20])])
def test_each_duplicate_policy_merges_equal_x_its_way(policy, expected):
    x = np.array([0.0, 5.0, 5.0, 5.0])
    y = np.array([1.0, 10.0, 20.0, 30.0])
    mx, my, merged = merge_duplicates(x, y, policy)
    np.testing.assert_array_equal(mx, [0, 5])
    np.testing.assert_allclose(my, expected)
    assert merged == 2


def test_duplicate_policies_are_the_registry_targets_here():
    import rlplot.clean as clean
    from rlplot.choices import DUPLICATE_POLICIES

    for name in DUPLICATE_POLICIES:
        if DUPLICATE_POLICIES[name].target:
            assert DUPLICATE_POLICIES.load(name) is getattr(clean, f"merge_{name}")


@pytest.mark.parametrize("kwargs, what", [({"duplicates": "lsat"}, "duplicates policy 'lsat'"),
                                          ({"restarts": "keep_last"}, "restarts policy 'keep_last'")])
def test_unknown_policy_is_an_input_error_with_a_suggestion(kwargs, what):
    with pytest.raises(InputError, match=f"unknown {what}") as info:
        clean_series(restarted(), "step", "accuracy", **kwargs)
    assert "did you mean" in info.value.hint and "choose one of:" in info.value.hint


def test_mean_of_huge_values_stays_finite():
    _, y, _ = merge_duplicates(np.array([1.0, 1.0]), np.array([1e308, 1e308]), "mean")
    assert np.isfinite(y).all() and y[0] == pytest.approx(1e308)


def test_keep_last_mask_matches_a_purging_simulation():
    rng = np.random.default_rng(1)
    for _ in range(200):
        x = rng.integers(0, 8, size=rng.integers(0, 15)).astype(float)
        kept: list[int] = []
        for i, xi in enumerate(x):
            if kept and xi < x[kept[-1]]:
                kept = [j for j in kept if x[j] < xi]
            kept.append(i)
        expected = np.zeros(x.shape[0], bool)
        expected[kept] = True
        np.testing.assert_array_equal(keep_last_mask(x), expected)


def test_row_index_never_restarts():
    _, dropped = clean_series(restarted(), None, "accuracy")
    assert dropped.restarts == ()


def test_noisy_x_lists_the_first_restarts_and_counts_all():
    from rlplot.data import Column, Table

    n = 1001
    x = np.tile([1.0, 0.0], n // 2 + 1)[:n]  # goes back on every other row
    flags = np.zeros(n, bool)
    table = Table("t", "csv", n, {"x": Column("x", x, flags, flags),
                                  "y": Column("y", np.arange(n, dtype=float), flags, flags)})
    series, dropped = clean_series(table, "x", "y", restarts="keep-all", duplicates="keep")
    assert dropped.restart_count == 500 and len(dropped.restarts) == 100 and len(series) == n
    assert "went back 500 times" in dropped.describe_restarts()
    assert "… 497 more" in dropped.describe_restarts()


# ---------------------------------------------------------------- x that explains the drops


def csv_log(tmp_path, rows, name="r.csv"):
    path = tmp_path / name
    path.write_text("step,acc\n" + "".join(f"{x},{y}\n" for x, y in rows))
    return read_log(str(path))


def test_an_x_column_of_nan_is_named_not_the_y_column(tmp_path):
    series, dropped = clean_series(csv_log(tmp_path, [("nan", 0.5)] * 6), "step", "acc")
    assert len(series) == 0 and dropped.nan == 6 and dropped.x_counts[2] == 6
    assert dropped.describe() == "6 of 6 from 'acc' (6 with 'step' NaN)"


def test_values_too_large_to_process_are_dropped_with_their_reason(tmp_path):
    rows = [(i, 0.5) for i in range(5)] + [(5, 1e308), (6, -1e308), (7e200, 0.5)]
    series, dropped = clean_series(csv_log(tmp_path, rows), "step", "acc")
    np.testing.assert_array_equal(series.x, [0, 1, 2, 3, 4])
    assert dropped.huge == 3 and dropped.x_counts[4] == 1
    assert dropped.describe() == ("3 of 8 from 'acc' (2 too large to draw or smooth, beyond ±1e+150, "
                                  "1 with 'step' too large to draw or smooth, beyond ±1e+150)")


def test_a_constant_x_is_said_to_be_constant(tmp_path):
    series, dropped = clean_series(csv_log(tmp_path, [(5, i / 10) for i in range(8)]), "step", "acc")
    assert len(series) == 1 and dropped.duplicates == 7 and dropped.x_note == "constant"
    assert dropped.describe_duplicates() == ("'step' is constant (5 on every point): the 8 points "
                                            "of 'acc' collapse to one: kept the last "
                                            "(--duplicates last); choose another x with --x")


def test_an_x_that_runs_backwards_is_sorted_not_taken_for_restarts(tmp_path):
    rows = [(1000 - 10 * i, i / 10) for i in range(8)]
    for policy in ("keep-last", "error"):
        series, dropped = clean_series(csv_log(tmp_path, rows), "step", "acc", restarts=policy)
        np.testing.assert_array_equal(series.x, [930, 940, 950, 960, 970, 980, 990, 1000])
        np.testing.assert_allclose(series.y, [0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0])
        assert dropped.restarts == () and dropped.replaced == 0
        assert dropped.describe_restarts().startswith("'step' runs backwards (it never increases, "
                                                      "from 1000 down)")
    # One step back is a restart, as before.
    _, dropped = clean_series(csv_log(tmp_path, [(0, 1), (1, 2), (2, 3), (1, 4)]), "step", "acc")
    assert dropped.x_note == "" and len(dropped.restarts) == 1


def test_integers_beyond_float64_precision_are_named_as_such(tmp_path):
    for base in (2 ** 63, 2 ** 54):
        rows = [(base + i, i / 100) for i in range(20)]
        _, dropped = clean_series(csv_log(tmp_path, rows), "step", "acc")
        assert dropped.x_note == "precision" and dropped.duplicates > 0
        text = dropped.describe_duplicates()
        assert text.startswith("'step' holds integers beyond 2^53 (up to ") and \
            "too large for float64 to tell apart" in text and "shared their" not in text
    _, small = clean_series(csv_log(tmp_path, [(1, 0.1), (1, 0.2), (2, 0.3)]), "step", "acc")
    assert small.x_note == "" and "shared their 'step'" in small.describe_duplicates()
