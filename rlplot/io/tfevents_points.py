"""The scalar points of a run's event files, one piece of a file at a time, in file order.

Each piece of framed records (``tfrecord.read_spans``) is read twice over: scalar-only
records in bulk (``tfevents_bulk``), every other record by protobuf as an Event, as
``tfevents_stream`` decodes them; the two are merged back into file order. What a tag's
value holds (``simple_value`` or a TF2 tensor) is read by ``tfevents_values.ScalarTags``.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import numpy as np

from ..errors import InputError
from .tfevents_bulk import read_bulk
from .tfevents_stream import NOT_AN_EVENT, Damage, Prefilter, codecs, decode_event


@dataclass(frozen=True)
class Points:
    """Scalar points of one piece in file order, shape (n,) each (``tags``: ids into
    ``ScalarReader.tags``), the records decoded as Events, and the wall times of the first
    and last Event holding summary values (None if none did)."""

    steps: np.ndarray
    walls: np.ndarray
    tags: np.ndarray
    values: np.ndarray
    events: int
    summary_walls: tuple[float, float] | None


class _Slow:
    """Points of the records protobuf decodes, with their record numbers."""

    def __init__(self) -> None:
        self.records, self.steps, self.tags = array("q"), array("q"), array("q")
        self.walls, self.values = array("d"), array("d")
        self.summaries: list[tuple[int, float]] = []   # (record, wall) of Events with values
        self.events = 0

    def add(self, record: int, step: int, wall: float, tag: int, value: float) -> None:
        self.records.append(record)
        self.steps.append(step)
        self.walls.append(wall)
        self.tags.append(tag)
        self.values.append(value)

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (np.frombuffer(self.records, dtype=np.int64), np.frombuffer(self.steps, dtype=np.int64),
                np.frombuffer(self.walls), np.frombuffer(self.values), np.frombuffer(self.tags, dtype=np.int64))


class ScalarReader:
    """Reads the scalar points of event files: the tags ``keep`` accepts, decoding only the
    records ``wanted`` passes (see ``tfevents_stream.prefilter``); ``tags`` names the ids."""

    def __init__(self, damage: Damage, scalars, keep: Callable[[str], bool] | None = None,
                 wanted: Prefilter | None = None) -> None:
        self.damage, self.scalars, self.keep, self.wanted = damage, scalars, keep, wanted
        self.tags: list[str] = []
        self._ids: dict[str, int] = {}
        self._kept: dict[str, bool] = {}

    def pieces(self, files: Sequence[str]) -> Iterator[Points]:
        """The points of each piece of ``files``, in order."""
        tfrecord, proto, _ = codecs()
        parse = proto.Event.FromString
        for path in files:
            try:
                for spans in tfrecord.read_spans(path, self.damage.in_file(path)):
                    yield self._piece(path, spans, parse)
            except OSError as error:
                raise InputError(f"cannot read: {error.strerror or error}", file=path) from None

    def _id(self, tag: str) -> int:
        found = self._ids.get(tag)
        if found is None:
            found = self._ids[tag] = len(self.tags)
            self.tags.append(tag)
        return found

    def _keeps(self, tag: str) -> bool:
        kept = self._kept.get(tag)
        if kept is None:
            kept = self._kept[tag] = self.keep is None or self.keep(tag)
        return kept

    def _piece(self, path: str, spans, parse) -> Points:
        bulk = read_bulk(spans, parse, self._keeps if self.keep is not None else None)
        slow = self._decode(path, spans, bulk.slow, parse)
        ids = np.array([self._id(t) for t in bulk.tag_names], dtype=np.int64)
        kept = np.array([self._keeps(t) for t in bulk.tag_names], dtype=bool)
        take = kept[bulk.tags]
        bulk_points = (bulk.records[take], bulk.steps[take], bulk.walls[take], bulk.values[take],
                       ids[bulk.tags[take]])
        records, steps, walls, values, tags = (np.concatenate(pair) for pair in
                                               zip(bulk_points, slow.arrays()))
        order = np.argsort(records, kind="stable")
        firsts = slow.summaries[:1] + slow.summaries[-1:]
        if len(bulk.records):   # grouped by shape: the first and last record are anywhere
            first, last = int(np.argmin(bulk.records)), int(np.argmax(bulk.records))
            firsts += [(int(bulk.records[first]), float(bulk.walls[first])),
                       (int(bulk.records[last]), float(bulk.walls[last]))]
        summary_walls = (min(firsts)[1], max(firsts)[1]) if firsts else None
        return Points(steps[order], walls[order], tags[order], values[order],
                      bulk.bulk_records + slow.events, summary_walls)

    def _decode(self, path: str, spans, records: np.ndarray, parse) -> _Slow:
        """The points of ``records`` of a piece, decoded by protobuf one by one."""
        slow = _Slow()
        for record in records.tolist():
            event = decode_event(spans.payload(record), parse, self.wanted,
                                 lambda: self.damage.report(path, NOT_AN_EVENT))
            if event is None:
                continue
            slow.events += 1
            summary_values = event.summary.value
            if not summary_values:
                continue
            step, wall = event.step, event.wall_time
            slow.summaries.append((record, wall))
            for value in summary_values:
                tag = value.tag
                if not self._keeps(tag):
                    continue
                # the legacy encoding inline: most files hold nothing else
                number = (value.simple_value if value.HasField("simple_value")
                          else self.scalars.value(path, tag, value))
                if number is not None:
                    slow.add(record, step, wall, self._id(tag), number)
        return slow
