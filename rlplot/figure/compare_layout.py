"""The figures of ``rlplot compare`` as whole Figures: one per kind, or every kind in one grid
(``compare.layout``), sized and styled from the config like every rlplot figure.

The style comes from the keys the presets set: fonts and sizes from ``figure``, the line
width and legend from the first panel, the colours from ``compare.colors``; ``rc`` and
``style`` apply around drawing (``rlplot.figure.chart.style_context``).
"""
from __future__ import annotations

from typing import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..choices import COMPARE_FIGURES
from ..config.compare import parse_layout
from ..config.schema import Config
from ..errors import InputError
from ..stats.results import Comparison
from .axes import x_formatter
from .compare import OKABE_ITO, CompareStyle

# The result each figure kind draws (an attribute of Comparison); a test checks every kind has one.
RESULT_OF = {"intervals": "intervals", "profiles": "profiles", "improvement": "improvements",
             "efficiency": "curves"}
ROW_INCHES, AXIS_INCHES = 0.45, 1.0   # default height of the one-row-per-item kinds: 1 + 0.45 a row


def score_label(normalization: str) -> str:
    """How the score axes are labelled for a normalization (``none``, ``minmax``, ``references (…)``)."""
    if normalization == "none":
        return "Score"
    return "Min-max normalized score" if normalization == "minmax" else "Normalized score"


def compare_style(config: Config, normalization: str = "none") -> CompareStyle:
    """The CompareStyle of a config: the presets' fonts, line width, legend and grid."""
    fig, panel, spec = config.figure, config.panels[0], config.compare
    return CompareStyle(
        colors=tuple(spec.colors) or OKABE_ITO, font_size=fig.font_size, label_size=fig.label_size,
        tick_size=fig.tick_size,
        line_width=spec.line_width if spec.line_width is not None else panel.line.width,
        grid=fig.grid, legend=panel.legend.show, legend_frame=panel.legend.frame,
        legend_size=panel.legend.font_size or max(fig.font_size - 1, 1),
        score_label=spec.score_label or score_label(normalization))


def kind_size(kind: str, config: Config, rows: int | None = None) -> tuple[float, float]:
    """Width and height in inches of one kind's figure: its own keys, else the figure's width
    (intervals) or half of it, and the figure's height, or for ``rows`` of bars (algorithms,
    pairs) 1 + 0.45 in a row, at most the figure's height."""
    spec, fig = getattr(config.compare, kind), config.figure
    default_width = fig.width if kind == "intervals" else fig.width / 2
    default_height = fig.height if rows is None else min(fig.height, AXIS_INCHES + ROW_INCHES * rows)
    return spec.width or default_width, spec.height or default_height


def bar_rows(kind: str, comparison: Comparison) -> int | None:
    """How many rows of bars a kind draws (algorithms, pairs), or None for curves."""
    if kind == "intervals":
        return len(comparison.intervals.algorithms)
    if kind == "improvement" and comparison.improvements is not None:
        return len(comparison.improvements.pairs)
    return None


def draw_kind(container, kind: str, comparison: Comparison, style: CompareStyle, config: Config):
    """Draw one kind into a Figure or SubFigure (new axes); returns the axes drawn on."""
    result = getattr(comparison, RESULT_OF[COMPARE_FIGURES.check(kind)])
    if result is None:
        raise InputError(f"nothing to draw for '{kind}': it was not computed",
                         hint="keep the kind in compare.kinds when evaluating")
    title = getattr(config.compare, kind).title
    if title:
        container.suptitle(title, fontsize=config.figure.title_size)
    if kind == "intervals":    # one axes per metric, as rliable lays it out
        axes = list(container.subplots(1, len(result.metrics), squeeze=False)[0])
        container.supxlabel(style.score_label, fontsize=style.label_size)
        return COMPARE_FIGURES.load(kind)(axes, result, style)
    ax = container.subplots()
    COMPARE_FIGURES.load(kind)(ax, result, style)
    if kind == "efficiency":
        ax.xaxis.set_major_formatter(x_formatter(config.figure.x_tick_format))
    return [ax]


def new_figure(width: float, height: float, config: Config) -> Figure:
    """A headless Agg Figure of the config's dpi, background and layout engine."""
    fig = config.figure
    figure = Figure(figsize=(width, height), dpi=fig.dpi, facecolor=fig.facecolor,
                    layout=None if fig.layout == "none" else fig.layout)
    FigureCanvasAgg(figure)
    return figure


def kind_figure(kind: str, comparison: Comparison, config: Config, style: CompareStyle) -> Figure:
    """One kind alone in its own Figure."""
    figure = new_figure(*kind_size(kind, config, bar_rows(kind, comparison)), config)
    draw_kind(figure, kind, comparison, style, config)
    return figure


def grid_figure(kinds: Sequence[str], rows: Sequence[int], comparison: Comparison, config: Config,
                style: CompareStyle) -> Figure:
    """Every kind in one Figure, ``rows[i]`` kinds on row i; each cell keeps its kind's size
    (rows as tall as their tallest cell, the figure as wide as its widest row)."""
    sizes = [kind_size(kind, config, bar_rows(kind, comparison)) for kind in kinds]
    starts = [sum(rows[:i]) for i in range(len(rows))]
    row_sizes = [sizes[s:s + n] for s, n in zip(starts, rows)]
    widths = [sum(w for w, _ in row) for row in row_sizes]
    heights = [max(h for _, h in row) for row in row_sizes]
    figure = new_figure(max(widths), sum(heights), config)
    lines = figure.subfigures(len(rows), 1, squeeze=False, height_ratios=heights)[:, 0]
    for line, start, row in zip(lines, starts, row_sizes):
        cells = line.subfigures(1, len(row), squeeze=False, width_ratios=[w for w, _ in row])[0]
        for cell, kind in zip(cells, kinds[start:start + len(row)]):
            draw_kind(cell, kind, comparison, style, config)
    return figure


def compare_figures(comparison: Comparison, config: Config, kinds: Sequence[str] | None = None,
                    layout: str | None = None) -> list[tuple[tuple[str, ...], Figure]]:
    """The figures to save: ``[((kind,), Figure), ...]``, or one ``(kinds, Figure)`` with a layout."""
    kinds = tuple(kinds if kinds is not None else config.compare.kinds)
    layout = layout if layout is not None else config.compare.layout
    style = compare_style(config, comparison.matrix.normalization)
    if layout:
        return [(kinds, grid_figure(kinds, parse_layout(layout, len(kinds)), comparison, config, style))]
    return [((kind,), kind_figure(kind, comparison, config, style)) for kind in kinds]

