"""A ``Summary`` as text for a terminal, JSON (docs/summary-schema.json), Markdown tables or CSV.

``to_text``, ``to_json``, ``to_markdown`` and ``to_csv`` are the targets of
``rlplot.choices.SUMMARY_FORMATS``; each takes a Summary and returns the whole report.
"""
from __future__ import annotations

import csv
import io
import json
import math

from .._version import __version__
from ..markdown import md_cell, md_table
from .numbers import MetricSummary, Summary

SCHEMA_VERSION = 1
NEVER = "never"


# ---------------------------------------------------------------------------- JSON

def _json_number(value: float | None) -> float | None:
    # JSON has no inf/NaN; a statistic that is not finite is reported as null.
    return None if value is None or not math.isfinite(value) else float(value)


def _json_config_value(value):
    # A config value as JSON holds it: a non-finite number (lr: .inf) becomes its text.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _metric_dict(m: MetricSummary) -> dict:
    num = _json_number
    ins = m.insight
    dip = ins.dip and {"x": num(ins.dip.x), "value": num(ins.dip.value), "depth": num(ins.dip.depth),
                       "peak_x": num(ins.dip.peak_x), "peak_value": num(ins.dip.peak_value)}
    knee = ins.knee and {"x": num(ins.knee.x), "value": num(ins.knee.value),
                         "slope_before": num(ins.knee.slope_before),
                         "slope_after": num(ins.knee.slope_after),
                         "confidence": num(ins.knee.confidence)}
    var = ins.variance and {"early": num(ins.variance.early), "late": num(ins.variance.late),
                            "ratio": num(ins.variance.ratio), "trend": ins.variance.trend}
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
        "runs": [{"label": r.label, "source": r.source, "kind": r.kind, "group": r.group,
                  "rows": r.rows, "config": {k: _json_config_value(v) for k, v in r.config.items()},
                  "warnings": list(r.warnings), "metrics": [_metric_dict(m) for m in r.metrics]}
                 for r in summary.runs],
    }


def to_json(summary: Summary) -> str:
    """Stable JSON: fixed key order, two-space indent, no NaN/inf, newline at the end."""
    return json.dumps(summary_dict(summary), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- readable numbers

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


# ---------------------------------------------------------------------------- text and Markdown

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


def _markdown_row(m: MetricSummary, thresholds) -> list[str]:
    ins = m.insight
    by_spec = dict(zip(m.thresholds, ins.crossings))
    return [m.label, f"{ins.points} ({m.dropped if m.dropped is not None else '?'})",
            f"{fmt_y(ins.first, m)} → {fmt_y(ins.last, m)} ({fmt_delta(ins.change, m)})",
            f"{fmt_y(ins.min, m)} / {fmt_y(ins.max, m)}",
            "—" if ins.dip is None else f"{fmt_y(ins.dip.value, m)} at {fmt_x(ins.dip.x)} "
            f"(−{fmt_delta(ins.dip.depth, m).lstrip('+')})",
            "—" if ins.knee is None else f"{fmt_x(ins.knee.x)} (confidence {ins.knee.confidence:.2f})",
            fmt_variance(m),
            *(fmt_crossing(by_spec[t]) if t in by_spec else "" for t in thresholds)]


def to_markdown(summary: Summary) -> str:
    """GitHub-flavoured Markdown for a CI job summary: one table per run, one row per metric."""
    out = ["### rlplot summary", ""]
    specs = summary.thresholds
    header = ["Metric", "Points (dropped)", "Smoothed first → last", "Min / max", "Dip", "Knee",
              "Spread late/early", *(f"{t.metric} crosses {t.given}" for t in specs)]
    for run in summary.runs:
        rows = f", {run.rows} rows" if run.rows is not None else ""
        out += [f"**{md_cell(run.label)}** (`{md_cell(run.source)}`{rows}; "
                f"x: {md_cell(summary.x_label)})", ""]
        out += md_table(header, [_markdown_row(m, specs) for m in run.metrics])
        out += [f"\n> ⚠️ {md_cell(warning)}" for warning in run.warnings]
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("run", "source", "panel", "metric", "column", "percent_scale", "smoothing", "points",
               "dropped", "x_min", "x_max", "first", "last", "min", "min_x", "max", "max_x",
               "change", "dip_x", "dip_value", "dip_depth", "knee_x", "knee_value",
               "knee_confidence", "spread_early", "spread_late", "spread_ratio", "variance_trend")


def csv_field(value) -> str:
    """A CSV field: empty for None and non-finite floats, every digit of a float (repr), else str."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return str(value)


def _csv_row(run, m: MetricSummary, thresholds) -> list:
    ins = m.insight
    dip, knee, var = ins.dip, ins.knee, ins.variance
    by_spec = dict(zip(m.thresholds, ins.crossings))
    row = [run.label, run.source, m.panel, m.metric, m.column, m.percent_scale, m.smoothing,
           ins.points, m.dropped, ins.x_min, ins.x_max, ins.first, ins.last, ins.min,
           ins.min_x, ins.max, ins.max_x, ins.change,
           dip and dip.x, dip and dip.value, dip and dip.depth,
           knee and knee.x, knee and knee.value, knee and knee.confidence,
           var and var.early, var and var.late, var and var.ratio, var and var.trend]
    for t in thresholds:
        crossing = by_spec.get(t)
        row.append("" if crossing is None else (NEVER if crossing.x is None else crossing.x))
    return row


def to_csv(summary: Summary) -> str:
    """One row per run × metric; one ``x_at:METRIC=VALUE`` column per threshold ('never' if not crossed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"x_at:{t.spec}" for t in summary.thresholds)])
    for run in summary.runs:
        for m in run.metrics:
            writer.writerow([csv_field(v) for v in _csv_row(run, m, summary.thresholds)])
    return buffer.getvalue()
