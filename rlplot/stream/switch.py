"""Whether a log is streamed: the switch ``pipeline.render`` turns on, and the cheap checks made
before anything of ``stream.run`` (pyarrow, the LOWESS bins) is imported for a small log."""
from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager

# Below this size a log is read in memory (exact LOWESS bins and --data-out of every point);
# above it the in-memory read of two metrics costs more than 1 GB per 10M rows.
STREAM_MIN_BYTES = 256 * 1024 * 1024

# Only a figure is made from the drawn points alone: summaries, comparisons, notebooks and
# --data-out need every point, so streaming is on only inside ``streaming()`` (pipeline.render).
_STREAMING = contextvars.ContextVar("rlplot_streaming", default=False)


@contextmanager
def streaming(enabled: bool = True):
    """Let big logs read inside this block be streamed down to what the figure draws."""
    token = _STREAMING.set(enabled)
    try:
        yield
    finally:
        _STREAMING.reset(token)


def streaming_on() -> bool:
    """Whether big logs read here may be streamed (inside ``streaming()``)."""
    return _STREAMING.get()


def big_log(ref, enabled: bool | None = None) -> bool:
    """Whether ``ref`` is a log file big enough to stream, with streaming on (``enabled``, else
    ``streaming_on()``). Whether the figure allows it is ``run.streamable``'s to say."""
    path = ref.source
    return ((streaming_on() if enabled is None else enabled) and getattr(ref, "kind", None) == "log"
            and os.path.isfile(path) and os.path.getsize(path) >= STREAM_MIN_BYTES)
