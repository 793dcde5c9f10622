"""DataFrames in: pandas, polars, pyarrow, dicts, records and lists of them -> the Tables a log file gives."""
from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings, strategies as st

from rlplot.columns import merged_aliases, needed_columns, require_column
from rlplot.config import load_config
from rlplot.errors import ColumnError, InputError
from rlplot.io import read_tables
from rlplot.io import frame_columns
from rlplot.io.cells import column_from_cells
from rlplot.io.frames import tables_from_data
from rlplot.runs.load import run_from_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CSV = ROOT / "sample_runs" / "seed_like_run.csv"
TB_LONG = ROOT / "tests" / "data" / "tb_long.csv"

# The same content as a file: blanks, words meaning null, text, booleans, numbers.
MESSY_CSV = """step,acc,note,flag,loss
0,0.5,1.5,true,
10,,x,false,0.25
20,0.75,null,true,0.125
30,oops,2,false,1e-3
"""


def readers(path: Path):
    """The ways a notebook user reads a CSV: each library's own reader."""
    return {"pandas": pd.read_csv(path), "polars": pl.read_csv(path),
            "pyarrow": pacsv.read_csv(path)}


def assert_same_columns(got, expected):
    assert list(got.columns) == list(expected.columns)
    assert got.n_rows == expected.n_rows
    for name, column in expected.columns.items():
        mine = got.columns[name]
        np.testing.assert_array_equal(mine.values, column.values, err_msg=name)
        np.testing.assert_array_equal(mine.missing, column.missing, err_msg=name)
        np.testing.assert_array_equal(mine.nonnumeric, column.nonnumeric, err_msg=name)


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_a_frame_read_from_a_csv_gives_the_csv_readers_table(tmp_path, library):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY_CSV)
    (expected,) = read_tables(str(path))
    (table,) = tables_from_data(readers(path)[library])
    assert table.format == library and table.run is None
    assert_same_columns(table, expected)
    # the flags the cleaning stage reports from
    assert table.columns["acc"].missing.tolist() == [False, True, False, False]
    assert table.columns["acc"].nonnumeric.tolist() == [False, False, False, True]
    assert table.columns["flag"].nonnumeric.all()


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_the_sample_run_cleans_to_the_same_series_as_from_the_file(library):
    config = load_config().config
    (from_file,) = read_tables(str(SAMPLE_CSV))
    wanted = needed_columns(config.data.x, [p.metric for p in config.panels],
                            merged_aliases(config.data.aliases))
    (table,) = tables_from_data(readers(SAMPLE_CSV)[library], columns=wanted)
    assert set(table.columns) == {"rl_flops", "accuracy", "avg_parallelism", "step"}
    expected = run_from_table(from_file, config, "seed")
    run = run_from_table(table, config, "seed")
    for mine, theirs in zip(run.series, expected.series, strict=True):
        assert mine.x_name == theirs.x_name == "rl_flops"
        np.testing.assert_array_equal(mine.x, theirs.x)
        np.testing.assert_array_equal(mine.y, theirs.y)


def test_the_same_lists_give_the_same_table_in_every_library():
    data = {"step": [0, 1, 2, 3], "acc": [0.1, None, 0.3, float("inf")], "text": ["a", "2", None, "b"],
            "ok": [True, None, False, True]}
    (expected,) = tables_from_data(data)
    assert expected.format == "dict"
    assert expected.columns["acc"].missing.tolist() == [False, True, False, False]
    assert expected.columns["acc"].values[3] == math.inf
    assert expected.columns["text"].values[1] == 2.0
    assert expected.columns["text"].nonnumeric.tolist() == [True, False, False, True]
    assert expected.columns["ok"].missing.tolist() == [False, True, False, False]
    assert expected.columns["ok"].nonnumeric.tolist() == [True, False, True, True]
    for frame in (pd.DataFrame(data), pl.DataFrame(data), pa.table(data), pl.DataFrame(data).lazy(),
                  {k: np.array(v, dtype=object) for k, v in data.items()}):
        (table,) = tables_from_data(frame)
        assert_same_columns(table, expected)


