"""From pyarrow arrays to rlplot Columns: values and nulls read from the arrays' buffers."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from rlplot.io.fast import arrow  # noqa: E402

maybe_floats = st.lists(st.one_of(st.none(), st.floats(allow_nan=False, width=64)), max_size=40)


@settings(deadline=None)   # the first pa.array of a list imports pandas
@given(chunks=st.lists(maybe_floats, max_size=4), cut=st.integers(0, 5))
def test_a_column_holds_the_values_and_nulls_of_every_chunk(chunks, cut):
    # Slicing gives chunks whose buffers start before their first value (offset > 0).
    arrays = [pa.array(values, type=pa.float64()).slice(min(cut, len(values))) for values in chunks]
    column = arrow.column("y", pa.chunked_array(arrays, type=pa.float64()))
    expected = [v for values in chunks for v in values[min(cut, len(values)):]]
    missing = np.array([v is None for v in expected], dtype=bool)
    assert column.missing.tolist() == missing.tolist()
    assert np.isnan(column.values[missing]).all()
    assert column.values[~missing].tolist() == [v for v in expected if v is not None]
    assert not column.nonnumeric.any()


def test_an_all_null_column_is_missing_everywhere():
    column = arrow.column("y", pa.chunked_array([pa.nulls(3)]))
    assert column.missing.tolist() == [True] * 3
    assert np.isnan(column.values).all()


def test_an_integer_column_is_read_as_floats():
    column = arrow.column("y", pa.chunked_array([pa.array([1, None, 3], type=pa.int64())]))
    assert column.values[[0, 2]].tolist() == [1.0, 3.0]
    assert column.missing.tolist() == [False, True, False]


def test_reading_a_big_csv_does_not_import_pandas(tmp_path):
    # pyarrow's to_numpy imports pandas (0.3 s); the columns are read without it.
    path = tmp_path / "big.csv"
    rows = np.arange(200_000)
    path.write_text("step,acc\n" + "".join(f"{i},{i * 0.5}\n" for i in rows))
    code = ("import sys; from rlplot.io.fast import read_fast; "
            f"t = read_fast({str(path)!r}, format=None, columns=['step', 'acc']); "
            "assert t is not None and t.n_rows == 200000, t; "
            "assert t.columns['acc'].values[-1] == 99999.5; "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
