"""What ``rlplot.report`` returns: the report of ``rlplot report`` (``report.build``), shown
inline as its page in an ``<iframe>`` and saved as HTML or Markdown by the path's extension."""
from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Any, Sequence

from ..config.schema import Config
from ..choices import REPORT_SUFFIXES
from ..errors import OutputError
from ..registry import unknown_hint
from .data_in import Layout, load_data, path_list

IFRAME_HEIGHT = 720


def report_format(path: str) -> str:
    """The REPORT_FORMATS entry a path's extension picks; an OutputError for any other."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in REPORT_SUFFIXES:
        raise OutputError(f"unknown report format '{suffix or path}'", file=path,
                          hint=unknown_hint(suffix, list(REPORT_SUFFIXES)))
    return REPORT_SUFFIXES[suffix]


@dataclass(frozen=True, eq=False)
class ReportView:
    """A built report (``built``: ``report.build.BuiltReport``) and the inputs it must not overwrite."""

    built: Any
    files: tuple[str, ...] = ()
    notices: tuple = ()      # data in memory: reading, cleaning, smoothing (files: see failed)

    @property
    def failed(self):
        """The logs that could not be read (each an RlplotError; a note of the report)."""
        return self.built.failed

    @property
    def report(self):
        """The ``report.model.Report``: sections, counts, notes, config text, inputs."""
        return self.built.report

    def __repr__(self) -> str:
        return f"<rlplot ReportView: {len(self.report.sections)} section(s)>"

    def html(self) -> str:
        """The report as one self-contained HTML page."""
        from ..report.page import render_html

        return render_html(self.report)

    def save(self, path) -> str:
        """Write the report to ``path`` atomically: HTML (.html) or Markdown (.md, with the
        section PNGs when the report was built with them)."""
        from ..choices import REPORT_FORMATS

        path = os.fspath(path)
        kind = report_format(path)
        if os.path.realpath(path) in {os.path.realpath(p) for p in self.files}:
            raise OutputError("the report would overwrite an input", file=path,
                              hint="choose another path")
        return REPORT_FORMATS.load(kind)(self.built, path, list(self.built.images))

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" style="width: 100%; '
                f'height: {IFRAME_HEIGHT}px; border: 0" sandbox="allow-scripts"></iframe>')


def report_paths(data, config: Config, *, title: str, command: str, thresholds: Sequence,
                 labels: Sequence[str], strict: bool, path=None) -> ReportView:
    """The report of log paths, built as ``rlplot report`` builds it (a Markdown ``path`` gets
    the section PNGs beside it)."""
    from ..report.build import build_report
    from ..runs.discover import expand_paths

    paths = expand_paths(path_list(data))
    image_dir = None
    if path is not None and report_format(os.fspath(path)) == "markdown":
        image_dir = os.path.dirname(os.fspath(path)) or "."
    built = build_report(paths, config, title=title, command=command, thresholds=thresholds,
                         labels=labels, strict=strict, image_dir=image_dir)
    if image_dir is not None:
        built = type(built)(built.report, tuple(None if i is None else os.path.join(image_dir, i)
                                                for i in built.images), built.failed)
    return ReportView(built, tuple(paths))


def report_data(data, config: Config, layout: Layout, *, title: str, command: str,
                thresholds: Sequence, labels: Sequence[str]) -> ReportView:
    """The report of data in memory: read and prepared once, a section per group or run."""
    from ..pipeline import prepare_runs
    from ..report.build import report_of_prepared
    from ..report.model import InputFile
    loaded = load_data(data, config, layout=layout, labels=labels)
    prepared = prepare_runs(loaded.runs, loaded.config)
    record = loaded.record
    inputs = () if record is None else (InputFile(record.path or "input 1", record.sha256, record.size),)
    built = report_of_prepared(prepared, loaded.config, title=title, command=command,
                               thresholds=thresholds, inputs=inputs)
    return ReportView(built, notices=prepared.notices)