def test_a_dict_of_series_from_any_library_is_a_dict_of_columns():
    data = {"a": pd.Series([1.0, 2.0]), "b": pl.Series([2.0, None]), "c": pa.chunked_array([[3.0, 4.0]]),
            "d": pa.array(["x", "5"])}
    (table,) = tables_from_data(data)
    assert table.names == ["a", "b", "c", "d"] and table.format == "dict"
    assert table.columns["b"].missing.tolist() == [False, True]
    assert table.columns["c"].values.tolist() == [3.0, 4.0]
    assert table.columns["d"].nonnumeric.tolist() == [True, False]


class ArrowStream:
    """Any library's frame that only speaks the Arrow PyCapsule stream protocol."""

    def __init__(self, table):
        self.table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self.table.__arrow_c_stream__(requested_schema)


def test_an_arrow_pycapsule_exporter_is_read_through_pyarrow():
    (table,) = tables_from_data(ArrowStream(pa.table({"step": [1, 2], "acc": ["0.5", None]})))
    assert table.format == "pyarrow" and table.columns["acc"].missing.tolist() == [False, True]
    runs = tables_from_data({"a": ArrowStream(pa.table({"acc": [1.0]})), "b": pd.DataFrame({"acc": [2.0]})})
    assert [t.run for t in runs] == ["a", "b"]


def test_numpy_arrays_of_every_kind():
    when = np.array(["2024-01-01T00:00:00", "NaT"], dtype="datetime64[ns]")
    data = {"i": np.array([1, 2], dtype=np.uint8), "f": np.array([0.5, np.nan], dtype=np.float32),
            "b": np.array([True, False]), "t": when, "d": np.array([90, 1500], dtype="timedelta64[ms]"),
            "s": np.array(["3", "x"]), "m": np.ma.masked_array([1.0, 2.0], mask=[True, False])}
    (table,) = tables_from_data(data)
    c = table.columns
    assert c["i"].values.tolist() == [1.0, 2.0] and c["i"].values.dtype == np.float64
    assert c["f"].values[0] == 0.5 and c["f"].missing.tolist() == [False, True]
    assert c["b"].nonnumeric.all() and not c["b"].missing.any()
    assert c["t"].values[0] == 1704067200.0 and c["t"].missing.tolist() == [False, True]
    assert c["d"].values.tolist() == [0.09, 1.5]
    assert c["s"].values[0] == 3.0 and c["s"].nonnumeric.tolist() == [False, True]
    assert c["m"].missing.tolist() == [True, False] and c["m"].values[1] == 2.0


def test_datetimes_become_the_same_epoch_seconds_in_every_library():
    naive = [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 0, 0, 1, 500000), None]
    expected = [1704067200.0, 1704067201.5]
    paris = pd.Series(naive).dt.tz_localize("UTC").dt.tz_convert("Europe/Paris")
    frames = [pd.DataFrame({"t": naive}), pl.DataFrame({"t": naive}), pa.table({"t": naive}),
              pd.DataFrame({"t": paris}), pl.from_pandas(pd.DataFrame({"t": paris}))]
    for frame in frames:
        (table,) = tables_from_data(frame)
        column = table.columns["t"]
        assert column.values[:2].tolist() == expected, type(frame)
        assert column.missing.tolist() == [False, False, True]
    dates = pl.DataFrame({"d": [dt.date(2024, 1, 2), None]})
    assert tables_from_data(dates)[0].columns["d"].values[0] == 1704067200.0 + 86400
    elapsed = pl.DataFrame({"e": [dt.timedelta(minutes=2), None]})
    assert tables_from_data(elapsed)[0].columns["e"].values[0] == 120.0


def test_mixed_types_in_an_object_column_follow_the_json_reader():
    cells = [1, "2", "x", None, True, np.float64(3.5), pd.NA, float("nan"), "", [1, 2], {"a": 1}]
    (table,) = tables_from_data(pd.DataFrame({"c": pd.Series(cells, dtype=object)}))
    column = table.columns["c"]
    assert column.values[[0, 1, 5]].tolist() == [1.0, 2.0, 3.5]
    assert column.missing.tolist() == [False, False, False, True, False, False, True, True, True,
                                       False, False]
    assert column.nonnumeric.tolist() == [False, False, True, False, True, False, False, False,
                                          False, True, True]


def test_all_null_columns_are_missing_in_every_library():
    for frame in (pd.DataFrame({"a": [None, None]}), pl.DataFrame({"a": [None, None]}),
                  pa.table({"a": pa.array([None, None])}), pd.DataFrame({"a": [np.nan, np.nan]})):
        (table,) = tables_from_data(frame)
        assert table.columns["a"].missing.all() and not table.columns["a"].nonnumeric.any()


