"""The notebook API: ``plot``, ``summary``, ``inspect``, ``compare``, ``report``.

Each takes log paths (as the CLI) or data in memory (see ``api.data_in``), ``config=``
(what ``-c`` takes), ``set=`` (what ``--set`` takes) and its command's flags as keywords
(``api.keywords``), then runs the library code the command runs. Notices are issued as
``RlplotWarning``s and kept on the result; errors are rlplot's own exceptions, with the
CLI's messages.
"""
from __future__ import annotations

import os
from typing import Any, Sequence

from ..config.schema import Config
from ..data import Notice
from .data_in import Layout, Loaded, is_paths, load, load_data, path_list
from .keywords import COMPARE_KEYWORDS, RENDER_KEYWORDS, build_config, keyword_layer, listed
from .result import Plot, warn_all
from .compare_view import CompareView
from .views import SummaryView, summary_view


def describe_data(data: Any) -> str:
    """How a call shows its data: the paths, or the kind of data in memory (``<DataFrame>``)."""
    if is_paths(data):
        paths = path_list(data)
        return repr(paths[0] if isinstance(data, (str, os.PathLike)) else paths)
    return f"<{type(data).__name__}>"


def call_text(name: str, data: Any, keywords: dict) -> str:
    """The call as provenance records it: ``rlplot.plot(<DataFrame>, y='reward', smooth='ema')``."""
    def shown(value):
        if isinstance(value, Config):
            return "<Config>"
        return repr(list(value) if isinstance(value, tuple) else value)

    parts = [describe_data(data)] + [f"{k}={shown(v)}" for k, v in keywords.items()
                                     if v is not None and v is not False and v != ()]
    return f"rlplot.{name}(" + ", ".join(parts) + ")"


def _prepared(data, config, set, layout, labels, strict, keywords, y, annotate=False):
    """Config from the keywords, then the runs read, cleaned, smoothed and grouped."""
    from ..pipeline import prepare_runs

    built = build_config(config, set, keyword_layer(keywords, RENDER_KEYWORDS, y=y, annotate=annotate))
    loaded = load(data, built, layout=layout, labels=listed(labels), strict=strict)
    return loaded, prepare_runs(loaded.runs, loaded.config)


def plot(data: Any, *, x: str | None = None, y: str | Sequence[str] | None = None,
         runs: str | None = None, config=None, set=None, labels: Sequence[str] | None = None,
         tag: str | None = None, value: str | None = None, step: str | None = None,
         long: bool | None = None, strict: bool = False, annotate: bool = False, **style) -> Plot:
    """The chart ``rlplot render`` draws, of log paths or data in memory, shown inline in Jupyter.

    ``data``: a pandas/polars DataFrame, a pyarrow Table, a dict of columns, records, a list of
    these (one per run) or a dict of them (keyed by run), or log paths/folders/globs. ``runs``:
    the column whose values split the rows into runs; ``tag``/``value``/``step`` (or
    ``long=True``): long form, one row per logged point (a TensorBoard export). ``y``: a column
    (or tag) per panel. ``**style``: ``rlplot render``'s flags (``smooth="ema"``, ``frac=0.1``,
    ``group_by="lr"``, ``aggregate="iqm"``, ...), see ``api.keywords``.
    """
    from ..pipeline import draw

    keywords = {"x": x, **style}
    loaded, prepared = _prepared(data, config, set, Layout(runs, tag, value, step, long), labels,
                                 strict, keywords, y, annotate)
    figure, _, drawn = draw(prepared, loaded.config, ())
    command = call_text("plot", data, {"y": y, "runs": runs, "config": config, "set": set,
                                       "labels": labels, "tag": tag, "value": value, "step": step,
                                       "long": long, "annotate": annotate, **keywords})
    result = Plot(figure, prepared, loaded.config, loaded, command, tuple(listed(labels)), drawn)
    warn_all(result.notices)
    return result


def summary(data: Any, thresholds: Sequence[str] | str = (), *, x: str | None = None,
            y: str | Sequence[str] | None = None, runs: str | None = None, config=None, set=None,
            labels: Sequence[str] | None = None, tag: str | None = None, value: str | None = None,
            step: str | None = None, long: bool | None = None, strict: bool = False,
            **style) -> SummaryView:
    """``rlplot summary``'s numbers (dip, knee, threshold crossings, variance) of the runs ``plot``
    would draw; ``thresholds``: ``"accuracy=50%"`` items. Takes what ``plot`` takes."""
    loaded, prepared = _prepared(data, config, set, Layout(runs, tag, value, step, long), labels,
                                 strict, {"x": x, **style}, y)
    view = summary_view(prepared, thresholds, loaded.template)
    warn_all(view.notices)
    return view


