"""Smoothing every run: the panel's spec over the figure's, raw runs when the aggregate is smoothed,
bad parameters refused before any reading, notices located in the run's file."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.config import load_config
from rlplot.config.schema import Config, SmoothingSpec
from rlplot.data import Run, Series
from rlplot.errors import ConfigError
from rlplot.pipeline import prepare
from rlplot.runs.smooth import check_smoothing, smooth_runs, smoothing_params, with_curves


def run_of(n: int = 30, source: str = "r.jsonl") -> Run:
    x = np.arange(n, dtype=float)
    return Run("r", source, (Series("accuracy", x, np.sin(x)), Series("parallelism", x, x)))


def test_a_panel_smoothing_replaces_the_figure_smoothing_for_that_panel():
    config = load_config(sets=["panels.1.smoothing.method=ema"]).config
    (per_panel,) = smooth_runs([run_of()], config)
    assert [s.method for s in per_panel] == ["lowess", "ema"]


def test_runs_are_left_raw_when_the_aggregate_is_smoothed():
    config = load_config(sets=["runs.aggregate=mean", "runs.smooth=after"]).config
    (per_panel,) = smooth_runs([run_of()], config)
    assert {s.method for s in per_panel} == {"none"}
    np.testing.assert_array_equal(per_panel[0].y, np.sin(np.arange(30.0)))
    (before,) = smooth_runs([run_of()], load_config(sets=["runs.aggregate=mean"]).config)
    assert {s.method for s in before} == {"lowess"}


def test_curves_a_run_carries_are_used_not_made_again():
    config = Config()
    carried = with_curves([run_of()], config)[0]
    assert carried.curves is not None and with_curves([carried], config)[0] is carried
    (per_panel,) = smooth_runs([carried], config)
    assert per_panel is carried.curves.per_panel
    (fresh,) = smooth_runs([run_of()], config)
    for made, again in zip(per_panel, fresh):
        np.testing.assert_array_equal(made.y, again.y)


@pytest.mark.parametrize("other", [["smoothing.method=ema"], ["smoothing.frac=0.5"],
                                   ["panels.0.band=residual"], ["runs.aggregate=mean", "runs.smooth=after"]])
def test_curves_made_for_other_smoothing_are_made_again(other):
    carried = with_curves([run_of()], Config())[0]
    config = load_config(sets=other).config
    (per_panel,) = smooth_runs([carried], config)
    (fresh,) = smooth_runs([run_of()], config)
    assert per_panel is not carried.curves.per_panel
    assert [s.method for s in per_panel] == [s.method for s in fresh]
    for made, again in zip(per_panel, fresh):
        np.testing.assert_array_equal(made.y, again.y)
    assert with_curves([carried], config)[0].curves.per_panel is not carried.curves.per_panel


def test_smoother_notices_name_the_run_file():
    config = load_config(sets=["smoothing.method=rolling", "smoothing.window=99"]).config
    (per_panel,) = smooth_runs([run_of(5, source="logs/a.csv")], config)
    notices = [n for s in per_panel for n in s.notices]
    assert notices and all(n.file == "logs/a.csv" for n in notices)


def test_bad_parameters_fail_before_any_log_is_read(tmp_path):
    config = Config(smoothing=SmoothingSpec(method="rolling", window=-3))
    with pytest.raises(ConfigError):
        check_smoothing(config)
    with pytest.raises(ConfigError):      # not "no such file": nothing was read
        prepare([str(tmp_path / "missing.jsonl")], config)


def test_smoothing_params_are_every_field_but_the_method():
    params = smoothing_params(SmoothingSpec())
    assert "method" not in params and params["frac"] == 0.2 and params["window"] == 21


def test_seeds_sharing_x_are_smoothed_together_as_each_alone():
    from rlplot.smoothing.lowess import SHARED_MIN_SERIES

    rng = np.random.default_rng(3)
    x = np.arange(200, dtype=float)
    runs = [Run(f"s{i}", f"s{i}.csv", (Series("accuracy", x, rng.normal(size=200)),
                                       Series("parallelism", x, rng.normal(size=200))))
            for i in range(SHARED_MIN_SERIES + 1)]
    config = Config()
    together = smooth_runs(runs, config)
    for run, per_panel in zip(runs, together):
        (alone,) = smooth_runs([run], config)
        for made, again in zip(per_panel, alone):
            assert np.array_equal(made.y, again.y) and made.notices == again.notices


def test_a_slice_whose_smoothing_fails_keeps_the_error_at_its_run(monkeypatch):
    from rlplot.errors import RlplotError
    from rlplot.runs import smooth as smooth_module
    from rlplot.runs.load import smooth_loaded

    real = smooth_module.with_curves

    def failing(runs, config):
        if any(run.label == "bad" for run in runs):
            raise RlplotError("cannot smooth")
        return real(runs, config)

    monkeypatch.setattr(smooth_module, "with_curves", failing)
    bad = Run("bad", "b.csv", run_of().series)
    earlier = RlplotError("unreadable")
    results = smooth_loaded([(run_of(),), (bad,), earlier], Config())
    assert results[0][0].curves is not None
    assert isinstance(results[1], RlplotError) and "cannot smooth" in str(results[1])
    assert results[2] is earlier
