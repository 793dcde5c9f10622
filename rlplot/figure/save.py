"""Writing figures: atomic (temp file in the same folder, then rename) and byte-deterministic."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..atomic import atomic_output
from ..errors import OutputError

# One entry per output format: extension -> matplotlib format and the metadata keys
# that would otherwise carry a date or version into the file.
WRITERS: dict[str, tuple[str, dict]] = {
    ".png": ("png", {"Software": "rlplot"}),
    ".svg": ("svg", {"Date": None, "Creator": "rlplot"}),
    ".pdf": ("pdf", {"CreationDate": None, "ModDate": None, "Producer": "rlplot",
                     "Creator": "rlplot"}),
}
SVG_HASH_SALT = "rlplot"  # fixed ids in SVG output, so re-renders are byte-identical


def output_format(path: str) -> str:
    """The matplotlib format of an output path, or an OutputError for an unknown extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise OutputError(f"unknown output format '{suffix or path}'", file=path,
                          hint="use .png, .svg or .pdf")
    return WRITERS[suffix][0]


def save_figure(fig, path: str, *, dpi: float | None = None, transparent: bool = False,
                metadata: Mapping[str, str] | None = None) -> str:
    """Save ``fig`` to ``path`` atomically; the format comes from the extension. Returns the path."""
    import matplotlib

    fmt = output_format(path)
    info = dict(WRITERS[Path(path).suffix.lower()][1])
    info.update(metadata or {})
    with atomic_output(path) as stream, \
            matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "pdf.compression": 6}):
        fig.savefig(stream, format=fmt, dpi=dpi or fig.dpi, transparent=transparent,
                    metadata=info, facecolor=None if transparent else fig.get_facecolor())
    return str(path)
