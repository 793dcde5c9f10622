"""TensorBoard event files (``events.out.tfevents.*``) -> one Table per run, without TensorFlow.

A run is the event files of one folder, read in TensorBoard's order (by the timestamp in
the file name): a resumed job writes a new file, and the steps it logs again open new rows,
so cleaning's restart and duplicate policies handle them. Scalars come in two encodings,
both read: the legacy ``simple_value`` (tensorboardX, ``torch.utils.tensorboard``, SB3) and
TF2 tensor summaries of the "scalars" plugin (``tf.summary.scalar``, Keras, flax/clu),
whose dtype is read from the TensorProto. Every point keeps its step and wall time.

Damage is reported as a ``Notice`` (with ``strict``, raised as ``InputError``): a record
cut short (a job still writing, or killed), a checksum mismatch, a corrupt header. A run
with no scalar at all raises ``NoScalarsError`` so a caller can report it and leave it out.

Layers: ``tfrecord`` (record framing, CRC32C), ``tfevents_proto`` (the protobuf messages),
``tfevents_stream`` (decoded events, damage, which records to decode), ``tfevents_bulk``
(scalar-only records read with numpy), ``tfevents_points`` (the scalar points of a run, bulk
and protobuf merged in file order), ``tfevents_values`` (the number in a summary value), and
here what a caller reads: tables, scans, hparams.
"""
from __future__ import annotations

import mmap
import os
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..data import Notice, Table
from ..errors import InputError
from .magic import is_event_file  # noqa: F401  (re-exported)
from .pivot import wide_from_long
from .tfevents_points import ScalarReader
from .tfevents_stream import Damage, codecs, decoded_events, prefilter, tag_filter

FORMAT = "tfevents"
_NAME = re.compile(r"events\.out\.tfevents\.(\d+)")


class NoScalarsError(InputError):
    """A run whose event files hold no scalar (header-only, or only images, histograms, ...)."""



def event_file_order(files: Iterable[str | os.PathLike]) -> list[str]:
    """The files in the order TensorBoard reads them: by the creation timestamp in the name."""
    def key(path: str) -> tuple[float, str, str]:
        found = _NAME.match(os.path.basename(path))
        return (int(found.group(1)) if found else float("inf"), os.path.basename(path), path)
    return sorted((os.fspath(f) for f in files), key=key)


def _run_source(files: Sequence[str]) -> str:
    """A run's name in messages: its one file, else the folder its files share."""
    return files[0] if len(files) == 1 else os.path.commonpath(files)


def _ordered(files: Iterable[str | os.PathLike]) -> list[str]:
    ordered = event_file_order(files)
    if not ordered:
        raise InputError("no event files given", hint="pass the events.out.tfevents.* files of one run")
    return ordered


def read_event_run(files: Iterable[str | os.PathLike], *, tags: Iterable[str] | None = None,
                   strict: bool = False, source: str | None = None) -> Table:
    """Read the event files of one run into a Table: ``step``, ``wall_time``, then one column per tag.

    ``tags`` keeps only the tags one of these names could match (see ``tfevents_stream.tag_filter``):
    records of other tags are skipped before decoding and memory grows with the selected
    tags' points only. A name no tag matches is not an error here (``require_column``
    reports it; ``scan_event_run`` lists the run's tags). Raises ``NoScalarsError`` when
    the run holds no scalar at all, ``InputError`` on damage when ``strict``.
    """
    ordered = _ordered(files)
    source = source or _run_source(ordered)
    damage = Damage(strict)
    scalars = codecs()[2].ScalarTags(damage.notices.append)
    reader = ScalarReader(damage, scalars, tag_filter(tags), prefilter(tags))
    pieces = list(reader.pieces(ordered))
    events = sum(piece.events for piece in pieces)
    steps, walls, tag_ids, values = (np.concatenate([getattr(piece, name) for piece in pieces])
                                     if pieces else np.zeros(0)
                                     for name in ("steps", "walls", "tags", "values"))
    names, tag_ids = _by_first_point(reader.tags, tag_ids.astype(np.int64))
    if not names:
        _check_has_scalars(source, ordered, events, scalars.plugins, damage.notices, tags is None)
    return wide_from_long(source, FORMAT, steps.astype(np.int64), tag_ids, names, values, walls,
                          skipped=tuple(damage.notices))


