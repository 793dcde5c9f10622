"""``rlplot summary`` as a library: insights of every run and panel, and their text/JSON/Markdown/CSV forms.

``summarize`` takes what ``pipeline.prepare`` produced (so reading, cleaning and
smoothing are exactly those of the figure) and adds the numbers of ``insights``.
The JSON form is a documented, versioned schema (docs/summary-schema.json).
No matplotlib here.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ._version import __version__
from .data import percent_scale
from .errors import ConfigError
from .insights import CurveInsight, analyze
from .smoothing import describe

SCHEMA_VERSION = 1
NEVER = "never"


@dataclass(frozen=True)
class Threshold:
    """One ``--threshold METRIC=VALUE``: the metric as written and the value as written ("0.5", "50%")."""

    metric: str
    given: str

    @property
    def spec(self) -> str:
        """The threshold as the user wrote it, ``metric=value``."""
        return f"{self.metric}={self.given}"


@dataclass(frozen=True)
class MetricSummary:
    """One panel metric of one run: where it came from and its insights."""

    panel: int
    metric: str              # as configured: a role (accuracy) or a column name
    column: str              # the column actually read
    label: str               # the panel's y label
    percent_scale: float | None  # percent panels: the value of 100 % (1 or 100); else None
    smoothing: str
    dropped: int | None
    thresholds: tuple[Threshold, ...]  # the --threshold items for this metric, in given order
    insight: CurveInsight


@dataclass(frozen=True)
class RunSummary:
    """One run: its label, source, row count, warnings and one MetricSummary per panel."""

    label: str
    source: str
    rows: int | None
    warnings: tuple[str, ...]
    metrics: tuple[MetricSummary, ...]


@dataclass(frozen=True)
class Summary:
    """Everything ``rlplot summary`` reports."""

    x_label: str
    thresholds: tuple[Threshold, ...]
    runs: tuple[RunSummary, ...]


# ---------------------------------------------------------------------------- thresholds

def parse_threshold(text: str) -> Threshold:
    """``"accuracy=0.5"`` or ``"accuracy=50%"`` -> Threshold; ValueError on anything else."""
    metric, sep, value = text.partition("=")
    metric, value = metric.strip(), value.strip()
    if not sep or not metric or not value:
        raise ValueError(f"'{text}' is not METRIC=VALUE (e.g. accuracy=0.5 or accuracy=50%)")
    number = value[:-1].strip() if value.endswith("%") else value
    try:
        parsed = float(number)
    except ValueError:
        raise ValueError(f"'{value}' in '{text}' is not a number") from None
    if not math.isfinite(parsed):
        raise ValueError(f"'{value}' in '{text}' is not a finite number")
    return Threshold(metric, value)


def threshold_value(given: str, percent_scale: float | None, where: str = "") -> float:
    """A threshold in data units.

    On a percent panel ``50%`` and ``50`` mean 50 %, and so does ``0.5`` (a bare number up to 1
    is a fraction), whatever the scale (0–1 or 0–100) the log uses. Elsewhere a bare number is
    in data units and ``%`` is refused.
    """
    if given.endswith("%"):
        if percent_scale is None:
            raise ConfigError(f"--threshold {where}={given}: '%' needs a percent panel",
                              hint="give the value in the metric's own units, or set the panel's "
                                   "y_format: percent")
        return float(given[:-1]) / 100.0 * percent_scale
    value = float(given)
    if percent_scale is None:
        return value
    return value * percent_scale if abs(value) <= 1.0 else value / 100.0 * percent_scale


def _matches(threshold: Threshold, panel, column: str) -> bool:
    wanted = threshold.metric.lower()
    return wanted in {n.lower() for n in (panel.metric, column, panel.y_label or "") if n}


# ---------------------------------------------------------------------------- assembly

def summarize(prepared, thresholds: Sequence[Threshold] = ()) -> Summary:
    """The insights of every run and panel of a ``pipeline.Prepared``; thresholds must name a panel."""
    thresholds = tuple(thresholds)
    first = prepared.runs[0]
    for item in thresholds:
        if not any(_matches(item, panel, first.series[i].name)
                   for i, panel in enumerate(prepared.panels)):
            names = sorted({n for i, p in enumerate(prepared.panels)
                            for n in (p.metric, first.series[i].name) if n})
            raise ConfigError(f"--threshold {item.spec}: no panel shows '{item.metric}'",
                              hint="metrics: " + ", ".join(names))
    runs = []
    for run, smoothed in zip(prepared.runs, prepared.smoothed):
        metrics = []
        for index, (panel, series, curve) in enumerate(zip(prepared.panels, run.series, smoothed)):
            scale = percent_scale(series.y) if panel.y_format == "percent" else None
            mine = tuple(t for t in thresholds if _matches(t, panel, series.name))
            values = tuple((t.given, threshold_value(t.given, scale, t.metric)) for t in mine)
            metrics.append(MetricSummary(
                panel=index, metric=panel.metric, column=series.name,
                label=panel.y_label or series.name, percent_scale=scale,
                smoothing=describe(curve.method, dict(curve.params)),
                dropped=None if run.n_rows is None else run.n_rows - len(series),
                thresholds=mine, insight=analyze(series, curve, values)))
        runs.append(RunSummary(label=run.label, source=run.source, rows=run.n_rows,
                               warnings=tuple(str(n) for n in run.notices), metrics=tuple(metrics)))
    return Summary(x_label=prepared.x_label, thresholds=thresholds, runs=tuple(runs))


# ---------------------------------------------------------------------------- JSON

def _num(value: float | None) -> float | None:
    # JSON has no inf/NaN; a statistic that is not finite is reported as null.
    return None if value is None or not math.isfinite(value) else float(value)


def metric_dict(m: MetricSummary) -> dict:
    """One metric as the plain data of the JSON schema."""
    ins = m.insight
    dip = ins.dip and {"x": _num(ins.dip.x), "value": _num(ins.dip.value),
                       "depth": _num(ins.dip.depth), "peak_x": _num(ins.dip.peak_x),
                       "peak_value": _num(ins.dip.peak_value)}
    knee = ins.knee and {"x": _num(ins.knee.x), "value": _num(ins.knee.value),
                         "slope_before": _num(ins.knee.slope_before),
                         "slope_after": _num(ins.knee.slope_after),
                         "confidence": _num(ins.knee.confidence)}
    var = ins.variance and {"early": _num(ins.variance.early), "late": _num(ins.variance.late),
                            "ratio": _num(ins.variance.ratio), "trend": ins.variance.trend}
    return {
        "panel": m.panel, "metric": m.metric, "column": m.column, "label": m.label,
        "percent_scale": m.percent_scale, "smoothing": m.smoothing,
        "points": ins.points, "dropped": m.dropped,
        "x_min": ins.x_min, "x_max": ins.x_max,
        "first": ins.first, "last": ins.last, "min": ins.min, "min_x": ins.min_x,
        "max": ins.max, "max_x": ins.max_x, "change": ins.change,
        "thresholds": [{"given": t.spec, "value": c.value, "crossed": c.x is not None, "x": c.x,
                        "direction": c.direction, "start_side": c.start_side}
                       for t, c in zip(m.thresholds, ins.crossings)],
        "dip": dip or None, "knee": knee or None, "variance": var or None,
    }


def summary_dict(summary: Summary) -> dict:
    """The whole summary as the plain data of the JSON schema (docs/summary-schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "rlplot_version": __version__,
        "x_label": summary.x_label,
        "thresholds": [t.spec for t in summary.thresholds],
        "runs": [{"label": r.label, "source": r.source, "rows": r.rows,
                  "warnings": list(r.warnings), "metrics": [metric_dict(m) for m in r.metrics]}
                 for r in summary.runs],
    }


