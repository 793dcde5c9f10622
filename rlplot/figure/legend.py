"""Where a panel's legend goes, so that it never hides a drawn point.

``legend.loc: auto`` puts the legend in the upper left when no drawn point (scatter
markers and line vertices, i.e. the downsampled points actually drawn) is under its box,
else in the first free corner (upper right, lower left, lower right), else outside the
axes (``legend.outside``: right or below); with more than ``legend.max_inside`` entries
it goes outside at once. The legend's real size is measured, the points are counted in
display coordinates with numpy (a few thousand points × four corners: well under a
millisecond), and the count is repeated when the figure is drawn, after the layout engine
has given the axes their final size, so the corner is right for the final picture.
Never matplotlib's ``best``: it weighs every artist's vertices against nine places on
every draw and warns that it is slow on big data.

Whether to go outside is decided once, when the legend is made, so that the layout engine
makes room for it; the draw-time check only moves the legend between corners.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib import transforms
from matplotlib.artist import Artist
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
from matplotlib.transforms import Bbox

CORNERS = ("upper left", "upper right", "lower left", "lower right")   # in order of preference
OUTSIDE_GAP = 1.02            # axes fraction: where an outside-right legend starts (as before)
BELOW_GAP_POINTS = 4.0        # between the x axis label and an outside-below legend
BELOW_MAX_COLUMNS = 4


def drawn_points(ax) -> np.ndarray:
    """Display coordinates, shape (m, 2), of every point drawn in ``ax``: scatter markers and
    line vertices (bands and text are not points)."""
    parts = [np.zeros((0, 2))]
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and collection.get_visible():
            offsets = np.asarray(collection.get_offsets(), dtype=np.float64)
            if len(offsets):
                parts.append(collection.get_offset_transform().transform(offsets))
    for line in ax.lines:
        xy = np.asarray(line.get_xydata(), dtype=np.float64)
        if line.get_visible() and len(xy):
            parts.append(line.get_transform().transform(xy))
    points = np.concatenate(parts)
    return points[np.isfinite(points).all(1)]


def _marker_radius(ax) -> float:
    """The largest scatter marker radius in display pixels (a point covered at its edge counts)."""
    sizes = [float(np.max(c.get_sizes())) for c in ax.collections
             if isinstance(c, PathCollection) and len(c.get_sizes())]
    return math.sqrt(max(sizes, default=0.0)) / 2.0 * ax.figure.dpi / 72.0


def covered(box, points: np.ndarray, margin: float = 0.0) -> int:
    """How many of ``points`` (m, 2), display coordinates, lie in ``box`` grown by ``margin`` pixels."""
    x0, y0, x1, y1 = box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin
    x, y = points[:, 0], points[:, 1]
    return int(np.count_nonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))


def _line_paths(ax) -> list:
    # A line can cross the box between two vertices (a straight segment, a vertical knee line).
    return [line.get_transform().transform_path(line.get_path())
            for line in ax.lines if line.get_visible() and len(line.get_xydata())]


def _set_loc(legend: Legend, loc: str) -> None:
    if hasattr(legend, "set_loc"):
        legend.set_loc(loc)
    else:   # matplotlib 3.7 has no public setter
        legend._loc = Legend.codes[loc]


def corner_boxes(legend: Legend, renderer=None) -> dict[str, Bbox]:
    """The legend's box (display coordinates) in each of ``CORNERS``, from one measurement:
    matplotlib pads a corner legend by the same amount on each side of its anchor box."""
    _set_loc(legend, CORNERS[0])
    box = legend.get_window_extent(renderer)
    anchor = legend.get_bbox_to_anchor()
    pad_x, pad_y = box.x0 - anchor.x0, anchor.y1 - box.y1
    left, right = anchor.x0 + pad_x, anchor.x1 - pad_x - box.width
    top, bottom = anchor.y1 - pad_y - box.height, anchor.y0 + pad_y
    return {corner: Bbox.from_bounds(x, y, box.width, box.height) for corner, (x, y) in
            zip(CORNERS, ((left, top), (right, top), (left, bottom), (right, bottom)))}


def corner_counts(ax, legend: Legend, drawn_xy=None, renderer=None) -> list[int]:
    """Points (and crossing lines) under ``legend`` in each of ``CORNERS``, with the axes' current
    geometry. ``drawn_xy`` (m, 2) in data coordinates: only these points count; default: every
    scatter marker and line vertex drawn in ``ax``, and every line crossing the box."""
    if drawn_xy is None:
        points, paths = drawn_points(ax), _line_paths(ax)
    else:
        points = ax.transData.transform(np.asarray(drawn_xy, dtype=np.float64).reshape(-1, 2))
        paths = []
    margin = _marker_radius(ax)
    counts = []
    for box in corner_boxes(legend, renderer).values():
        crossing = sum(bool(path.intersects_bbox(box, filled=False)) for path in paths)
        counts.append(covered(box, points, margin) + crossing)
    return counts


def best_corner(counts: list[int]) -> str:
    """The first corner (``CORNERS`` order) with nothing under it, else the one with the fewest."""
    return CORNERS[int(np.argmin(counts))]   # argmin returns the first of equal counts


class CornerKeeper(Artist):
    """Moves an ``auto`` legend to its best corner at draw time, once the layout is final.

    It draws nothing and takes no room; its zorder puts it just before the legend (5).
    """

    def __init__(self, ax, legend: Legend, drawn_xy=None):
        super().__init__()
        self.ax, self.legend, self.drawn_xy = ax, legend, drawn_xy
        self.set_zorder(legend.get_zorder() - 1e-6)
        self.set_in_layout(False)

    def draw(self, renderer):
        chosen = best_corner(corner_counts(self.ax, self.legend, self.drawn_xy, renderer))
        _set_loc(self.legend, chosen)   # corner_counts measured it in the first corner
        self.stale = False


def _legend(ax, loc: str, frame: bool, size: float, columns: int | None, **extra) -> Legend:
    if columns:
        extra["ncols"] = columns
    return ax.legend(loc=loc, frameon=frame, fontsize=size, **extra)


def _outside_right(ax, frame, size, columns) -> Legend:
    legend = _legend(ax, "upper left", frame, size, columns, bbox_to_anchor=(OUTSIDE_GAP, 1.0),
                     borderaxespad=0)
    if columns is None:   # more columns while one is taller than the axes
        needed = math.ceil(legend.get_window_extent().height / max(ax.bbox.height, 1.0))
        if needed > 1:
            legend = _legend(ax, "upper left", frame, size, needed,
                             bbox_to_anchor=(OUTSIDE_GAP, 1.0), borderaxespad=0)
    return legend


def _outside_below(ax, frame, size, columns, entries: int) -> Legend:
    # Anchored a fixed number of points under the x tick labels and axis label, whatever
    # size the layout engine gives the axes later.
    figure = ax.figure
    axis_box = ax.xaxis.get_tightbbox()
    depth = 0.0 if axis_box is None else max(ax.bbox.y0 - axis_box.y0, 0.0) * 72.0 / figure.dpi
    anchor = transforms.offset_copy(ax.transAxes, fig=figure, x=0.0,
                                    y=-(depth + BELOW_GAP_POINTS), units="points")
    return _legend(ax, "upper center", frame, size, columns or min(entries, BELOW_MAX_COLUMNS),
                   bbox_to_anchor=(0.5, 0.0), bbox_transform=anchor, borderaxespad=0)


def place_legend(ax, style, figure_style, drawn_xy=None) -> Legend | None:
    """Draw the legend of a panel (``style``: its PanelStyle) where ``style.legend.loc`` says.

    ``auto``: the upper left if free, else a free corner, else outside (see the module).
    ``drawn_xy`` (m, 2) in data coordinates: the only points to keep free (default: every
    scatter marker and line vertex drawn in ``ax``, and the lines between them, re-read when
    the figure is drawn). Returns the Legend (None without entries).
    """
    spec = style.legend
    size = spec.font_size or max(figure_style.font_size - 1, 1)
    entries = len(ax.get_legend_handles_labels()[1])
    if entries == 0:
        return None
    loc = spec.loc
    if loc == "auto" and entries > spec.max_inside:
        loc = "outside " + spec.outside
    if loc.startswith("outside "):
        return _outside(ax, loc, spec, size, entries)
    if loc != "auto":
        return _legend(ax, loc, spec.frame, size, spec.columns)
    legend = _legend(ax, CORNERS[0], spec.frame, size, spec.columns)
    counts = corner_counts(ax, legend, drawn_xy)
    if min(counts) > 0:   # no free corner: outside, decided now so the layout makes room
        legend.remove()
        return _outside(ax, "outside " + spec.outside, spec, size, entries)
    _set_loc(legend, best_corner(counts))
    ax.add_artist(CornerKeeper(ax, legend, drawn_xy))
    return legend


def _outside(ax, loc: str, spec, size: float, entries: int) -> Legend:
    if loc == "outside below":
        return _outside_below(ax, spec.frame, size, spec.columns, entries)
    return _outside_right(ax, spec.frame, size, spec.columns)
