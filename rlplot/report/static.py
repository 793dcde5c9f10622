"""The static figures of a report, drawn by rlplot's own figure code: the small SVG fallback each
chart carries in the HTML page, and the PNG beside a Markdown report.

The fallback is made small for big sweeps: a small figure, text as SVG text (``svg.fonttype:
none``), the points rasterised at a low dpi, and the data already thinned to what the live chart
holds (``thin``), so a section costs a few tens of KB whatever the length of its logs.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import replace

import numpy as np

from ..config.schema import Config
from ..data import LoggedBand, Notice, Series, Smoothed
from ..figure.downsample import minmax_indices, scatter_indices

FALLBACK_PANEL_WIDTH = 3.2     # inches per panel (grid column) of the fallback SVG
FALLBACK_HEIGHT = 2.5          # inches per grid row
FALLBACK_DPI = 60              # of its rasterised points
FALLBACK_FONT = 7.0            # points


def thin_series(series: Series, max_points: int) -> Series:
    """The points a chart draws: the figure's extreme-preserving selection (``scatter_indices``);
    a logged band keeps its envelope."""
    keep = scatter_indices(series.y, max_points)
    band = series.band
    if band is not None:
        edge = np.union1d(minmax_indices(band.low, max_points), minmax_indices(band.high, max_points))
        band = LoggedBand(band.x[edge], band.low[edge], band.high[edge], band.columns)
    return replace(series, x=series.x[keep], y=series.y[keep], band=band)


def thin_curve(curve: Smoothed, max_points: int) -> Smoothed:
    """A smoothed curve (and its band) at most ``max_points`` long: the envelope selection the
    figure draws its line with (min/max per bucket), over the curve and both band edges."""
    if curve.x.shape[0] <= max_points:
        return curve
    arrays = [curve.y] + ([curve.band_low, curve.band_high] if curve.band_low is not None else [])
    keep = np.unique(np.concatenate([minmax_indices(a, max_points // len(arrays)) for a in arrays]))
    low = None if curve.band_low is None else curve.band_low[keep]
    high = None if curve.band_high is None else curve.band_high[keep]
    return replace(curve, x=curve.x[keep], y=curve.y[keep], band_low=low, band_high=high)


def fallback_config(config: Config, n_panels: int) -> Config:
    """The user's config made small: a narrow figure, small text as SVG text, no gridlines (the
    live chart has them), every point layer rasterised at a low dpi (the data is thinned before)."""
    from ..figure.layout import grid_shape

    rows, cols = grid_shape(n_panels, config.figure)
    figure = replace(config.figure, width=min(FALLBACK_PANEL_WIDTH * cols, 12.8),
                     height=min(FALLBACK_HEIGHT * rows, 10.0), dpi=FALLBACK_DPI,
                     font_size=FALLBACK_FONT, grid=False,
                     title_size=FALLBACK_FONT + 1, label_size=FALLBACK_FONT, tick_size=FALLBACK_FONT - 1)
    output = replace(config.output, rasterize_above=0, dpi=FALLBACK_DPI)
    return replace(config, figure=figure, output=output, rc={**config.rc, "svg.fonttype": "none"})


def fallback_panel(style, n_runs: int):
    """A panel's style in the fallback: small legend and annotation text; no legend for a lone
    run (the section's title names it, the live chart's legend shows its colours)."""
    legend = replace(style.legend, font_size=FALLBACK_FONT - 1, show=style.legend.show and n_runs > 1)
    return replace(style, legend=legend, annotation=replace(style.annotation,
                                                            font_size=FALLBACK_FONT - 1))


def draw_figure(prepared, config: Config):
    """Draw ``prepared`` (a pipeline.Prepared) with ``config``: (the Figure, drawing notices)."""
    from ..figure.chart import draw_chart, drawing_notices

    with drawing_notices(config) as notices:
        figure = draw_chart(prepared, config)
    return figure, tuple(notices)


_GEOMETRY = re.compile(r'\b(d|x|y|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
_SPACES = re.compile(r"\s+")
_GROUP_ID = re.compile(r'<g id="[^"]*"')
_NO_ROTATION = re.compile(r' transform="rotate\(-0 [^"]*\)"')
_FONT_LIST = re.compile(r"font-family: ([^,;]+)(?:, [^;]*?)?(, [\w-]+)?;")


_STYLE = re.compile(r' style="([^"]*)"')
_STYLE_SHEET = re.compile(r"(<style[^>]*>)")


def _classes(svg: str) -> str:
    # Style attributes used more than once become classes of one <style> sheet: every tick,
    # tick label and spine repeats the same few.
    counts: dict[str, int] = {}
    for style in _STYLE.findall(svg):
        counts[style] = counts.get(style, 0) + 1
    names = {style: f"s{i}" for i, style in enumerate(s for s, n in counts.items() if n > 1)}
    if not names or not _STYLE_SHEET.search(svg):
        return svg
    rules = "".join(f".{name}{{{style}}}" for style, name in names.items())
    svg = _STYLE.sub(lambda m: f' class="{names[m.group(1)]}"' if m.group(1) in names else m.group(),
                     svg)
    return _STYLE_SHEET.sub(lambda m: m.group() + rules, svg, count=1)


def lean_svg(svg: str) -> str:
    """matplotlib's SVG with coordinates to 0.1 pt (a tenth of a pixel at 72 dpi), path data on one
    line, no ids on groups (nothing references them), no zero rotations, and each font list
    shortened to its first font and generic family: about a third smaller."""
    def geometry(match: re.Match) -> str:
        value = _SPACES.sub(" ", _LONG_DECIMAL.sub(r"\1", match.group(2))).strip()
        return f'{match.group(1)}="{value}"'

    svg = _NO_ROTATION.sub("", _GROUP_ID.sub("<g", svg))
    return _classes(_FONT_LIST.sub(r"font-family: \1\2;", _GEOMETRY.sub(geometry, svg)))


def fallback_svg(prepared, config: Config) -> tuple[str, tuple[Notice, ...]]:
    """The static SVG of a section (``prepared`` already thinned), and what drawing warned about."""
    from ..figure.chart import style_context
    from ..figure.save import SVG_HASH_SALT

    import matplotlib

    small = fallback_config(config, len(prepared.panels))
    many = len(prepared.runs) if not prepared.groups else len(prepared.groups)
    prepared = replace(prepared, panels=tuple(fallback_panel(p, many) for p in prepared.panels))
    figure, notices = draw_figure(prepared, small)
    out = io.StringIO()
    with style_context(small), warnings.catch_warnings(), \
            matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        warnings.simplefilter("ignore")
        figure.savefig(out, format="svg", dpi=FALLBACK_DPI, metadata={"Date": None},
                       facecolor=figure.get_facecolor())
    return lean_svg(out.getvalue()), notices


def png_bytes(prepared, config: Config, provenance=None) -> tuple[bytes, tuple[Notice, ...]]:
    """``prepared`` drawn as ``rlplot render`` draws it, as PNG bytes (with ``provenance``), and
    what drawing warned about."""
    from ..figure.chart import style_context
    from ..figure.save import figure_bytes

    figure, notices = draw_figure(prepared, config)
    with style_context(config):
        data = figure_bytes(figure, "png", dpi=config.output.dpi or config.figure.dpi,
                            transparent=config.output.transparent, metadata=config.output.metadata,
                            provenance=provenance)
    return data, notices
