"""Reading many runs through the batch executors (runs.parallel): same runs, same order, same
notices and errors as reading them one by one; few runs never start a pool."""
from __future__ import annotations

import operator
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rlplot.config.schema import Config
from rlplot.errors import ColumnError, InputError, RlplotError
from rlplot.inspect import inspect_paths
from rlplot.runs import parallel
from rlplot.runs.load import load_all
from rlplot.runs.parallel import MIN_RUNS, Reading, read_each, worth_a_pool
from tests.runs.trees import csv_run, curve


def _config() -> Config:
    from rlplot.config import load_config
    from rlplot.cli.render import render_overrides

    return load_config((), (), render_overrides(["reward"], x="step")).config



def _sweep(root: Path, runs: int, broken: tuple[int, ...] = ()) -> Path:
    for k in range(runs):
        rows = curve(n=9 + k % 4, offset=k) if k not in broken else \
            [{"step": 10 * i, "loss": i} for i in range(5)]
        csv_run(root / f"seed{k}" / "progress.csv", rows)
    return root


def _as_plain(runs) -> list:
    return [(r.label, r.source, r.n_rows, tuple(str(n) for n in r.notices),
             [(s.x_name, s.x.tobytes(), s.y.tobytes(), s.y.dtype.str) for s in r.series])
            for r in runs]


def test_runs_read_by_two_workers_equal_those_read_here_in_the_same_order(tmp_path, pooled):
    root = _sweep(tmp_path / "sweep", 14)
    serial = load_all([str(root)], _config(), reading=Reading(jobs=1))
    parallel_runs = load_all([str(root)], _config(), reading=Reading(jobs=2))
    assert pooled, "the two-worker read went through the pool"
    assert _as_plain(parallel_runs) == _as_plain(serial)
    assert [r.label for r in serial] == [f"seed{k}" for k in range(14)]
    assert parallel_runs.notices == serial.notices


def test_a_run_that_fails_in_a_worker_is_left_out_with_the_serial_notice(tmp_path, pooled):
    root = _sweep(tmp_path / "sweep", 10, broken=(3, 7))
    serial = load_all([str(root)], _config(), reading=Reading(jobs=1))
    parallel_runs = load_all([str(root)], _config(), reading=Reading(jobs=2))
    assert pooled
    left_out = [str(n) for n in parallel_runs.notices if "left out" in n.what]
    assert len(left_out) == 2 and "seed3" in left_out[0] and "seed7" in left_out[1]
    assert [str(n) for n in parallel_runs.notices] == [str(n) for n in serial.notices]
    assert _as_plain(parallel_runs) == _as_plain(serial)


def test_when_every_run_fails_the_error_is_the_serial_one(tmp_path, pooled):
    root = _sweep(tmp_path / "sweep", 6, broken=tuple(range(6)))
    errors = []
    for jobs in (1, 2):
        with pytest.raises(ColumnError) as caught:
            load_all([str(root)], _config(), reading=Reading(jobs=jobs))
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "nor in any of the other 5 runs" in errors[1]


def test_an_error_that_stops_reading_is_the_first_in_input_order(tmp_path, pooled):
    # Files named as they are stop with their error: the first bad one, as serial reading does.
    logs = [str(csv_run(tmp_path / f"r{k}.csv", curve(n=6))) for k in range(8)]
    for k in (2, 5):
        Path(logs[k]).write_text("", encoding="utf-8")
    messages = []
    for jobs in (1, 2):
        with pytest.raises(InputError, match="empty") as caught:
            load_all(logs, _config(), reading=Reading(jobs=jobs))
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and messages[0].startswith(logs[2])


def test_inspect_reports_every_run_in_order_whichever_worker_read_it(tmp_path, pooled):
    root = _sweep(tmp_path / "sweep", 12, broken=(4,))
    serial = inspect_paths([str(root)], config=_config(), reading=Reading(jobs=1))
    parallel_report = inspect_paths([str(root)], config=_config(), reading=Reading(jobs=2))
    assert pooled
    assert parallel_report == serial
    assert [f.label for f in parallel_report.files] == [f"seed{k}" for k in range(12)]


@settings(max_examples=3, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=2, max_size=60))
def test_results_come_back_in_input_order(values):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "MIN_RUNS", 0)
        patch.setattr(parallel, "MIN_BYTES", 0)
        got = read_each(values, operator.neg, (), Reading(jobs=2), paths=[os.devnull])
    assert got == [-v for v in values]


def test_a_worker_that_dies_is_one_rlplot_error(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_RUNS", 0)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    with pytest.raises(RlplotError, match="worker process died while reading runs"):
        read_each([3, 4, 5], os._exit, (), Reading(jobs=2), paths=[os.devnull])


def imported(module: str) -> bool:
    """Whether ``module`` is loaded in the process this runs in (a reading worker's test probe)."""
    import sys

    return module in sys.modules


def test_reading_workers_never_import_matplotlib(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_RUNS", 0)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    got = read_each(["matplotlib", "rlplot.runs.parallel"], imported, (), Reading(jobs=2),
                    paths=[os.devnull])
    assert got == [False, True]


def test_few_or_small_inputs_are_read_here(monkeypatch, tmp_path):
    def refuse(*_):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(parallel, "_run_slices", refuse)
    small = [str(csv_run(tmp_path / f"r{k}.csv", curve(n=5))) for k in range(MIN_RUNS + 4)]
    assert read_each(list(range(4)), operator.neg, (), Reading(jobs=2), paths=small) == \
        [0, -1, -2, -3]
    assert read_each(list(range(40)), operator.neg, (), Reading(jobs=2), paths=small)[-1] == -39
    assert read_each(list(range(40)), operator.neg, (), Reading(jobs=8), paths=small,
                     local=True)[5] == -5


@given(st.integers(0, 5000), st.integers(1, 64))
def test_a_pool_needs_enough_runs_two_workers_and_enough_bytes(count, workers):
    big = [os.path.getsize(__file__)] * 4000    # this file's size x 4000: tens of MB
    assert worth_a_pool(count, big, workers) == (count >= MIN_RUNS and workers >= 2
                                                 and os.path.getsize(__file__) * 4000
                                                 >= parallel.MIN_BYTES)
    assert not worth_a_pool(count, [], workers)


def test_the_same_arrays_after_the_trip_through_a_worker(tmp_path, pooled):
    root = _sweep(tmp_path / "sweep", 4)
    runs = load_all([str(root)], _config(), reading=Reading(jobs=2))
    assert pooled
    first = runs[0].series[0]
    assert np.array_equal(first.x, np.arange(9) * 10) and np.array_equal(first.y, np.arange(9))
    assert isinstance(first.x, np.ndarray) and first.x.dtype == np.float64


def test_a_worker_process_reads_its_runs_itself_unless_told_otherwise(monkeypatch, tmp_path):
    import multiprocessing

    def refuse(*_):
        raise AssertionError("a pool was started inside a worker")

    monkeypatch.setattr(parallel, "MIN_RUNS", 0)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "_run_slices", refuse)
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert parallel.default_reading() == parallel.SERIAL
    assert read_each([1, 2, 3], operator.neg, (), paths=[os.devnull]) == [-1, -2, -3]
    with pytest.raises(AssertionError, match="inside a worker"):
        read_each([1, 2, 3], operator.neg, (), Reading(jobs=2), paths=[os.devnull])
