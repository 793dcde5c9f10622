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

HEADER = struct.Struct("<QI")   # payload length, masked CRC32C of the length bytes
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


class _Piece:
    """The records found so far in the current buffer."""

    def __init__(self, buffer: bytes) -> None:
        self.buffer, self.starts, self.lengths = buffer, array("q"), array("q")

    def spans(self) -> Spans:
        return Spans(self.buffer, np.frombuffer(self.starts, dtype=np.int64),
                     np.frombuffer(self.lengths, dtype=np.int64))


def _spans(handle: BinaryIO, damaged: Damaged) -> Iterator[Spans]:
    # The hot loop of every event-file read: locals only, the CRC masking inlined, and
    # each distinct header's verdict remembered (a run's records come in few sizes).
    piece = _Piece(handle.read(CHUNK))
    buffer = piece.buffer
    base = 0    # file offset of buffer[0]
    pos = 0
    good_headers: set[tuple[int, int]] = set()
    unpack_header, unpack_footer, crc = HEADER.unpack_from, FOOTER.unpack_from, google_crc32c.value
    add_start, add_length = piece.starts.append, piece.lengths.append
    while True:
        have = len(buffer) - pos
        need = FRAME
        if have >= HEADER.size:
            header = unpack_header(buffer, pos)
            length = header[0]
            if header not in good_headers:
                if masked_crc32c(buffer[pos:pos + 8]) != header[1]:
                    damaged(base + pos, f"corrupt record header (length checksum mismatch); the remaining "
                                        f"{have + _unread(handle)} bytes of the file were skipped")
                    break
                if len(good_headers) < MAX_HEADERS:
                    good_headers.add(header)
            need = FRAME + length
        if have < need:
            # A claimed length is checked against what the file still holds before reading.
            if have >= HEADER.size and have + _unread(handle) < need:
                damaged(base + pos, f"truncated record: its header claims {_size(length)} but the "
                                    f"file ends {have + _unread(handle) - HEADER.size} bytes later")
                break
            more = handle.read(max(CHUNK, need - have))
            if not more:
                if have:
                    damaged(base + pos, f"truncated record: the file ends {have} bytes into a "
                                        f"{HEADER.size}-byte record header")
                break
            if len(piece.starts):
                yield piece.spans()
            piece = _Piece(buffer[pos:] + more)
            buffer, base, pos = piece.buffer, base + pos, 0
            add_start, add_length = piece.starts.append, piece.lengths.append
            continue
        start = pos + HEADER.size
        value = crc(buffer[start:start + length])
        if (((value >> 15) | (value << 17)) + 0xA282EAD8) & 0xFFFFFFFF != unpack_footer(
                buffer, start + length)[0]:
            damaged(base + pos, "payload checksum mismatch; the record was skipped")
        else:
            add_start(start)
            add_length(length)
        pos += need
    if len(piece.starts):
        yield piece.spans()


def _size(length: int) -> str:
    """A byte count as people read it: '812 bytes', '4.3 GB'."""
    if length < 10_000:
        return f"{length} bytes"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if length >= scale:
            return f"{length / scale:.1f} {unit}"
    return f"{length} bytes"
