"""The whole chart: one panel per configured metric, every run drawn in each panel."""
from __future__ import annotations

import contextlib

from ..config.schema import Config
from .layout import make_figure
from .panels import Trace, draw_panel

# Okabe & Ito's colour-blind-safe palette, used when several runs share a panel.
RUN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
              "#000000")


@contextlib.contextmanager
def style_context(config: Config):
    """Apply ``style`` sheets, font settings and ``rc`` for the duration of drawing and saving."""
    import matplotlib
    import matplotlib.style

    rc = {"font.size": config.figure.font_size}
    if config.figure.font_family:
        rc["font.family"] = config.figure.font_family
    rc.update(config.rc)
    with matplotlib.style.context(list(config.style) or "default"), matplotlib.rc_context(rc):
        yield


def traces_for_panel(prepared, index: int) -> list[Trace]:
    """The traces of panel ``index``: panel colours for one run, a palette colour per run otherwise."""
    style = prepared.panels[index]
    single = len(prepared.runs) == 1
    traces = []
    for number, (run, smoothed) in enumerate(zip(prepared.runs, prepared.smoothed)):
        if single:
            traces.append(Trace(run.series[index], smoothed[index], style.scatter.color,
                                style.line.color, style.label, style.line.label))
        else:
            color = RUN_COLORS[number % len(RUN_COLORS)]
            traces.append(Trace(run.series[index], smoothed[index], color, color, None, run.label))
    return traces


def draw_chart(prepared, config: Config):
    """Create the figure and draw every panel of ``prepared``; returns the Figure."""
    fig, axes = make_figure(len(prepared.panels), config.figure)
    for index, ax in enumerate(axes):
        traces = traces_for_panel(prepared, index)
        draw_panel(ax, traces, prepared.panels[index], config.figure,
                   x_label=prepared.x_label, rasterize_above=config.output.rasterize_above)
        if prepared.panels[index].annotate:
            from .annotate import annotate_traces
            annotate_traces(ax, traces, prepared.panels[index],
                            font_size=max(config.figure.font_size - 2, 1))
    return fig
