"""Reading TensorBoard event files: both scalar encodings, merged files, tag selection, hparams, scans."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from rlplot.errors import InputError
from rlplot.io import tfevents_stream, tfevents_values
from rlplot.io.tfevents import (NoScalarsError, event_file_order, is_event_file, read_event_hparams,
                                read_event_run, scan_event_run)

from .tb_fixtures import (event_file, legacy_run, name_file, scalar_metadata, simple_event,
                          tensor_event, tf2_run)

WALL = 1.7e9


def column(table, name):
    """Values of a column where present (the tag logged a point)."""
    col = table.columns[name]
    return col.values[~col.missing].tolist()


def test_event_file_names_are_recognised():
    assert is_event_file("runs/PPO_1/events.out.tfevents.1656494111.host.12546.0")
    assert is_event_file("events.out.tfevents.1656494111.host.1.0.v2")
    assert not is_event_file("events.out.tfevents.1656494111.host.profile-empty")
    assert not is_event_file("runs/progress.csv")
    assert not is_event_file("events.out.tfevents")


def test_files_are_ordered_by_the_timestamp_in_their_names():
    names = ["d/events.out.tfevents.1700000200.b.1.0", "d/events.out.tfevents.1700000100.z.1.0",
             "d/events.out.tfevents.1700000100.a.1.0"]
    assert event_file_order(names) == [names[2], names[1], names[0]]


def test_legacy_simple_values_keep_step_and_wall_time(tmp_path):
    points = [("rollout/ep_rew_mean", s * 100, 0.25 * s, WALL + s) for s in range(5)]
    points += [("train/loss", s * 100, 1.0 / (s + 1), WALL + s + 0.5) for s in range(1, 5)]
    path = legacy_run(tmp_path / "PPO_1", points)
    table = read_event_run([path])
    assert table.format == "tfevents" and table.source == str(path)
    assert table.names == ["step", "wall_time", "rollout/ep_rew_mean", "train/loss"]
    assert column(table, "step") == [0, 100, 200, 300, 400]
    # a row's wall time is the one of the event that opened it
    assert column(table, "wall_time") == [WALL + s for s in range(5)]
    assert column(table, "rollout/ep_rew_mean") == [0.0, 0.25, 0.5, 0.75, 1.0]
    # simple_value is float32: the value read is the float32 nearest to what was logged
    assert column(table, "train/loss") == [float(np.float32(1.0 / (s + 1))) for s in range(1, 5)]
    assert table.columns["train/loss"].missing.tolist() == [True, False, False, False, False]
    assert table.skipped == ()


def test_tf2_scalar_tensors_are_read(tmp_path):
    path = tf2_run(tmp_path / "keras", [("epoch_loss", s, 2.0 - 0.5 * s, WALL + 10 * s)
                                        for s in range(4)])
    table = read_event_run([path])
    assert table.names == ["step", "wall_time", "epoch_loss"]
    assert column(table, "epoch_loss") == [2.0, 1.5, 1.0, 0.5]
    assert column(table, "wall_time") == [WALL, WALL + 10, WALL + 20, WALL + 30]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int16", "int32",
                                   "int64", "uint8", "uint16", "uint32", "uint64", "bool"])
@pytest.mark.parametrize("content", [False, True], ids=["typed-field", "tensor_content"])
def test_scalar_tensors_of_every_numeric_dtype(tmp_path, dtype, content):
    # TensorFlow's C++ writer stores values as tensor_content and puts the plugin metadata on a
    # tag's first value only; TensorBoard's make_tensor_proto uses the typed repeated fields.
    logged = [np.array(v).astype(dtype) for v in (1, 0, 3, 1, 2)]
    events = [tensor_event("metric", step, WALL + step, value, content=content,
                           metadata=scalar_metadata() if step == 0 else None)
              for step, value in enumerate(logged)]
    table = read_event_run([event_file(tmp_path, events)])
    assert column(table, "metric") == [float(v) for v in logged]
    assert table.skipped == ()


def test_bfloat16_and_exact_float64_tensors(tmp_path):
    from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2

    bits = np.array([2.5], dtype=np.float32).view(np.uint32)[0] >> 16   # bfloat16 of 2.5
    bf16 = tensor_pb2.TensorProto(dtype=14, half_val=[int(bits)])
    value = summary_pb2.Summary.Value(tag="bf", tensor=bf16, metadata=scalar_metadata())
    precise = tensor_event("f64", 2, WALL, np.float64(0.1) + 1e-12, metadata=scalar_metadata())
    table = read_event_run([event_file(tmp_path, [event_pb2.Event(
        step=1, wall_time=WALL, summary=summary_pb2.Summary(value=[value])), precise])])
    assert column(table, "bf") == [2.5]
    assert column(table, "f64") == [0.1 + 1e-12]


def test_data_class_scalar_without_the_plugin_name_is_a_scalar(tmp_path):
    events = [tensor_event("acc", s, WALL + s, np.float32(s / 4),
                           metadata=scalar_metadata(plugin="", data_class=1) if s == 0 else None)
              for s in range(3)]
    assert column(read_event_run([event_file(tmp_path, events)]), "acc") == [0.0, 0.25, 0.5]


def test_a_non_scalar_tensor_of_the_scalars_plugin_is_reported_once_and_skipped(tmp_path):
    events = [tensor_event("odd", s, WALL, np.array([1.0, 2.0]), content=True, shape=[2],
                           metadata=scalar_metadata()) for s in range(3)]
    events += [simple_event("ok", s, WALL, 1.0) for s in range(3)]
    table = read_event_run([event_file(tmp_path, events)])
    assert table.names == ["step", "wall_time", "ok"]
    assert len(table.skipped) == 1
    assert "tag 'odd'" in str(table.skipped[0]) and "shape [2]" in str(table.skipped[0])


def _non_scalar_run(folder):
    from tensorboardX import SummaryWriter
    from tensorboardX.proto.summary_pb2 import Summary

    sound = Summary.Audio(sample_rate=8000, num_channels=1, encoded_audio_string=b"RIFF....WAVE")
    with SummaryWriter(str(folder)) as writer:
        for step in range(3):
            writer.add_scalar("loss", 1.0 / (step + 1), step, walltime=WALL + step)
            writer.add_image("frame", np.zeros((3, 4, 4), dtype=np.uint8), step)
            writer.add_histogram("weights", np.arange(10.0), step)
            writer.add_text("note", f"step {step}", step)
            # add_audio needs soundfile: the same Summary.Audio value, written by the same writer
            writer.file_writer.add_summary(Summary(value=[Summary.Value(tag="sound", audio=sound)]), step)
    return [p for p in folder.iterdir() if is_event_file(p)]


def test_non_scalar_records_are_skipped_without_decoding(tmp_path, monkeypatch):
    from tensorboard.compat.proto import event_pb2
    from tensorboard.plugins.histogram import summary_v2 as histogram

    files = _non_scalar_run(tmp_path)
    hist = histogram.histogram_pb("tf2_hist", np.arange(20.0))      # a TF2 tensor of another plugin
    graph = event_pb2.Event(step=0, wall_time=WALL, graph_def=b"\x0a\x03abc")
    files.append(name_file(event_file(tmp_path, [event_pb2.Event(step=1, wall_time=WALL, summary=hist),
                                                 graph]), 9999999999))
    decoded = []
    real = tfevents_values.tensor_scalar
    monkeypatch.setattr(tfevents_values, "tensor_scalar", lambda raw: decoded.append(raw) or real(raw))
    table = read_event_run(files)
    assert table.names == ["step", "wall_time", "loss"]
    assert column(table, "loss") == [1.0, 0.5, float(np.float32(1 / 3))]
    assert decoded == []      # no tensor of the text or histograms plugins was decoded
    others = dict(scan_event_run(files).other_tags)
    assert others == {"frame": "images", "weights": "histograms", "note/text_summary": "text",
                      "sound": "audio", "tf2_hist": "histograms"}


def test_resumed_run_files_merge_in_name_order_and_repeat_steps(tmp_path):
    folder = tmp_path / "PPO_1"
    # the resumed attempt was written first here, but its name says it came later
    second = name_file(legacy_run(folder, [("r", s, 10.0 + s, WALL + 100 + s) for s in (3, 4, 5)]),
                       1700000200)
    first = name_file(legacy_run(folder, [("r", s, float(s), WALL + s) for s in range(5)]),
                      1700000100)
    table = read_event_run([second, first])
    assert table.source == str(folder)
    assert column(table, "step") == [0, 1, 2, 3, 4, 3, 4, 5]
    assert column(table, "r") == [0.0, 1.0, 2.0, 3.0, 4.0, 13.0, 14.0, 15.0]
    assert column(table, "wall_time")[-1] == WALL + 105
    summary = scan_event_run([second, first])
    assert summary.files == (str(first), str(second))
    (tag,) = summary.tags
    assert (tag.points, tag.min_step, tag.max_step, tag.restarts, tag.repeats) == (8, 0, 5, 1, 0)


def test_the_same_step_logged_twice_is_a_repeat(tmp_path):
    path = legacy_run(tmp_path, [("r", 1, 1.0, WALL), ("r", 1, 2.0, WALL), ("r", 2, 3.0, WALL)])
    assert column(read_event_run([path]), "step") == [1, 1, 2]
    (tag,) = scan_event_run([path]).tags
    assert (tag.repeats, tag.restarts) == (1, 0)


def _many_tags(folder):
    tags = ["rollout/ep_rew_mean", "rollout/ep_len_mean", "train/loss", "train/value_loss",
            "Eval/Reward", "time/fps"]
    return legacy_run(folder, [(tag, s, float(s + i), WALL + s) for s in range(20)
                               for i, tag in enumerate(tags)])


@pytest.mark.parametrize("wanted, kept", [
    (["rollout/ep_rew_mean"], ["rollout/ep_rew_mean"]),
    (["ROLLOUT/EP_REW_MEAN"], ["rollout/ep_rew_mean"]),            # case-insensitive
    (["ep_rew_mean"], ["rollout/ep_rew_mean"]),                    # last part of the name
    (["loss"], ["train/loss"]),                                    # not train/value_loss
    (["reward", "fps"], ["Eval/Reward", "time/fps"]),
    (["nothing_like_it"], []),
])
def test_tag_selection_keeps_what_find_column_could_pick(tmp_path, wanted, kept):
    from rlplot.columns import find_column

    path = _many_tags(tmp_path)
    table = read_event_run([path], tags=wanted)
    assert table.names == ["step", "wall_time", *kept]
    full = read_event_run([path])
    for name in wanted:
        assert find_column(table, name) == find_column(full, name)
        if find_column(full, name) is not None:
            assert column(table, find_column(table, name)) == column(full, find_column(full, name))


def test_selected_tags_hold_only_their_points(tmp_path, monkeypatch):
    import tracemalloc

    from rlplot.io import tfrecord

    # small read buffers, so that what is measured is the points kept
    monkeypatch.setattr(tfrecord, "CHUNK", 1 << 14)
    tags = [f"metric_{i}" for i in range(20)]
    path = legacy_run(tmp_path, [(tag, s, float(s), WALL + s) for s in range(300) for tag in tags])
    tracemalloc.start()
    read_event_run([path])
    everything = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    one = read_event_run([path], tags=["metric_3"])
    selected = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert one.names == ["step", "wall_time", "metric_3"] and one.n_rows == 300
    assert selected < everything / 5


def test_selecting_tags_of_a_run_without_scalars_still_says_so(tmp_path):
    from tensorboardX import SummaryWriter

    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_text("note", "hello", 0)
    files = [p for p in tmp_path.iterdir() if is_event_file(p)]
    with pytest.raises(NoScalarsError, match="no scalars in this run") as error:
        read_event_run(files, tags=["loss"])
    assert "text" in error.value.hint


def test_a_header_only_file_is_a_run_without_scalars(tmp_path):
    from tensorboardX import SummaryWriter

    SummaryWriter(str(tmp_path)).close()      # the job died before logging anything
    files = [p for p in tmp_path.iterdir() if is_event_file(p)]
    with pytest.raises(NoScalarsError) as error:
        read_event_run(files)
    assert isinstance(error.value, InputError)
    assert str(error.value).startswith(f"{files[0]}: no scalars in this run")
    assert "only a header" in error.value.hint
    summary = scan_event_run(files)
    assert (summary.events, summary.tags, summary.first_wall) == (1, (), None)


def test_no_files_is_an_input_error():
    with pytest.raises(InputError, match="no event files"):
        read_event_run([])


def test_a_missing_dependency_names_the_install_command(monkeypatch):
    import rlplot.io

    monkeypatch.setitem(sys.modules, "google_crc32c", None)     # as if it were not installed
    monkeypatch.delitem(sys.modules, "rlplot.io.tfrecord", raising=False)
    monkeypatch.delattr(rlplot.io, "tfrecord", raising=False)
    with pytest.raises(InputError, match="google_crc32c") as error:
        tfevents_stream.codecs()
    assert "pip install" in error.value.hint and "google-crc32c" in error.value.hint


def test_hparams_of_tensorboardx(tmp_path):
    from tensorboardX import SummaryWriter

    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_hparams({"lr": 0.001, "batch": 64, "algo": "ppo", "norm": True},
                           {"hparam/reward": 1.0}, name="trial")
    main = [p for p in tmp_path.iterdir() if is_event_file(p)]
    trial = [p for p in (tmp_path / "trial").iterdir() if is_event_file(p)]
    assert read_event_hparams(trial) == {"lr": 0.001, "batch": 64.0, "algo": "ppo", "norm": True}
    assert read_event_hparams(main) == {}


def test_hparams_of_tensorboard_with_nested_values_and_the_last_file_winning(tmp_path):
    from google.protobuf import struct_pb2
    from tensorboard.compat.proto import event_pb2
    from tensorboard.plugins.hparams import summary_v2 as hp

    first = hp.hparams_pb({"lr": 0.1, "layers": 2})
    nested = struct_pb2.Struct()
    nested.update({"lr": 0.01, "betas": [0.9, 0.99]})
    second = hp.hparams_pb({"lr": 0.05, "seed": 3})
    second.value[0].metadata.plugin_data.content = _with_struct(
        second.value[0].metadata.plugin_data.content, "optimizer", nested)
    files = [name_file(event_file(tmp_path, [event_pb2.Event(wall_time=WALL, summary=first)]), 1),
             name_file(event_file(tmp_path, [event_pb2.Event(wall_time=WALL, summary=second)]), 2)]
    assert read_event_hparams(files) == {"lr": 0.05, "layers": 2.0, "seed": 3.0,
                                         "optimizer.lr": 0.01, "optimizer.betas": [0.9, 0.99]}


def _with_struct(content: bytes, key: str, struct) -> bytes:
    from tensorboard.plugins.hparams import plugin_data_pb2

    data = plugin_data_pb2.HParamsPluginData.FromString(content)
    data.session_start_info.hparams[key].struct_value.CopyFrom(struct)
    return data.SerializeToString()


def test_scan_counts_points_and_step_ranges_of_every_tag(tmp_path):
    path = _many_tags(tmp_path)
    summary = scan_event_run([path])
    assert summary.events == 1 + 6 * 20
    assert [t.name for t in summary.tags][:2] == ["rollout/ep_rew_mean", "rollout/ep_len_mean"]
    assert {(t.points, t.min_step, t.max_step) for t in summary.tags} == {(20, 0, 19)}
    assert (summary.first_wall, summary.last_wall) == (WALL, WALL + 19)
    assert summary.notices == () and summary.other_tags == ()
