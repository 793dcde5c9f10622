"""The only place a Figure is created: the panel grid, fonts, suptitle and footnote."""
from __future__ import annotations

import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..config.schema import FigureStyle


def grid_shape(n_panels: int, style: FigureStyle) -> tuple[int, int]:
    """Rows and columns for ``n_panels``: one row by default, or what ``rows``/``cols`` ask."""
    rows, cols = style.rows, style.cols
    if rows and cols:
        if rows * cols < n_panels:
            from ..errors import ConfigError
            raise ConfigError(f"figure.rows × figure.cols = {rows}×{cols} is too small for "
                              f"{n_panels} panels", hint="raise rows or cols, or leave them unset")
        return rows, cols
    if cols:
        return math.ceil(n_panels / cols), cols
    if rows:
        return rows, math.ceil(n_panels / rows)
    return 1, max(n_panels, 1)


def make_figure(n_panels: int, style: FigureStyle, footnote: str | None = None) -> tuple[Figure, list]:
    """A headless Agg figure with ``n_panels`` axes in reading order (unused grid cells hidden)."""
    rows, cols = grid_shape(n_panels, style)
    layout = None if style.layout == "none" else style.layout
    fig = Figure(figsize=(style.width, style.height), dpi=style.dpi, facecolor=style.facecolor,
                 layout=layout)
    FigureCanvasAgg(fig)
    grid = fig.subplots(rows, cols, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for ax in axes[n_panels:]:
        ax.set_axis_off()
    if style.suptitle:
        fig.suptitle(style.suptitle, fontsize=style.title_size + 2)
    footnote = footnote or style.footnote
    if footnote:
        fig.supxlabel(footnote, fontsize=max(style.font_size - 2, 1), color="0.35")
    return fig, axes[:n_panels]
