"""Run names: labels from file names (one list of log extensions), and labels that tell runs apart."""
from __future__ import annotations

import pytest

from rlplot.io import LOG_SUFFIXES
from rlplot.names import distinct_labels, is_log_name, run_label, strip_log_suffix


@pytest.mark.parametrize("suffix", LOG_SUFFIXES)
def test_every_registered_log_extension_is_stripped_plain_or_gzipped(suffix):
    assert strip_log_suffix(f"metrics{suffix}") == "metrics"
    assert strip_log_suffix(f"metrics{suffix.upper()}.gz") == "metrics"


@pytest.mark.parametrize("name, stem", [
    ("metrics.jsonl.gz", "metrics"),
    ("run.gz", "run"),                 # a gzipped log whose extension says nothing
    ("run.v2.csv", "run.v2"),          # only the log extension goes
    ("run.log.json", "run.log"),       # one extension, never two
    ("notes.md", "notes.md"),          # not a log extension: kept
    (".jsonl", ".jsonl"),              # nothing but an extension: kept
])
def test_strip_log_suffix_removes_one_known_extension(name, stem):
    assert strip_log_suffix(name) == stem


def test_run_label_is_the_file_stem_and_stdin_is_named():
    assert run_label("runs/a/seed1.jsonl") == "seed1"
    assert run_label("-") == "stdin"


def test_labels_use_the_differing_path_parts():
    assert distinct_labels(["a/x.jsonl", "a/y.jsonl"]) == ["x", "y"]
    assert distinct_labels(["sweep/lr1_s1/metrics.jsonl", "sweep/lr1_s2/metrics.jsonl"]) == ["lr1_s1",
                                                                                              "lr1_s2"]
    assert distinct_labels(["r/a/s1/m.csv", "r/b/s1/m.csv"]) == ["a", "b"]


@pytest.mark.parametrize("name, is_log", [("metrics.jsonl", True), ("m.CSV.gz", True), ("notes.md", False),
                                          (".jsonl", False), ("run.gz", False)])
def test_log_names_are_known_extensions_plain_or_gzipped(name, is_log):
    assert is_log_name(name) is is_log
