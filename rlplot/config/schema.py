"""Every option, declared once: name, type, default, allowed values and one line of help.

The sections are frozen dataclasses; each field's metadata carries its help and
its range or choices. The YAML loader, validation, ``rlplot config show``, the CLI
help and ``docs/config.md`` all read these declarations, so an option exists in
exactly one place; the look-ups at the end are the only code that walks them.
Choices offered elsewhere too are the registries of ``rlplot.choices``; the short
lists below are used by the schema alone. This module imports neither numpy nor
matplotlib.
"""
from __future__ import annotations

import functools
import typing
from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from typing import Any, Mapping

from ..choices import (AGGREGATES, DUPLICATE_POLICIES, FIGURE_FORMATS, PANEL_BANDS, PROVENANCE_MODES,
                       RESTART_POLICIES, RUN_BANDS, SMOOTHING_METHODS, TIME_AXES, X_RANGES,
                       X_TICK_FORMATS,
                       Y_TICK_FORMATS)
from .paths import KeyPath

from .compare import CompareSpec
from .declare import opt

LEGEND_LOCATIONS = ("auto", "upper left", "upper right", "lower left", "lower right", "upper center",
                    "lower center", "center left", "center right", "center", "best", "outside right",
                    "outside below")
LEGEND_OUTSIDE = ("right", "below")
LINE_STYLES = ("-", "--", ":", "-.", "solid", "dashed", "dotted", "dashdot")
MARKERS = ("o", ".", "s", "^", "v", "D", "x", "+", "*", "d", "p", "h")
LAYOUT_ENGINES = ("constrained", "tight", "none")
AXIS_SCALES = ("linear", "log")
SMOOTH_ORDERS = ("before", "after")


@dataclass(frozen=True)
class ScatterStyle:
    """The raw points of a panel."""

    color: str = opt("tab:blue", "colour of the points (with several runs: the run colours)", kind="color")
    size: float = opt(14.0, "marker area in points²", min=0, max=10000)
    alpha: float = opt(0.75, "opacity of the points", min=0, max=1)
    marker: str = opt("o", "matplotlib marker", choices=MARKERS)
    max_points: int = opt(4000, "most points drawn per run and panel (extremes kept; smoothing uses all)", min=2)
    show: bool = opt(True, "draw the points at all")


@dataclass(frozen=True)
class LineStyle:
    """The smoothed curve of a panel."""

    color: str = opt("tab:red", "colour of the smoothed line", kind="color")
    width: float = opt(2.0, "line width in points", min=0, max=100)
    style: str = opt("-", "line style", choices=LINE_STYLES)
    label: str = opt("Smoothed Curve", "legend label of the line")


@dataclass(frozen=True)
class LegendStyle:
    """The legend of a panel."""

    show: bool = opt(True, "draw a legend")
    loc: str = opt("auto", "legend location; auto: the upper left when no drawn point is under it, "
                           "else the free corner, else outside (legend.outside); 'best' scans every "
                           "point: slow on big logs", choices=LEGEND_LOCATIONS)
    frame: bool = opt(True, "draw a frame around the legend")
    font_size: float | None = opt(None, "legend font size in points (default: figure.font_size - 1)", min=1, max=200)
    max_inside: int = opt(6, "loc auto: with more entries than this the legend goes outside the axes",
                          min=0)
    outside: str = opt("right", "loc auto: where a legend that leaves the axes goes",
                       choices=LEGEND_OUTSIDE)
    columns: int | None = opt(None, "legend columns (default: 1; outside below: up to 4; outside "
                                    "right: as many as keep it within the axes height)", min=1, max=50)


@dataclass(frozen=True)
class SmoothingSpec:
    """How curves are smoothed: the method and every method's parameters."""

    method: str = opt("lowess", "smoothing method", choices=SMOOTHING_METHODS)
    frac: float | str = opt(0.2, "lowess: share of the points in each local fit, or 'auto': chosen "
                                 "per series by cross-validation (docs/smoothing.md)",
                            min=0, max=1, min_open=True)
    it: int = opt(0, "lowess: robustifying iterations (0 = plain least squares, fastest)", min=0, max=10)
    delta: float | str = opt("auto", "lowess: x distance within which fits are interpolated "
                                     "('auto' = 0.25 % of the x range above 5,000 points)", min=0)
    weight: float = opt(0.6, "ema: TensorBoard smoothing weight (share of the previous value)",
                        min=0, max=1)
    bandwidth: float | None = opt(None, "lowess: half-width of each local fit in x units, instead of "
                                        "frac", min=0, min_open=True)
    halflife: float | None = opt(None, "twema: x distance over which a point's weight halves "
                                       "(default: 2 % of the x range)", min=0, min_open=True)
    window: int = opt(21, "rolling: points in the centred window (odd)", min=1)
    sigma: float | None = opt(None, "gaussian: kernel standard deviation in x units "
                                    "(default: 2 % of the x range)", min=0, min_open=True)


