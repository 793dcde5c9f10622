"""A run's settings from data in memory: the columns holding one value per run (io.frame_settings)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from rlplot.io.frame_settings import run_settings, setting_names
from rlplot.io.frames import read_data, tables_from_data


def test_keys_find_their_column_by_name_then_up_to_case():
    assert setting_names(["LR", "lr", "Algo", "step"], ["lr", "algo", "seed", "ALGO"]) == {
        "lr": "lr", "algo": "Algo", "ALGO": "Algo"}
    assert setting_names(["Lr", "LR"], ["lr"]) == {}   # two up to case: neither


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), st.sampled_from(["a", "b"]),
                                                       st.integers(0, 2), st.floats(0.5, 0.5))),
                min_size=1, max_size=30))
def test_each_run_gets_its_one_value_or_the_values_it_takes(rows):
    runs = np.array([r for r, _ in rows])
    cells = [v for _, v in rows]
    groups = [np.flatnonzero(runs == r) for r in range(4)]
    (got,) = [run_settings({"k": cells}, {"key": "k"}, groups)]
    for rows_of_run, each in zip(groups, got):
        held = list(dict.fromkeys(str(cells[i]) for i in rows_of_run if cells[i] is not None))
        assert each.columns == ("key",)
        if len(held) == 1:
            assert each.values == {"key": next(cells[i] for i in rows_of_run if cells[i] is not None)}
            assert each.varying == {}
        elif held:
            assert each.values == {} and each.varying["key"] == tuple(held[:4])
        else:
            assert each.values == {} and each.varying == {}


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame])
def test_read_data_keeps_the_key_columns_and_gives_each_run_its_settings(make):
    frame = make({"run": ["a", "a", "b", "b"], "lr": [0.1, 0.1, 0.2, 0.2], "Algo": ["ppo"] * 4,
                  "step": [0, 1, 0, 1], "reward": [1.0, 2.0, 3.0, None], "loss": [1.0] * 4})
    read = read_data(frame, columns=["step", "reward"], keys=["lr", "algo", "seed"], runs="run")
    assert [r.table.run for r in read] == ["a", "b"]
    assert [dict(r.settings.values) for r in read] == [{"lr": 0.1, "algo": "ppo"}, {"lr": 0.2, "algo": "ppo"}]
    assert read[0].settings.columns == ("lr", "algo")
    assert "loss" not in read[0].table.columns and "lr" in read[0].table.columns
    every = read_data(frame, keys=None, runs="run")
    # a null is no value: reward holds one (3.0) in run b
    assert dict(every[1].settings.values) == {"run": "b", "lr": 0.2, "Algo": "ppo", "reward": 3.0,
                                              "loss": 1.0}
    assert dict(every[1].settings.varying) == {"step": ("0", "1")}


def test_tables_from_data_is_read_data_without_settings():
    frame = pd.DataFrame({"run": ["a", "b"], "step": [0, 0], "r": [1.0, 2.0]})
    assert tables_from_data(frame, runs="run") == tuple(r.table for r in read_data(frame, runs="run"))


def test_long_form_settings_come_from_each_runs_events():
    frame = pd.DataFrame({"run": ["a", "a", "b"], "tag": ["r", "loss", "r"], "step": [0, 0, 0],
                          "value": [1.0, 2.0, 3.0], "seed": [1, 1, 2]})
    read = read_data(frame, keys=["seed"])
    assert [dict(r.settings.values) for r in read] == [{"seed": 1}, {"seed": 2}]
    assert list(read[0].table.columns) == ["step", "seed", "r", "loss"]
