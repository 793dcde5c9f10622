"""What made a figure: the rlplot version, the command line, the inputs (path, sha256, size) and
the effective config, as one compact JSON record.

``figure.save`` writes the record into every figure (a PNG text chunk, an element in the SVG's
``<metadata>``, an entry of the PDF's document info); ``read_provenance`` reads it back for
``rlplot inspect FIGURE`` and ``rlplot render --like FIGURE``. The record holds no date and
nothing the caller did not give: paths are recorded as given (relative paths stay relative), so
the same command on the same inputs gives the same bytes from any folder. ``output.provenance``
turns it off (false) or keeps paths and the command line out of it (hashes). No matplotlib here.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ._version import __version__
from .errors import InputError

RECORD_VERSION = 1
PNG_KEY = "rlplot-provenance"                  # the PNG text chunk's keyword
PDF_KEY = "RlplotProvenance"                   # the PDF document info entry
SVG_TAG = "rlplot:provenance"                  # the element inside the SVG's <metadata>
SVG_NAMESPACE = "urn:rlplot:provenance"
HASHES_ONLY = "hashes"                         # output.provenance: no paths, no command line
STDIN = "-"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class InputRecord:
    """One input as recorded: its path as given (None: recorded by hash only), sha256 and size
    (None for standard input, folders, devices and pipes, which are not hashed)."""

    path: str | None
    sha256: str | None
    size: int | None

    def to_dict(self) -> dict:
        """The input as plain data (keys that are None are left out)."""
        return {k: v for k, v in (("path", self.path), ("sha256", self.sha256),
                                  ("size", self.size)) if v is not None}


@dataclass(frozen=True)
class Provenance:
    """What made one figure. ``config`` is the effective config as plain data (``to_mapping``),
    ``labels`` the run labels the caller gave (empty: automatic)."""

    version: str
    command: str | None
    inputs: tuple[InputRecord, ...]
    config: Mapping
    labels: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The record as plain data, in the order it is written."""
        out: dict = {"provenance": RECORD_VERSION, "rlplot": self.version}
        if self.command is not None:
            out["command"] = self.command
        out["inputs"] = [i.to_dict() for i in self.inputs]
        if self.labels:
            out["labels"] = list(self.labels)
        out["config"] = self.config
        return out

    def to_json(self) -> str:
        """Compact ASCII JSON, keys in schema order: the same record always gives the same text."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=True, default=str)

    @classmethod
    def from_json(cls, text: str, where: str) -> "Provenance":
        """Parse a record read from ``where``; an InputError if it is not one."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("config"), dict):
                raise ValueError("not a provenance record")
            inputs = tuple(InputRecord(path=i.get("path"), sha256=i.get("sha256"), size=i.get("size"))
                           for i in data.get("inputs", []))
            return cls(version=str(data["rlplot"]), command=data.get("command"), inputs=inputs,
                       config=data["config"], labels=tuple(data.get("labels", ())))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"damaged rlplot provenance ({exc})", file=where) from None


