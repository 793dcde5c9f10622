"""rlplot.batch.discovery: files, folders and globs -> sorted logs and their common folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from rlplot.batch.discovery import discover, relative_to_root
from rlplot.batch.planning import plan
from rlplot.errors import InputError

from ..conftest import seed_like_records, write_jsonl
from .sweeps import make_sweep


def test_folder_inputs_mirror_relative_paths_and_never_collide(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "notes.md").write_text("not a log")
    (sweep / ".hidden").mkdir()
    write_jsonl(sweep / ".hidden" / "metrics.jsonl", seed_like_records(10))
    found = discover([str(sweep)])
    assert [Path(p).relative_to(sweep).as_posix() for p in found.paths] == [
        "lr1e-3_seed1/metrics.jsonl", "lr1e-3_seed2/metrics.jsonl", "lr3e-4_seed1/metrics.jsonl"]
    jobs = plan(found, str(tmp_path / "OUT"))
    assert [j.key for j in jobs] == ["lr1e-3_seed1/metrics", "lr1e-3_seed2/metrics",
                                     "lr3e-4_seed1/metrics"]
    assert jobs[0].outputs == (str(tmp_path / "OUT" / "lr1e-3_seed1" / "metrics.png"),)


def test_globs_and_patterns_find_each_log_once(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "lr1e-3_seed1" / "eval.csv").write_text("step,accuracy,avg_parallelism\n1,0.5,8\n")
    found = discover([str(sweep / "*" / "metrics.jsonl"), str(sweep / "lr1e-3_seed1" / "metrics.jsonl")])
    assert len(found.paths) == 3                      # the file named twice counts once
    assert found.root == str(sweep)                   # the glob's fixed part is the common folder
    only_csv = discover([str(sweep)], patterns=["*.csv"])
    assert [Path(p).name for p in only_csv.paths] == ["eval.csv"]
    every = discover([str(sweep)])
    assert len(every.paths) == 4                      # default: every known log extension


def test_missing_empty_or_unmatched_inputs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        discover([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no logs found"):
        discover([str(tmp_path / "empty")])
    with pytest.raises(InputError, match="matches nothing"):
        discover([str(tmp_path / "*.nothing")])
    with pytest.raises(InputError, match="no inputs given"):
        discover([])


def test_out_dir_inside_the_inputs_is_not_scanned(tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    (sweep / "figs").mkdir()
    write_jsonl(sweep / "figs" / "metrics.jsonl", seed_like_records(10))
    found = discover([str(sweep)], exclude=str(sweep / "figs"))
    assert not any("figs" in p for p in found.paths)
    assert len(found.paths) == 3


def test_logs_are_sorted_by_their_path_below_the_common_folder(tmp_path):
    sweep = make_sweep(tmp_path / "sweep", names=("b", "a/z", "a"), n=5)
    found = discover([str(sweep / "b"), str(sweep / "a")])   # the order given does not matter
    assert found.root == str(sweep)
    assert [relative_to_root(p, found.root) for p in found.paths] == \
        ["a/metrics.jsonl", "a/z/metrics.jsonl", "b/metrics.jsonl"]


def test_an_out_dir_that_is_the_input_folder_says_why_nothing_is_found(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep")
    for out in (sweep, tmp_path):                   # the input folder, or a folder around it
        with pytest.raises(InputError, match="no logs found outside --out-dir") as caught:
            discover([str(sweep)], exclude=str(out))
        assert "choose an --out-dir outside the inputs" in str(caught.value)
    result = invoke("batch", sweep, "--out-dir", sweep)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"rlplot: error: {sweep}: no logs found outside --out-dir")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"^.*: no logs found \(looked for"):   # the plain case
        discover([str(empty)], exclude=str(tmp_path / "figs"))
