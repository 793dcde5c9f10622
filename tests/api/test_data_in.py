"""api.data_in: data in memory goes through the same cleaning, smoothing and grouping as a log file."""
from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rlplot.api.data_in import Layout, is_paths, load, load_data, spec_keys, with_columns
from rlplot.config import load_config
from rlplot.errors import InputError
from rlplot.export import data_rows
from rlplot.pipeline import prepare, prepare_runs

MAKERS = {"pandas": pd.DataFrame, "polars": lambda d: pl.DataFrame(d, strict=False),
          "pyarrow": pa.table, "dict": dict}
cells = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=64),
                  st.integers(-5, 5).map(float))


def csv_text(columns: dict) -> str:
    """The columns as a CSV log: empty cells for None and NaN, every float's repr."""
    def cell(v):
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(v)
    names = list(columns)
    rows = zip(*columns.values())
    return ",".join(names) + "\n" + "".join(",".join(cell(v) for v in row) + "\n" for row in rows)


def located_by_row(what: str) -> str:
    return re.sub(r"\bline (\d+):", lambda m: f"row {int(m[1]) - 1}:", what)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.integers(0, 30), min_size=2, max_size=40), data=st.data(),
       library=st.sampled_from(sorted(MAKERS)), smooth=st.sampled_from(["none", "ema", "lowess"]))
def test_a_frame_is_cleaned_and_smoothed_as_the_csv_it_would_be(steps, data, library, smooth):
    values = data.draw(st.lists(cells, min_size=len(steps), max_size=len(steps)))
    columns = {"step": [float(s) for s in steps], "acc": values}
    config = load_config([], ["panels=[{metric: acc}]", f"smoothing.method={smooth}"]).config
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        path.write_text(csv_text(columns), encoding="utf-8")
        try:
            theirs = prepare([str(path)], config, labels=["log"])
        except InputError as exc:
            with pytest.raises(InputError) as caught:
                load_data(MAKERS[library](columns), config, labels=["log"])
            assert caught.value.what == exc.what
            return
    loaded = load_data(MAKERS[library](columns), config, labels=["log"])
    mine = prepare_runs(loaded.runs, loaded.config)
    assert list(data_rows(mine)) == list(data_rows(theirs))
    assert [n.what for n in mine.notices] == [located_by_row(n.what) for n in theirs.notices]


def test_paths_are_strings_path_likes_or_lists_of_them():
    assert is_paths("a.csv") and is_paths(Path("a.csv")) and is_paths(["a.csv", Path("b")])
    assert not is_paths({"step": [1]}) and not is_paths([{"step": 1}]) and not is_paths([])
    with pytest.raises(InputError, match="a list of both paths and data"):
        is_paths(["a.csv", {"step": [1]}])


def test_specs_naming_columns_become_cfg_keys_and_others_keep_their_meaning():
    config = load_config([], ["runs.group_by=[lr, 'seed(\\d)', cfg:algo]",
                              "runs.where=[lr=3e-4, experiment=x, 'cfg:seed<3']"]).config
    assert spec_keys(config.runs.group_by, config.runs.where) == ["lr", "seed(\\d)", "algo", "seed"]
    mine = with_columns(config, ["LR", "algo"])
    assert mine.runs.group_by == ("cfg:lr", "seed(\\d)", "cfg:algo")
    assert mine.runs.where == ("cfg:lr=3e-4", "experiment=x", "cfg:seed<3")


def test_a_setting_that_changes_within_a_run_is_refused_only_when_used():
    frame = {"run": ["a", "a"], "lr": [1, 2], "step": [0, 1], "acc": [0.1, 0.2]}
    config = load_config([], ["panels=[{metric: acc}]", "smoothing.method=none"]).config
    assert load_data(frame, config, layout=Layout(runs="run")).runs[0].config == {}
    grouped = load_config([], ["panels=[{metric: acc}]", "runs.group_by=[lr]"]).config
    with pytest.raises(InputError, match=r"column 'lr' changes within run 'a' \(1, 2, …\)"):
        load_data(frame, grouped, layout=Layout(runs="run"))


def test_only_the_needed_columns_are_read_unless_one_is_missing():
    frame = pd.DataFrame({"step": [0, 1], "acc": [0.1, 0.2], "junk": ["x", "y"]})
    config = load_config([], ["panels=[{metric: acc}]", "smoothing.method=none"]).config
    loaded = load(frame, config)
    assert loaded.files == () and loaded.template is frame and loaded.record.path == "<data>"
    assert list(loaded.runs[0].series[0].x) == [0.0, 1.0]
    missing = load_config([], ["panels=[{metric: nope}]"]).config
    with pytest.raises(InputError, match=r"no column 'nope' \(columns: step, acc, junk\)"):
        load(frame, missing)


def test_the_data_record_follows_output_provenance():
    frame = {"step": [0.0, 1.0], "acc": [0.1, 0.2]}
    base = ["panels=[{metric: acc}]", "smoothing.method=none"]
    full = load(frame, load_config([], base).config).record
    hashed = load(frame, load_config([], [*base, "output.provenance=hashes"]).config).record
    assert full.path == "<data>" and hashed.path is None and hashed.sha256 == full.sha256
    assert full.size == 2 * 2 * (8 + 1 + 1)   # two columns of two rows: values and two flags
    assert load(frame, load_config([], [*base, "output.provenance=false"]).config).record is None
    assert np.isfinite(full.size)
