"""Atomic output: write to a temp file in the target's folder, then rename over the target.

Every file rlplot writes (figures, data CSVs, configs, batch manifests) goes through
``atomic_output``, so an interrupted write never leaves a half-written file and a
reader never sees one. A process killed mid-write (kill -9, power loss) leaves its
temp file behind; this module alone names temp files, so ``leftovers`` finds exactly
those of given targets.

A temp file's name carries its writer: a tag of the host and the process id
(``.fig.png.<host>-<pid>-<random>.part``). That is what makes a leftover *provably*
dead, and only dead ones are ever removed (``is_dead``), so two processes writing into
one folder never delete each other's writes in progress: a temp file of this process
that no write of it holds open, or of a process of this host that no longer exists.
A temp file from another host (a Dask worker on a shared folder) or from an older
rlplot (no writer in its name) is taken as dead only once it is ``STALE_SECONDS`` old:
a write lasts seconds and keeps touching its file, so an hour-old one is no write.
The first write into a folder in a process removes that folder's dead leftovers, so a
render killed with kill -9 is cleaned up by the next render into its folder.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import OutputError

TEMP_SUFFIX = ".part"
MAX_NAME_KEPT = 40   # of a target's name in its temp name: one near the file-system limit must fit
STALE_SECONDS = 3600.0   # a temp file whose writer cannot be checked is dead when this old

_lock = threading.Lock()
_live: set[str] = set()      # temp files this process is writing right now
_swept: set[str] = set()     # folders whose dead leftovers this process has removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@functools.lru_cache(maxsize=1)
def host_tag() -> str:
    """Eight hex digits naming this host in temp names (no dots, so names still parse)."""
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def temp_prefix(path: str | os.PathLike) -> str:
    """The file-name prefix of ``path``'s temp files: ``.NAME.``, a long name cut short.

    A cut name carries a hash of the whole one, so two long names sharing their start
    never share a prefix (one's clean-up never deletes the other's write in progress)."""
    name = Path(path).name
    if len(name) > MAX_NAME_KEPT:
        name = name[:MAX_NAME_KEPT] + "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f".{name}."


def _temp_parts(name: str) -> tuple[str, str] | None:
    """``(prefix, writer part)`` of a temp file name, or None if rlplot did not name it."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    # mkstemp puts a random part without dots between the prefix and the suffix.
    head, dot, tail = name[: -len(TEMP_SUFFIX)].rpartition(".")
    return (head + ".", tail) if dot and head else None


def temp_writer(path: str | os.PathLike) -> tuple[str, int] | None:
    """The ``(host tag, pid)`` a temp file's name records, or None (an older rlplot named it)."""
    parts = _temp_parts(os.path.basename(os.fspath(path)))
    if parts is None:
        return None
    host, _, rest = parts[1].partition("-")
    pid, _, _ = rest.partition("-")
    if len(host) != 8 or not pid.isdigit():
        return None
    return host, int(pid)


def process_exists(pid: int) -> bool:
    """Whether process ``pid`` of this host exists (when unsure: yes, so nothing is removed)."""
    if os.name == "nt":   # os.kill(pid, 0) would terminate it there
        return _windows_process_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process: alive
        return True
    except OSError:
        return True
    return True


def _windows_process_exists(pid: int) -> bool:
    import ctypes

    try:
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() != 87               # ERROR_INVALID_PARAMETER: no such pid
        try:
            code = ctypes.c_ulong()
            return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259
        finally:
            kernel32.CloseHandle(handle)
    except (AttributeError, OSError):
        return True


def is_dead(temp: str | os.PathLike, stale_seconds: float = STALE_SECONDS) -> bool:
    """Whether nobody can still be writing the temp file ``temp`` (see the module's doc)."""
    writer = temp_writer(temp)
    if writer is not None and writer[0] == host_tag():
        if writer[1] == os.getpid():
            with _lock:
                return os.fspath(temp) not in _live
        return not process_exists(writer[1])
    try:
        age = time.time() - os.stat(temp).st_mtime
    except OSError:
        return False   # gone already
    return age > stale_seconds


def leftovers(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Temp files that writes of ``paths`` left behind (dead or not), sorted; each folder is read once."""
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
            parts = _temp_parts(name)
            if parts is not None and parts[0] in prefixes:
                found.append(os.path.join(folder, name))
    return sorted(found)


def remove_dead(temps: Iterable[str], stale_seconds: float = STALE_SECONDS) -> int:
    """Delete the temp files of ``temps`` that are provably dead; return how many went."""
    removed = 0
    for temp in temps:
        if is_dead(temp, stale_seconds):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                os.unlink(temp)
                removed += 1
    return removed


def _sweep(folder: Path) -> None:
    """Once per process and folder: remove the folder's dead rlplot temp files (any target)."""
    key = os.path.abspath(folder)
    with _lock:
        if key in _swept:
            return
        _swept.add(key)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    remove_dead(os.path.join(folder, n) for n in names if temp_writer(n) is not None)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "wb", **open_args) -> Iterator[IO]:
    """Yield a stream to a temp file next to ``path``; on success it replaces ``path``.

    Parent folders are created. On any exception (KeyboardInterrupt included) the temp
    file is removed and ``path`` is left as it was. OS errors become ``OutputError``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep(target.parent)
        handle, temp = tempfile.mkstemp(prefix=f"{temp_prefix(target)}{host_tag()}-{os.getpid()}-",
                                        suffix=TEMP_SUFFIX, dir=target.parent)
    except (NotADirectoryError, FileExistsError):
        raise OutputError("a parent of this path is a file, not a folder", file=str(target)) from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(target)) from None
    with _lock:
        _live.add(temp)
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
    finally:
        with _lock:
            _live.discard(temp)


def write_text_atomic(path: str | os.PathLike, text: str) -> str:
    """Write UTF-8 text to ``path`` atomically; returns the path."""
    with atomic_output(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    return str(path)
