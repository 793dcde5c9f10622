"""Opening a log: a path, a ``.gz`` of it, or ``-`` for standard input, decoded to text lines."""
from __future__ import annotations

import gzip
import os
import sys
from dataclasses import dataclass

from ..errors import InputError

STDIN = "-"


@dataclass(frozen=True)
class Source:
    """The decoded text of one log and the name it is reported under."""

    name: str
    text: str
    suffix: str  # the format-bearing extension, lower case, '.gz' removed ('' for stdin)


def format_suffix(path: str) -> str:
    """Return the extension that names the format (``run.jsonl.gz`` -> ``.jsonl``)."""
    base = os.path.basename(path).lower()
    if base.endswith(".gz"):
        base = base[:-3]
    return os.path.splitext(base)[1]


def read_source(path: str) -> Source:
    """Read and decode a whole log; a UTF-8 BOM is dropped and undecodable bytes are replaced."""
    if path == STDIN:
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = path
        if os.path.isdir(path):
            raise InputError("is a folder, not a log file", file=path,
                             hint="give a .csv, .jsonl or .json file")
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            raise InputError("no such file", file=path, hint="check the path") from None
        except PermissionError:
            raise InputError("permission denied", file=path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"corrupt gzip data ({exc})", file=name,
                             hint="the file may have been cut off while it was written") from None
    text = raw.decode("utf-8-sig", errors="replace")
    if _looks_binary(text):
        raise InputError("not a text log (binary data?)", file=name,
                         hint="rlplot reads CSV, TSV, JSONL and JSON, optionally gzipped")
    return Source(name=name, text=text, suffix="" if path == STDIN else format_suffix(path))


def _looks_binary(text: str, sample: int = 65536) -> bool:
    # Undecodable bytes or NULs making up a real share of the start of the file: an image,
    # a TensorBoard event file, a pickle. (A few bad bytes, or NUL padding at the end of
    # a cut-off log, are handled line by line instead.)
    head = text[:sample].rstrip("\x00")
    if not head:
        return False
    odd = head.count("\ufffd") + head.count("\x00")
    return odd >= 8 and odd > 0.05 * len(head)
