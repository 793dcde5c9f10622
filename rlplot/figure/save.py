"""Writing figures: atomic (temp file in the same folder, then rename) and byte-deterministic,
each carrying what made it (``rlplot.provenance``) when given a record.

The formats are ``rlplot.choices.FIGURE_FORMATS``; a format's name is its extension
and matplotlib's name for it.
"""
from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Mapping

from ..atomic import atomic_output
from ..choices import FIGURE_FORMATS
from ..errors import OutputError
from ..provenance import PDF_KEY, PNG_KEY, SVG_NAMESPACE, SVG_TAG, Provenance
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


# Per FIGURE_FORMATS name: the metadata key savefig writes a provenance record under (PNG: a tEXt
# chunk, PDF: a document info entry); None: an element in the SVG's <metadata> (``svg_with``).
PROVENANCE_KEYS: dict[str, str | None] = {"png": PNG_KEY, "svg": None, "pdf": PDF_KEY}
_SVG_METADATA = re.compile(rb"<metadata>")
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>")


def svg_with(svg: bytes, record: Provenance) -> bytes:
    """``svg`` with the record as an ``<rlplot:provenance>`` element in its ``<metadata>``."""
    text = record.to_json().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    element = (f'<{SVG_TAG} xmlns:rlplot="{SVG_NAMESPACE}">{text}</{SVG_TAG}>').encode("ascii")
    if _SVG_METADATA.search(svg):
        return _SVG_METADATA.sub(lambda m: m.group() + element, svg, count=1)
    return _SVG_ROOT.sub(lambda m: m.group() + b"<metadata>" + element + b"</metadata>", svg,
                         count=1)


def figure_bytes(fig, fmt: str, *, dpi: float | None = None, transparent: bool = False,
                 metadata: Mapping[str, str] | None = None, provenance: Provenance | None = None
                 ) -> bytes:
    """``fig`` as the bytes of a FIGURE_FORMATS file, deterministic, with ``provenance`` (see
    ``rlplot.provenance``) in its metadata."""
    import matplotlib

    info = dict(DETERMINISTIC_METADATA[fmt])
    info.update(metadata or {})
    if provenance is not None and PROVENANCE_KEYS[fmt]:
        info[PROVENANCE_KEYS[fmt]] = provenance.to_json()
    out = io.BytesIO()
    with warnings.catch_warnings(), \
            matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "pdf.compression": 6}):
        # matplotlib warns about a PDF info key it does not know: ours, on purpose.
        warnings.filterwarnings("ignore", message=f"Unknown infodict keyword: '{PDF_KEY}'")
        fig.savefig(out, format=fmt, dpi=dpi or fig.dpi, transparent=transparent,
                    metadata=info, facecolor=None if transparent else fig.get_facecolor())
    if provenance is not None and not PROVENANCE_KEYS[fmt]:
        return svg_with(out.getvalue(), provenance)
    return out.getvalue()


def save_figure(fig, path: str, *, dpi: float | None = None, transparent: bool = False,
                metadata: Mapping[str, str] | None = None, provenance: Provenance | None = None) -> str:
    """Save ``fig`` to ``path`` atomically; the format comes from the extension. Returns the path.

    ``provenance`` (see ``rlplot.provenance``) is written into the file's metadata.
    """
    data = figure_bytes(fig, output_format(path), dpi=dpi, transparent=transparent,
                        metadata=metadata, provenance=provenance)
    with atomic_output(path) as stream:
        stream.write(data)
    return str(path)
