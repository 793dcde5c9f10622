"""The framing of W&B's ``.wandb`` transaction log: LevelDB's log format behind a 7-byte header.

The file starts with ``:W&B``, the magic 0xBEE1 (uint16) and a version byte, then 32 KiB
blocks (the first one counting those 7 bytes). A block holds chunks, each a 7-byte header
(checksum uint32, payload length uint16, type uint8; little-endian) and its payload; a
record is one FULL chunk or a FIRST, any MIDDLEs and a LAST. Fewer than 7 bytes left in a
block are padding. (LevelDB: doc/log_format.md.)

The checksum is W&B's, not LevelDB's: plain CRC-32 (IEEE, as ``zlib.crc32``) of the type
byte and the payload, unmasked, where LevelDB uses a masked CRC-32C. W&B's writer
(``core/pkg/leveldb``, ``NewWriterExt(f, CRCAlgoIEEE, ...)``) says so, and the tests check
it on files the real client wrote.

Damage is handled like a damaged text log: a file that ends mid-record (a run still being
written, or cut off) keeps every complete record and gets a warning with the byte offset; a
bad checksum or an impossible chunk skips the rest of its block (LevelDB's recovery: the
length field can no longer be trusted) with a warning, or raises under ``strict``.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from ..data import Notice
from ..errors import InputError

IDENT = b":W&B"
MAGIC = 0xBEE1
VERSION = 0
FILE_HEADER = struct.Struct("<4sHB")
CHUNK_HEADER = struct.Struct("<IHB")
BLOCK = 32 * 1024
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


@dataclass(frozen=True)
class LogRecord:
    """One record of the log: its payload and the byte offset of its first chunk header."""

    offset: int
    payload: bytes


@dataclass(frozen=True)
class FramedLog:
    """The complete, checksummed records of a log, in file order, and what was wrong with it."""

    version: int
    records: tuple[LogRecord, ...]
    notices: tuple[Notice, ...] = ()


def chunk_checksum(kind: int, payload: bytes) -> int:
    """The checksum W&B stores for a chunk: CRC-32 (IEEE) of its type byte and payload."""
    return zlib.crc32(payload, zlib.crc32(bytes((kind,))))


def check_header(data: bytes, source: str) -> int:
    """Check the 7-byte W&B header and return its version; raise InputError if it is not one."""
    if not data:
        raise InputError("the log is empty", file=source,
                         hint="the run may not have written anything yet")
    if len(data) < FILE_HEADER.size or data[:4] != IDENT:
        raise InputError("not a W&B transaction log (no ':W&B' header)", file=source)
    _, magic, version = FILE_HEADER.unpack_from(data)
    if magic != MAGIC:
        raise InputError(f"not a W&B transaction log (magic 0x{magic:04X}, expected 0xBEE1)", file=source)
    if version != VERSION:
        raise InputError(f"unsupported .wandb version {version}", file=source,
                         hint="this reader knows version 0; please report the W&B release that wrote it")
    return version


@dataclass
class _Reassembly:
    """Chunks of the record being put together, and the policy for damage."""

    source: str
    strict: bool
    records: list[LogRecord] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    parts: list[bytes] | None = None    # payloads since a FIRST chunk; None: not inside a record
    start: int = 0                      # offset of that FIRST chunk
    resync: bool = False                # after damage: drop MIDDLE/LAST chunks of the lost record

    def damage(self, offset: int, what: str) -> None:
        """A corrupt chunk: warn (raise when strict) and forget the record being assembled."""
        self.parts, self.resync = None, True
        if self.strict:
            raise InputError(f"{what} at byte {offset}", file=self.source,
                             hint="--strict is on; drop it to skip damaged records with a warning")
        self.notices.append(Notice(f"skipped damaged records: {what} at byte {offset}", file=self.source))

    def cut_off(self, offset: int) -> None:
        """The file ends inside a record: keep what came before, with a warning."""
        self.notices.append(Notice(f"the log ends inside a record at byte {offset} (the run may still "
                                   "be running, or the file was cut off); kept the records before it",
                                   file=self.source))

    def chunk(self, offset: int, kind: int, payload: bytes) -> None:
        """Add one checksummed chunk; a finished record joins ``records``."""
        if kind in (FULL, FIRST):
            if self.parts is not None:
                self.damage(self.start, "a record without its last chunk")
            self.resync = False
            if kind == FULL:
                self.records.append(LogRecord(offset, payload))
            else:
                self.parts, self.start = [payload], offset
        elif kind in (MIDDLE, LAST):
            if self.parts is None:
                if not self.resync:
                    self.damage(offset, "a continuation chunk without a first chunk")
                return
            self.parts.append(payload)
            if kind == LAST:
                self.records.append(LogRecord(self.start, b"".join(self.parts)))
                self.parts = None
        else:
            self.damage(offset, f"unknown chunk type {kind}")


def read_framed_log(data: bytes, source: str, *, strict: bool = False) -> FramedLog:
    """Split a ``.wandb`` file's bytes into its records (see the module docstring for damage)."""
    version = check_header(data, source)
    state = _Reassembly(source, strict)
    size, pos = len(data), FILE_HEADER.size
    while pos < size:
        block_end = (pos // BLOCK + 1) * BLOCK
        if block_end - pos < CHUNK_HEADER.size:          # block trailer: padding
            pos = block_end
            continue
        if pos + CHUNK_HEADER.size > size:               # a partial chunk header
            if state.parts is None and data[pos:].strip(b"\x00"):
                state.cut_off(pos)
            break
        checksum, length, kind = CHUNK_HEADER.unpack_from(data, pos)
        end = pos + CHUNK_HEADER.size + length
        if checksum == 0 and length == 0 and kind == 0:
            if not data[pos:].strip(b"\x00"):            # zero padding up to the end
                break
            state.damage(pos, "a zeroed chunk header")
            pos = block_end
            continue
        if end > block_end:
            state.damage(pos, f"a chunk of {length} bytes that runs past its block")
            pos = block_end
            continue
        if end > size:                                    # a partial chunk
            if state.parts is None:
                state.cut_off(pos)
            break
        payload = data[pos + CHUNK_HEADER.size:end]
        if chunk_checksum(kind, payload) != checksum:
            state.damage(pos, "a checksum mismatch")
            pos = block_end
            continue
        state.chunk(pos, kind, payload)
        pos = end
    if state.parts is not None:
        state.cut_off(state.start)
    return FramedLog(version, tuple(state.records), tuple(state.notices))
