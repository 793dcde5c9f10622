"""Checks across runs: one kind of x for all, and points a log axis cannot show."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.columns import ROLE_ALIASES
from rlplot.config import load_config
from rlplot.data import Run, Series
from rlplot.errors import InputError
from rlplot.runs.checks import check_same_x, log_scale_notices


def run_with_x(x_name: str, source: str, x=(1.0, 2.0, 3.0)) -> Run:
    x = np.asarray(x, dtype=float)
    return Run(source, source, (Series("accuracy", x, x / 10, x_name=x_name),
                                Series("parallelism", x, x, x_name=x_name)))


def test_runs_sharing_their_x_column_pass():
    check_same_x([run_with_x("step", "a"), run_with_x("step", "b")], ROLE_ALIASES)


@pytest.mark.parametrize("names, what", [
    (("rl_flops", "step"), "some runs have a FLOPs column and others only steps"),
    (("epoch", "step"), "the runs use different x columns"),
])
def test_runs_with_different_x_columns_are_refused_with_each_named(names, what):
    runs = [run_with_x(name, f"{name}.csv") for name in names]
    with pytest.raises(InputError, match=what) as info:
        check_same_x(runs, ROLE_ALIASES)
    assert f"{names[0]}.csv uses '{names[0]}'" in info.value.what
    assert "--x" in info.value.hint


def test_points_a_log_axis_hides_are_counted_per_axis():
    config = load_config(sets=["figure.x_scale=log", "panels.1.y_scale=log"]).config
    run = log_scale_notices(run_with_x("step", "a.csv", x=(-1.0, 0.0, 2.0)), config)
    assert [n.what for n in run.notices] == [
        "accuracy: 2 of 3 points have x <= 0 and are not shown on the log x axis",
        "parallelism: 2 of 3 points have x <= 0 and are not shown on the log x axis",
        "parallelism: 2 of 3 points have y <= 0 and are not shown on the log y axis"]
    linear = run_with_x("step", "a.csv", x=(-1.0, 0.0, 2.0))
    assert log_scale_notices(linear, load_config().config) is linear
