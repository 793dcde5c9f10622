"""Reading slices of runs on a Dask cluster (an in-process one here): same runs, same order."""
from __future__ import annotations

import pytest

from rlplot.runs.load import load_all, load_item, wanted_columns
from rlplot.runs.parallel import ReadSlice, Reading, read_slice
from rlplot.runs.walk import find_inputs
from tests.runs.test_parallel import _as_plain, _config, _sweep

distributed = pytest.importorskip("distributed")


def test_slices_read_on_dask_give_the_serial_runs(tmp_path):
    from rlplot.runs.discover import automatic_labels
    from rlplot.runs.parallel_dask import run_on_dask

    root = _sweep(tmp_path / "sweep", 6, broken=(2,))
    config = _config()
    refs = find_inputs([str(root)]).refs
    items = list(zip(refs, [None] * len(refs), automatic_labels(refs)))
    options = (config, wanted_columns(config), False, False)
    parts = [ReadSlice(0, tuple(items[:3]), load_item, options),
             ReadSlice(3, tuple(items[3:]), load_item, options)]
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=":0") as client:
        done = sorted(run_on_dask(parts, read_slice, None, client=client), key=lambda p: p.start)
    results = [r for part in done for r in part.results]
    assert isinstance(results[2], Exception) and "reward" in str(results[2])
    runs = [run for r in results if not isinstance(r, Exception) for run in r]
    serial = load_all([str(root)], config, reading=Reading(jobs=1))
    assert _as_plain(runs) == _as_plain(serial)
