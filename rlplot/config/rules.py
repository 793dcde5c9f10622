"""Rules that involve more than one option, or values the declared types cannot express."""
from __future__ import annotations

import difflib
from pathlib import Path

from .paths import DEFAULT_SOURCE, KeyPath, dotted
from .schema import Config
from .validate import Problems

MAX_FIGURE_PIXELS = 20_000          # a side; beyond, Agg allocates gigabytes (or fails)


def check_config(config: Config, problems: Problems) -> None:
    """Add the problems of a built Config that no single option shows."""
    _check_panels(config, problems)
    if not config.output.formats:
        problems.add(("output", "formats"), "output.formats: at least one format is needed",
                     "e.g. [png] or [png, pdf]")
    _check_grid_and_x(config, problems)
    for index, name in enumerate(config.style):
        _check_style(name, ("style", index), problems)
    _check_pixels(config, problems)


def _check_panels(config: Config, problems: Problems) -> None:
    if not config.panels:
        problems.add(("panels",), "panels: at least one panel is needed")
    for index, panel in enumerate(config.panels):
        if not panel.metric:
            where = ("panels", index, "metric")
            if problems.origin.get(where, (DEFAULT_SOURCE,))[0] == DEFAULT_SOURCE:
                where = ("panels", index)
            problems.add(where, f"panels[{index}] has no metric",
                         "set panels.N.metric to a column name or a role (accuracy, parallelism)")
        if panel.y_min is not None and panel.y_max is not None and panel.y_min >= panel.y_max:
            problems.add(("panels", index, "y_max"), f"panels[{index}]: y_min {panel.y_min:g} is not "
                         f"below y_max {panel.y_max:g}")


def _check_grid_and_x(config: Config, problems: Problems) -> None:
    fig = config.figure
    if fig.rows and fig.cols and fig.rows * fig.cols < len(config.panels):
        problems.add(("figure", "rows"), f"figure.rows × figure.cols = {fig.rows}×{fig.cols} is too "
                     f"small for {len(config.panels)} panels", "raise rows or cols, or leave one unset")
    if fig.x_min is not None and fig.x_max is not None and fig.x_min >= fig.x_max:
        problems.add(("figure", "x_max"), f"figure: x_min {fig.x_min:g} is not below x_max {fig.x_max:g}")


def _check_pixels(config: Config, problems: Problems) -> None:
    fig = config.figure
    side = max(fig.width, fig.height)
    for section, dpi in (("figure", fig.dpi), ("output", config.output.dpi)):
        if dpi and side * dpi > MAX_FIGURE_PIXELS:
            problems.add((section, "dpi"), f"{section}.dpi {dpi} × {side:g} in makes a "
                         f"{side * dpi:,.0f}-pixel side",
                         f"at most {MAX_FIGURE_PIXELS:,} pixels a side: lower the dpi or the size")


def _check_style(name: str, path: KeyPath, problems: Problems) -> None:
    if name in ("default", "classic"):   # without importing matplotlib.style (~0.3 s)
        return
    import matplotlib.style

    if name in matplotlib.style.available:
        return
    if "://" in name:
        problems.add(path, f"{dotted(path)}: '{name}': styles from URLs are not loaded",
                     "download the .mplstyle file and give its path")
    elif name.endswith(".mplstyle"):
        if not Path(name).is_file():
            problems.add(path, f"{dotted(path)}: no style file '{name}'",
                         "a relative path is read next to the config file, else in the working folder")
    else:
        close = difflib.get_close_matches(name, matplotlib.style.available, n=1)
        problems.add(path, f"{dotted(path)}: unknown matplotlib style '{name}'",
                     f"did you mean '{close[0]}'?" if close else
                     "use a style name (see matplotlib.style.available) or a .mplstyle path")
