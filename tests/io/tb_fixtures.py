"""Event files for the tests, written by the real writers (never hand-built bytes).

- ``legacy_run``: tensorboardX's ``SummaryWriter.add_scalar`` (``simple_value``, as SB3 and
  ``torch.utils.tensorboard`` write them).
- ``tf2_run``: TensorBoard's own TF-free ``tensorboard.summary.Writer`` (a float32 tensor of
  the "scalars" plugin, as ``tf.summary.scalar`` writes it).
- ``event_file``: TensorBoard's ``EventFileWriter`` (the writer ``torch.utils.tensorboard``
  uses) for events built with TensorBoard's protobuf classes: other dtypes, ``tensor_content``
  as TensorFlow's C++ writer stores it, metadata on a tag's first value only, non-scalars.

Corruption tests then truncate or flip bytes of these real files (``corrupt_*``).
"""
from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

Point = tuple[str, int, float, float]   # tag, step, value, wall time


def _only_event_file(folder: Path, before: set[str]) -> Path:
    made = [name for name in os.listdir(folder) if name not in before and "tfevents" in name]
    assert len(made) == 1, made
    return folder / made[0]


def name_file(path: Path, timestamp: int, suffix: str = "host.1.0") -> Path:
    """Rename a written event file so that its name carries ``timestamp`` (TensorBoard's order)."""
    target = path.with_name(f"events.out.tfevents.{timestamp:010d}.{suffix}")
    path.rename(target)
    return target


def legacy_run(folder: Path, points: Iterable[Point]) -> Path:
    """Write ``points`` with tensorboardX ``add_scalar`` (simple_value); return the event file."""
    from tensorboardX import SummaryWriter

    folder.mkdir(parents=True, exist_ok=True)
    before = set(os.listdir(folder))
    with SummaryWriter(str(folder), max_queue=100_000, flush_secs=3600) as writer:
        for tag, step, value, wall in points:
            writer.add_scalar(tag, value, step, walltime=wall)
    return _only_event_file(folder, before)


def tf2_run(folder: Path, points: Iterable[Point]) -> Path:
    """Write ``points`` with TensorBoard's ``summary.Writer`` (TF2 scalar tensors); return the file."""
    from tensorboard.summary import Writer

    folder.mkdir(parents=True, exist_ok=True)
    before = set(os.listdir(folder))
    writer = Writer(str(folder))
    for tag, step, value, wall in points:
        writer.add_scalar(tag, value, step, wall_time=wall)
    writer.close()
    return _only_event_file(folder, before)


def event_file(folder: Path, events: Iterable) -> Path:
    """Write TensorBoard ``event_pb2.Event`` messages with its EventFileWriter; return the file."""
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    folder.mkdir(parents=True, exist_ok=True)
    before = set(os.listdir(folder))
    writer = EventFileWriter(str(folder), max_queue_size=1000, flush_secs=3600)
    for event in events:
        writer.add_event(event)
    writer.close()
    return _only_event_file(folder, before)


def scalar_metadata(*, plugin: str = "scalars", data_class: int = 0):
    """SummaryMetadata of a TF2 scalar (``data_class`` 1 = DATA_CLASS_SCALAR, as newer TF adds)."""
    from tensorboard.compat.proto import summary_pb2

    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin), data_class=data_class)


def tensor_event(tag: str, step: int, wall: float, value, *, content: bool = False,
                 metadata=None, shape: Sequence[int] = ()):
    """An Event holding ``value`` (a numpy scalar or array) as a TensorProto.

    ``content``: the bytes in ``tensor_content`` (TensorFlow's C++ summary writer), else the
    typed repeated field (TensorBoard's ``make_tensor_proto``). ``metadata`` None: none (as
    TF2 writes every value of a tag after its first).
    """
    from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2
    from tensorboard.util import tensor_util

    array = np.asarray(value)
    if content:
        tensor = tensor_pb2.TensorProto(
            dtype=tensor_util.make_tensor_proto(array.reshape(-1)[:1]).dtype,
            tensor_shape=tensor_shape_pb2.TensorShapeProto(
                dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=s) for s in shape]),
            tensor_content=array.astype(array.dtype.newbyteorder("<")).tobytes())
    else:
        tensor = tensor_util.make_tensor_proto(array)
    value_pb = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
    if metadata is not None:
        value_pb.metadata.CopyFrom(metadata)
    return event_pb2.Event(step=step, wall_time=wall, summary=summary_pb2.Summary(value=[value_pb]))


def simple_event(tag: str, step: int, wall: float, value: float):
    """An Event with one legacy ``simple_value``."""
    from tensorboard.compat.proto import event_pb2, summary_pb2

    return event_pb2.Event(step=step, wall_time=wall, summary=summary_pb2.Summary(
        value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)]))


def record_offsets(path: Path) -> list[int]:
    """Byte offset of every record of a (well-formed) event file, and the file size last."""
    data = path.read_bytes()
    offsets, pos = [], 0
    while pos < len(data):
        offsets.append(pos)
        (length,) = struct.unpack_from("<Q", data, pos)
        pos += 16 + length
    return offsets + [len(data)]


def corrupt_byte(path: Path, offset: int) -> None:
    """Flip every bit of one byte of a real event file (a corruption test)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path, size: int) -> None:
    """Cut a real event file to ``size`` bytes, as a killed job leaves it."""
    with open(path, "r+b") as handle:
        handle.truncate(size)