def _by_first_point(tags: Sequence[str], ids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The tags that have points, in order of their first point, and ``ids`` renumbered to match."""
    present, first = np.unique(ids, return_index=True)
    ranked = present[np.argsort(first)]
    renumber = np.zeros(len(tags), dtype=np.int64)
    renumber[ranked] = np.arange(len(ranked))
    return [tags[i] for i in ranked.tolist()], renumber[ids]


def _check_has_scalars(source: str, files: Sequence[str], events: int, plugins: dict[str, str],
                       notices: Sequence[Notice], read_all: bool) -> None:
    """Raise NoScalarsError when a run holds no scalar; when only some tags were read, scan it."""
    if not read_all:   # the prefilter skipped records undecoded: look at all of them (rare path)
        summary = scan_event_run(files)
        if summary.tags:
            return
        events, plugins = summary.events, dict(summary.other_tags)
    raise _no_scalars(source, files, events, plugins, notices)


def _no_scalars(source: str, files: Sequence[str], events: int, plugins: dict[str, str],
                notices: Sequence[Notice]) -> NoScalarsError:
    """The error for a run without a single scalar, saying what it holds instead."""
    if notices:
        hint = f"{len(notices)} damaged part(s) skipped, first: {notices[0]}"
    elif plugins:
        kinds = sorted(set(plugins.values()))
        hint = f"it logs only {', '.join(kinds)} ({len(plugins)} tag(s))"
    elif events == 0:
        hint = "its event file is empty" if len(files) == 1 else "its event files are empty"
    elif events <= len(files):
        hint = ("its event file holds only a header: the job stopped before logging anything"
                if len(files) == 1 else
                f"its {len(files)} event files hold only headers: the job stopped before logging")
    else:
        hint = f"{events} events, none a summary"
    return NoScalarsError("no scalars in this run", file=source, hint=hint)


@dataclass(frozen=True)
class TagSummary:
    """One scalar tag of a run: how many points, its step range, steps that went back or repeat."""

    name: str
    points: int
    min_step: int
    max_step: int
    restarts: int = 0   # points whose step is below the tag's previous step (a resumed job)
    repeats: int = 0    # points whose step equals the tag's previous step


@dataclass(frozen=True)
class EventRunSummary:
    """What ``rlplot inspect`` shows of a run of event files, read without keeping the points."""

    source: str
    files: tuple[str, ...]
    events: int
    tags: tuple[TagSummary, ...]               # scalar tags, in order of first appearance
    other_tags: tuple[tuple[str, str], ...]    # (tag, what it holds: "images", "histograms", ...)
    first_wall: float | None
    last_wall: float | None
    notices: tuple[Notice, ...] = ()


def scan_event_run(files: Iterable[str | os.PathLike], *, source: str | None = None
                   ) -> EventRunSummary:
    """Summarise a run's event files (tags, point counts, step ranges, damage) in one pass.

    Decodes every scalar but keeps only per-tag counters. Never raises for damage or
    for a run without scalars: both are what an inspection reports.
    """
    ordered = _ordered(files)
    damage = Damage(strict=False)
    scalars = codecs()[2].ScalarTags(damage.notices.append)
    reader = ScalarReader(damage, scalars)
    stats: dict[int, _TagStats] = {}   # in order of first point
    events, first_wall, last_wall = 0, None, None
    for piece in reader.pieces(ordered):
        events += piece.events
        if piece.summary_walls is not None:
            first_wall = piece.summary_walls[0] if first_wall is None else first_wall
            last_wall = piece.summary_walls[1]
        _fold(stats, piece.tags, piece.steps)
    tags = tuple(TagSummary(reader.tags[tag], s.points, s.min_step, s.max_step, s.restarts,
                            s.repeats) for tag, s in stats.items())
    names = {summary.name for summary in tags}
    others = tuple((tag, what) for tag, what in scalars.plugins.items() if tag not in names)
    return EventRunSummary(source or _run_source(ordered), tuple(ordered), events, tags, others,
                           first_wall, last_wall, tuple(damage.notices))


@dataclass
class _TagStats:
    points: int
    min_step: int
    max_step: int
    last: int
    restarts: int = 0
    repeats: int = 0


def _fold(stats: dict[int, _TagStats], tags: np.ndarray, steps: np.ndarray) -> None:
    """Add one piece's points (tags, steps: shape (n,), file order) to each tag's counters."""
    if not len(tags):
        return
    order = np.argsort(tags, kind="stable")
    ordered_tags, ordered_steps = tags[order], steps[order]
    starts = np.flatnonzero(np.r_[True, ordered_tags[1:] != ordered_tags[:-1]])
    ends = np.r_[starts[1:], len(order)]
    # New tags join in order of their first point (argsort put them in tag-id order).
    for start in sorted(starts.tolist(), key=lambda i: order[i]):
        end = int(ends[np.searchsorted(starts, start)])
        tag, run = int(ordered_tags[start]), ordered_steps[start:end]
        seen = stats.get(tag)
        if seen is None:
            seen = stats[tag] = _TagStats(0, int(run[0]), int(run[0]), int(run[0]))
            previous = run[:-1]
            following = run[1:]
        else:
            previous = np.r_[seen.last, run[:-1]]
            following = run
        seen.points += len(run)
        seen.min_step, seen.max_step = min(seen.min_step, int(run.min())), max(seen.max_step, int(run.max()))
        seen.restarts += int(np.sum(following < previous))
        seen.repeats += int(np.sum(following == previous))
        seen.last = int(run[-1])


HPARAMS_PLUGIN = "hparams"
_SESSION_START = b"_hparams_/session_start_info"   # the tag the hparams plugin writes them under


def read_event_hparams(files: Iterable[str | os.PathLike]) -> dict[str, object]:
    """The hyperparameters of the hparams plugin's session-start record, flattened; {} if none.

    Nested values get dotted keys (``optimizer.lr``); numbers are floats, as the plugin
    stores them. Damage is ignored here (the reading of the scalars reports it). When
    several files hold one, the last file's values win, as a resumed job rewrites them.
    """
    _, proto, _ = codecs()
    found: dict[str, object] = {}
    holding = [path for path in _ordered(files) if _holds(path, _SESSION_START)]
    for _path, event in decoded_events(holding, Damage(strict=False),
                                       re.compile(re.escape(_SESSION_START)).search):
        for value in event.summary.value:
            meta = value.metadata.plugin_data
            if meta.plugin_name != HPARAMS_PLUGIN or not meta.content:
                continue
            try:
                data = proto.HParamsPluginData.FromString(meta.content)
            except Exception:   # protobuf's DecodeError: not the plugin's message after all
                continue
            if data.HasField("session_start_info"):
                for entry in data.session_start_info.hparams:
                    _flatten(entry.key, entry.value, found)
    return found


def _holds(path: str, needle: bytes) -> bool:
    """Whether a file's bytes contain ``needle`` (a tag is stored verbatim in its records): one
    scan of the mapped file, so that a run without hparams is not framed and decoded again."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return False
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return data.find(needle) != -1
    except (OSError, ValueError):
        return True     # cannot map it: let the reading say what is wrong


def _flatten(key: str, value, into: dict[str, object]) -> None:
    """Store a google.protobuf.Value under ``key`` (a struct as dotted keys, a list as a list)."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        for name, inner in value.struct_value.fields.items():
            _flatten(f"{key}.{name}", inner, into)
    else:
        into[key] = _plain(value)


def _plain(value) -> object:
    kind = value.WhichOneof("kind")
    if kind == "list_value":
        return [_plain(item) for item in value.list_value.values]
    if kind == "struct_value":
        return {name: _plain(inner) for name, inner in value.struct_value.fields.items()}
    return None if kind in (None, "null_value") else getattr(value, kind)
