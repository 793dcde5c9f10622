"""Cleaning: every dropped point is counted under a reason; points come out sorted by x."""
from __future__ import annotations

import numpy as np

from rlplot.clean import clean_series
from rlplot.io import read_log


def test_drop_counts_by_reason_and_sorting(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("step,acc\n3,0.3\n1,0.1\n2,nan\n,0.4\n5,inf\n6,abc\n4,0.35\n")
    series, dropped = clean_series(read_log(str(path)), "step", "acc")
    np.testing.assert_array_equal(series.x, [1, 3, 4])
    np.testing.assert_array_equal(series.y, [0.1, 0.3, 0.35])
    assert (dropped.missing, dropped.nonnumeric, dropped.nan, dropped.inf) == (1, 1, 1, 1)
    assert dropped.count == 4 and dropped.total == 7
    assert dropped.describe() == "4 of 7 from 'acc' (1 missing, 1 non-numeric, 1 NaN, 1 inf)"


def test_row_index_as_x(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("acc\n0.5\n0.6\n")
    series, dropped = clean_series(read_log(str(path)), None, "acc")
    np.testing.assert_array_equal(series.x, [0, 1])
    assert series.x_name == "row" and dropped.count == 0


def test_equal_x_keep_file_order(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("step,acc\n1,0.9\n0,0.0\n1,0.1\n")
    series, _ = clean_series(read_log(str(path)), "step", "acc")
    np.testing.assert_array_equal(series.y, [0.0, 0.9, 0.1])