@dataclass(frozen=True)
class AnnotationStyle:
    """How the dip and the knee of a panel's smoothed curve are marked (``annotate: true``)."""

    color: str = opt("0.25", "colour of the marks (with several runs: the run colours)", kind="color")
    style: str = opt("--", "line style of the vertical line at the knee", choices=LINE_STYLES)
    width: float = opt(1.0, "line width of the knee line in points", min=0)
    marker_size: float = opt(7.0, "size of the dip and knee markers in points", min=0)
    font_size: float | None = opt(None, "label font size in points (default: figure.font_size - 2)",
                                  min=1)
    dip_label: str = opt("dip", "text next to the dip marker ('' for none)")
    knee_label: str = opt("knee", "text next to the knee line ('' for none)")


@dataclass(frozen=True)
class PanelStyle:
    """One panel: which metric it shows and how."""

    metric: str = opt("", "column to plot (a name, or a role: accuracy, parallelism)")
    title: str | None = opt(None, "panel title (default: '<metric> vs <x label>')")
    y_label: str | None = opt(None, "y axis label (default: the metric name)")
    label: str | None = opt(None, "legend label of the points (default: the y label)")
    y_format: str = opt("auto", "y tick format: percent (0–1 or 0–100 data), plain, sci, count "
                                "(250k, 1.5M), auto (count for count-like metrics, else plain)",
                        choices=Y_TICK_FORMATS)
    y_min: float | None = opt(None, "lower y limit (default: data, rounded down to a gridline)")
    y_max: float | None = opt(None, "upper y limit (default: data, rounded up to a gridline)")
    y_tick_step: float | None = opt(None, "distance between y gridlines in data units "
                                          "(percent panels: in percent points)", min=0, min_open=True)
    y_integer: bool = opt(False, "put y gridlines on whole numbers only")
    y_scale: str = opt("linear", "y axis scale", choices=AXIS_SCALES)
    scatter: ScatterStyle = opt(factory=ScatterStyle, help="the raw points")
    line: LineStyle = opt(factory=LineStyle, help="the smoothed line")
    legend: LegendStyle = opt(factory=LegendStyle, help="the legend")
    smoothing: SmoothingSpec | None = opt(None, "smoothing for this panel only (keys override the "
                                                "top-level smoothing)")
    annotate: bool = opt(False, "mark the dip and the knee of the smoothed curve (as in rlplot summary)")
    annotation: AnnotationStyle = opt(factory=AnnotationStyle, help="how the dip and knee are marked")
    band: str = opt("none", "shaded band around the line: residual = smoothed ± band_k × local RMS "
                            "of the residuals", choices=PANEL_BANDS)
    band_k: float = opt(2.0, "band half-width in local residual RMS units", min=0)


SEED_PANELS = (
    PanelStyle(metric="accuracy", title="Training Accuracy vs Steps", y_label="Training Accuracy",
               y_format="percent", y_tick_step=5.0),
    PanelStyle(metric="parallelism", title="Average parallelism vs Steps",
               y_label="Average Parallelism", y_tick_step=1.0, y_integer=True),
)