def sha256_of_file(path: str | os.PathLike) -> tuple[str, int]:
    """The sha256 (hex) and size in bytes of a file, read in 1 MiB blocks; OSError if unreadable."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def file_digest(path: str | os.PathLike) -> tuple[str, int]:
    """``sha256_of_file``, with an InputError for a file that cannot be read."""
    try:
        return sha256_of_file(path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def input_record(path: str, with_path: bool = True) -> InputRecord:
    """One input: hashed when it is a regular file; standard input, folders and devices or pipes
    (no fixed content: /dev/zero would never end) are recorded by path only."""
    shown = path if with_path else None
    if path == STDIN or os.path.isdir(path) or (os.path.exists(path) and not os.path.isfile(path)):
        return InputRecord(shown, None, None)
    sha256, size = file_digest(path)
    return InputRecord(shown, sha256, size)


def make_provenance(paths: Sequence[str], config, command: str | None = None,
                    labels: Sequence[str] | None = None) -> Provenance | None:
    """The record for a figure of ``paths`` drawn with ``config`` (a Config); None when
    ``output.provenance`` is false. ``command`` is recorded as given (the CLI passes the argv)."""
    from .config.schema import to_mapping

    mode = config.output.provenance
    if mode is False:
        return None
    mapping = to_mapping(config)
    full = mode is True
    if not full:   # hashes: nothing that names a file
        mapping["runs"]["labels"] = {}
    # Compact: only the top-level sections that differ from this version's defaults (each
    # whole, so the record stays a valid config layer for --like; the version is recorded).
    defaults = to_mapping(type(config)())
    mapping = {key: value for key, value in mapping.items() if value != defaults.get(key)}
    return Provenance(version=__version__, command=command if full else None,
                      inputs=tuple(input_record(p, with_path=full) for p in paths),
                      config=mapping, labels=tuple(labels or ()) if full else ())


# ---------------------------------------------------------------------------- reading figures

def _read_png(path: str) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                raise InputError("not a PNG file", file=path)
            return image.text.get(PNG_KEY)
    except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError) as exc:
        raise InputError(f"not a readable PNG ({exc})", file=path) from None


_SVG_ELEMENT = re.compile(rf"<{SVG_TAG}\b[^>]*>(.*?)</{SVG_TAG}>", re.S)


def _read_svg(path: str) -> str | None:
    # A regular expression, not an XML parser: no entity expansion from a file found somewhere.
    text = Path(path).read_bytes().decode("utf-8", errors="replace")
    match = _SVG_ELEMENT.search(text)
    from html import unescape   # its entity table costs 1.7 ms: only an SVG's record needs it

    return unescape(match.group(1)) if match else None


def _read_pdf(path: str) -> str | None:
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF-"):
        raise InputError("not a PDF file", file=path)
    at = data.rfind(b"/" + PDF_KEY.encode())
    if at < 0:
        return None
    raw = pdf_string(data, at + len(PDF_KEY) + 1)
    if raw is None:
        raise InputError("damaged rlplot provenance (no string after its key)", file=path)
    return raw.decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


_PDF_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
                ord("f"): b"\f", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


def pdf_string(data: bytes, start: int) -> bytes | None:
    """The PDF string object (literal ``(…)`` or hex ``<…>``) after ``start`` in ``data``, decoded
    to its bytes; None if there is none."""
    i = start
    while i < len(data) and data[i] in b" \t\r\n":
        i += 1
    if data[i:i + 1] == b"<":
        end = data.find(b">", i)
        digits = re.sub(rb"\s", b"", data[i + 1:end]) if end > 0 else b""
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")) if end > 0 else None
    if data[i:i + 1] != b"(":
        return None
    out, depth, i = bytearray(), 1, i + 1
    while i < len(data):
        byte = data[i]
        if byte == 0x5C:          # backslash: an escape, an octal code or a line continuation
            nxt = data[i + 1]
            octal = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += _PDF_ESCAPES.get(nxt, b"" if nxt in b"\r\n" else bytes([nxt]))
            i += 2
            continue
        depth += (byte == 0x28) - (byte == 0x29)
        if depth == 0:
            return bytes(out)
        out.append(byte)
        i += 1
    return None


# Per FIGURE_FORMATS name: how the record is found in such a file (a test checks every format).
READERS = {"png": _read_png, "svg": _read_svg, "pdf": _read_pdf}


def read_provenance(path: str) -> Provenance | None:
    """The provenance recorded in a figure file (format from the extension); None if it has none.
    An InputError for a file that cannot be read or whose record is damaged."""
    fmt = Path(path).suffix.lower()[1:]
    if fmt not in READERS:
        raise InputError(f"not a figure rlplot writes ('{Path(path).suffix or path}')", file=path,
                         hint="give a " + ", ".join(f".{name}" for name in READERS) + " file")
    if not os.path.isfile(path):
        raise InputError("no such file", file=path, hint="check the path")
    try:
        text = READERS[fmt](path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    return None if text is None else Provenance.from_json(text, path)


def check_inputs(record: Provenance, figure: str) -> list[str]:
    """The recorded input paths, each checked to hash as recorded; an InputError naming the
    first that is missing or changed (or that was never recorded by path)."""
    hint = f"give the logs to draw: rlplot render --like {shlex.quote(figure)} LOG..."
    paths = []
    for item in record.inputs:
        if item.path is None:
            raise InputError("the figure records its inputs by hash only (output.provenance: hashes)",
                             file=figure, hint=hint)
        if item.sha256 is None:
            what = "standard input" if item.path == STDIN else "a folder, which is not hashed"
            raise InputError(f"the figure's input {item.path} was {what}", file=figure, hint=hint)
        if not os.path.isfile(item.path):
            raise InputError("the figure's recorded input is missing", file=item.path,
                             hint=f"paths are relative to the folder the figure was made in; {hint}")
        sha256, _ = file_digest(item.path)
        if sha256 != item.sha256:
            raise InputError(f"changed since {figure} was made (sha256 {sha256[:12]}…, recorded "
                             f"{item.sha256[:12]}…)", file=item.path, hint=hint)
        paths.append(item.path)
    return paths


def config_changes(config: Mapping) -> list[tuple[str, object]]:
    """The recorded config's values that differ from this rlplot's defaults, as (dotted key
    path, value) pairs in schema order: what ``--set`` would need to rebuild it."""
    from .config.schema import Config, PanelStyle, to_mapping

    changes: list[tuple[str, object]] = []
    _diff(config, to_mapping(Config()), (), changes, to_mapping(PanelStyle()))
    return changes


def _diff(value, default, path: tuple, out: list, blank_panel: Mapping) -> None:
    if isinstance(value, dict) and isinstance(default, dict):
        for key in [*default, *(k for k in value if k not in default)]:
            if key in value:
                _diff(value[key], default.get(key), path + (key,), out, blank_panel)
        return
    if path == ("panels",) and isinstance(value, list):
        for index, panel in enumerate(value):
            base = default[index] if isinstance(default, list) and index < len(default) else blank_panel
            _diff(panel, base, path + (index,), out, blank_panel)
        if isinstance(default, list) and len(value) < len(default):
            out.append(("panels", value))
        return
    if value != default:
        out.append((".".join(str(p) for p in path), value))
