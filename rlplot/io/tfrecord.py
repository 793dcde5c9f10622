"""TFRecord framing of event files: the records of one file, checksums verified, damage reported.

Each record is ``uint64 length | uint32 masked CRC32C of the 8 length bytes | payload |
uint32 masked CRC32C of the payload`` (little-endian), the framing TensorFlow's
``RecordWriter`` and tensorboardX write. CRC32C is google-crc32c's C implementation
(hardware-accelerated where the CPU has it); TensorBoard's TensorFlow-free reader computes
it byte by byte in Python, which is what makes it slow.

Damage never raises here: it is passed to ``damaged(offset, what)``, which warns or raises.
A claimed length is checked against the bytes the file still holds before anything is
read, so a flipped length field that claims gigabytes allocates nothing.
"""
from __future__ import annotations

import os
import struct
from array import array
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

import google_crc32c
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HEADER = struct.Struct("<QI")   # payload length, masked CRC32C of the length bytes
_LENGTH = struct.Struct("<Q")
FOOTER = struct.Struct("<I")    # masked CRC32C of the payload
FRAME = HEADER.size + FOOTER.size
CHUNK = 1 << 20                 # bytes read at a time: memory stays bounded, whatever the file size
MAX_HEADERS = 4096              # distinct verified record headers remembered per file

Damaged = Callable[[int, str], None]


def masked_crc32c(data: bytes) -> int:
    """TensorFlow's masked CRC32C of ``data`` (rotated right by 15 bits plus a constant)."""
    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _unread(handle: BinaryIO) -> int:
    """Bytes after the handle's position (a file still being written may have grown)."""
    return max(0, os.fstat(handle.fileno()).st_size - handle.tell())


@dataclass(frozen=True)
class Spans:
    """The intact records of one piece of a file: payload ``i`` is
    ``buffer[starts[i]:starts[i] + lengths[i]]``; ``starts`` and ``lengths`` int64, shape (n,)."""

    buffer: bytes
    starts: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    def payload(self, i: int) -> bytes:
        """Record ``i``'s payload."""
        start = int(self.starts[i])
        return self.buffer[start:start + int(self.lengths[i])]


def read_records(path: str, damaged: Damaged) -> Iterator[bytes]:
    """Yield the payload of every intact record of the file at ``path``, in file order.

    A record whose payload checksum fails is skipped (framing is intact, the next record
    is read). A header whose checksum fails ends the file (no length can be trusted
    after it), as does a record cut short by the end of the file.
    """
    for spans in read_spans(path, damaged):
        buffer = spans.buffer
        for start, length in zip(spans.starts.tolist(), spans.lengths.tolist()):
            yield buffer[start:start + length]


def read_spans(path: str, damaged: Damaged) -> Iterator[Spans]:
    """``read_records``, a piece of the file (about ``CHUNK`` bytes) at a time, as ``Spans``."""
    with open(path, "rb") as handle:
        yield from _spans(handle, damaged)


def _spans(handle: BinaryIO, damaged: Damaged) -> Iterator[Spans]:
    # Each buffer is walked record by record reading only the lengths (the one step that
    # cannot be vectorised), then its headers and payloads are checked in bulk: each distinct
    # header once, each payload's CRC32C in one pass, in file order.
    buffer = handle.read(CHUNK)
    base = 0    # file offset of buffer[0]
    good_headers: set[tuple[int, int]] = set()
    while True:
        starts, pos = _walk(buffer)
        checked, bad_header = _checked(buffer, starts, good_headers)
        # Damage is told in file order: the intact records before it are handed out first, so
        # what their decoding reports comes before it too.
        yield from _in_order(checked, lambda offset, what: damaged(base + offset, what))
        if bad_header is not None:
            damaged(base + bad_header, _corrupt_header(len(buffer) - bad_header + _unread(handle)))
            return
        more = _rest_of_record(handle, buffer, pos, base, good_headers, damaged)
        if more is None:
            return
        buffer, base = buffer[pos:] + more, base + pos


def _walk(buffer: bytes) -> tuple[np.ndarray, int]:
    """Where each record that lies wholly in ``buffer`` starts (by the lengths it claims), and
    where the first one that does not starts."""
    starts = array("q")
    add = starts.append
    unpack, pos, size = _LENGTH.unpack_from, 0, len(buffer)
    while pos + HEADER.size <= size:
        end = pos + FRAME + unpack(buffer, pos)[0]
        if end > size:
            break
        add(pos)
        pos = end
    return np.frombuffer(starts, dtype=np.int64), pos


