"""Writing figures: atomic (temp file in the same folder, then rename) and byte-deterministic.

The formats are ``rlplot.choices.FIGURE_FORMATS``; a format's name is its extension
and matplotlib's name for it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..atomic import atomic_output
from ..choices import FIGURE_FORMATS
from ..errors import OutputError
from ..registry import unknown_hint

# Per FIGURE_FORMATS name: the metadata keys that would otherwise carry a date or a
# version into the file (a test checks that every registered format has its entry).
DETERMINISTIC_METADATA: dict[str, dict] = {
    "png": {"Software": "rlplot"},
    "svg": {"Date": None, "Creator": "rlplot"},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": "rlplot", "Creator": "rlplot"},
}
SVG_HASH_SALT = "rlplot"  # fixed ids in SVG output, so re-renders are byte-identical


def output_format(path: str) -> str:
    """The format (a FIGURE_FORMATS name) of an output path, or an OutputError for an unknown extension."""
    suffix = Path(path).suffix.lower()
    if suffix[1:] not in FIGURE_FORMATS:
        raise OutputError(f"unknown output format '{suffix or path}'", file=path,
                          hint=unknown_hint(suffix, [f".{name}" for name in FIGURE_FORMATS]))
    return suffix[1:]


def save_figure(fig, path: str, *, dpi: float | None = None, transparent: bool = False,
                metadata: Mapping[str, str] | None = None) -> str:
    """Save ``fig`` to ``path`` atomically; the format comes from the extension. Returns the path."""
    import matplotlib

    fmt = output_format(path)
    info = dict(DETERMINISTIC_METADATA[fmt])
    info.update(metadata or {})
    with atomic_output(path) as stream, \
            matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "pdf.compression": 6}):
        fig.savefig(stream, format=fmt, dpi=dpi or fig.dpi, transparent=transparent,
                    metadata=info, facecolor=None if transparent else fig.get_facecolor())
    return str(path)
