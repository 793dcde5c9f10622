"""Data out: ``--data-out`` columns as a frame of the user's own library."""
from __future__ import annotations

import csv
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from rlplot.config import load_config
from rlplot.export import COLUMNS, write_data_csv
from rlplot.frames_out import frame_like, prepared_columns
from rlplot.pipeline import prepare
from tests.conftest import SAMPLE_CSV, SAMPLE_JSONL, seed_like_records, write_jsonl
from tests.io.test_frames import ArrowStream

COLS = {"run": np.array(["a", "b", "b"], dtype=object), "x": np.array([1.0, 2.0, np.nan]),
        "n": np.array([1, 2, 3])}


def read_csv_columns(path) -> dict[str, list]:
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    assert tuple(header) == COLUMNS
    out = {name: [row[i] for row in body] for i, name in enumerate(header)}
    for name in COLUMNS[2:]:
        out[name] = [math.nan if cell == "" else float(cell) for cell in out[name]]
    return out


@pytest.mark.parametrize("template, kind", [
    (pd.DataFrame({"a": [1]}), pd.DataFrame),
    (pl.DataFrame({"a": [1]}), pl.DataFrame),
    (pl.LazyFrame({"a": [1]}), pl.DataFrame),
    (pa.table({"a": [1]}), pa.Table),
    ([pl.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})], pl.DataFrame),
    ({"ppo": pd.DataFrame({"a": [1]})}, pd.DataFrame),
    (ArrowStream(pa.table({"a": [1]})), pa.Table),
    ({"a": [1.0]}, dict),
    ([{"a": 1.0}], dict),
])
def test_the_output_is_a_frame_of_the_inputs_library(template, kind):
    out = frame_like(template, COLS)
    assert isinstance(out, kind)
    if kind is dict:
        assert list(out) == ["run", "x", "n"] and all(isinstance(v, np.ndarray) for v in out.values())
        assert np.isnan(out["x"][2]) and out["run"].tolist() == ["a", "b", "b"]
        return
    table = pa.table(out) if kind is not pa.Table else out
    assert table.column_names == ["run", "x", "n"]
    assert table.column("run").to_pylist() == ["a", "b", "b"]
    assert table.column("n").to_pylist() == [1, 2, 3]


def test_an_empty_cell_is_null_in_polars_and_arrow_and_nan_in_pandas():
    polars = frame_like(pl.DataFrame({"a": [1]}), COLS)
    assert polars["x"].null_count() == 1 and polars["x"].is_nan().sum() == 0
    arrow = frame_like(pa.table({"a": [1]}), COLS)
    assert arrow.column("x").null_count == 1
    pandas = frame_like(pd.DataFrame({"a": [1]}), COLS)
    assert pandas["x"].isna().tolist() == [False, False, True]
    assert pandas["x"].dtype == np.float64


def test_columns_of_different_lengths_are_a_programming_error():
    with pytest.raises(ValueError, match="different lengths"):
        frame_like({"a": [1]}, {"a": np.zeros(2), "b": np.zeros(3)})


def assert_columns_match_the_csv(columns, path):
    expected = read_csv_columns(path)
    assert list(columns) == list(COLUMNS)
    assert list(columns["run"]) == expected["run"] and list(columns["panel"]) == expected["panel"]
    for name in COLUMNS[2:]:
        np.testing.assert_array_equal(np.asarray(columns[name], dtype=np.float64), expected[name],
                                      err_msg=name)


def test_prepared_columns_are_the_data_out_csv(tmp_path):
    prepared = prepare([str(SAMPLE_JSONL), str(SAMPLE_CSV)])
    path = write_data_csv(prepared, str(tmp_path / "points.csv"))
    columns = prepared_columns(prepared)
    assert_columns_match_the_csv(columns, path)
    assert len(columns["x"]) == sum(len(s) for r in prepared.runs for s in r.series)


def test_prepared_columns_with_an_aggregate_and_bands(tmp_path):
    paths = [str(write_jsonl(tmp_path / f"s{i}.jsonl", seed_like_records(30 + i))) for i in range(3)]
    config = load_config(overrides={"runs": {"aggregate": "mean", "band": "sd"}}).config
    prepared = prepare(paths, config)
    path = write_data_csv(prepared, str(tmp_path / "agg.csv"))
    columns = prepared_columns(prepared)
    assert_columns_match_the_csv(columns, path)
    aggregate = np.array([r.endswith("(aggregate)") for r in columns["run"]])
    assert aggregate.any() and np.isnan(columns["y"][aggregate]).all()
    assert not np.isnan(columns["band_low"][aggregate]).any()


@pytest.mark.parametrize("template", [pd.DataFrame({"a": [1]}), pl.DataFrame({"a": [1]}),
                                      pa.table({"a": [1]})])
def test_the_data_out_frame_holds_the_csvs_numbers_in_every_library(tmp_path, template):
    prepared = prepare([str(SAMPLE_JSONL)])
    path = write_data_csv(prepared, str(tmp_path / "points.csv"))
    frame = frame_like(template, prepared_columns(prepared))
    table = frame if isinstance(frame, pa.Table) else pa.table(frame)
    columns = {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}
    for name in COLUMNS[2:]:   # null (polars, arrow) reads back as NaN, like the CSV's empty cell
        columns[name] = np.asarray(columns[name], dtype=np.float64)
    assert_columns_match_the_csv(columns, path)


def test_polars_output_does_not_load_pyarrow():
    code = ("import sys\nimport numpy as np, polars as pl\nfrom rlplot.frames_out import frame_like\n"
            "out = frame_like(pl.DataFrame({'a': [1]}), {'run': np.array(['a'], dtype=object), 'x': np.array([np.nan])})\n"
            "assert isinstance(out, pl.DataFrame) and out['x'].null_count() == 1\n"
            "assert 'pyarrow' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
