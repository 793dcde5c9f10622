"""Long scalar events pivoted into a wide table: rows per step, repeats kept in file order."""
from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from rlplot.io.pivot import occurrence, wide_from_long


def test_occurrence_counts_earlier_equal_keys():
    keys = np.array([5, 3, 5, 5, 3, 7])
    assert occurrence(keys).tolist() == [0, 0, 1, 2, 1, 0]


def test_tags_at_different_steps_share_rows_by_step():
    step = np.array([0, 0, 10, 10, 20])
    tag = np.array([0, 1, 0, 1, 1])
    table = wide_from_long("f", "tfevents", step, tag, ["a", "b"], [1.0, 2.0, 3.0, 4.0, 5.0],
                           wall=np.array([100.0, 100.5, 110.0, 110.2, 120.0]))
    assert table.columns["step"].values.tolist() == [0, 10, 20]
    assert table.columns["wall_time"].values.tolist() == [100.0, 110.0, 120.0]
    a = table.columns["a"]
    assert a.values[:2].tolist() == [1.0, 3.0] and np.isnan(a.values[2])
    assert a.missing.tolist() == [False, False, True]
    assert table.columns["b"].values.tolist() == [2.0, 4.0, 5.0]


def test_a_resumed_run_repeats_steps_after_the_first_attempt():
    # attempt 1 logs steps 0, 1, 2; the resumed attempt logs 1, 2, 3 again
    step = np.array([0, 1, 2, 1, 2, 3])
    table = wide_from_long("f", "x", step, np.zeros(6, int), ["r"], np.arange(6.0))
    assert table.columns["step"].values.tolist() == [0, 1, 2, 1, 2, 3]
    assert table.columns["r"].values.tolist() == [0, 1, 2, 3, 4, 5]


def test_a_tag_named_like_the_step_column_is_kept_under_another_name():
    table = wide_from_long("f", "x", np.array([0, 1]), np.array([0, 0]), ["step"], [7.0, 8.0])
    assert table.columns["step"].values.tolist() == [0, 1]
    assert table.columns["step.1"].values.tolist() == [7.0, 8.0]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2)), max_size=40))
def test_every_event_lands_in_exactly_one_cell(events):
    step = np.array([s for s, _ in events], dtype=np.int64)
    tag = np.array([t for _, t in events], dtype=np.int64)
    values = np.arange(len(events), dtype=np.float64)
    table = wide_from_long("f", "x", step, tag, ["a", "b", "c"], values)
    cells = sorted(v for name in "abc" for v in table.columns[name].values if not np.isnan(v))
    assert cells == values.tolist()
    for name in "abc":   # each (tag, row) cell holds one event of that tag, at the row's step
        col = table.columns[name]
        for row in np.flatnonzero(~col.missing):
            event = int(col.values[row])
            assert tag[event] == "abc".index(name) and step[event] == table.columns["step"].values[row]
