"""Streaming big logs: memory proportional to what is drawn, not to the file (issue 18).

``stream_run`` reads a big CSV/JSONL log piece by piece and reduces it to the points the
figure draws and the LOWESS curve at them (``run``); ``picks`` chooses the drawn points as
``figure.downsample`` would, one piece at a time. See docs/performance.md, "Memory (issue 18)".
"""
from .switch import STREAM_MIN_BYTES, streaming, streaming_on

__all__ = ["stream_run", "streaming", "streaming_on", "StreamedSeries", "streamable", "STREAM_MIN_BYTES"]
_IN_RUN = ("stream_run", "StreamedSeries", "streamable", "NotStreamed")


def __getattr__(name: str):
    # stream.run (pyarrow's reader, the LOWESS bins) loads only when a big log is read.
    if name in _IN_RUN:
        from . import run
        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
