"""Streaming big logs: memory proportional to what is drawn, not to the file (issue 18).

``stream_run`` reads a big CSV/JSONL log piece by piece and reduces it to the points the
figure draws and the LOWESS curve at them (``run``); ``picks`` chooses the drawn points as
``figure.downsample`` would, one piece at a time. See docs/performance.md, "Memory (issue 18)".
"""
from .run import STREAM_MIN_BYTES, StreamedSeries, stream_run, streamable, streaming

__all__ = ["stream_run", "streaming", "StreamedSeries", "streamable", "STREAM_MIN_BYTES"]
