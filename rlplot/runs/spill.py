"""Handing a reading worker's arrays to the parent through a file, not through the result pipe.

A worker's runs are mostly float64 arrays (1,000 runs of 10,000 rows: ~400 MB with their curves).
Sent back through ``concurrent.futures``' pipe they cost the parent about 2.5 s of CPU per GB:
the pipe moves 64 KB per read, each read into fresh memory, then unpickling copies again
(docs/performance.md, "Issue 18, fifth round"). Instead the worker pickles its results with
protocol 5 and writes the arrays' bytes, out of band, into one file of a private temporary folder
(``SpillFolder``); only the small pickle stream and the file's name go through the pipe. The
parent maps the file copy-on-write, removes its name at once and unpickles: the arrays are views
of the mapping (writable, private to the parent), read from the page cache without a copy.

Files live only between a worker's write and the parent's read; the folder is removed when the
read is over, whatever happened. A folder's name carries its owner (host tag and pid, as
``rlplot.atomic`` names temp files), so one left by a killed rlplot is removed by the next only
when provably dead: its process of this host is gone, or, from another host sharing ``$TMPDIR``,
it is untouched for ``atomic.STALE_SECONDS``. Any ``OSError`` (a full disk, no temporary folder)
falls back to the pipe.
"""
from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass

from ..atomic import STALE_SECONDS, host_tag, process_exists

FOLDER_PREFIX = "rlplot-spill-"
MIN_SPILL_BYTES = 1 << 20     # smaller results go through the pipe: a file costs more than it saves
ALIGN = 64                    # each array starts on a 64-byte boundary (any dtype, SIMD loads)


@dataclass(frozen=True)
class Spilled:
    """A result whose arrays wait in ``path``: the pickle stream and each buffer's (offset, size)."""

    head: bytes
    path: str
    spans: tuple[tuple[int, int], ...]


def spill(value, folder: str | None):
    """``value`` as a ``Spilled`` in ``folder`` when its arrays hold ``MIN_SPILL_BYTES`` or more;
    else (and on any OSError) ``value`` itself, to be pickled as usual."""
    if folder is None:
        return value
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    if sum(view.nbytes for view in views) < MIN_SPILL_BYTES:
        return value
    spans, offset = [], 0
    for view in views:
        spans.append((offset, view.nbytes))
        offset += -(-view.nbytes // ALIGN) * ALIGN
    try:
        fd, path = tempfile.mkstemp(dir=folder, suffix=".bin")
    except OSError:
        return value
    try:
        with os.fdopen(fd, "wb") as stream:
            for view, (start, _size) in zip(views, spans):
                stream.seek(start)
                stream.write(view)
            stream.truncate(offset)
    except OSError:   # a full disk: free what was written, send the arrays the usual way
        with contextlib.suppress(OSError):
            os.unlink(path)
        return value
    return Spilled(head, path, tuple(spans))


def unspill(value):
    """The result ``spill`` made: a ``Spilled`` read back (its file removed), anything else as is."""
    if not isinstance(value, Spilled):
        return value
    try:
        with open(value.path, "rb") as stream:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_COPY)
    finally:
        os.unlink(value.path)
    whole = memoryview(mapped)
    return pickle.loads(value.head, buffers=[whole[start:start + size]
                                             for start, size in value.spans])


class SpillFolder:
    """A private temporary folder for one parallel read (``with SpillFolder() as path``), removed
    on leaving; ``path`` is None when none could be made, or off POSIX (a mapped file cannot
    lose its name on Windows): results then take the pipe."""

    def __init__(self) -> None:
        self.path: str | None = None

    def __enter__(self) -> str | None:
        if os.name != "posix":
            return None
        root = tempfile.gettempdir()
        remove_stale(root)
        try:
            self.path = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{host_tag()}-{os.getpid()}-",
                                         dir=root)
        except OSError:
            self.path = None
        return self.path

    def __exit__(self, *_exc) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def remove_stale(root: str) -> None:
    """Remove the spill folders in ``root`` of rlplot processes that are provably gone."""
    try:
        names = [name for name in os.listdir(root) if name.startswith(FOLDER_PREFIX)]
    except OSError:
        return
    for name in names:
        path = os.path.join(root, name)
        if _is_dead(path, name[len(FOLDER_PREFIX):]):
            shutil.rmtree(path, ignore_errors=True)


def _is_dead(path: str, owner: str) -> bool:
    # owner: "<host tag>-<pid>-<random>"; this process's own folders are never stale.
    host, _, rest = owner.partition("-")
    pid = rest.partition("-")[0]
    if host == host_tag() and pid.isdigit():
        return int(pid) != os.getpid() and not process_exists(int(pid))
    try:
        return time.time() - os.stat(path).st_mtime > STALE_SECONDS
    except OSError:
        return False
