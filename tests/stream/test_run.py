"""A big log streamed to what is drawn (rlplot/stream/run.py) against the same log read in memory."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from rlplot.config import Config
from rlplot.config.schema import SmoothingSpec
from rlplot.figure.downsample import scatter_indices
from rlplot.io import fast
from rlplot.pipeline import prepare, render
from rlplot.stream import StreamedSeries, streaming, switch
from rlplot.stream import run as stream_run

N = 40_000
# LOWESS on streamed bins against the binned engine in memory: see tests/smoothing/test_lowess_stream.py.
TOLERANCE = 1e-4


def _write(path, n=N, restart_at=None, nan_every=None, duplicate_at=None):
    rng = np.random.default_rng(7)
    step = np.arange(1, n + 1, dtype=np.float64)
    if restart_at:
        step[restart_at:] -= 500
    if duplicate_at:
        step[duplicate_at + 1] = step[duplicate_at]
    acc = 0.35 + 0.3 * step / n + rng.normal(0, 0.01, n)
    par = 8 + np.sin(step / 3000) + rng.normal(0, 0.5, n)
    cells = [f"{s:.0f},{a!r},{p!r}" for s, a, p in zip(step.tolist(), acc.tolist(), par.tolist())]
    if nan_every:
        cells = [c if i % nan_every else c.rsplit(",", 1)[0] + ",nan" for i, c in enumerate(cells)]
    path.write_text("step,accuracy,avg_parallelism\n" + "\n".join(cells) + "\n")
    return str(path)


def _both(path, config=None):
    in_memory = prepare([path], config or Config())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "FAST_MIN_BYTES", 0)
        patch.setattr(switch, "STREAM_MIN_BYTES", 0)
        with streaming():
            streamed = prepare([path], config or Config())
    return in_memory, streamed


@pytest.mark.parametrize("shape", [{}, {"nan_every": 97}, {"duplicate_at": 12_345}])
def test_streamed_run_draws_the_same_points_and_curve(tmp_path, shape):
    in_memory, streamed = _both(_write(tmp_path / "run.csv", **shape))
    assert [n.what for n in streamed.notices] == [n.what for n in in_memory.notices]
    assert streamed.runs[0].n_rows == in_memory.runs[0].n_rows == N
    for whole, small, curve_whole, curve_small in zip(in_memory.runs[0].series, streamed.runs[0].series,
                                                      in_memory.smoothed[0], streamed.smoothed[0]):
        assert isinstance(small, StreamedSeries) and small.points == len(whole)
        if not shape:   # nothing dropped: the file's row count is the series' length
            keep = scatter_indices(whole.y, 4000)
            np.testing.assert_array_equal(small.x, whole.x[keep])
            np.testing.assert_array_equal(small.y, whole.y[keep])
        else:           # the picks are spaced for the rows of the file: a subset, within budget
            at = np.searchsorted(whole.x, small.x)
            np.testing.assert_array_equal(whole.y[at], small.y)
            assert len(small) <= 4000 and small.y.min() == whole.y.min() and small.y.max() == whole.y.max()
        expected = np.interp(small.x, whole.x, curve_whole.y)
        assert np.max(np.abs(curve_small.y - expected)) <= TOLERANCE * np.ptp(whole.y)


def test_the_streamed_figure_scatters_the_same_points(tmp_path):
    path = _write(tmp_path / "run.csv")
    whole = render([path], [], Config()).figure
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "FAST_MIN_BYTES", 0)
        patch.setattr(switch, "STREAM_MIN_BYTES", 0)
        small = render([path], [], Config()).figure
    for ax_whole, ax_small in zip(whole.axes, small.axes):
        dots = [c for c in ax_whole.collections if isinstance(c, PathCollection)]
        small_dots = [c for c in ax_small.collections if isinstance(c, PathCollection)]
        np.testing.assert_array_equal(dots[0].get_offsets(), small_dots[0].get_offsets())
        assert len(ax_whole.lines) == len(ax_small.lines) == 1
        assert ax_whole.get_title() == ax_small.get_title()


def test_a_restart_is_read_in_memory_and_reported(tmp_path):
    in_memory, streamed = _both(_write(tmp_path / "run.csv", restart_at=25_000))
    assert not isinstance(streamed.runs[0].series[0], StreamedSeries)
    assert any("went back" in n.what for n in streamed.notices)
    assert [n.what for n in streamed.notices] == [n.what for n in in_memory.notices]


@pytest.mark.parametrize("spec", [SmoothingSpec(it=1), SmoothingSpec(delta=0), SmoothingSpec(frac="auto"),
                                  SmoothingSpec(method="ema")])
def test_smoothing_that_cannot_stream_reads_in_memory(tmp_path, spec):
    path = _write(tmp_path / "run.csv", n=25_000)
    config = Config(smoothing=spec)
    assert not stream_run.streamable(config)
    _, streamed = _both(path, config)
    assert not isinstance(streamed.runs[0].series[0], StreamedSeries)
    assert len(streamed.runs[0].series[0]) == 25_000


def test_only_a_figure_is_streamed(tmp_path):
    # Summaries, comparisons, notebooks (prepare, load_all) and --data-out need every point.
    path = _write(tmp_path / "run.csv", n=25_000)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "FAST_MIN_BYTES", 0)
        patch.setattr(switch, "STREAM_MIN_BYTES", 0)
        assert len(prepare([path], Config()).runs[0].series[0]) == 25_000
        with_data = render([path], [], Config(), data_out=str(tmp_path / "data.csv"))
        assert len(with_data.prepared.runs[0].series[0]) == 25_000
        assert (tmp_path / "data.csv").read_text().count("\n") == 1 + 2 * 25_000
        figure_only = render([path], [], Config())
        assert isinstance(figure_only.prepared.runs[0].series[0], StreamedSeries)


def test_a_reading_worker_is_told_to_stream(tmp_path, monkeypatch):
    # Workers are other processes: the streaming() context does not reach them, the argument does.
    from rlplot.runs.load import load_item, wanted_columns
    from rlplot.runs.walk import find_runs

    path = _write(tmp_path / "run.csv")
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 0)
    monkeypatch.setattr(switch, "STREAM_MIN_BYTES", 0)
    ref = find_runs([path]).refs[0]
    config = Config()
    told = load_item((ref, "run", None), config, wanted_columns(config), False, False, True)
    untold = load_item((ref, "run", None), config, wanted_columns(config), False, False)
    assert isinstance(told[0].series[0], StreamedSeries)
    assert not isinstance(untold[0].series[0], StreamedSeries)