def test_nan_in_polars_and_arrow_floats_is_missing_like_null():
    for frame in (pl.DataFrame({"a": [1.0, float("nan"), None]}),
                  pa.table({"a": pa.array([1.0, float("nan"), None])})):
        assert tables_from_data(frame)[0].columns["a"].missing.tolist() == [False, True, True]


def test_nested_values_are_not_numbers():
    frame = pl.DataFrame({"l": [[1, 2], None], "s": [{"a": 1}, {"a": 2}]})
    (table,) = tables_from_data(frame)
    assert table.columns["l"].nonnumeric.tolist() == [True, False]
    assert table.columns["l"].missing.tolist() == [False, True]
    assert table.columns["s"].nonnumeric.all()


def test_an_empty_frame_is_a_table_without_rows_and_says_so_when_used():
    for frame in (pd.DataFrame({"step": [], "acc": []}), pl.DataFrame({"step": [], "acc": []}),
                  pa.table({"step": pa.array([], pa.float64())}), {"step": []}):
        (table,) = tables_from_data(frame)
        assert table.n_rows == 0 and "step" in table.columns
        with pytest.raises(ColumnError, match="header but no data rows"):
            require_column(table, "step")
    (table,) = tables_from_data(pd.DataFrame({"run": [], "acc": []}), runs="run")
    assert table.n_rows == 0 and table.run is None


def test_a_frame_without_columns_is_an_input_error():
    with pytest.raises(InputError, match="no data: the frame has no columns"):
        tables_from_data(pd.DataFrame())
    with pytest.raises(InputError, match="no data: the dict has no columns"):
        tables_from_data({})
    with pytest.raises(InputError, match="no data: the list is empty"):
        tables_from_data([])


def test_non_string_column_names_read_as_a_csv_header_would():
    frame = pd.DataFrame([[1.0, 2.0, 3.0]], columns=[0, 1, "1"])
    assert tables_from_data(frame)[0].names == ["0", "1", "1.1"]
    nested = pd.DataFrame([[1.0, 2.0]], columns=pd.MultiIndex.from_tuples([("train", "acc"), ("eval", "acc")]))
    (table,) = tables_from_data(nested)
    assert table.names == ["train/acc", "eval/acc"]
    assert table.columns["eval/acc"].values.tolist() == [2.0]
    assert tables_from_data({0: [1], 1.5: [2]})[0].names == ["0", "1.5"]


@pytest.mark.parametrize("frame", [
    pd.DataFrame([[1, 2, 3]], columns=["acc", "acc", "step"]),
    pa.table([pa.array([1]), pa.array([2])], names=["acc", "acc"]),
])
def test_repeated_column_names_are_refused_by_name(frame):
    with pytest.raises(ColumnError, match=r"repeated column names: 'acc' \(2 times\)") as caught:
        tables_from_data(frame, source="<frame>")
    assert caught.value.file == "<frame>" and "rename" in caught.value.hint


def test_a_named_pandas_index_becomes_a_column_as_to_csv_writes_it():
    frame = pd.DataFrame({"step": [0, 10], "acc": [0.1, 0.2]}).set_index("step")
    (table,) = tables_from_data(frame)
    assert table.names == ["step", "acc"] and table.columns["step"].values.tolist() == [0.0, 10.0]
    assert "index (step) became a column" in str(table.notes[0])
    assert tables_from_data(pd.DataFrame({"acc": [0.1]}))[0].names == ["acc"]


# ---------------------------------------------------------------- runs

def test_runs_split_by_a_column_in_order_of_first_appearance():
    frame = pd.DataFrame({"run": ["b", "a", "b", None, "a"], "step": [0, 0, 1, 0, 1],
                          "acc": [1.0, 2.0, 3.0, 4.0, 5.0]})
    tables = tables_from_data(frame, runs="run")
    assert [t.run for t in tables] == ["b", "a", "run"]
    assert [t.columns["acc"].values.tolist() for t in tables] == [[1.0, 3.0], [2.0, 5.0], [4.0]]
    assert all("run" not in t.columns for t in tables)


