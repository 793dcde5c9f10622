"""Drawing the figures of ``rlplot compare`` in rliable's layouts: interval estimates, performance
profiles, probability of improvement and sample-efficiency curves.

Each ``draw_*`` takes matplotlib axes, a result from ``rlplot.stats`` (plain arrays) and a
``CompareStyle``, draws, and returns what it was given. No pyplot, no file access, no
randomness: the same result and style give the same artists.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from matplotlib import rcParams, ticker

from ..choices import AGGREGATE_METRICS, PROFILE_KINDS
from ..stats.results import Curves, Improvements, IntervalEstimates, Profiles
from .text import plain_text

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class CompareStyle:
    """How the compare figures look; the YAML presets map onto these fields."""

    colors: tuple[str, ...] = OKABE_ITO
    font_size: float = 10.0
    label_size: float = 10.0
    tick_size: float = 9.0
    line_width: float = 2.0
    band_alpha: float = 0.2
    bar_height: float = 0.6
    bar_alpha: float = 0.75
    grid: bool = True
    legend: bool = True
    legend_size: float = 9.0
    legend_frame: bool = False
    score_label: str = "Normalized score"
    max_ticks: int = 4

    def color(self, index: int) -> str:
        """The colour of the algorithm at ``index`` (cycling)."""
        return self.colors[index % len(self.colors)]


def _finish(ax, style: CompareStyle, axis: str = "both") -> None:
    ax.tick_params(labelsize=style.tick_size)
    if style.grid:
        ax.grid(True, axis=axis, linewidth=0.6, alpha=0.5)
        ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _interval_bars(ax, rows: Sequence[float], low, high, point, colors, style: CompareStyle) -> None:
    # One horizontal bar per row from low to high, a black tick at the point estimate.
    for y, lo, hi, color in zip(rows, low, high, colors):
        ax.barh(y, float(hi - lo), left=float(lo), height=style.bar_height, color=color,
                alpha=style.bar_alpha)
    half = style.bar_height / 2
    # The text colour of the active style: black by default, light on a dark preset.
    ax.vlines(np.asarray(point, dtype=float), np.asarray(rows) - half, np.asarray(rows) + half,
              colors=rcParams["axes.labelcolor"], linewidth=1.5, alpha=0.8)


def draw_interval_estimate(ax, result: IntervalEstimates, metric: str, style: CompareStyle,
                           labels: bool = True):
    """One metric's column: a CI bar and point tick per algorithm (first algorithm on top)."""
    m = result.metrics.index(metric)
    rows = list(range(len(result.algorithms)))
    colors = [style.color(i) for i in rows]
    _interval_bars(ax, rows, result.low[:, m], result.high[:, m], result.point[:, m], colors, style)
    ax.set_yticks(rows)
    ax.set_yticklabels([plain_text(a) for a in result.algorithms] if labels else [""] * len(rows),
                       fontsize=style.label_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(AGGREGATE_METRICS[metric].title, fontsize=style.label_size)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(style.max_ticks))
    _finish(ax, style, axis="x")
    return ax


def draw_interval_estimates(axes: Sequence, result: IntervalEstimates, style: CompareStyle):
    """rliable's interval-estimate figure: one column (axes) per metric, one row per algorithm;
    algorithm names on the first column only. ``axes`` has one entry per metric."""
    if len(axes) != len(result.metrics):
        raise ValueError(f"{len(result.metrics)} metrics need as many axes, got {len(axes)}")
    for i, (ax, metric) in enumerate(zip(axes, result.metrics)):
        draw_interval_estimate(ax, result, metric, style, labels=i == 0)
    return axes


def _bands(ax, x: np.ndarray, point, low, high, algorithms, style: CompareStyle) -> None:
    for i, algorithm in enumerate(algorithms):
        color = style.color(i)
        ax.fill_between(x, low[i], high[i], color=color, alpha=style.band_alpha, linewidth=0)
        ax.plot(x, point[i], color=color, linewidth=style.line_width, label=plain_text(algorithm))
    if style.legend and len(algorithms):
        # "best" weighs a few short curves here, not a log's points: cheap and deterministic.
        ax.legend(loc="best", frameon=style.legend_frame, fontsize=style.legend_size)


def draw_performance_profiles(ax, result: Profiles, style: CompareStyle):
    """Performance profiles: fraction above tau per algorithm with its CI band (log x for log tau)."""
    _bands(ax, result.tau, result.point, result.low, result.high, result.algorithms, style)
    if result.scale == "log":
        ax.set_xscale("log")
    ax.set_xlim(float(result.tau[0]), float(result.tau[-1]))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"{style.score_label} (τ)", fontsize=style.label_size)
    ax.set_ylabel(PROFILE_KINDS[result.kind].title, fontsize=style.label_size)
    _finish(ax, style)
    return ax


def draw_probability_of_improvement(ax, result: Improvements, style: CompareStyle):
    """P(X > Y) per pair: a CI bar and point tick per row, X named on the left, Y on the right,
    a dashed line at 0.5 (no difference). The bar takes the colour of X's position in the pairs."""
    rows = list(range(len(result.pairs)))
    xs = list(dict.fromkeys(x for x, _ in result.pairs))
    colors = [style.color(xs.index(x)) for x, _ in result.pairs]
    _interval_bars(ax, rows, result.low, result.high, result.point, colors, style)
    ax.axvline(0.5, color="0.4", linestyle="--", linewidth=1.0)
    ax.set_yticks(rows)
    ax.set_yticklabels([plain_text(x) for x, _ in result.pairs], fontsize=style.label_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("P(X > Y)", fontsize=style.label_size)
    right = ax.twinx()
    right.set_ylim(ax.get_ylim())
    right.set_yticks(rows)
    right.set_yticklabels([plain_text(y) for _, y in result.pairs], fontsize=style.label_size)
    right.tick_params(labelsize=style.tick_size, length=0)   # labels only: no spine to tick
    _finish(ax, style, axis="x")
    for side in ("top", "left", "right"):
        right.spines[side].set_visible(False)
    return ax


def draw_sample_efficiency(ax, result: Curves, style: CompareStyle):
    """Sample-efficiency curves: the statistic (IQM) of normalized scores against x, CI bands."""
    _bands(ax, result.x, result.point, result.low, result.high, result.algorithms, style)
    ax.set_xlim(float(result.x[0]), float(result.x[-1]))
    ax.set_xlabel(result.x_label, fontsize=style.label_size)
    ax.set_ylabel(f"{AGGREGATE_METRICS[result.statistic].title} {style.score_label.lower()}",
                  fontsize=style.label_size)
    _finish(ax, style)
    return ax