def inspect(data: Any, *, runs: str | None = None, config=None, set=None, tag: str | None = None,
            value: str | None = None, step: str | None = None, long: bool | None = None,
            **style):
    """``rlplot inspect``: what each run holds (columns, x candidates, which column each panel
    would show, restarts, duplicate x) and its config; an ``inspect.InspectReport``. For data in
    memory a run's config is its columns that hold one value throughout it."""
    from .views import InspectView, inspect_data

    y = style.pop("y", None)
    built = build_config(config, set, keyword_layer(style, RENDER_KEYWORDS, y=y))
    if is_paths(data):
        from ..inspect import inspect_paths

        return InspectView(inspect_paths(path_list(data), config=built))
    return InspectView(inspect_data(data, built, Layout(runs, tag, value, step, long)))


def compare(data: Any, *, algo_by: str | None = None, task_by: str | None = None,
            y: str | None = None, runs: str | None = None, config=None, set=None,
            labels: Sequence[str] | None = None, tag: str | None = None, value: str | None = None,
            step: str | None = None, long: bool | None = None, strict: bool = False,
            **flags) -> CompareView:
    """``rlplot compare``: algorithms across tasks, as rliable evaluates them (interval estimates,
    profiles, P(X > Y), sample-efficiency curves). With data in memory ``algo_by``/``task_by``
    name columns that hold one value per run (or, as on the CLI, a regex with a capture
    group, searched in each run's ``<data> [name]``); ``**flags``: ``rlplot compare``'s flags (``score``, ...)."""
    from ..compare import evaluate_cells, evaluate_logs, scored_config
    from .compare_view import data_cells, draw_overview

    keywords = {"algo_by": algo_by, "task_by": task_by, **flags}
    built = build_config(config, set, keyword_layer(keywords, COMPARE_KEYWORDS, y=y, one_y=True))
    if is_paths(data):
        paths = path_list(data)
        evaluated = evaluate_logs(paths, built, strict=strict, labels=listed(labels) or None)
        loaded = Loaded(evaluated.runs, built, files=tuple(paths))
    else:
        specs = [s for s in (built.compare.algo_by, built.compare.task_by) if s]
        loaded = load_data(data, scored_config(built), layout=Layout(runs, tag, value, step, long),
                           labels=listed(labels), keys=specs)
        evaluated = evaluate_cells(loaded.runs, data_cells(loaded.runs, built, loaded.columns),
                                   built)
    figure, drawn = draw_overview(evaluated.comparison, built)
    command = call_text("compare", data, {"y": y, "runs": runs, **keywords})
    view = CompareView(evaluated, built, loaded, command, figure, drawn)
    warn_all(view.notices)
    return view


def report(data: Any, path: str | os.PathLike | None = None, *, title: str = "rlplot report",
           thresholds: Sequence[str] | str = (), x: str | None = None,
           y: str | Sequence[str] | None = None, runs: str | None = None, config=None, set=None,
           labels: Sequence[str] | None = None, tag: str | None = None, value: str | None = None,
           step: str | None = None, long: bool | None = None, strict: bool = False, **style):
    """``rlplot report``: per run or group its live chart, summary numbers and data-quality
    notes, as one HTML page (or Markdown); written to ``path`` when given, shown inline."""
    from .report_view import report_data, report_paths
    from .views import parse_thresholds

    keywords = {"x": x, **style}
    command = call_text("report", data, {"y": y, "runs": runs, "title": title, **keywords})
    built = build_config(config, set, keyword_layer(keywords, RENDER_KEYWORDS, y=y))
    items = parse_thresholds(thresholds)
    if is_paths(data):
        view = report_paths(data, built, title=title, command=command, thresholds=items,
                            labels=listed(labels), strict=strict, path=path)
    else:
        view = report_data(data, built, Layout(runs, tag, value, step, long), title=title,
                           command=command, thresholds=items, labels=listed(labels))
    warn_all([*view.notices, *(Notice(f"not in the report: {exc.what}", exc.file, exc.line)
                               for exc in view.failed)])
    if path is not None:
        view.save(path)
    return view
