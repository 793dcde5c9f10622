"""What ``rlplot.plot`` returns: the figure, shown inline by Jupyter, saved like the CLI saves it.

Jupyter asks an object for its ``_repr_png_``/``_repr_svg_``/``_repr_html_``. A ``Plot``
answers only the kinds it shows (``display_as``): a PNG by default, which every front end
and a notebook viewer on the web draw, and which keeps a saved notebook small. SVG is the
same figure as text; ``interactive`` (HTML) is the report's live chart (hover, zoom) for
these runs in an ``<iframe>``: about 80 KB of inlined JavaScript per output, so it is asked
for, never the default.
"""
from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, replace
from typing import Any, Iterable, Sequence

from ..config.schema import Config
from ..data import Notice
from ..pipeline import Prepared
from .data_in import Loaded

SHOWN_KINDS = ("png", "svg", "html")
INLINE_DPI = 100            # CSS pixels per inch of the inline image (matplotlib's own inline)
IFRAME_HEIGHT = 640         # pixels: the live chart's frame in a notebook


class RlplotWarning(UserWarning):
    """A notice about the data (points dropped, a run left out, a smoothing limit), as a warning."""


def warn_all(notices: Iterable[Notice], stacklevel: int = 3) -> None:
    """Issue each notice as an ``RlplotWarning`` pointing at the caller's line."""
    for notice in notices:
        warnings.warn(str(notice), RlplotWarning, stacklevel=stacklevel)


@dataclass(frozen=True, eq=False)
class Plot:
    """The figure of ``rlplot.plot``: ``figure`` (a matplotlib Figure, to edit further),
    ``save``, ``data``, ``summary``, ``notices``, and inline display in Jupyter."""

    figure: Any
    prepared: Prepared
    config: Config
    loaded: Loaded
    command: str
    labels: tuple[str, ...] = ()
    drawing_notices: tuple[Notice, ...] = ()
    shown: tuple[str, ...] = ("png",)

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every notice: finding and reading the runs, cleaning, smoothing, then drawing."""
        return self.prepared.notices + self.drawing_notices

    @property
    def runs(self):
        """The runs drawn (``rlplot.data.Run``: label, cleaned series, notices, config)."""
        return self.prepared.runs

    def __repr__(self) -> str:
        panels = ", ".join(p.metric for p in self.config.panels)
        return (f"<rlplot Plot: {len(self.prepared.runs)} run(s), panels: {panels}; "
                f"{len(self.notices)} notice(s)>")

    # -- saving ------------------------------------------------------------------------------
    def provenance(self):
        """The record saved in every file (``rlplot.provenance``): version, call, inputs, config."""
        from ..provenance import make_provenance

        record = make_provenance(list(self.loaded.files), self.config, self.command,
                                 self.labels or None)
        if record is not None and self.loaded.record is not None:
            record = replace(record, inputs=(self.loaded.record,))
        return record

    def save(self, path, *more) -> str | tuple[str, ...]:
        """Write the figure to ``path`` (and ``more``), atomically and deterministically, the
        format from the extension, with its provenance; returns the path(s) written."""
        from ..figure.chart import drawing_notices
        from ..figure.save import save_figure
        from ..pipeline import check_outputs

        paths = [str(p) for p in (path, *more)]
        check_outputs(paths, self.loaded.files)
        record = self.provenance()
        with drawing_notices(self.config) as notices:
            written = tuple(save_figure(self.figure, out, dpi=self._dpi(),
                                        transparent=self.config.output.transparent,
                                        metadata=self.config.output.metadata, provenance=record)
                            for out in paths)
        warn_all(notices)
        return written[0] if not more else written

    def _dpi(self) -> float:
        return self.config.output.dpi or self.config.figure.dpi

    def image(self, fmt: str = "png") -> bytes:
        """The figure as the bytes of a ``fmt`` file (png, svg, pdf), without provenance."""
        from ..figure.chart import style_context
        from ..figure.save import figure_bytes

        with style_context(self.config), warnings.catch_warnings():
            warnings.simplefilter("ignore")   # said once, when it was drawn
            return figure_bytes(self.figure, fmt, dpi=self._dpi(),
                                transparent=self.config.output.transparent)

    # -- data out ----------------------------------------------------------------------------
    def data(self, like: Any = None):
        """Every drawn point as ``--data-out`` has it (run, panel, x, y, smoothed, band_low,
        band_high), as a frame of the library the data came in (or of ``like``'s)."""
        from ..frames_out import frame_like, prepared_columns

        template = self.loaded.template if like is None else like
        return frame_like(template, prepared_columns(self.prepared))

    def summary(self, thresholds: Sequence[str] = ()):
        """The ``rlplot summary`` numbers of these runs (``thresholds``: ``"accuracy=50%"``, ...)."""
        from .views import summary_view

        return summary_view(self.prepared, thresholds, self.loaded.template)

    # -- inline display ----------------------------------------------------------------------
    def display_as(self, *kinds: str) -> "Plot":
        """The same plot shown inline as ``kinds`` (png, svg, html) instead."""
        from ..registry import unknown_hint
        from ..errors import ConfigError

        for kind in kinds:
            if kind not in SHOWN_KINDS:
                raise ConfigError(f"cannot display as '{kind}'", hint=unknown_hint(kind, SHOWN_KINDS))
        return replace(self, shown=tuple(kinds))

    def interactive(self, title: str = "rlplot") -> str:
        """The report's live chart of these runs (hover, zoom, filter) as one HTML ``<iframe>``."""
        from ..report.build import report_of_prepared
        from ..report.page import render_html

        built = report_of_prepared(self.prepared, self.config, title=title, command=self.command)
        page = render_html(built.report)
        return (f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width: 100%; '
                f'height: {IFRAME_HEIGHT}px; border: 0" sandbox="allow-scripts"></iframe>')

    def _repr_png_(self):
        if "png" not in self.shown:
            return None
        width = self.figure.get_figwidth() * INLINE_DPI
        return self.image("png"), {"width": round(width)}

    def _repr_svg_(self):
        return self.image("svg").decode("utf-8") if "svg" in self.shown else None

    def _repr_html_(self):
        return self.interactive() if "html" in self.shown else None