@dataclass(frozen=True)
class FigureStyle:
    """The whole figure: size, fonts, layout and the shared x axis."""

    width: float = opt(12.0, "figure width in inches", min=1, max=100)
    height: float = opt(4.8, "figure height in inches", min=1, max=100)
    dpi: int = opt(150, "resolution of PNG output and of rasterised layers", min=20, max=1200)
    rows: int | None = opt(None, "panel grid rows (default: 1, or enough for `cols`)", min=1, max=20)
    cols: int | None = opt(None, "panel grid columns (default: one per panel)", min=1, max=20)
    suptitle: str | None = opt(None, "title above all panels")
    font_family: str | None = opt(None, "font family (e.g. serif, sans-serif, DejaVu Sans)")
    font_size: float = opt(10.0, "base font size in points", min=1, max=200)
    title_size: float = opt(12.0, "panel title size in points", min=1, max=200)
    label_size: float = opt(11.0, "axis label size in points", min=1, max=200)
    tick_size: float = opt(9.0, "tick label size in points", min=1, max=200)
    facecolor: str = opt("white", "figure background colour", kind="color")
    layout: str = opt("constrained", "layout engine", choices=LAYOUT_ENGINES)
    x_label: str | None = opt(None, "x axis label (default: 'RL flops' for a FLOPs column, else its name)")
    x_scale: str = opt("linear", "x axis scale", choices=AXIS_SCALES)
    x_tick_format: str = opt("auto", "x tick labels; auto: sci for FLOPs, count (250k, 1.5M) for "
                                     "steps and counts, date / duration for time columns",
                             choices=X_TICK_FORMATS)
    x_min: float | None = opt(None, "lower x limit")
    x_max: float | None = opt(None, "upper x limit")
    grid: bool = opt(True, "draw major gridlines")
    footnote: str | None = opt(None, "small text under the panels")


@dataclass(frozen=True)
class DataSpec:
    """Which columns are read and how x is computed."""

    x: str | None = opt(None, "x column (default: a FLOPs column, else a step column, else the row "
                              "number), or a time axis: " + TIME_AXES.described())
    aliases: Mapping[str, tuple[str, ...]] = opt(factory=dict, help="extra column names per role, "
                                                 "e.g. {accuracy: [my_acc]}")
    flops_per_step: float | None = opt(None, "x = step × this when the log has no FLOPs column", min=0,
                                       min_open=True)
    restarts: str = opt("keep-last", "when x goes back (a resumed run): keep-last replaces the earlier "
                                     "points with x >= the new x (as TensorBoard), keep-all keeps both, "
                                     "error stops", choices=RESTART_POLICIES)
    duplicates: str = opt("last", "points sharing an x: keep the last, the first, their mean, or keep all",
                          choices=DUPLICATE_POLICIES)
    format: str | None = opt(None, "input format (default: detected from the content); "
                                   "see `rlplot inspect`", kind="input-format")


@dataclass(frozen=True)
class OutputSpec:
    """How files are written."""

    dpi: int | None = opt(None, "PNG resolution (default: figure.dpi)", min=20, max=1200)
    transparent: bool = opt(False, "transparent background")
    rasterize_above: int = opt(2000, "in SVG/PDF, rasterise a scatter layer with more points than this", min=0)
    metadata: Mapping[str, str] = opt(factory=dict, help="document metadata (Title, Author, …)")
    formats: tuple[str, ...] = opt(("png",), "files written when `render` gets no -o: <log name>.<format> "
                                             "for each", choices=FIGURE_FORMATS)
    provenance: bool | str = opt(True, "record in every figure what made it: true = rlplot version, command "
                                       "line, inputs (path, sha256, size) and effective config; hashes = "
                                       "the same without paths and command line; false = nothing",
                                 choices=PROVENANCE_MODES)


@dataclass(frozen=True)
class RunsSpec:
    """Several runs in one figure: labels, grouping, and aggregation over seeds."""

    labels: Mapping[str, str] = opt(factory=dict, help="legend label per run, keyed by file path or "
                                    "default label, e.g. {runs/a/metrics.jsonl: baseline}")
    group_by: tuple[str, ...] = opt((), "how runs are grouped: a regex over each run's path (its first "
                                        "capture group, or the group named 'group', names the "
                                        "group) or cfg:KEY (the run's config value); several make "
                                        "one group per combination")
    where: tuple[str, ...] = opt((), "keep only the runs meeting every condition: cfg:KEY=VALUE "
                                     "(also !=, <, >, <=, >=; * and ? match text), or "
                                     "experiment=NAME, name=..., kind=...")
    aggregate: str = opt("none", "combine the runs of each group into one line",
                         choices=AGGREGATES)
    band: str = opt("ci", "band around an aggregate: sd, sem, ci (percentile bootstrap over runs), none",
                    choices=RUN_BANDS)
    level: float = opt(95.0, "confidence level of the ci band (and of rlplot compare's CIs), in percent",
                       min=1, max=99.9)
    reps: int = opt(2000, "bootstrap resamples of the ci band (and of rlplot compare's CIs)", min=100,
                    max=100000)
    seed: int = opt(0, "seed of the bootstrap (same seed, same band and CIs)", min=0)
    x_range: str = opt("intersection", "x range of an aggregate: the range all runs share, or the "
                                       "union (fewer runs toward the ends)",
                       choices=X_RANGES)
    grid_points: int = opt(400, "x grid points an aggregate is computed at", min=10, max=100000)
    smooth: str = opt("before", "smooth each run before aggregating, or the aggregate after",
                      choices=SMOOTH_ORDERS)
    points: bool = opt(False, "with an aggregate, also draw the runs' raw points (faint)")
    footnote: bool = opt(True, "with an aggregate, say under the figure what the line and band are")