def test_categorical_and_numeric_run_columns_name_runs_by_their_labels():
    cats = pd.Categorical(["s2", "s1", "s2"], categories=["s1", "s2"])
    frame = pd.DataFrame({"seed": cats, "acc": [1.0, 2.0, 3.0]})
    assert [t.run for t in tables_from_data(frame, runs="seed")] == ["s2", "s1"]
    polars = pl.DataFrame({"seed": ["s2", "s1", "s2"], "acc": [1.0, 2.0, 3.0]}).with_columns(
        pl.col("seed").cast(pl.Categorical))
    assert [t.run for t in tables_from_data(polars, runs="seed")] == ["s2", "s1"]
    numeric = pd.DataFrame({"seed": [1.0, 2.0, np.nan, 1.0], "acc": [1.0, 2.0, 3.0, 4.0]})
    assert [t.run for t in tables_from_data(numeric, runs="SEED")] == ["1", "2", "run"]


def test_a_list_of_frames_is_one_run_each_and_a_dict_names_them():
    frames = [pd.DataFrame({"acc": [1.0]}), pl.DataFrame({"acc": [2.0]}), {"acc": [3.0]}]
    tables = tables_from_data(frames)
    assert [t.run for t in tables] == ["run_0", "run_1", "run_2"]
    assert [t.columns["acc"].values[0] for t in tables] == [1.0, 2.0, 3.0]
    named = tables_from_data({"ppo": frames[0], "sac": frames[1]})
    assert [t.run for t in named] == ["ppo", "sac"]
    split = tables_from_data({"ppo": pd.DataFrame({"seed": [1, 2], "acc": [0.1, 0.2]})}, runs="seed")
    assert [t.run for t in split] == ["ppo: 1", "ppo: 2"]


def test_records_read_as_the_json_reader_reads_them(tmp_path):
    records = [{"step": 0, "acc": 0.5, "m": {"kl": 1}}, {"step": 1, "flag": True},
               {"step": 2, "acc": "0.75", "m": {"kl": None}}]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))
    (expected,) = read_tables(str(path))
    (table,) = tables_from_data(records)
    assert table.format == "records"
    assert_same_columns(table, expected)
    assert table.names == ["step", "acc", "m.kl", "flag"]


# ---------------------------------------------------------------- long form

@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_a_long_tensorboard_export_gives_the_file_readers_tables(library):
    expected = read_tables(str(TB_LONG))
    tables = tables_from_data(readers(TB_LONG)[library])
    assert [t.run for t in tables] == [t.run for t in expected] == ["ppo_seed1", "ppo_seed2"]
    for table, theirs in zip(tables, expected):
        assert_same_columns(table, theirs)
        assert table.format == f"{library}-long"


