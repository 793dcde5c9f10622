"""Runs -> cells (rlplot/stats/runs.py): SPECs over paths, seeds per (algorithm, task), left-out runs."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.data import Run, Series
from rlplot.errors import ConfigError, InputError
from rlplot.stats.runs import LEFT_OUT_SHOWN, group_cells, parse_spec

ALGO = parse_spec(r"runs/([^/]+)/", "--algo-by")
TASK = parse_spec(r"runs/[^/]+/([^/]+)/", "--task-by")


def run(path: str) -> Run:
    return Run(path, path, (Series("r", np.arange(3.0), np.arange(3.0)),))


@pytest.mark.parametrize("text, message", [
    (None, "--algo-by is needed"), ("  ", "--algo-by is needed"),
    ("runs/([^/]+", "--algo-by: invalid regular expression"),
    ("runs/[^/]+/", "--algo-by 'runs/[^/]+/' has no capture group"),
])
def test_bad_specs_are_config_errors_naming_the_option(text, message):
    with pytest.raises(ConfigError) as info:
        parse_spec(text, "--algo-by")
    assert info.value.what.startswith(message)


def test_runs_sharing_algorithm_and_task_are_the_seeds_of_one_cell_in_first_seen_order():
    paths = ["runs/sac/hopper/s0.csv", "runs/ppo/hopper/s0.csv", "runs/sac/hopper/s1.csv",
             "runs/sac/walker/s0.csv", "runs/ppo/walker/s0.csv"]
    cells = group_cells([run(p) for p in paths], ALGO, TASK)
    assert list(cells.cells) == [("sac", "hopper"), ("ppo", "hopper"), ("sac", "walker"), ("ppo", "walker")]
    assert [r.source for r in cells.cells["sac", "hopper"]] == [paths[0], paths[2]]
    assert cells.left_out == () and cells.notices == ()


def test_the_group_named_group_wins_over_the_first_capture():
    spec = parse_spec(r"(runs)/(?P<group>[^/]+)/", "--algo-by")
    cells = group_cells([run("runs/ppo/hopper/s0.csv")], spec, TASK)
    assert list(cells.cells) == [("ppo", "hopper")]


def test_unmatched_runs_are_left_out_with_one_notice():
    paths = [f"runs/ppo/hopper/s{i}.csv" for i in range(2)] + [f"other/x{i}.csv" for i in range(5)]
    cells = group_cells([run(p) for p in paths], ALGO, TASK)
    assert cells.left_out == tuple(paths[2:])
    (notice,) = cells.notices
    assert str(notice) == ("5 runs left out: --algo-by or --task-by does not match the path "
                           "(other/x0.csv, other/x1.csv, other/x2.csv and 2 more)")


def test_an_empty_capture_names_nothing():
    spec = parse_spec(r"runs/([a-z]*)/", "--algo-by")
    cells = group_cells([run("runs/ppo/hopper/s.csv"), run("runs/7/hopper/s.csv")],
                        parse_spec(r"runs/([a-z]*)", "--algo-by"), TASK)
    assert list(cells.cells) == [("ppo", "hopper")] and cells.left_out == ("runs/7/hopper/s.csv",)
    assert spec.name_of(run("runs//x")) is None


def test_no_run_matching_both_is_an_error_at_the_first_path():
    with pytest.raises(InputError, match="no run matches both --algo-by 'runs/") as info:
        group_cells([run("elsewhere/a.csv"), run("runs/ppo/b.csv")], ALGO, TASK)
    assert info.value.file == "elsewhere/a.csv"


@settings(deadline=None)   # a shared machine: no per-example deadline
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"), st.booleans()), max_size=30))
def test_every_run_is_placed_once_or_left_out(items):
    paths = [f"runs/{a}/{t}/{i}.csv" if placed else f"junk/{i}.csv"
             for i, (a, t, placed) in enumerate(items)]
    if not any(placed for *_, placed in items):
        with pytest.raises(InputError):
            group_cells([run(p) for p in paths], ALGO, TASK)
        return
    cells = group_cells([run(p) for p in paths], ALGO, TASK)
    placed = [r.source for members in cells.cells.values() for r in members]
    assert sorted(placed + list(cells.left_out)) == sorted(paths)
    for (algorithm, task), members in cells.cells.items():
        assert all(r.source.startswith(f"runs/{algorithm}/{task}/") for r in members)
    assert len(cells.notices) == (1 if cells.left_out else 0)
    if len(cells.left_out) > LEFT_OUT_SHOWN:
        assert f"and {len(cells.left_out) - LEFT_OUT_SHOWN} more" in str(cells.notices[0])