def _checked(buffer: bytes, starts: np.ndarray, good_headers: set
             ) -> tuple[tuple[Spans, np.ndarray], int | None]:
    """The records at ``starts`` up to the first corrupt header, and whether each payload's
    checksum holds; and the offset of that header (None if none: nothing after it can be
    trusted)."""
    data = np.frombuffer(buffer, dtype=np.uint8)
    if len(starts):
        heads = sliding_window_view(data, HEADER.size)[starts]
        lengths = np.ascontiguousarray(heads[:, :8]).view("<u8").ravel().astype(np.int64)
        length_crcs = np.ascontiguousarray(heads[:, 8:]).view("<u4").ravel()
    else:
        lengths, length_crcs = starts, starts
    bad_header = None
    for i, pair in enumerate(zip(lengths.tolist(), length_crcs.tolist())):
        if pair in good_headers:
            continue
        if masked_crc32c(buffer[int(starts[i]):int(starts[i]) + 8]) != pair[1]:
            bad_header, starts, lengths = int(starts[i]), starts[:i], lengths[:i]
            break
        if len(good_headers) < MAX_HEADERS:
            good_headers.add(pair)
    payloads = starts + HEADER.size
    crc = google_crc32c.value
    sums = np.array([crc(buffer[a:a + n]) for a, n in zip(payloads.tolist(), lengths.tolist())],
                    dtype=np.uint32)
    if len(starts):
        footers = np.ascontiguousarray(sliding_window_view(data, 4)[payloads + lengths]).view("<u4").ravel()
    else:
        footers = sums
    ok = ((sums >> np.uint32(15)) | (sums << np.uint32(17))) + np.uint32(0xA282EAD8) == footers
    return (Spans(buffer, payloads, lengths), ok), bad_header


def _in_order(checked: tuple[Spans, np.ndarray], damaged: Damaged) -> Iterator[Spans]:
    """The intact records in runs between the bad ones, each bad one reported in its place."""
    spans, ok = checked
    start = 0
    for bad in np.flatnonzero(~ok).tolist():
        if bad > start:
            yield Spans(spans.buffer, spans.starts[start:bad], spans.lengths[start:bad])
        damaged(int(spans.starts[bad]) - HEADER.size, "payload checksum mismatch; the record was skipped")
        start = bad + 1
    if start < len(spans):
        yield Spans(spans.buffer, spans.starts[start:], spans.lengths[start:])


def _rest_of_record(handle: BinaryIO, buffer: bytes, pos: int, base: int, good_headers: set,
                    damaged: Damaged) -> bytes | None:
    """The next bytes of the file, for the record cut off at ``pos`` of ``buffer``; None (and
    the damage said) when the file ends first or that record's header is corrupt."""
    have = len(buffer) - pos
    need = FRAME
    if have >= HEADER.size:
        header = HEADER.unpack_from(buffer, pos)
        if header not in good_headers and masked_crc32c(buffer[pos:pos + 8]) != header[1]:
            damaged(base + pos, _corrupt_header(have + _unread(handle)))
            return None
        need = FRAME + header[0]
        # A claimed length is checked against what the file still holds before reading.
        if have + _unread(handle) < need:
            damaged(base + pos, f"truncated record: its header claims {_size(header[0])} but the "
                                f"file ends {have + _unread(handle) - HEADER.size} bytes later")
            return None
    more = handle.read(max(CHUNK, need - have))
    if not more:
        if have:
            damaged(base + pos, f"truncated record: the file ends {have} bytes into a "
                                f"{HEADER.size}-byte record header")
        return None
    return more


def _corrupt_header(remaining: int) -> str:
    return (f"corrupt record header (length checksum mismatch); the remaining {remaining} bytes "
            "of the file were skipped")


def _size(length: int) -> str:
    """A byte count as people read it: '812 bytes', '4.3 GB'."""
    if length < 10_000:
        return f"{length} bytes"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if length >= scale:
            return f"{length / scale:.1f} {unit}"
    return f"{length} bytes"
