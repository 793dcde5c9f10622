"""One section of a report from prepared runs: its chart data (the points and curves the static
figure draws, thinned alike), its static SVG, its summary table and its data-quality notes.

A ``pipeline.Prepared`` holds one report section's runs: one run, the runs of one group
(overlaid: a colour each, as in the live chart), or one aggregated group (its line and band).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from ..data import Notice
from ..summary import Threshold, summarize
from ..summary.formats import fmt_crossing, fmt_delta, fmt_variance, fmt_x, fmt_y
from .model import Chart, Curve, Panel, QualityNote, Section, Table
from .static import fallback_svg, thin_curve, thin_series


@dataclass(frozen=True)
class Budget:
    """How much of each run a page holds per panel: drawn points and smoothed-curve points."""

    points: int
    curve: int


def units(prepared) -> list[tuple[str, object]]:
    """The sections of one ``prepare`` call as (title, Prepared of its own): one per group when
    the runs are grouped (an aggregate keeps its group; overlaid runs draw a colour each), else
    one per run (a log may hold several runs)."""
    if prepared.groups:
        return [(g.label, _subset(prepared, g.members, replace(g, members=tuple(range(len(g.members))))))
                for g in prepared.groups]
    return [(run.label, _subset(prepared, (i,), None)) for i, run in enumerate(prepared.runs)]


def _subset(prepared, members: Sequence[int], group):
    return replace(prepared, runs=tuple(prepared.runs[m] for m in members),
                   smoothed=tuple(prepared.smoothed[m] for m in members),
                   groups=(group,) if group is not None and prepared.aggregated else ())


def thinned(unit, budget: Budget):
    """``unit`` with every series and curve thinned as the page holds them (aggregates too)."""
    runs = tuple(replace(run, series=tuple(thin_series(s, budget.points) for s in run.series))
                 for run in unit.runs)
    smoothed = tuple(tuple(thin_curve(c, budget.curve) for c in per_run) for per_run in unit.smoothed)
    # An aggregate's counts only name the fewest and most runs in its legend: kept whole.
    groups = tuple(replace(g, curves=tuple(thin_curve(c, budget.curve) for c in g.curves))
                   for g in unit.groups)
    return replace(unit, runs=runs, smoothed=smoothed, groups=groups)


def chart_of(small, config, title: str) -> tuple[Chart, tuple[Notice, ...]]:
    """The live chart of a thinned unit and its static SVG fallback (drawing notices too)."""
    from ..figure.chart import RUN_COLORS, traces_for_panel

    svg, notices = fallback_svg(small, config)
    panels = []
    for index, style in enumerate(small.panels):
        if small.groups:      # an aggregate: its line, band and (if drawn) the runs' points
            (trace,) = traces_for_panel(small, index, config)
            points = trace.series
            curve = Curve(run=trace.line_label or title,
                          x=points.x if points is not None else (), y=points.y if points is not None else (),
                          smooth_x=trace.smoothed.x, smooth_y=trace.smoothed.y,
                          band_low=trace.smoothed.band_low, band_high=trace.smoothed.band_high,
                          color=trace.line_color)
            curves = (curve,)
        else:
            many = len(small.runs) > 1
            curves = tuple(Curve(run=run.label, x=run.series[index].x, y=run.series[index].y,
                                 smooth_x=curves[index].x, smooth_y=curves[index].y,
                                 band_low=curves[index].band_low, band_high=curves[index].band_high,
                                 color=RUN_COLORS[number % len(RUN_COLORS)] if many else None)
                           for number, (run, curves) in enumerate(zip(small.runs, small.smoothed)))
        panels.append(Panel(title=style.title or "", y_label=style.y_label or "", curves=curves,
                            percent=_percent(style, curves)))
    return Chart(x_label=small.x_label, panels=tuple(panels), svg=svg), notices


SUMMARY_HEADER = ("run", "metric", "points (dropped)", "smoothed first → last", "min / max", "dip",
                  "knee", "spread late/early")


def summary_table(unit, thresholds: Sequence[Threshold]) -> Table:
    """The ``rlplot summary`` numbers of every run and panel of ``unit``: one row per run and metric."""
    summary = summarize(unit, thresholds)
    rows = []
    for run in summary.runs:
        for m in run.metrics:
            ins = m.insight
            crossings = dict(zip(m.thresholds, ins.crossings))
            rows.append((run.label, m.label, f"{ins.points} ({'?' if m.dropped is None else m.dropped})",
                         f"{fmt_y(ins.first, m)} → {fmt_y(ins.last, m)} ({fmt_delta(ins.change, m)})",
                         f"{fmt_y(ins.min, m)} / {fmt_y(ins.max, m)}",
                         "–" if ins.dip is None else f"{fmt_y(ins.dip.value, m)} at {fmt_x(ins.dip.x)} "
                         f"(−{fmt_delta(ins.dip.depth, m).lstrip('+')})",
                         "–" if ins.knee is None else f"{fmt_x(ins.knee.x)} (confidence "
                         f"{ins.knee.confidence:.2f})",
                         fmt_variance(m),
                         *(fmt_crossing(crossings[t]) if t in crossings else "–" for t in thresholds)))
    header = SUMMARY_HEADER + tuple(f"{t.metric} crosses {t.given}" for t in thresholds)
    return Table(header=header, rows=tuple(rows))


def quality_notes(notices: Sequence[Notice]) -> tuple[QualityNote, ...]:
    """Notices as the page's data-quality notes, in order, each once."""
    return tuple(dict.fromkeys(notices))


def section_of(title: str, unit, config, budget: Budget, thresholds: Sequence[Threshold]) -> Section:
    """The whole section of one unit (a Prepared of one run or one group)."""
    chart, drawing = chart_of(thinned(unit, budget), config, title)
    return Section(title=title, chart=chart, summary=summary_table(unit, thresholds),
                   notes=quality_notes(unit.notices + drawing))


def _percent(style, curves) -> float | None:
    """The value of 100 % on a percent panel (as the static figure judges it), else None."""
    if style.y_format != "percent":
        return None
    import numpy as np

    from ..data import percent_scale

    return percent_scale(*[np.asarray(c.y, dtype=np.float64) for c in curves if len(c.y)]
                         or [np.asarray(c.smooth_y, dtype=np.float64) for c in curves])
