"""Streaming a big log (rlplot/io/fast/stream.py): the same columns as the in-memory fast read,
piece by piece; damaged lines are never dropped silently."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.config import Config
from rlplot.io import fast
from rlplot.io.fast import read_fast
from rlplot.io.fast.stream import Refused, open_stream
from rlplot.pipeline import prepare
from rlplot.stream import streaming, switch
from rlplot.stream import run as stream_run_module

WANTED = ["step", "accuracy", "avg_parallelism"]
cells = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
                  st.integers(-10**6, 10**6).map(str), st.just(""), st.just("nan"))


def _streamed(path: str, segment_bytes: int):
    """Every piece and the partial last line of a streamed read, joined column by column."""
    log = open_stream(path, format=None, columns=WANTED, segment_bytes=segment_bytes)
    assert log is not None, "open_stream declined a file read_fast reads"
    pieces = list(log.pieces())
    last, notices = log.last_line()
    if last is not None:
        pieces.append(last)
    joined = {name: tuple(np.concatenate([_part(p, name, attr) for p in pieces])
                          for attr in ("values", "missing", "nonnumeric"))
              for name in pieces[0].columns}
    return joined, sum(p.n_rows for p in pieces), notices, len(pieces)


def _part(piece, name: str, attr: str) -> np.ndarray:
    """One attribute of a piece's column; a last line without the column counts as missing."""
    column = piece.columns.get(name)
    if column is not None:
        return getattr(column, attr)
    return np.full(piece.n_rows, np.nan if attr == "values" else attr == "missing")


def _assert_same(path: str, segment_bytes: int) -> int:
    whole = read_fast(path, format=None, columns=WANTED)
    assert whole is not None
    joined, n_rows, notices, pieces = _streamed(path, segment_bytes)
    assert n_rows == whole.n_rows
    assert list(joined) == whole.names
    for name, (values, missing, nonnumeric) in joined.items():
        column = whole.columns[name]
        np.testing.assert_array_equal(values, column.values)
        np.testing.assert_array_equal(missing, column.missing)
        np.testing.assert_array_equal(nonnumeric, column.nonnumeric)
    assert [(n.line, n.what) for n in notices] == [(n.line, n.what) for n in whole.skipped]
    return pieces


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(cells, cells), min_size=2, max_size=200),
       segment=st.integers(20, 3000), partial=st.booleans())
def test_csv_streamed_pieces_equal_the_whole_read(tmp_path_factory, rows, segment, partial):
    path = tmp_path_factory.mktemp("csv") / "log.csv"
    lines = [f"{i},{a},{b}" for i, (a, b) in enumerate(rows)]
    text = "step,accuracy,avg_parallelism\n" + "\n".join(lines) + ("" if partial else "\n")
    path.write_text(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "FAST_MIN_BYTES", 0)
        pieces = _assert_same(str(path), segment)
    assert pieces >= 1


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(allow_nan=False, allow_infinity=False),
                               st.one_of(st.none(), st.floats(-1e6, 1e6))), min_size=2, max_size=150),
       segment=st.integers(30, 3000))
def test_jsonl_streamed_pieces_equal_the_whole_read(tmp_path_factory, rows, segment):
    path = tmp_path_factory.mktemp("jsonl") / "log.jsonl"
    path.write_text("".join(json.dumps({"step": i, "accuracy": a, "avg_parallelism": b}) + "\n"
                            for i, (a, b) in enumerate(rows)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "FAST_MIN_BYTES", 0)
        _assert_same(str(path), segment)


def _log(tmp_path, body: str, name="big.csv"):
    path = tmp_path / name
    path.write_text(body)
    return str(path)


def _rows(n: int, start: int = 0) -> str:
    t = np.arange(start, start + n)
    return "".join(f"{i},{0.3 + 0.3 * i / 40000 + 0.01 * np.sin(i):.6f},{1.0 - i / 80000:.6f}\n"
                   for i in t)


@pytest.fixture
def stream_everything(monkeypatch):
    """Let every test log take the streamed path (it normally starts at 256 MB)."""
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 0)
    monkeypatch.setattr(switch, "STREAM_MIN_BYTES", 0)
    with streaming():
        yield


def test_a_damaged_line_is_refused_by_the_stream(tmp_path, stream_everything):
    path = _log(tmp_path, "step,accuracy,avg_parallelism\n" + _rows(100) + "100,0.5\n" + _rows(100, 101))
    log = open_stream(path, format=None, columns=WANTED, segment_bytes=256)
    with pytest.raises(Refused):
        list(log.pieces())


def test_a_damaged_line_in_a_big_log_is_reported_with_its_line(tmp_path, stream_everything):
    # Line 1 is the header, so the damaged 30,000th data row is line 30,002.
    path = _log(tmp_path, "step,accuracy,avg_parallelism\n" + _rows(30000) + "30000,0.5,1,9,9\n"
                + _rows(10000, 30001))
    prepared = prepare([path], Config())
    run = prepared.runs[0]
    assert not isinstance(run.series[0], stream_run_module.StreamedSeries)   # read in memory
    lines = [n.line for n in prepared.notices if n.line is not None]
    assert lines == [30002]
    assert run.n_rows == 40000


def test_a_partial_last_line_is_read_and_its_damage_reported(tmp_path, stream_everything):
    body = "step,accuracy,avg_parallelism\n" + _rows(30000)
    complete = prepare([_log(tmp_path, body + "30000,0.61,0.2", "a.csv")], Config()).runs[0]
    assert isinstance(complete.series[0], stream_run_module.StreamedSeries)
    assert complete.n_rows == 30001
    assert complete.series[0].points == 30001
    assert complete.series[0].x[-1] == 30000.0 and complete.series[0].y[-1] == 0.61
    cut = prepare([_log(tmp_path, body + "30000,0.61,0.2,7", "b.csv")], Config())
    assert isinstance(cut.runs[0].series[0], stream_run_module.StreamedSeries)
    assert cut.runs[0].series[0].points == 30000
    assert [n.line for n in cut.notices if n.line is not None] == [30002]