def test_long_form_with_wall_time_restarts_and_damaged_cells(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("run,tag,step,value,wall_time\n"
                    "a,r,0,1.0,100\na,l,0,,100.5\na,r,1,2.0,101\na,r,2,x,102\n"
                    "a,r,1,2.5,103\na,r,,9,104\nb,r,0,7,200\n")
    expected = read_tables(str(path))
    for frame in readers(path).values():
        tables = tables_from_data(frame)
        for table, theirs in zip(tables, expected, strict=True):
            assert_same_columns(table, theirs)
    first = tables_from_data(pd.read_csv(path))[0]
    assert first.columns["step"].values[:4].tolist() == [0.0, 1.0, 2.0, 1.0]   # the restart kept in order
    assert first.columns["step"].missing.tolist() == [False] * 4 + [True]
    assert first.columns["r"].nonnumeric.tolist() == [False, False, True, False, False]
    assert first.columns["l"].missing.tolist() == [True] * 5


def test_long_form_named_explicitly_keeps_only_the_wanted_tags():
    frame = pl.DataFrame({"experiment": ["x", "x", "y"], "metric": ["reward", "loss", "reward"],
                          "global_step": [5, 5, 5], "val": [1.0, 2.0, 3.0], "host": ["h", "h", "h"]})
    tables = tables_from_data(frame, runs="experiment", tag="metric", value="val", columns=["reward"])
    assert [t.run for t in tables] == ["x", "y"]
    assert tables[0].names == ["global_step", "reward"]      # step found by its role; host not wanted
    assert tables[1].columns["reward"].values.tolist() == [3.0]
    everything = tables_from_data(frame, runs="experiment", tag="metric", value="val")
    assert everything[0].names == ["global_step", "host", "reward", "loss"]


def test_a_tag_named_like_another_column_is_kept_under_another_name():
    frame = {"tag": ["step", "wall", "acc"], "step": [0, 0, 0], "value": [1.0, 2.0, 3.0],
             "wall": [9.0, 9.0, 9.0]}
    (table,) = tables_from_data(frame)
    assert table.names == ["step", "wall", "step.1", "wall.1", "acc"]
    assert table.columns["step.1"].values.tolist() == [1.0]


def test_wide_is_forced_even_with_tag_value_step_columns():
    frame = {"tag": ["a"], "value": [1.0], "step": [0]}
    assert tables_from_data(frame, long=False)[0].names == ["tag", "value", "step"]


@given(st.lists(st.tuples(st.sampled_from(["r1", "r2"]), st.sampled_from(["a", "b", "c"]),
                          st.integers(0, 4), st.one_of(st.none(), st.floats(-5, 5))), max_size=40))
@settings(max_examples=60, deadline=None)
def test_every_long_event_lands_in_exactly_one_cell_of_its_run(events):
    frame = pd.DataFrame(events, columns=["run", "tag", "step", "value"])
    tables = tables_from_data(frame, tag="tag") if events else ()
    assert [t.run for t in tables] == list(dict.fromkeys(e[0] for e in events))
    for table in tables:
        mine = [e for e in events if e[0] == table.run]
        cells = []
        for tag in {e[1] for e in mine}:
            column = table.columns[tag]
            cells += [(tag, s, v) for s, v, m in zip(table.columns["step"].values, column.values,
                                                      column.missing) if not m]
        expected = [(t, float(s), v) for _, t, s, v in mine if v is not None]
        assert sorted(cells) == sorted(expected)


# ---------------------------------------------------------------- columns kept

def test_only_the_wanted_columns_are_converted_and_a_lazy_frame_collects_only_them():
    frame = pl.DataFrame({"Step": [1, 2], "train/acc": [0.1, 0.2], "other": ["x", "y"]})
    (table,) = tables_from_data(frame.lazy(), columns=["step", "acc"])
    assert table.names == ["Step", "train/acc"]
    assert tables_from_data(frame)[0].names == ["Step", "train/acc", "other"]


# ---------------------------------------------------------------- errors

def test_a_missing_runs_column_lists_the_columns_and_the_closest():
    with pytest.raises(ColumnError) as caught:
        tables_from_data(pd.DataFrame({"runs": ["a"], "acc": [1.0]}), runs="rnu", source="<df>")
    text = str(caught.value)
    assert text.startswith("<df>: no column 'rnu' (runs)")
    assert "columns: runs, acc" in text and "closest: 'runs'" in text


def test_a_missing_long_form_column_is_a_column_error():
    with pytest.raises(ColumnError, match="no column 'value' \\(value\\)"):
        tables_from_data({"tag": ["a"], "step": [0], "val": [1.0]}, tag="tag")
    with pytest.raises(ColumnError, match="no column 'step' \\(step\\)"):
        tables_from_data({"tag": ["a"], "value": [1.0]}, tag="tag")


@pytest.mark.parametrize("data, message", [
    ("runs.csv", "cannot read a str as data"),
    (42, "cannot read a int as data"),
    ({"a": [1, 2], "b": [1]}, "the columns have different lengths"),
    ({"a": 1.0, "b": [1]}, "column 'a' is a float, not a sequence"),
    ([pd.DataFrame({"a": [1]}), "x"], "cannot read a str as data"),
])
def test_unreadable_inputs_are_input_errors(data, message):
    with pytest.raises(InputError, match=message):
        tables_from_data(data)


def test_a_two_dimensional_array_is_a_column_error():
    with pytest.raises(ColumnError, match="column 'a' is not one-dimensional"):
        tables_from_data({"a": np.zeros((2, 2))})


# ---------------------------------------------------------------- properties

cell = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                 st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from(["", "null", "NA", "0.5", "-3", "1e3", "inf", "abc", " 7 "]))


@given(st.lists(cell, max_size=30))
@settings(max_examples=150, deadline=None)
def test_any_python_cells_read_as_the_json_reader_reads_them(cells):
    expected = column_from_cells("c", [None if isinstance(c, float) and math.isnan(c) else c
                                       for c in cells])
    for data in ({"c": cells}, pd.DataFrame({"c": pd.Series(cells, dtype=object)}),
                 [{"c": c} for c in cells] or {"c": []}):
        (table,) = tables_from_data(data)
        column = table.columns["c"]
        np.testing.assert_array_equal(column.values, expected.values)
        np.testing.assert_array_equal(column.missing, expected.missing)
        np.testing.assert_array_equal(column.nonnumeric, expected.nonnumeric)


