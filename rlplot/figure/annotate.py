"""Axes-level marks of a curve's insights: a labelled marker at the dip, a dashed line at the knee.

Drawn after ``draw_panel`` when a panel has ``annotate: true`` (or ``render --annotate``).
The numbers come from ``rlplot.insights`` (computed from the prepared data, never from
files); this module only draws them. Every artist carries a ``gid`` (rlplot-dip,
rlplot-dip-label, rlplot-knee, rlplot-knee-marker, rlplot-knee-label) so tests and SVG
post-processing can find it, and a label starting with ``_`` so legends ignore it.
"""
from __future__ import annotations

import numpy as np
from matplotlib import patheffects

from ..config.schema import PanelStyle
from ..data import Series
from ..insights import CurveInsight, analyze

LABEL_OFFSET = 4  # points between a mark and its label


def annotate_panel(ax, insight: CurveInsight, style: PanelStyle, *, color: str | None = None,
                   font_size: float = 8.0, slot: int = 0):
    """Mark ``insight``'s dip (marker + label) and knee (vertical line + marker + label) on ``ax``.

    ``slot`` stacks the labels of several runs in one panel so they do not overprint.
    """
    mark = style.annotation
    color = color or mark.color
    size = mark.font_size or font_size
    stack = (slot % 4) * (size + 2)  # beyond four runs labels would leave the axes: reuse rows
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # legible over points
    # Marks must not move the limits draw_panel chose (the default figure is the seed chart).
    auto = ax.get_autoscalex_on(), ax.get_autoscaley_on()
    limits = ax.get_xlim(), ax.get_ylim()
    if insight.dip is not None:
        dip = insight.dip
        ax.plot([dip.x], [dip.value], linestyle="none", marker="^", markersize=mark.marker_size,
                color=color, markeredgecolor="white", markeredgewidth=0.6, zorder=4,
                label="_dip", gid="rlplot-dip")
        if mark.dip_label:
            ax.annotate(mark.dip_label, xy=(dip.x, dip.value), xytext=(0, -LABEL_OFFSET - 3 - stack),
                        textcoords="offset points", ha="center", va="top", fontsize=size,
                        color=color, zorder=4, gid="rlplot-dip-label", path_effects=halo)
    if insight.knee is not None:
        knee = insight.knee
        ax.axvline(knee.x, color=color, linestyle=mark.style, linewidth=mark.width, zorder=1.5,
                   label="_knee", gid="rlplot-knee")
        ax.plot([knee.x], [knee.value], linestyle="none", marker="o", markersize=mark.marker_size * 0.8,
                markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.2, zorder=4,
                label="_knee_marker", gid="rlplot-knee-marker")
        if mark.knee_label:
            # Label at the bottom of the line: the legend sits at the top left.
            ax.annotate(mark.knee_label, xy=(knee.x, 0.0), xycoords=("data", "axes fraction"),
                        xytext=(LABEL_OFFSET - 1, LABEL_OFFSET + stack), textcoords="offset points",
                        ha="left", va="bottom", fontsize=size, color=color, zorder=4,
                        gid="rlplot-knee-label", path_effects=halo)
    ax.set_xlim(limits[0], auto=auto[0])
    ax.set_ylim(limits[1], auto=auto[1])
    return ax


def annotate_traces(ax, traces, style: PanelStyle, *, font_size: float = 8.0):
    """Annotate every trace of a panel: the annotation colour for one run, each run's colour otherwise."""
    for slot, trace in enumerate(traces):
        series = trace.series
        if series is None:  # a curve drawn without points (an aggregate): judge the curve alone
            series = Series("curve", trace.smoothed.x, trace.smoothed.y)
        if len(series) == 0 or not np.isfinite(trace.smoothed.y).any():
            continue
        insight = analyze(series, trace.smoothed)
        annotate_panel(ax, insight, style, color=None if len(traces) == 1 else trace.line_color,
                       font_size=font_size, slot=slot)
    return ax
