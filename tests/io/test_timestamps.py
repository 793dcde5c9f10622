"""Timestamps: ISO-8601 text read as Unix seconds (also through the readers), epoch units told apart."""
from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rlplot.io import read_log
from rlplot.io.cells import column_from_cells
from rlplot.io.timestamps import epoch_unit, iso_seconds, to_unix_seconds

UTC = datetime.timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2024-05-01T12:00:03Z", 1714564803.0),
    ("2024-05-01T12:00:03.250+00:00", 1714564803.25),
    ("2024-05-01 12:00:03", 1714564803.0),             # no offset: UTC
    ("2024-05-01T14:00:03+02:00", 1714564803.0),
    ("2024-05-01T12:00:03,5", 1714564803.5),
    ("2024-05-01", 1714521600.0),
    (" 2024-05-01T12:00 ", 1714564800.0),
])
def test_iso_dates_and_times_are_unix_seconds(text, expected):
    assert iso_seconds(text) == expected


@pytest.mark.parametrize("text", ["3.5", "20240501", "2024-13-01", "May 1 2024", "", "2024-05-01Tx"])
def test_what_is_not_an_iso_date_is_none(text):
    assert iso_seconds(text) is None


@given(st.datetimes(min_value=datetime.datetime(1971, 1, 1), max_value=datetime.datetime(2200, 1, 1),
                    timezones=st.sampled_from([UTC, datetime.timezone(datetime.timedelta(hours=-7)),
                                               datetime.timezone(datetime.timedelta(hours=5, minutes=30))])),
       st.sampled_from(["T", " "]))
def test_any_isoformat_reads_back_to_its_instant(moment, sep):
    assert iso_seconds(moment.isoformat(sep=sep)) == pytest.approx(moment.timestamp(), abs=1e-6)


def test_a_column_of_iso_text_becomes_numbers_and_bad_cells_stay_text():
    cells = ["2024-05-01T00:00:00", "", "2024-05-01T00:00:10", "garbage"]
    column = column_from_cells("timestamp", cells)
    assert column.values[0] == 1714521600.0 and column.values[2] == 1714521610.0
    assert column.missing.tolist() == [False, True, False, False]
    assert column.nonnumeric.tolist() == [False, False, False, True]


def test_text_columns_that_are_not_dates_are_untouched():
    column = column_from_cells("phase", ["warmup", "2024-05-01", "train"])
    assert column.nonnumeric.all() and np.isnan(column.values).all()


def test_a_csv_with_an_iso_column_reads_it_as_seconds(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("iteration,timestamp,reward\n1,2026-04-26T03:38:38,0.5\n2,2026-04-26T03:41:58,0.6\n")
    table = read_log(str(path))
    assert np.diff(table.columns["timestamp"].values).tolist() == [200.0]


@pytest.mark.parametrize("scale, unit", [(1, "s"), (1e3, "ms"), (1e6, "us"), (1e9, "ns")])
def test_unix_time_in_any_unit_is_told_apart_from_elapsed_time(scale, unit):
    seconds = np.array([1.7e9, 1.7e9 + 60])
    assert epoch_unit(seconds * scale)[0] == unit
    assert to_unix_seconds(seconds * scale) == pytest.approx(seconds)


def test_elapsed_seconds_and_steps_are_not_unix_time():
    assert epoch_unit(np.array([0.0, 12.5, 3600.0])) is None
    assert to_unix_seconds(np.array([1e5, 2e5])) is None
    assert epoch_unit(np.array([np.nan])) is None