@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=False, width=64)), min_size=1, max_size=30))
@settings(max_examples=80, deadline=None)
def test_a_float_column_round_trips_through_a_csv_in_every_library(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_text("x,y\n" + "".join(f"{i},{'' if v is None else repr(v)}\n" for i, v in enumerate(values)))
    (expected,) = read_tables(str(path))
    for frame in (pd.DataFrame({"x": range(len(values)), "y": values}),
                  pl.DataFrame({"x": range(len(values)), "y": values}, schema={"x": pl.Int64, "y": pl.Float64}),
                  pa.table({"x": list(range(len(values))), "y": pa.array(values, pa.float64())})):
        (table,) = tables_from_data(frame)
        assert_same_columns(table, expected)


text = st.one_of(st.none(), st.sampled_from(["", " ", "null", "None", "n/a", "0.5", " -3 ", "1e3",
                                             "inf", "nan", "abc", "true"]), st.text(max_size=4))


@given(st.lists(text, max_size=30), st.booleans())
@settings(max_examples=100, deadline=None)
def test_text_columns_read_as_the_csv_reader_reads_cells_in_every_library(cells, arrow):
    expected = column_from_cells("c", cells)
    with patch.object(frame_columns, "use_arrow", lambda n: arrow):   # both ways of finding labels
        check_text_columns(cells, expected)


def check_text_columns(cells, expected):
    for data in (pd.DataFrame({"c": pd.Series(cells, dtype="string")}),
                 pd.DataFrame({"c": pd.Series(cells, dtype=object)}),
                 pl.DataFrame({"c": cells}, schema={"c": pl.String}),
                 pl.DataFrame({"c": cells}, schema={"c": pl.String}).with_columns(pl.col("c").cast(pl.Categorical)),
                 pa.table({"c": pa.array(cells, pa.string())}),
                 {"c": cells}, {"c": np.array(cells, dtype=object)}):
        (table,) = tables_from_data(data)
        column = table.columns["c"]
        np.testing.assert_array_equal(column.values, expected.values)
        np.testing.assert_array_equal(column.missing, expected.missing)
        np.testing.assert_array_equal(column.nonnumeric, expected.nonnumeric)


def reference_label(cell) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return "run"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip() or "run"


run_cell = st.one_of(st.none(), st.sampled_from(["a", " b", "b", "", "1", "x y"]), st.integers(0, 2),
                     st.sampled_from([1.0, 2.5, float("nan")]), st.booleans())


@given(st.lists(run_cell, min_size=1, max_size=30), st.booleans(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_runs_split_by_their_labels_in_order_of_first_appearance(cells, as_text, arrow):
    if as_text:   # text only: Arrow can take it; mixed cells: the Python pass
        cells = [None if c is None else str(c) for c in cells]
    labels = [reference_label(c) for c in cells]
    data = {"run": cells, "i": list(range(len(cells)))}
    with patch.object(frame_columns, "use_arrow", lambda n: arrow):
        tables = tables_from_data(data, runs="run")
        assert [t.run for t in tables_from_data(pd.DataFrame(data), runs="run")] == [t.run for t in tables]
    assert [t.run for t in tables] == list(dict.fromkeys(labels))
    for table in tables:
        assert table.columns["i"].values.tolist() == [i for i, l in enumerate(labels) if l == table.run]


# ---------------------------------------------------------------- import discipline


def test_a_small_polars_frame_with_text_does_not_load_pyarrow():
    # pyarrow's import costs more than the Python pass over a small column saves
    code = ("import sys\nimport polars as pl\nfrom rlplot.io.frames import tables_from_data\n"
            "frame = pl.DataFrame({'run': ['a', 'b', 'a'], 'note': ['1', 'x', None], 'acc': [1.0, 2.0, 3.0]})\n"
            "tables = tables_from_data(frame, runs='run')\n"
            "assert [t.run for t in tables] == ['a', 'b']\n"
            "assert tables[0].columns['note'].values[0] == 1.0\n"
            "assert 'pyarrow' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
