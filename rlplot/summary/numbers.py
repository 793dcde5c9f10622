"""The numbers of ``rlplot summary``: thresholds as given and in data units, and the insights of
every run and panel metric of a ``pipeline.Prepared``. No formatting, no matplotlib."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..clean import mixed_scales, mixed_scales_text
from ..data import Notice, percent_scale
from ..errors import ConfigError
from ..insights import CurveInsight, analyze
from ..runs.configs import run_config
from ..smoothing import describe


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
    kind: str = "log"                                 # the run source it was read from
    config: Mapping[str, object] = field(default_factory=dict)   # its configuration, flattened
    group: str | None = None                          # its --group-by group, when grouped


@dataclass(frozen=True)
class Summary:
    """Everything ``rlplot summary`` reports."""

    x_label: str
    thresholds: tuple[Threshold, ...]
    runs: tuple[RunSummary, ...]


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


def _check_thresholds(prepared, thresholds: tuple[Threshold, ...]) -> None:
    # Every threshold must name a panel of the first run (all runs share the panels).
    first = prepared.runs[0]
    for item in thresholds:
        if not any(_matches(item, panel, first.series[i].name)
                   for i, panel in enumerate(prepared.panels)):
            names = sorted({n for i, p in enumerate(prepared.panels)
                            for n in (p.metric, first.series[i].name) if n})
            raise ConfigError(f"--threshold {item.spec}: no panel shows '{item.metric}'",
                              hint="metrics: " + ", ".join(names))


def _run_summary(run, smoothed, panels, thresholds: tuple[Threshold, ...],
                 group: str | None = None) -> RunSummary:
    metrics = []
    warnings = [str(n) for n in run.notices]
    for index, (panel, series, curve) in enumerate(zip(panels, run.series, smoothed)):
        scale = percent_scale(series.y) if panel.y_format == "percent" else None
        mixed = mixed_scales(series.y) if scale == 100.0 else None
        if mixed is not None:   # the percent figures below read the 0-1 values wrongly
            warnings.append(str(Notice(mixed_scales_text(series.name, mixed), file=run.source)))
        mine = tuple(t for t in thresholds if _matches(t, panel, series.name))
        values = tuple((t.given, threshold_value(t.given, scale, t.metric)) for t in mine)
        metrics.append(MetricSummary(
            panel=index, metric=panel.metric, column=series.name,
            label=panel.y_label or series.name, percent_scale=scale,
            smoothing=describe(curve.method, dict(curve.params)),
            dropped=None if run.n_rows is None else run.n_rows - len(series),
            thresholds=mine, insight=analyze(series, curve, values)))
    return RunSummary(label=run.label, source=run.source, rows=run.n_rows,
                      warnings=tuple(warnings), metrics=tuple(metrics),
                      kind=run.kind, config=dict(run_config(run)), group=group)


def summarize(prepared, thresholds: Sequence[Threshold] = ()) -> Summary:
    """The insights of every run and panel of a ``pipeline.Prepared``; thresholds must name a panel."""
    thresholds = tuple(thresholds)
    _check_thresholds(prepared, thresholds)
    group_of = {index: group.label for group in prepared.groups for index in group.members}
    runs = tuple(_run_summary(run, smoothed, prepared.panels, thresholds, group_of.get(index))
                 for index, (run, smoothed) in enumerate(zip(prepared.runs, prepared.smoothed)))
    return Summary(x_label=prepared.x_label, thresholds=thresholds, runs=runs)