@dataclass(frozen=True)
class Config:
    """The effective configuration of one figure."""

    figure: FigureStyle = opt(factory=FigureStyle, help="the figure")
    data: DataSpec = opt(factory=DataSpec, help="columns and x")
    panels: tuple[PanelStyle, ...] = opt(SEED_PANELS, "the panels, left to right then top to bottom")
    smoothing: SmoothingSpec = opt(factory=SmoothingSpec, help="smoothing for every panel")
    output: OutputSpec = opt(factory=OutputSpec, help="output files")
    rc: Mapping[str, Any] = opt(factory=dict, help="matplotlib rcParams, validated by matplotlib", kind="rc")
    style: tuple[str, ...] = opt((), "matplotlib style names or .mplstyle paths (relative to the config "
                                     "file), applied first")
    runs: RunsSpec = opt(factory=RunsSpec, help="several runs: labels, groups, aggregation")
    compare: CompareSpec = opt(factory=CompareSpec, help="rlplot compare: algorithms, tasks, scores "
                                                         "and its figures")


# ---------------------------------------------------------------------------- look-ups

@functools.cache
def field_types(cls) -> dict[str, Any]:
    """The resolved type of each option of a section (the annotations are postponed text)."""
    return typing.get_type_hints(cls)


def section_of(tp) -> type | None:
    """The section class inside a type (``X``, ``X | None``, ``tuple[X, ...]``), else None."""
    if is_dataclass(tp):
        return tp
    for arg in typing.get_args(tp):
        if is_dataclass(arg):
            return arg
    return None


def field_at(path: KeyPath) -> Field | None:
    """The declared option at a key path such as ``("panels", 0, "scatter", "color")``, else None."""
    cls: Any = Config
    spec = None
    for part in path:
        if isinstance(part, int):
            continue          # a list index: same item type
        if cls is None:
            return None
        known = {f.name: f for f in fields(cls)}
        if part not in known:
            return None
        spec = known[part]
        cls = section_of(field_types(cls)[part])
    return spec


def default_of(spec: Field) -> Any:
    """The declared default value of an option (sections and factories built)."""
    if spec.default is not MISSING:
        return spec.default
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return None


def range_text(meta: Mapping) -> str:
    """``>= 0 and <= 1``: the declared range of a number option, from its field metadata ('' if none)."""
    low, high = meta.get("min"), meta.get("max")
    lo = "" if low is None else (f"> {low:g}" if meta.get("min_open") else f">= {low:g}")
    hi = "" if high is None else f"<= {high:g}"
    return " and ".join(p for p in (lo, hi) if p)


def option_help(dotted_path: str) -> str:
    """The declared help of an option such as ``figure.dpi``, with its default (for CLI help)."""
    spec = field_at(tuple(int(p) if p.isdigit() else p for p in dotted_path.split(".")))
    if spec is None:
        raise KeyError(dotted_path)
    default = spec.default if spec.default is not MISSING else None
    return f"{spec.metadata.get('help', '')} [config: {dotted_path}; default: {default}]"


def to_mapping(section) -> Any:
    """A config section (or any value in one) as plain YAML-ready data: tuples become lists."""
    if is_dataclass(section):
        return {f.name: to_mapping(getattr(section, f.name)) for f in fields(section)}
    if isinstance(section, (list, tuple)):
        return [to_mapping(item) for item in section]
    if isinstance(section, Mapping):
        return {key: to_mapping(value) for key, value in section.items()}
    return section
