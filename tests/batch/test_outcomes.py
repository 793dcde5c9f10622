"""rlplot.batch.outcomes: job statuses, the notes of a figure and how they round-trip JSON."""
from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given, strategies as st

from rlplot.batch.outcomes import (FAILED, RENDERED, JobNotes, JobStatus, Outcome, PanelFinal,
                                   outcome_of)
from rlplot.batch.planning import Job


def test_statuses_read_as_their_text():
    assert RENDERED is JobStatus.RENDERED and FAILED == "failed"
    assert [str(s) for s in JobStatus] == ["rendered", "up to date", "failed", "not run"]
    assert f"{JobStatus.UP_TO_DATE} run" == "up to date run"
    assert json.dumps({"status": FAILED}) == '{"status": "failed"}'
    assert pickle.loads(pickle.dumps(RENDERED)) is RENDERED     # crosses process boundaries


notes_strategy = st.builds(
    JobNotes, rows=st.integers(0, 10**9), warning_count=st.integers(0, 10**6),
    warnings=st.lists(st.text(max_size=30), max_size=5).map(tuple),
    final=st.lists(st.builds(PanelFinal, st.text(max_size=20),
                             st.none() | st.floats(allow_nan=False, allow_infinity=False)),
                   max_size=3).map(tuple),
    runs=st.none() | st.integers(1, 100))


@given(notes_strategy)
def test_notes_round_trip_through_the_manifest_json(notes):
    data = json.loads(json.dumps(notes.to_json()))
    assert JobNotes.from_json(data) == notes
    assert ("runs" in data) == (notes.runs is not None)   # only groups count their runs


@pytest.mark.parametrize("data", [None, {}, "text", [1]])
def test_missing_notes_read_back_as_none(data):
    assert JobNotes.from_json(data) is None


def test_an_outcome_shows_its_notes_as_json_and_its_group_by_size():
    job = Job("s/a.jsonl", "a.jsonl", "g", ("o/g.png",), group="g", members=("s/a.jsonl",))
    notes = JobNotes(rows=3, warning_count=1, warnings=("w",), final=(PanelFinal("acc", 0.5),))
    outcome = outcome_of(job, RENDERED, notes=notes)
    assert outcome.outputs == ("o/g.png",) and outcome.members == ("s/a.jsonl",)
    assert outcome.label == "group 'g' (1 run)"
    assert outcome.notes.to_json() == {"rows": 3, "warning_count": 1, "warnings": ["w"],
                                       "final": [{"panel": "acc", "final": 0.5}]}
    assert Outcome("a.jsonl", "a", FAILED, error="boom").notes is None
    assert Outcome("a.jsonl", "a", FAILED).label == "a.jsonl"
