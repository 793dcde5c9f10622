"""Axes-level drawing: one panel of scatter points and smoothed curves. Takes an ``ax``, returns it."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..clean import mixed_scales, mixed_scales_text
from ..config.schema import FigureStyle, PanelStyle
from ..data import Series, Smoothed, percent_scale
from .axes import resolve_y_format, set_x_format, snapped_limits, x_formatter, y_formatter
from .downsample import minmax_indices, scatter_indices
from .legend import place_legend


# Vertices of a drawn line (its envelope is kept): smooth curves need far fewer, and
# a vector file stays small; independent of how many points the scatter may draw.
LINE_MAX_POINTS = 4000


@dataclass(frozen=True)
class Trace:
    """One run's series in one panel, with the colours and legend labels it is drawn with."""

    series: Series | None      # None: no points (an aggregate drawn without its runs' points)
    smoothed: Smoothed
    point_color: str
    line_color: str
    point_label: str | None
    line_label: str | None
    band_label: str | None = None
    logged_band_label: str | None = None   # legend entry of the band the log records (W&B min/max)
    line_style: str | None = None          # None: the panel's; past the palette, runs vary it
    marker: str | None = None              # None: the panel's
    source: str | None = None              # the log, for warnings about what is drawn


def _bounds(traces: list[Trace], points_drawn: bool = True) -> tuple[float, float]:
    """The y range of what is drawn: lines, bands, and the points only when they are drawn."""
    lows, highs = [], []
    for trace in traces:
        arrays = [trace.smoothed.y]
        if trace.series is not None:
            if points_drawn:
                arrays.append(trace.series.y)
            if trace.series.band is not None:
                arrays += [trace.series.band.low, trace.series.band.high]
        if trace.smoothed.band_low is not None:
            arrays += [trace.smoothed.band_low, trace.smoothed.band_high]
        for values in arrays:
            finite = values[np.isfinite(values)]
            if finite.size:
                lows.append(float(finite.min()))
                highs.append(float(finite.max()))
    return (min(lows), max(highs)) if lows else (float("nan"), float("nan"))


def draw_panel(ax, traces: list[Trace], style: PanelStyle, figure: FigureStyle, *, x_label: str,
               rasterize_above: int, x_format: str | None = None):
    """Draw the points (downsampled, extremes kept), bands and smoothed line of every trace; format the axes.

    ``x_format``: the x tick format resolved for this x column (default: ``figure.x_tick_format``).
    """
    for trace in traces:
        _draw_trace(ax, trace, style, rasterize_above)
    ax.set_title(style.title, fontsize=figure.title_size)
    ax.set_ylabel(style.y_label, fontsize=figure.label_size)
    ax.set_xlabel(x_label, fontsize=figure.label_size)
    ax.tick_params(labelsize=figure.tick_size)
    ax.set_xscale(figure.x_scale)
    ax.set_yscale(style.y_scale)
    _format_y(ax, traces, style)
    if figure.x_scale == "linear":
        set_x_format(ax.xaxis, x_format or figure.x_tick_format)
    elif figure.x_tick_format == "hidden":
        ax.xaxis.set_major_formatter(x_formatter("hidden"))
    if figure.x_min is not None or figure.x_max is not None:
        ax.set_xlim(figure.x_min, figure.x_max)
    if figure.grid:
        ax.grid(True, which="major", linewidth=0.6, alpha=0.5, zorder=0)
        ax.set_axisbelow(True)
    if style.legend.show and any(t.point_label or t.line_label for t in traces):
        place_legend(ax, style, figure)
    return ax


def _draw_trace(ax, trace: Trace, style: PanelStyle, rasterize_above: int) -> None:
    # Points, then the band the log records, then the residual band, then the line on top.
    series, smoothed = trace.series, trace.smoothed
    if style.scatter.show and series is not None and len(series):
        keep = scatter_indices(series.y, style.scatter.max_points)
        ax.scatter(series.x[keep], series.y[keep], s=style.scatter.size, c=trace.point_color,
                   alpha=style.scatter.alpha, marker=trace.marker or style.scatter.marker, linewidths=0,
                   label=trace.point_label, zorder=2, rasterized=len(keep) > rasterize_above)
    if series is not None and series.band is not None:
        band = series.band
        _fill(ax, band.x, band.low, band.high, trace.line_color, trace.logged_band_label, style)
    if smoothed.band_low is not None and len(smoothed.x):
        _fill(ax, smoothed.x, smoothed.band_low, smoothed.band_high, trace.line_color,
              trace.band_label, style)
    if len(smoothed.x):
        keep = minmax_indices(smoothed.y, LINE_MAX_POINTS)
        ax.plot(smoothed.x[keep], smoothed.y[keep], color=trace.line_color,
                linewidth=style.line.width, linestyle=trace.line_style or style.line.style,
                label=trace.line_label, zorder=3)


def _fill(ax, x: np.ndarray, low: np.ndarray, high: np.ndarray, color: str, label: str | None,
          style: PanelStyle) -> None:
    # A band (x, low, high of shape (n,)) as a light fill in the line's colour, over the
    # points (a dense cloud would hide it) and under the line; its envelope is kept.
    keep = np.union1d(minmax_indices(low, style.scatter.max_points),
                      minmax_indices(high, style.scatter.max_points))
    ax.fill_between(x[keep], low[keep], high[keep], color=color, alpha=0.2, linewidth=0,
                    zorder=2.5, label=label)


def _format_y(ax, traces: list[Trace], style: PanelStyle) -> None:
    lo, hi = _bounds(traces, points_drawn=style.scatter.show)
    raw = [t.series.y for t in traces if t.series is not None] or [t.smoothed.y for t in traces]
    scale = percent_scale(*raw) if style.y_format == "percent" else 1.0
    if scale == 100.0:
        _warn_mixed_scales(traces)
    metric = next((t.series.name for t in traces if t.series is not None), style.metric)
    kind = resolve_y_format(style.y_format, metric, np.concatenate(raw) if raw else None)
    if style.y_scale != "linear":
        if kind != "auto":
            ax.yaxis.set_major_formatter(y_formatter(kind, scale))
        ax.set_ylim(style.y_min, style.y_max)
        return
    step = style.y_tick_step
    if step is not None and style.y_format == "percent":
        step = step * scale / 100.0  # the step is given in percent points
    low, high, locator = snapped_limits(lo, hi, step, integer=style.y_integer)
    low = style.y_min if style.y_min is not None else low
    high = style.y_max if style.y_max is not None else high
    ax.yaxis.set_major_locator(locator)
    ax.yaxis.set_major_formatter(y_formatter(kind, scale, span=high - low))
    ax.set_ylim(low, high)


def _warn_mixed_scales(traces: list[Trace]) -> None:
    # A warning while drawing becomes one of the render's notices (pipeline.draw).
    for trace in traces:
        if trace.series is None:
            continue
        pair = mixed_scales(trace.series.y)
        if pair is not None:
            text = mixed_scales_text(trace.series.name, pair)
            warnings.warn(f"{trace.source}: {text}" if trace.source else text, stacklevel=2)

