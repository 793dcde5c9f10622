"""Scalar events decoded in bulk: records holding only ``simple_value`` scalars, read with numpy.

Legacy writers (tensorboardX, ``torch.utils.tensorboard``, SB3) log every scalar as an Event
of the same shape: ``wall_time``, ``step``, and a Summary of Values that hold a tag and a
float32 ``simple_value``. Records of one tag and one step width have the same length and the
same bytes everywhere except the wall time, the step and the floats. So the first record of
each shape is walked field by field (and checked against protobuf's own decoding of it), and
every record of that length whose other bytes equal it is read at once from fixed offsets.
Anything else (TF2 tensors, metadata, images, a record of a shape seen first here) is left to
protobuf, record by record (``Bulk.slow``); the caller merges both in file order.

A record that matches a shape parses, by construction, exactly as protobuf parses it: the
structural bytes are equal, the step varint is checked to have the shape's width, and the
floats and the wall time are fixed-width. tests/io/test_tfevents_bulk.py compares both.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .tfrecord import Spans

# Shapes tried per record length before the rest of that length goes to protobuf: a run's
# records of one length are few tags (SB3 logs ~10), and each try compares every record.
MAX_SHAPES_PER_LENGTH = 32
# Longer records are never scalar-only events of a few tags (graphs, images, histograms):
# straight to protobuf.
MAX_BULK_LENGTH = 1 << 14
_WALL, _STEP, _SUMMARY = 0x09, 0x10, 0x2A      # Event fields 1 (fixed64), 2 (varint), 5 (bytes)
_VALUE, _TAG, _SIMPLE = 0x0A, 0x0A, 0x15       # Summary.value, Value.tag, Value.simple_value


@dataclass(frozen=True)
class Shape:
    """Where the data of one record shape lie: offsets into a record of ``length`` bytes."""

    length: int
    wall: int | None                    # wall_time's 8 bytes (None: 0.0, not written)
    step: tuple[int, int] | None        # step's varint: offset, width (None: step 0)
    tags: tuple[str, ...]               # one per Value, in order
    floats: tuple[int, ...]             # each Value's float32 simple_value

    def structure(self) -> np.ndarray:
        """Which bytes every record of this shape holds equal (not wall, step or floats); (length,)."""
        fixed = np.ones(self.length, dtype=bool)
        if self.wall is not None:
            fixed[self.wall:self.wall + 8] = False
        if self.step is not None:
            fixed[self.step[0]:self.step[0] + self.step[1]] = False
        for offset in self.floats:
            fixed[offset:offset + 4] = False
        return fixed


def _varint(data: bytes, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise ValueError("bad varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def learn_shape(payload: bytes) -> Shape | None:
    """The Shape of a scalar-only Event record, or None for any other record."""
    try:
        return _walk(payload)
    except (ValueError, UnicodeDecodeError):
        return None


def _walk(payload: bytes) -> Shape | None:
    end, pos = len(payload), 0
    wall = step = summary = None
    while pos < end:
        key, pos = _varint(payload, pos, end)
        if key == _WALL and wall is None and pos + 8 <= end:
            wall, pos = pos, pos + 8
        elif key == _STEP and step is None:
            start = pos
            _, pos = _varint(payload, pos, end)
            step = (start, pos - start)
        elif key == _SUMMARY and summary is None:
            size, pos = _varint(payload, pos, end)
            summary, pos = (pos, pos + size), pos + size
        else:
            return None
    if pos != end or summary is None:
        return None
    tags, floats = [], []
    pos, end = summary
    while pos < end:
        key, pos = _varint(payload, pos, end)
        if key != _VALUE:
            return None
        size, pos = _varint(payload, pos, end)
        if pos + size > end:
            return None
        tag, number, pos = _value(payload, pos, pos + size)
        if tag is None or number is None or pos > end:
            return None
        tags.append(tag)
        floats.append(number)
    if pos != end or not tags:
        return None
    return Shape(len(payload), wall, step, tuple(tags), tuple(floats))


def _value(payload: bytes, pos: int, end: int) -> tuple[str | None, int | None, int]:
    """A Summary.Value holding just a tag and a simple_value: (tag, float offset, end)."""
    tag = number = None
    while pos < end:
        key, pos = _varint(payload, pos, end)
        if key == _TAG and tag is None:
            size, pos = _varint(payload, pos, end)
            if pos + size > end:
                raise ValueError("tag past the value")
            tag, pos = payload[pos:pos + size].decode("utf-8"), pos + size
        elif key == _SIMPLE and number is None and pos + 4 <= end:
            number, pos = pos, pos + 4
        else:
            return None, None, pos
    return tag, number, pos


def agrees_with_protobuf(shape: Shape, payload: bytes, parse) -> bool:
    """Whether protobuf's decoding of ``payload`` gives what ``shape`` reads from it."""
    try:
        event = parse(payload)
    except Exception:   # protobuf's DecodeError
        return False
    values = event.summary.value
    row = np.frombuffer(payload, dtype=np.uint8)[None, :]
    walls, steps, numbers = _read(shape, row)
    if len(values) != len(shape.tags) or int(steps[0]) != event.step:
        return False
    if not _same(float(walls[0]), event.wall_time):
        return False
    return all(v.tag == tag and v.HasField("simple_value") and _same(float(x), v.simple_value)
               for v, tag, x in zip(values, shape.tags, numbers[0]))


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _read(shape: Shape, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wall times (m,), steps (m,) and values (m, tags) of records ``rows`` (m, length) of ``shape``."""
    m = rows.shape[0]
    if shape.wall is None:
        walls = np.zeros(m)
    else:
        walls = np.ascontiguousarray(rows[:, shape.wall:shape.wall + 8]).view("<f8").ravel()
    steps = np.zeros(m, dtype=np.uint64)
    if shape.step is not None:
        offset, width = shape.step
        for i in range(width):
            steps |= (rows[:, offset + i] & 0x7F).astype(np.uint64) << np.uint64(7 * i)
    values = np.empty((m, len(shape.floats)))
    with np.errstate(invalid="ignore"):   # a signalling NaN widens to NaN, silently (as protobuf)
        for j, offset in enumerate(shape.floats):
            values[:, j] = np.ascontiguousarray(rows[:, offset:offset + 4]).view("<f4").ravel()
    return walls, steps.view(np.int64), values


def _step_width_holds(shape: Shape, rows: np.ndarray) -> np.ndarray:
    """Which records' step varint is exactly the shape's width; (m,) bool."""
    if shape.step is None:
        return np.ones(rows.shape[0], dtype=bool)
    offset, width = shape.step
    ok = rows[:, offset + width - 1] < 0x80
    for i in range(width - 1):
        ok &= rows[:, offset + i] >= 0x80
    return ok


@dataclass(frozen=True)
class Bulk:
    """The scalar points of one piece's records read in bulk, and the records left to protobuf.

    ``records`` (the record each point comes from), ``steps``, ``walls``, ``values`` and
    ``tags`` (indices into ``tag_names``) have one entry per point, shape (n,), grouped by
    record shape: a stable sort on ``records`` puts them in file order. ``slow`` is sorted."""

    records: np.ndarray
    steps: np.ndarray
    walls: np.ndarray
    values: np.ndarray
    tags: np.ndarray
    tag_names: tuple[str, ...]
    slow: np.ndarray
    bulk_records: int                   # records read here (each is one Event)


def read_bulk(spans: Spans, parse, keep: Callable[[str], bool] | None = None) -> Bulk:
    """Read the scalar-only records of ``spans`` in bulk; ``parse`` is protobuf's Event parser,
    used once per shape to confirm it. Records whose tags ``keep`` refuses all are passed over
    (counted, not read)."""
    data = np.frombuffer(spans.buffer, dtype=np.uint8)
    names: dict[str, int] = {}
    parts, slow, done = [], [], 0
    for length in np.unique(spans.lengths).tolist():
        which = np.flatnonzero(spans.lengths == length)
        if length > MAX_BULK_LENGTH:
            slow.append(which)
            continue
        rows = sliding_window_view(data, length)[spans.starts[which]]   # copies just (m, length)
        left = np.ones(len(which), dtype=bool)
        for _ in range(MAX_SHAPES_PER_LENGTH):
            if not left.any():
                break
            first = int(np.argmax(left))
            payload = rows[first].tobytes()
            shape = learn_shape(payload)
            if shape is None or not agrees_with_protobuf(shape, payload, parse):
                break
            fixed = shape.structure()
            match = left & (rows[:, fixed] == rows[first, fixed]).all(axis=1) \
                & _step_width_holds(shape, rows)
            left &= ~match
            if keep is not None and not any(keep(tag) for tag in shape.tags):
                done += int(match.sum())
                continue
            walls, steps, values = _read(shape, rows[match])
            codes = np.array([names.setdefault(tag, len(names)) for tag in shape.tags])
            count, per = len(walls), len(shape.tags)
            parts.append((np.repeat(which[match], per), np.repeat(steps, per),
                          np.repeat(walls, per), values.ravel(), np.tile(codes, count)))
            done += count
        slow.append(which[left])
    return _assembled(parts, names, np.sort(np.concatenate(slow)) if slow else np.zeros(0, np.int64),
                      done)


def _assembled(parts, names: dict[str, int], slow: np.ndarray, done: int) -> Bulk:
    if not parts:
        empty = np.zeros(0)
        return Bulk(empty.astype(np.int64), empty.astype(np.int64), empty, empty,
                    empty.astype(np.int64), (), slow.astype(np.int64), done)
    records, steps, walls, values, tags = (np.concatenate(column) for column in zip(*parts))
    return Bulk(records, steps, walls, values, tags, tuple(names), slow.astype(np.int64), done)
