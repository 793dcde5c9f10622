"""Opening a log: a path, a ``.gz`` of it, or ``-`` for standard input, decoded to text lines.

What is read is bounded: a log is streamed (gzip too) and refused, with one clear line, as
soon as it holds more than ``max_input_bytes()`` (``RLPLOT_MAX_INPUT_MB``, 1024 MB unless
set; ``input_limit`` in a program), so a gzip bomb or an endless pipe never fills memory.
Devices (``/dev/zero``, ``/dev/urandom``, a terminal) are refused before anything is read,
and binary content is refused after its first 64 KB.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import sys
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator

from ..errors import InputError

STDIN = "-"
MAX_INPUT_ENV = "RLPLOT_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 1024
CHUNK_BYTES = 1 << 20
BINARY_SAMPLE = 1 << 16       # the binary check looks at this much of the (decompressed) start
NUL_START_LIMIT = 1 << 20     # a text log never starts with this many NUL bytes
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS   # a gzip header and trailer around the deflate data

_limit: contextvars.ContextVar[int | None] = contextvars.ContextVar("rlplot_max_input", default=None)


@dataclass(frozen=True)
class Source:
    """The decoded text of one log and the name it is reported under.

    ``wanted``: the lower-case names (aliases included) of the columns the caller needs,
    as ``columns.could_match`` takes them; None: every column. Readers whose columns are
    final keep only those (the same columns the fast path reads)."""

    name: str
    text: str
    suffix: str  # the format-bearing extension, lower case, '.gz' removed ('' for stdin)
    wanted: frozenset[str] | None = None


def max_input_bytes() -> int:
    """The most bytes (after decompression) one log may hold: ``input_limit``, else
    ``RLPLOT_MAX_INPUT_MB``, else 1024 MB."""
    set_here = _limit.get()
    if set_here is not None:
        return set_here
    text = os.environ.get(MAX_INPUT_ENV, "").strip()
    try:
        megabytes = float(text) if text else DEFAULT_MAX_INPUT_MB
    except ValueError:
        raise InputError(f"{MAX_INPUT_ENV}={text!r} is not a number of megabytes",
                         hint=f"e.g. {MAX_INPUT_ENV}=4096") from None
    if not megabytes > 0:
        raise InputError(f"{MAX_INPUT_ENV}={text!r} must be above 0", hint=f"e.g. {MAX_INPUT_ENV}=4096")
    return int(megabytes * (1 << 20))


@contextlib.contextmanager
def input_limit(megabytes: float) -> Iterator[None]:
    """Within this block, a log may hold up to ``megabytes`` MB (decompressed)."""
    token = _limit.set(int(megabytes * (1 << 20)))
    try:
        yield
    finally:
        _limit.reset(token)


def format_suffix(path: str) -> str:
    """Return the extension that names the format (``run.jsonl.gz`` -> ``.jsonl``)."""
    base = os.path.basename(path).lower()
    if base.endswith(".gz"):
        base = base[:-3]
    return os.path.splitext(base)[1]


def read_source(path: str, *, columns: Iterable[str] | None = None,
                max_bytes: int | None = None) -> Source:
    """Read and decode a whole log; a UTF-8 BOM is dropped and undecodable bytes are replaced.

    ``columns``: the names the caller needs (see ``Source.wanted``). ``max_bytes``: the
    most it may hold (default ``max_input_bytes()``)."""
    limit = max_input_bytes() if max_bytes is None else max_bytes
    if path == STDIN:
        name = "<stdin>"
        _check_stdin()
        raw = _read_stream(sys.stdin.buffer, name, limit)
    else:
        name = path
        _check_path(path, limit)
        try:
            with open(path, "rb") as fh:
                raw = _read_stream(fh, name, limit)
        except FileNotFoundError:
            raise InputError("no such file", file=path, hint="check the path") from None
        except PermissionError:
            raise InputError("permission denied", file=path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    text = raw.decode("utf-8-sig", errors="replace")
    del raw
    if _looks_binary(text):
        raise _binary(name)
    wanted = frozenset(c.lower() for c in columns) if columns is not None else None
    return Source(name=name, text=text, suffix="" if path == STDIN else format_suffix(path),
                  wanted=wanted)


def _check_stdin() -> None:
    """Refuse a device on standard input (``< /dev/zero``, a terminal)."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):   # replaced by a test runner or notebook
        return
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError("standard input is a device or terminal, not a log", file="<stdin>",
                         hint="pipe a log into it: rlplot render - < run.jsonl")


