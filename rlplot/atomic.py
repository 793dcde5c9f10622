"""Atomic output: write to a temp file in the target's folder, then rename over the target.

Every file rlplot writes (figures, data CSVs, configs, batch manifests) goes through
``atomic_output``, so an interrupted write never leaves a half-written file and a
reader never sees one. A process killed mid-write (kill -9, power loss) leaves its
temp file behind; this module alone names temp files, so ``leftovers`` finds exactly
those of given targets.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import OutputError

TEMP_SUFFIX = ".part"
MAX_NAME_KEPT = 40   # of a target's name in its temp name: one near the file-system limit must fit


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_prefix(path: str | os.PathLike) -> str:
    """The file-name prefix of ``path``'s temp files: ``.NAME.``, a long name cut short.

    A cut name carries a hash of the whole one, so two long names sharing their start
    never share a prefix (one's clean-up never deletes the other's write in progress)."""
    name = Path(path).name
    if len(name) > MAX_NAME_KEPT:
        name = name[:MAX_NAME_KEPT] + "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f".{name}."


def leftovers(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Temp files that interrupted writes of ``paths`` left behind, sorted; each folder is read once."""
    wanted: dict[str, set[str]] = {}
    for path in paths:
        folder = os.path.dirname(os.path.normpath(os.fspath(path))) or "."
        wanted.setdefault(folder, set()).add(temp_prefix(path))
    found = []
    for folder, prefixes in wanted.items():
        try:
            names = os.listdir(folder)
        except OSError:   # no folder, no leftovers
            continue
        for name in names:
            # mkstemp puts a random part without dots between the prefix and the suffix.
            head, dot, _ = name[: -len(TEMP_SUFFIX)].rpartition(".")
            if name.endswith(TEMP_SUFFIX) and dot and head + "." in prefixes:
                found.append(os.path.join(folder, name))
    return sorted(found)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "wb", **open_args) -> Iterator[IO]:
    """Yield a stream to a temp file next to ``path``; on success it replaces ``path``.

    Parent folders are created. On any exception (KeyboardInterrupt included) the temp
    file is removed and ``path`` is left as it was. OS errors become ``OutputError``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX,
                                        dir=target.parent)
    except (NotADirectoryError, FileExistsError):
        raise OutputError("a parent of this path is a file, not a folder", file=str(target)) from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(target)) from None
    try:
        with os.fdopen(handle, mode, **open_args) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(target)) from None
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> str:
    """Write UTF-8 text to ``path`` atomically; returns the path."""
    with atomic_output(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    return str(path)