def to_json(summary: Summary) -> str:
    """Stable JSON: fixed key order, two-space indent, no NaN/inf, newline at the end."""
    return json.dumps(summary_dict(summary), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- text helpers

def fmt_x(value: float | None) -> str:
    """An x position, short: ``2.09e20``, ``1500``."""
    if value is None:
        return NEVER
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def fmt_y(value: float, m: MetricSummary) -> str:
    """A metric value: percent panels in %, others with 4 significant digits."""
    if m.percent_scale is not None:
        return f"{value * 100.0 / m.percent_scale:.1f}%"
    return f"{value:.4g}"


def fmt_delta(value: float, m: MetricSummary) -> str:
    """A signed change: percent panels in percent points."""
    if m.percent_scale is not None:
        return f"{value * 100.0 / m.percent_scale:+.1f} pts"
    return f"{value:+.4g}"


def fmt_crossing(crossing) -> str:
    """``at 4.46e20 (rising)`` or ``never (stays below)``."""
    if crossing.x is None:
        return f"{NEVER} (stays {crossing.start_side})"
    return f"at {fmt_x(crossing.x)} ({'rising' if crossing.direction == 'up' else 'falling'})"


def fmt_dip(m: MetricSummary) -> str:
    """``7.713 at 2.09e20 (depth 0.6726 below 8.386 at 1e19)`` or ``none``."""
    dip = m.insight.dip
    if dip is None:
        return "none"
    depth = fmt_delta(dip.depth, m).lstrip("+")
    return (f"{fmt_y(dip.value, m)} at {fmt_x(dip.x)} (depth {depth} below "
            f"{fmt_y(dip.peak_value, m)} at {fmt_x(dip.peak_x)})")


def fmt_knee(m: MetricSummary) -> str:
    """``at 7.77e20, 9.27 (slope ×10.9 after; confidence 0.95)`` or ``none``."""
    knee = m.insight.knee
    if knee is None:
        return "none"
    if knee.slope_before > 0:
        steeper = f"slope ×{knee.slope_after / knee.slope_before:.3g} after"
    else:
        steeper = "flat or falling before, rising after"
    return f"at {fmt_x(knee.x)}, {fmt_y(knee.value, m)} ({steeper}; confidence {knee.confidence:.2f})"


def fmt_variance(m: MetricSummary) -> str:
    """``×3.69 (grows)`` or ``n/a``."""
    var = m.insight.variance
    if var is None or var.ratio is None:
        return "n/a"
    return f"×{var.ratio:.2f} ({var.trend})"


# ---------------------------------------------------------------------------- formats

def to_text(summary: Summary) -> str:
    """A readable report for a terminal."""
    lines = []
    for run in summary.runs:
        rows = f", {run.rows} rows" if run.rows is not None else ""
        lines.append(f"{run.label} ({run.source}{rows})")
        for m in run.metrics:
            ins = m.insight
            dropped = f", {m.dropped} dropped" if m.dropped is not None else ""
            lines.append(f"  {m.label} [{m.column}]: {ins.points} points{dropped}; "
                         f"{summary.x_label} {fmt_x(ins.x_min)} to {fmt_x(ins.x_max)}")
            lines.append(f"    smoothed ({m.smoothing}): {fmt_y(ins.first, m)} -> {fmt_y(ins.last, m)} "
                         f"({fmt_delta(ins.change, m)}); min {fmt_y(ins.min, m)} at {fmt_x(ins.min_x)}, "
                         f"max {fmt_y(ins.max, m)} at {fmt_x(ins.max_x)}")
            for t, c in zip(m.thresholds, ins.crossings):
                lines.append(f"    crosses {fmt_y(c.value, m)} ({t.spec}): {fmt_crossing(c)}")
            lines.append(f"    dip: {fmt_dip(m)}")
            lines.append(f"    knee (onset of the final rise): {fmt_knee(m)}")
            lines.append(f"    residual spread, last fifth vs first half: {fmt_variance(m)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(summary: Summary) -> str:
    """GitHub-flavoured Markdown for a CI job summary: one table per run, one row per metric."""
    out = ["### rlplot summary", ""]
    specs = summary.thresholds
    header = ["Metric", "Points (dropped)", "Smoothed first → last", "Min / max", "Dip", "Knee",
              "Spread late/early", *(f"{t.metric} crosses {t.given}" for t in specs)]
    for run in summary.runs:
        rows = f", {run.rows} rows" if run.rows is not None else ""
        out += [f"**{_md(run.label)}** (`{_md(run.source)}`{rows}; x: {_md(summary.x_label)})", "",
                "| " + " | ".join(_md(h) for h in header) + " |",
                "|" + "---|" * len(header)]
        for m in run.metrics:
            ins = m.insight
            by_spec = dict(zip(m.thresholds, ins.crossings))
            cells = [m.label, f"{ins.points} ({m.dropped if m.dropped is not None else '?'})",
                     f"{fmt_y(ins.first, m)} → {fmt_y(ins.last, m)} ({fmt_delta(ins.change, m)})",
                     f"{fmt_y(ins.min, m)} / {fmt_y(ins.max, m)}",
                     "—" if ins.dip is None else f"{fmt_y(ins.dip.value, m)} at {fmt_x(ins.dip.x)} "
                     f"(−{fmt_delta(ins.dip.depth, m).lstrip('+')})",
                     "—" if ins.knee is None else f"{fmt_x(ins.knee.x)} "
                     f"(confidence {ins.knee.confidence:.2f})",
                     fmt_variance(m),
                     *(fmt_crossing(by_spec[t]) if t in by_spec else "" for t in specs)]
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
        for warning in run.warnings:
            out.append(f"\n> ⚠️ {_md(warning)}")
        out.append("")
    return "\n".join(out)


CSV_COLUMNS = ("run", "source", "panel", "metric", "column", "percent_scale", "smoothing", "points",
               "dropped", "x_min", "x_max", "first", "last", "min", "min_x", "max", "max_x",
               "change", "dip_x", "dip_value", "dip_depth", "knee_x", "knee_value",
               "knee_confidence", "spread_early", "spread_late", "spread_ratio", "variance_trend")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return str(value)


def to_csv(summary: Summary) -> str:
    """One row per run × metric; one ``x_at:METRIC=VALUE`` column per threshold ('never' if not crossed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"x_at:{t.spec}" for t in summary.thresholds)])
    for run in summary.runs:
        for m in run.metrics:
            ins = m.insight
            dip, knee, var = ins.dip, ins.knee, ins.variance
            by_spec = dict(zip(m.thresholds, ins.crossings))
            row = [run.label, run.source, m.panel, m.metric, m.column, m.percent_scale, m.smoothing,
                   ins.points, m.dropped, ins.x_min, ins.x_max, ins.first, ins.last, ins.min,
                   ins.min_x, ins.max, ins.max_x, ins.change,
                   dip and dip.x, dip and dip.value, dip and dip.depth,
                   knee and knee.x, knee and knee.value, knee and knee.confidence,
                   var and var.early, var and var.late, var and var.ratio, var and var.trend]
            for t in summary.thresholds:
                crossing = by_spec.get(t)
                row.append("" if crossing is None else
                           (NEVER if crossing.x is None else crossing.x))
            writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


FORMATS: dict[str, Callable[[Summary], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "csv": to_csv,
}