def _check_path(path: str, limit: int) -> None:
    """Refuse folders and devices, and plain files bigger than ``limit``, before reading."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file", file=path, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a log file", file=path,
                         hint="give a .csv, .jsonl or .json file")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        raise InputError("is a device, not a log file", file=path,
                         hint="give a .csv, .jsonl or .json file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit and not _starts_gzip(path):
        raise _too_big(path, limit, compressed=False)


def _starts_gzip(path: str) -> bool:
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        return fh.read(2) == _GZIP_MAGIC
    return False


def _read_stream(stream: BinaryIO, name: str, limit: int) -> bytearray:
    """Everything ``stream`` holds (gunzipped if it is gzip), refused beyond ``limit`` bytes."""
    first = stream.read(CHUNK_BYTES) or b""
    compressed = first[:2] == _GZIP_MAGIC
    chunks = _gunzip(first, stream, name) if compressed else _chunks(first, stream)
    raw = bytearray()
    binary_checked = nul_checked = False
    for chunk in chunks:
        raw += chunk
        if len(raw) > limit:
            raise _too_big(name, limit, compressed)
        if not binary_checked and len(raw) >= BINARY_SAMPLE:
            binary_checked = True
            _check_start(raw, name)
        if not nul_checked and len(raw) >= NUL_START_LIMIT:
            nul_checked = True
            if raw.count(0, 0, NUL_START_LIMIT) == NUL_START_LIMIT:
                raise InputError(f"starts with {NUL_START_LIMIT >> 20} MB of NUL bytes, not a "
                                 "text log", file=name,
                                 hint="a zero-filled file or device: check what wrote it")
    return raw


def _chunks(first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield first
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            return
        yield chunk


def _gunzip(first: bytes, stream: BinaryIO, name: str) -> Iterator[bytes]:
    """Decompress every gzip member of the stream, at most a megabyte of output at a time."""
    data = _chunks(first, stream)
    decoder = zlib.decompressobj(_GZIP_WBITS)
    pending = b""
    try:
        while True:
            if not pending:
                pending = next(data, b"")
                if not pending:
                    if decoder.eof:
                        return
                    raise EOFError("the data ends inside the gzip stream")
            if decoder.eof:   # another member follows, or the zero padding some writers add
                if not pending.strip(b"\x00"):
                    pending = b""
                    continue
                decoder = zlib.decompressobj(_GZIP_WBITS)
            out = decoder.decompress(pending, CHUNK_BYTES)
            pending = decoder.unused_data if decoder.eof else decoder.unconsumed_tail
            if out:
                yield out
    except (zlib.error, EOFError) as exc:
        raise InputError(f"corrupt gzip data ({exc})", file=name,
                         hint="the file may have been cut off while it was written") from None


def _too_big(name: str, limit: int, compressed: bool) -> InputError:
    what = "expands to more than" if compressed else "holds more than"
    return InputError(f"{what} {limit / (1 << 20):g} MB, the most rlplot reads from one log"
                      + (" (a gzip bomb?)" if compressed else ""), file=name,
                      hint=f"for a real log this big, raise the limit: {MAX_INPUT_ENV}=<megabytes>")


def _check_start(raw: bytearray, name: str) -> None:
    if _looks_binary(bytes(raw[:BINARY_SAMPLE]).decode("utf-8", errors="replace")):
        raise _binary(name)


def _binary(name: str) -> InputError:
    return InputError("not a text log (binary data?)", file=name,
                      hint="rlplot reads CSV, TSV, JSONL and JSON, optionally gzipped")


def _looks_binary(text: str, sample: int = 65536) -> bool:
    # Undecodable bytes or NULs making up a real share of the start of the file: an image,
    # a TensorBoard event file, a pickle. (A few bad bytes, or NUL padding at the end of
    # a cut-off log, are handled line by line instead.)
    head = text[:sample].rstrip("\x00")
    if not head:
        return False
    odd = head.count("\ufffd") + head.count("\x00")
    return odd >= 8 and odd > 0.05 * len(head)
