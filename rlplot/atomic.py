"""Atomic output: write to a temp file in the target's folder, then rename over the target.

Every file rlplot writes (figures, data CSVs, configs, batch manifests) goes through
``atomic_output``, so an interrupted write never leaves a half-written file and a
reader never sees one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "wb", **open_args) -> Iterator[IO]:
    """Yield a stream to a temp file next to ``path``; on success it replaces ``path``.

    Parent folders are created. On any exception (KeyboardInterrupt included) the temp
    file is removed and ``path`` is left as it was. OS errors become ``OutputError``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A short temp name: a target name near the file-system limit must still fit.
        handle, temp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".part",
                                        dir=target.parent)
    except NotADirectoryError:
        raise OutputError("a parent of this path is a file, not a folder", file=str(target)) from None
    except FileExistsError:
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
