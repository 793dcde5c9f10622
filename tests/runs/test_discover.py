"""Which logs a command names (globs) and which label each run gets."""
from __future__ import annotations

import pytest

from rlplot.errors import InputError
from rlplot.runs.discover import choose_labels, expand_paths


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("step,acc\n1,0.5\n")
    return str(path)


def test_globs_expand_sorted_files_only_and_repeats_are_dropped(tmp_path):
    b = touch(tmp_path / "runs" / "b" / "m.jsonl")
    a = touch(tmp_path / "runs" / "a" / "m.jsonl")
    (tmp_path / "runs" / "c.jsonl").mkdir()            # a folder matching the pattern is no log
    pattern = str(tmp_path / "runs" / "*" / "m.jsonl")
    assert expand_paths([pattern, b, "-"]) == [a, b, "-"]


def test_a_file_whose_name_looks_like_a_glob_is_taken_as_is(tmp_path):
    odd = touch(tmp_path / "run[1].csv")
    assert expand_paths([odd]) == [odd]


def test_glob_matching_nothing_is_an_input_error(tmp_path):
    pattern = str(tmp_path / "nothing" / "*.jsonl")
    with pytest.raises(InputError, match="no file matches this pattern") as info:
        expand_paths([pattern])
    assert info.value.file == pattern


def test_given_labels_beat_config_labels_which_beat_automatic_ones():
    paths = ["x/s1/metrics.jsonl", "x/s2/metrics.jsonl", "x/s3/metrics.jsonl"]
    chosen, automatic = choose_labels(paths, {"s2": "second", paths[2]: "third"}, ["first"])
    assert automatic == ["s1", "s2", "s3"]
    assert chosen == ["first", "second", "third"]
    assert choose_labels(paths, {}, None)[0] == [None, None, None]
