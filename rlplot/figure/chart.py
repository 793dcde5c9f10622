"""The whole chart: one panel per configured metric, every run drawn in each panel."""
from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

from ..config.schema import Config
from ..data import Notice
from ..smoothing.chosen import chosen_footnote
from .axes import resolve_x_format
from .layout import make_figure
from .panels import Trace, draw_panel
from .text import LOGGED_BAND_LABEL, plain_text

# Okabe & Ito's colour-blind-safe palette, used when several runs share a panel.
RUN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
              "#000000")
# Past the 8 colours, runs take the colours again with another dash pattern and marker (the
# legend shows each run's dash), so up to 32 runs never look alike; no larger palette stays
# colour-blind safe.
RUN_DASHES = ("--", ":", "-.")
RUN_MARKERS = ("s", "^", "D")
DISTINCT_RUNS = len(RUN_COLORS) * (1 + len(RUN_DASHES))


@dataclass(frozen=True)
class RunStyle:
    """How run (or group) ``number`` is told apart: its colour, and past the palette a dash
    pattern and marker (None: the panel's own)."""

    color: str
    line_style: str | None = None
    marker: str | None = None


def run_style(number: int) -> RunStyle:
    """The style of run ``number`` (0-based) in a figure of several runs."""
    color = RUN_COLORS[number % len(RUN_COLORS)]
    cycle = (number // len(RUN_COLORS)) % (1 + len(RUN_DASHES))
    if cycle == 0:
        return RunStyle(color)
    return RunStyle(color, RUN_DASHES[cycle - 1], RUN_MARKERS[cycle - 1])


# The settings a style never changes: matplotlib.style's own list (its ``_STYLE_BLACKLIST``; a test
# keeps them equal). With it the default style is applied without importing matplotlib.style,
# whose import reads every bundled style sheet: ~50 ms, a twentieth of a small render.
NOT_STYLE = frozenset({
    "backend", "backend_fallback", "date.epoch", "docstring.hardcopy", "figure.max_open_warning",
    "figure.raise_window", "interactive", "savefig.directory", "timezone", "tk.window_focus",
    "toolbar", "webagg.address", "webagg.open_in_browser", "webagg.port", "webagg.port_retries"})


def default_style() -> dict:
    """matplotlib's default style as rcParams (what ``style.use("default")`` applies)."""
    import matplotlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", matplotlib.MatplotlibDeprecationWarning)
        return {key: matplotlib.rcParamsDefault[key] for key in matplotlib.rcParamsDefault
                if key not in NOT_STYLE}


@contextlib.contextmanager
def style_context(config: Config):
    """Apply ``style`` sheets, font settings and ``rc`` for the duration of drawing and saving."""
    import matplotlib

    rc = {"font.size": config.figure.font_size}
    if config.figure.font_family:
        rc["font.family"] = config.figure.font_family
    rc.update(config.rc)
    if config.style:
        import matplotlib.style

        sheets = matplotlib.style.context(["default", *config.style])
    else:
        sheets = matplotlib.rc_context(default_style())
    with sheets, matplotlib.rc_context(rc):
        yield


def _count_text(counts) -> str:
    if counts is None or len(counts) == 0:
        return ""
    high, low = int(counts.max()), int(counts.min())
    return f" (n={high})" if high == low else f" (n={high}…{low})"


def traces_for_panel(prepared, index: int, config: Config) -> list[Trace]:
    """The traces of panel ``index``.

    One run: the panel's own colours and legend labels. Several runs: a palette colour per
    run (or per group), labelled by run (or group and run count). Aggregated groups: one
    line (and band) per group, with the runs' points only if asked for.
    """
    style = prepared.panels[index]
    runs, smoothed = prepared.runs, prepared.smoothed
    if len(runs) == 1 and not prepared.groups:
        # Only a single run's bands get legend entries: with several runs the run colours
        # already say it, and the footnote says what the bands are.
        series = runs[0].series[index]
        band_label = f"± {style.band_k:g} × local residual RMS" if style.band == "residual" else None
        logged_label = LOGGED_BAND_LABEL if series.band is not None else None
        return [Trace(series, smoothed[0][index], style.scatter.color, style.line.color,
                      style.label, style.line.label, band_label, logged_label,
                      source=runs[0].source)]
    if not prepared.groups:
        _warn_if_alike(len(runs), "runs")
        return [_styled(run_style(number), run.series[index], smoothed[number][index],
                        plain_text(run.label), run.source) for number, run in enumerate(runs)]
    _warn_if_alike(len(prepared.groups), "groups")
    traces = []
    for number, group in enumerate(prepared.groups):
        look = run_style(number)
        if prepared.aggregated:
            curve = group.curves[index]
            points = _pooled(runs, group.members, index) if config.runs.points else None
            traces.append(_styled(look, points, curve,
                                  plain_text(group.label) + _count_text(group.counts[index])))
            continue
        for position, member in enumerate(group.members):
            label = f"{plain_text(group.label)} (n={len(group.members)})" if position == 0 else None
            traces.append(_styled(look, runs[member].series[index], smoothed[member][index], label,
                                  runs[member].source))
    return traces


def _styled(look: RunStyle, series, curve, label: str | None, source: str | None = None) -> Trace:
    return Trace(series, curve, look.color, look.color, None, label, line_style=look.line_style,
                 marker=look.marker, source=source)


def _warn_if_alike(count: int, what: str) -> None:
    # A warning while drawing becomes one of the render's notices (pipeline.draw).
    if count > DISTINCT_RUNS:
        warnings.warn(f"{count} {what} in one panel: past {DISTINCT_RUNS} (8 colours × 4 dash "
                      "patterns) they repeat; group them (--group-by) or aggregate them",
                      stacklevel=3)


def _pooled(runs, members, index):
    import numpy as np

    from ..data import Series

    xs = np.concatenate([runs[m].series[index].x for m in members])
    ys = np.concatenate([runs[m].series[index].y for m in members])
    order = np.argsort(xs, kind="stable")
    return Series(runs[members[0]].series[index].name, xs[order], ys[order])


def x_tick_format(prepared, config: Config) -> str:
    """``figure.x_tick_format`` resolved for the x column the runs share (``auto``: by its role)."""
    from ..columns import is_flops, merged_aliases

    time_format = {"wall": "date", "relative": "duration"}.get(getattr(prepared, "x_kind", "value"))
    if time_format and config.figure.x_tick_format == "auto":
        return time_format
    first = prepared.runs[0].series[0] if prepared.runs and prepared.runs[0].series else None
    name = first.x_name if first is not None else None
    flops = name is not None and is_flops(name, merged_aliases(config.data.aliases))
    return resolve_x_format(config.figure.x_tick_format, name, flops,
                            values=first.x if first is not None else None)


def chart_footnote(prepared, config: Config) -> str | None:
    """The text under the panels: the config's, else what the pipeline and smoothing say."""
    if config.figure.footnote:
        return config.figure.footnote
    names = [s.name for s in prepared.runs[0].series] if prepared.runs else []
    curves = [*prepared.smoothed, *(g.curves for g in prepared.groups if g.curves)]
    parts = [prepared.footnote, chosen_footnote(curves, names)]
    return " · ".join(p for p in parts if p) or None


def draw_chart(prepared, config: Config):
    """Create the figure and draw every panel of ``prepared``; returns the Figure."""
    fig, axes = make_figure(len(prepared.panels), config.figure,
                            footnote=chart_footnote(prepared, config))
    x_format = x_tick_format(prepared, config)
    for index, ax in enumerate(axes):
        traces = traces_for_panel(prepared, index, config)
        draw_panel(ax, traces, prepared.panels[index], config.figure, x_label=prepared.x_label,
                   rasterize_above=config.output.rasterize_above, x_format=x_format)
        if prepared.panels[index].annotate:
            from .annotate import annotate_traces
            annotate_traces(ax, traces, prepared.panels[index],
                            font_size=max(config.figure.font_size - 2, 1))
    return fig


# Warnings meant for developers, not about the figure: a ResourceWarning is the garbage collector
# freeing some unrelated object (a notebook kernel's socket) mid-draw. They go on to the usual
# filters instead of becoming the user's "drawing:" notices.
DEVELOPER_WARNINGS = (ResourceWarning, DeprecationWarning, PendingDeprecationWarning)


@contextlib.contextmanager
def drawing_notices(config: Config):
    """Style with ``config`` and turn warnings raised while drawing into Notices.

    Yields a list that holds the notices (deduplicated, in order) once the block ends."""
    notices: list[Notice] = []
    with style_context(config), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield notices
    for caught_warning in caught:
        if issubclass(caught_warning.category, DEVELOPER_WARNINGS):
            warnings.warn_explicit(caught_warning.message, caught_warning.category,
                                   caught_warning.filename, caught_warning.lineno)
    notices.extend(dict.fromkeys(Notice(f"drawing: {w.message}") for w in caught
                                 if not issubclass(w.category, DEVELOPER_WARNINGS)))
