"""The registry of input formats: declared without numpy, loaded on use, detection order."""
from __future__ import annotations

import pytest

from rlplot.io.registry import FORMATS, LOG_SUFFIXES, InputFormat, detect_format
from rlplot.io.sources import Source


@pytest.mark.parametrize("name", FORMATS.names)
def test_every_format_names_a_reader_and_detector_that_load(name):
    fmt = FORMATS[name]
    assert isinstance(fmt, InputFormat) and fmt.help and fmt.kind in {"csv", "jsonl", "json"}
    assert callable(FORMATS.load(name))
    if fmt.detect:
        module, _, attribute = fmt.detect.partition(":")
        assert callable(getattr(__import__(module, fromlist=[attribute]), attribute))


def test_each_kind_has_one_fallback_and_it_is_tried_last():
    fallbacks = [f for f in FORMATS.choices() if not f.detect]
    assert sorted(f.kind for f in fallbacks) == ["csv", "json", "jsonl"]
    for fallback in fallbacks:
        same_kind = [f.name for f in FORMATS.choices() if f.kind == fallback.kind]
        assert same_kind[-1] == fallback.name


def test_log_suffixes_are_the_entries_suffixes():
    assert set(LOG_SUFFIXES) == {s for f in FORMATS.choices() for s in f.suffixes}
    assert {".csv", ".jsonl", ".json", ".txt"} <= set(LOG_SUFFIXES)


@pytest.mark.parametrize("text, suffix, expected", [
    ("step,acc\n1,0.5\n", ".csv", "csv"),
    ('{"step": 1, "acc": 0.5}\n', ".jsonl", "jsonl"),
    ('[{"step": 1}]', ".json", "json"),
    ("Wall time,Step,Value\n1,2,3\n", ".csv", "tensorboard"),
])
def test_detection_reads_the_content(text, suffix, expected):
    assert detect_format(Source(name="x", text=text, suffix=suffix)) == expected
