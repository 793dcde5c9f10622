"""What ``rlplot.summary`` and ``rlplot.inspect`` return: the library's own results, shown in
Jupyter and given back as frames of the user's library.

``SummaryView`` holds a ``summary.Summary`` (its Markdown tables shown inline, its text as
``str``, its CSV rows as a frame); ``InspectView`` an ``inspect.InspectReport`` (a Markdown
table of each run's columns inline).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..config.schema import Config
from ..data import Notice
from ..errors import ConfigError


def parse_thresholds(thresholds: Sequence[str] | str) -> tuple:
    """``["accuracy=50%"]`` -> ``summary.Threshold``s; a ConfigError for one that is not METRIC=VALUE."""
    from ..summary import Threshold, parse_threshold

    items = [thresholds] if isinstance(thresholds, str) else list(thresholds)
    parsed = []
    for item in items:
        if isinstance(item, Threshold):
            parsed.append(item)
            continue
        try:
            parsed.append(parse_threshold(str(item)))
        except ValueError as exc:
            raise ConfigError(f"threshold: {exc}") from None
    return tuple(parsed)


def _typed(cells: list[str]) -> np.ndarray:
    """A CSV column as int64 (whole numbers, none empty), float64 (empty: NaN) or text (empty: None)."""
    try:
        if all(cells):
            return np.array([int(c) for c in cells], dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.array([float(c) if c else math.nan for c in cells], dtype=np.float64)
    except ValueError:
        return np.array([c if c else None for c in cells], dtype=object)


def csv_columns(text: str) -> dict[str, np.ndarray]:
    """CSV text (a header and rows) as typed columns, in order."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    return {name: _typed([row[i] for row in rows]) for i, name in enumerate(header)}


@dataclass(frozen=True, eq=False)
class SummaryView:
    """``rlplot summary``'s numbers: ``summary`` (a ``summary.Summary``), shown as its Markdown."""

    summary: Any
    template: Any = None
    notices: tuple[Notice, ...] = ()

    @property
    def runs(self):
        """One ``RunSummary`` per run: label, rows, warnings, and per panel its insights."""
        return self.summary.runs

    def __str__(self) -> str:
        from ..summary import to_text
        return to_text(self.summary)

    def __repr__(self) -> str:
        return f"<rlplot SummaryView: {len(self.summary.runs)} run(s)>"

    def _repr_markdown_(self) -> str:
        from ..summary import to_markdown
        return to_markdown(self.summary)

    def to_dict(self) -> dict:
        """The JSON form's data (docs/summary-schema.json)."""
        from ..summary import summary_dict
        return summary_dict(self.summary)

    def to_json(self) -> str:
        """The JSON text ``rlplot summary -f json`` prints."""
        from ..summary import to_json
        return to_json(self.summary)

    def data(self, like: Any = None):
        """The rows of ``rlplot summary -f csv`` (one per run and metric) as a frame of the
        library the data came in (or of ``like``'s)."""
        from ..frames_out import frame_like
        from ..summary import to_csv

        return frame_like(self.template if like is None else like, csv_columns(to_csv(self.summary)))


def summary_view(prepared, thresholds, template: Any = None) -> SummaryView:
    """Summarize a ``pipeline.Prepared`` (``thresholds``: METRIC=VALUE texts or Thresholds)."""
    from ..summary import summarize

    return SummaryView(summarize(prepared, parse_thresholds(thresholds)), template, prepared.notices)


def inspect_data(data: Any, config: Config, layout) -> Any:
    """``inspect.InspectReport`` of data in memory: a report per run (``io.frames`` reads it the way
    ``plot`` would), its config the columns that hold one value throughout it."""
    from dataclasses import replace

    from ..inspect import FileReport, InspectReport, run_report
    from ..io.frames import read_data
    from ..names import unique_labels
    from ..runs.configs import differing_keys
    from ..runs.load import DATA_LABEL
    from .data_in import DATA_SOURCE

    read = read_data(data, keys=None, runs=layout.runs, tag=layout.tag, value=layout.value,
                     step=layout.step, long=layout.long, source=DATA_SOURCE)
    labels = unique_labels([str(r.table.run) if r.table.run is not None else DATA_LABEL
                            for r in read])
    runs = layout.runs   # the column that names the runs is no setting of theirs
    reports = [FileReport(path=DATA_SOURCE if r.table.run is None else f"{DATA_SOURCE} [{r.table.run}]",
                          format=r.table.format, format_forced=False,
                          runs=(run_report(r.table, config),), skipped=(), label=label,
                          config={k: v for k, v in r.settings.values.items() if k != runs})
               for r, label in zip(read, labels)]
    configs = [r.config for r in reports]
    differing = tuple(differing_keys(configs)) if len(configs) > 1 else ()
    reports = [replace(r, config_differs=tuple(k for k in r.config if k in differing))
               for r in reports]
    keys = tuple(dict.fromkeys(k for c in configs for k in c))
    return InspectReport(tuple(reports), keys, differing)


@dataclass(frozen=True, eq=False)
class InspectView:
    """``rlplot inspect``'s report (``report``: an ``inspect.InspectReport``), shown as Markdown:
    per run its columns, the x rlplot would choose and the column each panel would show."""

    report: Any

    def to_dict(self) -> dict:
        """The JSON form's data (``rlplot inspect -f json``)."""
        return self.report.to_dict()

    def __repr__(self) -> str:
        return f"<rlplot InspectView: {len(self.report.files)} run(s)>"

    def _repr_markdown_(self) -> str:
        from ..markdown import md_table

        lines: list[str] = []
        for item in self.report.files:
            lines.append(f"**{item.label or item.path}** ({item.format or item.kind})")
            if item.error:
                lines += ["", f"error: {item.error}", ""]
                continue
            for run in item.runs:
                panels = ", ".join(f"{p.metric} → {p.column or p.problem}" for p in run.panels)
                lines += ["", f"{run.rows} rows; x: {run.x or 'row number'}; panels: {panels}", ""]
                lines += md_table(("column", "type", "numbers", "empty", "not numbers", "min", "max"),
                                  [(c.name, c.type, c.numeric, c.empty, c.non_numeric,
                                    "" if c.min is None else f"{c.min:g}",
                                    "" if c.max is None else f"{c.max:g}") for c in run.columns])
            if item.config:
                from ..runs.configs import format_value
                lines += ["", "config: " + ", ".join(f"{k}={format_value(v)}" for k, v in item.config.items())]
            lines.append("")
        return "\n".join(lines)
