"""The decoded Events of a run's event files, in order, with damage collected as notices.

The layer between the record framing (``tfrecord``) and what is read from the events
(``tfevents``): it imports protobuf and google-crc32c on first use, so that a missing
dependency is one error naming the install command; it decides which records are
decoded at all (``prefilter``: a byte test that skips records of tags nobody asked for).
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, Sequence

from ..data import Notice
from ..errors import InputError

INSTALL = "pip install 'protobuf>=4.22' 'google-crc32c>=1.5'"
_STRICT_HINT = "--strict is on; drop it to skip damaged records with a warning"
NOT_AN_EVENT = "a record that is not an Event (its checksum is valid); skipped"


def codecs():
    """The framing, message and value modules, or an InputError naming the command that installs them."""
    try:
        from . import tfevents_proto, tfevents_values, tfrecord
    except ImportError as missing:
        raise InputError(f"reading TensorBoard event files needs the Python package {missing.name!r}",
                         hint=f"install it with: {INSTALL}") from None
    return tfrecord, tfevents_proto, tfevents_values


class Damage:
    """Collects damage notices of a run; with ``strict`` the first one raises instead."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.notices: list[Notice] = []

    def report(self, path: str, what: str) -> None:
        """Record (or raise, when strict) that ``path`` is damaged."""
        if self.strict:
            raise InputError(what, file=path, hint=_STRICT_HINT)
        self.notices.append(Notice(what, file=path))

    def in_file(self, path: str) -> Callable[[int, str], None]:
        """A callback for the framing layer: damage at a byte offset of ``path``."""
        return lambda offset, what: self.report(path, f"byte {offset}: {what}")


# KELVIN SIGN is the one non-ASCII code point whose lower case is ASCII ("k"), so a tag
# holding it can equal an ASCII name up to case although its bytes, lowered, do not hold
# the name. (U+0130's lower case keeps a combining dot: never an ASCII name.)
_FOLDS_TO_ASCII = ("\u212a".encode(),)

Prefilter = Callable[[bytes], object]


def prefilter(tags: Iterable[str] | None) -> Prefilter | None:
    """A test on a record's lowered bytes that every record holding a wanted tag passes; or None.

    A tag matching a name (up to case, or by its last part) holds the lowered name, and
    protobuf stores a tag's UTF-8 bytes verbatim, so a record whose lowered bytes contain
    no such name (nor a letter in ``_FOLDS_TO_ASCII``) is skipped without decoding. None
    (decode every record) for non-ASCII names, which ``bytes.lower`` cannot fold.
    """
    if tags is None:
        return None
    names = {str(tag).lower() for tag in tags}
    if not all(name.isascii() for name in names) or "" in names:
        return None
    needles = [re.escape(name.encode()) for name in sorted(names)]
    return re.compile(b"|".join(needles + [re.escape(s) for s in _FOLDS_TO_ASCII])).search


def decoded_events(files: Sequence[str], damage: Damage, wanted: Prefilter | None = None
            ) -> Iterator[tuple[str, object]]:
    """Every decoded Event of the files, in order, as (file, event).

    With ``wanted`` (see ``prefilter``), only the events whose lowered record passes it.
    """
    tfrecord, proto, _ = codecs()
    parse = proto.Event.FromString
    for path in files:
        try:
            for payload in tfrecord.read_records(path, damage.in_file(path)):
                event = decode_event(payload, parse, wanted, lambda: damage.report(path, NOT_AN_EVENT))
                if event is not None:
                    yield path, event
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", file=path) from None


def decode_event(payload: bytes, parse, wanted: Prefilter | None, not_an_event: Callable[[], None]):
    """The Event a record holds; None when ``wanted`` skips it or it is not an Event (then
    ``not_an_event()`` is called)."""
    if wanted is not None and wanted(payload.lower()) is None:
        return None
    try:
        return parse(payload)
    except Exception:   # protobuf's DecodeError; its checksum held, so the writer erred
        not_an_event()
        return None


def tag_filter(tags: Iterable[str] | None) -> Callable[[str], bool]:
    """Whether a tag could be what one of ``tags`` names, as ``columns.find_column`` matches.

    That is: the same name up to case, or a namespaced tag whose last part is the name
    (``rollout/ep_rew_mean`` for ``ep_rew_mean``). Pass role aliases (``step`` -> ``global_step``)
    expanded, as ``pipeline.needed_columns`` does.
    """
    if tags is None:
        return lambda tag: True
    wanted = {str(tag).lower() for tag in tags}
    return lambda tag: tag.lower() in wanted or re.split(r"[/.]", tag)[-1].lower() in wanted
