"""The reader against TensorBoard's own EventAccumulator: random runs, and the shared real logs."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rlplot.io.tfevents import NoScalarsError, is_event_file, read_event_run, scan_event_run
from rlplot.io.tfevents_stream import prefilter, tag_filter

from .tb_fixtures import legacy_run, tf2_run

TAGS = ["loss", "train/Loss", "rollout/ep_rew_mean", "Ünï/çødé", "a.b.c", "K\u212aelvin/x"]
points = st.lists(st.tuples(st.sampled_from(TAGS), st.integers(0, 2**40),
                            st.floats(width=32, allow_nan=False), st.floats(1e9, 2e9)),
                  min_size=1, max_size=25)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def reference(folder: Path, tf2: bool) -> dict[str, list[tuple[int, float, float]]]:
    """tag -> [(step, wall time, value)] in file order, as TensorBoard's EventAccumulator reads them."""
    from tensorboard.backend.event_processing import event_accumulator, plugin_event_accumulator
    from tensorboard.util import tensor_util

    if tf2:
        acc = plugin_event_accumulator.EventAccumulator(str(folder), size_guidance={"tensors": 0},
                                                        purge_orphaned_data=False)
        acc.Reload()
        return {tag: [(e.step, e.wall_time, float(tensor_util.make_ndarray(e.tensor_proto)))
                      for e in acc.Tensors(tag)] for tag in acc.Tags()["tensors"]}
    acc = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0},
                                             purge_orphaned_data=False)
    acc.Reload()
    return {tag: [(e.step, e.wall_time, e.value) for e in acc.Scalars(tag)]
            for tag in acc.Tags()["scalars"]}


def by_tag(table) -> dict[str, Counter]:
    """tag -> multiset of (step, value) in a wide table."""
    step = table.columns["step"].values
    return {name: Counter(zip(step[~col.missing].astype(int).tolist(), col.values[~col.missing].tolist()))
            for name, col in table.columns.items() if name not in ("step", "wall_time")}


@SETTINGS
@given(logged=points, tf2=st.booleans())
def test_random_runs_read_as_tensorboard_reads_them(tmp_path_factory, logged, tf2):
    folder = tmp_path_factory.mktemp("run")
    (tf2_run if tf2 else legacy_run)(folder, logged)
    expected = reference(folder, tf2)
    table = read_event_run([p for p in folder.iterdir() if is_event_file(p)])
    assert by_tag(table) == {tag: Counter((s, v) for s, _, v in events)
                             for tag, events in expected.items()}
    # every row's wall time is that of an event logged at the row's step
    logged_walls = {(s, w) for events in expected.values() for s, w, _ in events}
    rows = zip(table.columns["step"].values.astype(int).tolist(), table.columns["wall_time"].values.tolist())
    assert set(rows) <= logged_walls


@SETTINGS
@given(steps=st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_one_tag_keeps_file_order_steps_and_wall_times_exactly(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("run")
    legacy_run(folder, [("r", s, float(i), 1.7e9 + i) for i, s in enumerate(steps)])
    (expected,) = reference(folder, tf2=False).values()
    table = read_event_run([p for p in folder.iterdir() if is_event_file(p)])
    got = list(zip(table.columns["step"].values.astype(int).tolist(),
                   table.columns["wall_time"].values.tolist(), table.columns["r"].values.tolist()))
    assert got == expected


def _event_payload(tag: str) -> bytes:
    from tensorboard.compat.proto import event_pb2, summary_pb2

    return event_pb2.Event(step=7, wall_time=1.7e9, summary=summary_pb2.Summary(
        value=[summary_pb2.Summary.Value(tag=tag, simple_value=1.0)])).SerializeToString()


names = st.text(st.characters(codec="utf-8", categories=("L", "N", "P")), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(tag=st.one_of(names, st.builds("/".join, st.lists(names, min_size=2, max_size=3))),
       wanted=st.lists(names, min_size=1, max_size=4), pick=st.booleans())
def test_the_prefilter_never_drops_a_record_of_a_wanted_tag(tag, wanted, pick):
    # Whatever the tag (any Unicode, including letters whose lower case is ASCII), a record
    # whose tag the filter keeps passes the byte-level prefilter.
    if pick:
        wanted = wanted + [tag.split("/")[-1].upper()]
    test = prefilter(wanted)
    if tag_filter(wanted)(tag) and test is not None:
        assert test(_event_payload(tag).lower()) is not None


@pytest.mark.parametrize("tag, wanted", [("\u212a/loss", "k/loss"), ("WAR\u212a", "wark"),
                                         ("Loss", "loss"), ("x/LOSS", "loss"), ("\u0130/loss", "loss")])
def test_letters_whose_lower_case_is_ascii_pass_the_prefilter(tag, wanted):
    wanted = [wanted]
    assert tag_filter(wanted)(tag)
    assert prefilter(wanted)(_event_payload(tag).lower()) is not None


def _real_runs() -> list[Path]:
    for root in (Path(__file__).resolve().parents[3] / "shared" / "real-logs",
                 Path("/work/shared/real-logs")):
        if root.is_dir():
            return sorted({p.parent for p in root.glob("tb_*/**/*") if is_event_file(p)})
    return []


@pytest.mark.skipif(not _real_runs(), reason="the shared real logs are not beside this checkout")
@pytest.mark.parametrize("folder", _real_runs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_event_files_read_as_tensorboard_reads_them(folder):
    files = [p for p in folder.iterdir() if is_event_file(p)]
    expected = reference(folder, tf2=False)
    summary = scan_event_run(files)
    assert {t.name: t.points for t in summary.tags} == {tag: len(e) for tag, e in expected.items()}
    if not expected:        # A2C_2: a 40-byte header-only file
        with pytest.raises(NoScalarsError, match="no scalars in this run"):
            read_event_run(files)
        return
    table = read_event_run(files)
    assert by_tag(table) == {tag: Counter((s, v) for s, _, v in e) for tag, e in expected.items()}
    assert table.skipped == ()
    first = np.min([w for e in expected.values() for _, w, _ in e])
    assert table.columns["wall_time"].values[0] == first
