"""The report's data model: validation, immutability, input hashing, and table formatting."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from rlplot.errors import InputError, RlplotError
from rlplot.report import Chart, Curve, InputFile, Panel, QualityNote, Report, Section, Table
from rlplot.report.format import cell_text, human_size


def _curve(run="a", n=3, **kw):
    return Curve(run=run, x=np.arange(n), y=np.arange(n) * 2.0, smooth_x=np.arange(n),
                 smooth_y=np.ones(n), **kw)


def test_curve_holds_read_only_float_copies():
    source = np.array([1, 2, 3])
    curve = Curve(run="a", x=source, y=[0.5, 0.25, 0.125])
    source[0] = 99
    assert curve.x.tolist() == [1.0, 2.0, 3.0] and curve.x.dtype == np.float64
    with pytest.raises(ValueError):
        curve.y[0] = 1.0
    assert curve.smooth_x.shape == (0,)


@pytest.mark.parametrize("kwargs, message", [
    ({"x": [1, 2], "y": [1]}, "points: arrays differ in length (x 2, y 1)"),
    ({"x": [1], "y": [1], "smooth_x": [1, 2], "smooth_y": [1]}, "smoothed curve: arrays differ"),
    ({"x": [1], "y": [1], "smooth_x": [1], "smooth_y": [1], "band_low": [0]}, "needs both band_low"),
    ({"x": [1], "y": [1], "smooth_x": [1, 2], "smooth_y": [1, 2], "band_low": [0],
      "band_high": [1, 2]}, "band_low 1"),
    ({"x": [[1]], "y": [1]}, "must be one-dimensional"),
])
def test_curve_refuses_inconsistent_arrays(kwargs, message):
    with pytest.raises(RlplotError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Curve(run="r", **kwargs)


def test_panel_refuses_a_run_twice_and_chart_needs_panels():
    with pytest.raises(RlplotError, match="appears twice"):
        Panel("p", "y", (_curve("a"), _curve("a")))
    with pytest.raises(RlplotError, match="no panels"):
        Chart("x", ())


def test_chart_and_report_list_runs_in_first_appearance_order():
    chart = Chart("x", (Panel("p", "y", [_curve("b"), _curve("a")]), Panel("q", "y", [_curve("c"), _curve("a")])))
    assert chart.runs == ("b", "a", "c")
    other = Chart("x", (Panel("p", "y", [_curve("d"), _curve("b")]),))
    report = Report("t", "cmd", "2024", sections=[Section("one", chart, notes=[QualityNote("n")]),
                                                  Section("two", other)], notes=[QualityNote("m")])
    assert report.runs == ("b", "a", "c", "d")
    assert report.note_count == 2
    assert isinstance(report.sections, tuple) and isinstance(report.sections[0].notes, tuple)


def test_table_rows_must_fit_the_header():
    assert Table(["a", "b"], [[1, 2]]).rows == ((1, 2),)
    with pytest.raises(RlplotError, match="has 1 cells for 2 columns"):
        Table(["a", "b"], [[1]])


def test_quality_note_reads_like_an_error_location():
    assert str(QualityNote("2 lines skipped", file="run.jsonl", line=7)) == "run.jsonl:7: 2 lines skipped"
    assert str(QualityNote("restart at step 500", file="run.csv")) == "run.csv: restart at step 500"


def test_input_file_hashes_and_sizes_the_file(tmp_path):
    data = b"step,accuracy\n1,0.5\n" * 100_000
    path = tmp_path / "run.csv"
    path.write_bytes(data)
    info = InputFile.of(path)
    assert info == InputFile(str(path), hashlib.sha256(data).hexdigest(), len(data))
    assert InputFile.of(path, shown_as="runs/run.csv").path == "runs/run.csv"
    assert path.read_bytes() == data


def test_input_file_of_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        InputFile.of(tmp_path / "gone.csv")
    assert caught.value.file == str(tmp_path / "gone.csv")


@pytest.mark.parametrize("value, text", [
    (None, "–"), (float("nan"), "–"), (3, "3"), (np.int64(12800), "12800"), (True, "yes"),
    (0.123456789, "0.123457"), (np.float32(0.5), "0.5"), (1.5e21, "1.5e+21"), ("n/a", "n/a"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("size, text", [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (5 * 1024 ** 2 + 1, "5.0 MiB"),
    (3 * 1024 ** 3, "3.0 GiB"), (2 * 1024 ** 4, "2.0 TiB"),
])
def test_human_size(size, text):
    assert human_size(size) == text
