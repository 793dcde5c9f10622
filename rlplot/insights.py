"""Insights from a smoothed curve: threshold crossings, the dip, the knee of the final rise, variance growth.

Numbers only (numpy; no matplotlib): ``rlplot summary`` prints these and the figure's
annotations draw them. Every detector is deliberately conservative: a flat, linear or
pure-noise curve reports no dip and no knee rather than a random point.

Definitions (see docs/insights.md):

* final rise: the climb of the smoothed curve to its global maximum.
* dip: the lowest smoothed value before the global maximum, if something higher comes
  before it; ``depth`` is the drop from that earlier peak. Reported only if the depth is at
  least ``DIP_MIN_RANGE`` of the curve's range and the raw points around the dip are
  significantly lower than those around the earlier peak (Welch t >= ``DIP_MIN_T``).
* knee: the onset of the final rise: the Kneedle point of the smoothed curve between the dip
  (or the start) and where it first climbs to ``KNEE_TOP`` of the way up to its global maximum.
  Reported only if the slope of a two-segment (hinge) fit through that point increases and
  becomes positive, the hinge explains at least
  ``KNEE_MIN_CONFIDENCE`` of what a straight line leaves unexplained, the extra rise after
  the knee is at least ``KNEE_MIN_BEND`` of the region's range, and the same hinge fitted
  to the raw points beats a line with F >= ``KNEE_MIN_F``.
* variance growth: standard deviation of the residuals (raw - smoothed) over the last
  fifth of the x range divided by that over the first half.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import Series, Smoothed

DIP_MIN_RANGE = 0.05        # a dip shallower than 5 % of the curve's range is a wiggle
DIP_MIN_T = 3.0             # raw points at the dip vs at the earlier peak: Welch t at least this
DIP_WINDOW = 0.05           # half-width of those raw-point windows, as a share of the x span
KNEE_GRID = 256             # the smoothed curve is resampled on this many even x steps to fit
KNEE_MIN_SEGMENT = 0.05     # the knee is not within this share of either end of the region
KNEE_MIN_DISTANCE = 0.1     # Kneedle: normalised curve at least this far below its chord
KNEE_MIN_CONFIDENCE = 0.6   # 1 - SSE(hinge)/SSE(line) on the smoothed curve
KNEE_MIN_BEND = 0.2         # extra rise after the knee (vs continuing the first slope) / region range
KNEE_MIN_F = 20.0           # hinge vs line on the raw points, F statistic with 1 and n-3 dof
KNEE_TOP = 0.9              # the final rise ends where the curve first reaches 90 % of its climb
KNEE_MIN_POINTS = 8         # fewer raw points in the region than this: no knee
LATE_SHARE = 0.2            # variance growth: last fifth of the x range ...
EARLY_SHARE = 0.5           # ... against the first half
MIN_SPREAD_POINTS = 3       # fewer residuals than this in either part: no variance growth
DIP_WINDOW_POINTS = 5       # at least this many raw points per window (nearest ones if the window is sparse)
SPREAD_EPSILON = 1e-9       # residual spread below this share of the values' magnitude is zero
VARIANCE_GROWS = 1.5        # ratio at or above: "grows"; at or below 1/this: "shrinks"


@dataclass(frozen=True)
class Crossing:
    """Where the smoothed curve first crosses ``value`` (data units); ``x`` is None if it never does."""

    given: str              # the threshold as the user wrote it ("0.5", "50%")
    value: float            # in the data's units
    x: float | None
    direction: str | None   # "up" or "down" when crossed
    start_side: str         # "above" or "below": where the curve starts (">=" counts as above)


@dataclass(frozen=True)
class Dip:
    """The lowest smoothed point before the final rise, and how far it fell from the peak before it."""

    x: float
    value: float
    depth: float
    peak_x: float
    peak_value: float
    t: float                # Welch t of raw points at the peak vs at the dip


@dataclass(frozen=True)
class Knee:
    """The onset of the final rise: breakpoint of a two-segment fit to the smoothed curve."""

    x: float
    value: float
    slope_before: float     # data units per x unit
    slope_after: float
    confidence: float       # 1 - SSE(hinge)/SSE(line) on the smoothed curve, 0..1
    f: float                # hinge vs line on the raw points


@dataclass(frozen=True)
class Variance:
    """Residual spread (standard deviation of raw - smoothed) late vs early, and their ratio."""

    early: float
    late: float
    ratio: float | None
    trend: str              # "grows", "stable", "shrinks" or "unknown"


@dataclass(frozen=True)
class CurveInsight:
    """Every insight of one smoothed series."""

    points: int
    x_min: float
    x_max: float
    first: float
    last: float
    min: float
    min_x: float
    max: float
    max_x: float
    change: float
    crossings: tuple[Crossing, ...]
    dip: Dip | None
    knee: Knee | None
    variance: Variance | None


# ---------------------------------------------------------------------------- thresholds

def crossing(x: np.ndarray, s: np.ndarray, value: float, given: str = "") -> Crossing:
    """The first x where the curve ``s`` passes ``value`` (linear interpolation between points)."""
    above = s >= value
    start = "above" if above[0] else "below"
    changed = np.flatnonzero(above != above[0])
    if changed.size == 0:
        return Crossing(given or f"{value:g}", float(value), None, None, start)
    i = int(changed[0])
    x0, x1, s0, s1 = float(x[i - 1]), float(x[i]), float(s[i - 1]), float(s[i])
    at = x1 if s1 == s0 else x0 + (value - s0) * (x1 - x0) / (s1 - s0)
    return Crossing(given or f"{value:g}", float(value), float(at), "down" if above[0] else "up",
                    start)


# ---------------------------------------------------------------------------- dip

def _window(x: np.ndarray, y: np.ndarray, centre: float, half: float) -> np.ndarray:
    values = y[(x >= centre - half) & (x <= centre + half)]
    if values.size < DIP_WINDOW_POINTS:  # sparse logs: fall back to the nearest points
        nearest = np.argsort(np.abs(x - centre), kind="stable")[:DIP_WINDOW_POINTS]
        values = y[nearest]
    return values


def _welch_t(high: np.ndarray, low: np.ndarray) -> float:
    se = math.sqrt(np.var(high, ddof=1) / high.size + np.var(low, ddof=1) / low.size)
    diff = float(np.mean(high) - np.mean(low))
    if se == 0:
        return math.inf if diff > 0 else 0.0
    return diff / se


def find_dip(series: Series, smoothed: Smoothed) -> Dip | None:
    """The dip before the final rise, or None if the curve has no significant one."""
    x, s = smoothed.x, smoothed.y
    if len(x) < 3:
        return None
    top = int(np.argmax(s))
    low = int(np.argmin(s[: top + 1]))
    if low == 0:
        return None
    peak = int(np.argmax(s[:low]))
    depth = float(s[peak] - s[low])
    span = float(np.max(s) - np.min(s))
    if span <= 0 or depth < DIP_MIN_RANGE * span:
        return None
    half = DIP_WINDOW * float(x[-1] - x[0])
    t = _welch_t(_window(series.x, series.y, float(x[peak]), half),
                 _window(series.x, series.y, float(x[low]), half))
    if t < DIP_MIN_T:
        return None
    return Dip(float(x[low]), float(s[low]), depth, float(x[peak]), float(s[peak]), float(t))


# ---------------------------------------------------------------------------- knee

def _hinge_basis(u: np.ndarray, k: float) -> np.ndarray:
    return np.column_stack([np.ones_like(u), u, np.maximum(u - k, 0.0)])


def _sse(design: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return float(resid @ resid), coef


def rise_region(x: np.ndarray, s: np.ndarray, start_x: float | None = None
                ) -> tuple[float, float] | None:
    """The x range of the final rise: from ``start_x`` (default: the start) to where the curve first
    gets ``KNEE_TOP`` of the way from its lowest point up to its global maximum; None if empty."""
    top = int(np.argmax(s))
    first = 0 if start_x is None else int(np.searchsorted(x, start_x, side="left"))
    if first >= top:
        return None
    # Ending at 90 % rather than at the maximum: an S-shaped climb followed by a long plateau
    # then has its onset found instead of being hidden under the chord of the plateau.
    lowest = first + int(np.argmin(s[first:top + 1]))
    level = s[lowest] + KNEE_TOP * (s[top] - s[lowest])
    end = lowest + int(np.argmax(s[lowest:top + 1] >= level))
    return float(x[first]), float(x[end])


def find_knee(series: Series, smoothed: Smoothed, start_x: float | None = None) -> Knee | None:
    """The onset of the final rise (Kneedle over ``rise_region``), or None if not confident."""
    x, s = smoothed.x, smoothed.y
    if len(x) < KNEE_MIN_POINTS:
        return None
    region = rise_region(x, s, start_x)
    if region is None:
        return None
    x0, x1 = region
    raw = (series.x >= x0) & (series.x <= x1)
    if x1 <= x0 or int(raw.sum()) < KNEE_MIN_POINTS:
        return None
    # Resample on even x steps so dense stretches of the log do not dominate.
    grid = np.linspace(x0, x1, KNEE_GRID)
    v = np.interp(grid, x, s)
    scale = float(v.max() - v.min())
    if scale <= 0:
        return None
    u = (grid - x0) / (x1 - x0)
    vn = (v - v.min()) / scale
    # Kneedle for a convex rising curve: the point farthest below the chord of the normalised curve.
    edge = max(1, int(math.ceil(KNEE_MIN_SEGMENT * (KNEE_GRID - 1))))
    distance = u - vn
    at = edge + int(np.argmax(distance[edge:-edge]))
    if distance[at] < KNEE_MIN_DISTANCE:
        return None
    sse_line, _ = _sse(_hinge_basis(u, 0.0)[:, :2], vn)   # [1, u]: one straight line
    sse_hinge, coef = _sse(_hinge_basis(u, u[at]), vn)
    if sse_line <= 0:
        return None
    confidence = max(0.0, 1.0 - sse_hinge / sse_line)
    slope_before, slope_after = coef[1], coef[1] + coef[2]
    bend = coef[2] * (1.0 - u[at])   # extra rise over continuing the first slope, share of the range
    if not (coef[2] > 0 and slope_after > 0 and confidence >= KNEE_MIN_CONFIDENCE
            and bend >= KNEE_MIN_BEND):
        return None
    f = _raw_f(series.x[raw], series.y[raw], float(grid[at]))
    if f < KNEE_MIN_F:
        return None
    per_x = scale / (x1 - x0)
    return Knee(float(grid[at]), float(v[at]), float(slope_before * per_x),
                float(slope_after * per_x), float(confidence), float(f))


def _raw_f(x: np.ndarray, y: np.ndarray, k: float) -> float:
    """F statistic of the hinge at ``k`` against a straight line, on the raw points."""
    dof = x.size - 3
    if dof <= 0 or x[-1] <= x[0]:
        return 0.0
    u = (x - x[0]) / (x[-1] - x[0])
    design = _hinge_basis(u, (k - x[0]) / (x[-1] - x[0]))
    yc = y - y.mean()  # centred: the normal equations stay well conditioned for large offsets
    gram, rhs = design.T @ design, design.T @ yc
    sse = []
    for cols in (2, 3):   # line, then hinge
        coef = np.linalg.lstsq(gram[:cols, :cols], rhs[:cols], rcond=None)[0]
        resid = yc - design[:, :cols] @ coef
        sse.append(float(resid @ resid))
    sse_line, sse_hinge = sse
    if sse_hinge <= 0:
        return math.inf if sse_line > 0 else 0.0
    return float(max(sse_line - sse_hinge, 0.0) / (sse_hinge / dof))


# ---------------------------------------------------------------------------- variance

def variance_growth(series: Series, smoothed: Smoothed) -> Variance | None:
    """Residual standard deviation over the last fifth of x vs the first half; None if too few points."""
    x = series.x
    if len(x) < 2 or x[-1] <= x[0]:
        return None
    resid = series.y - smoothed.y
    span = float(x[-1] - x[0])
    early = resid[x <= x[0] + EARLY_SHARE * span]
    late = resid[x >= x[-1] - LATE_SHARE * span]
    if early.size < MIN_SPREAD_POINTS or late.size < MIN_SPREAD_POINTS:
        return None
    # Rounding noise of an exact fit (~1e-15) is no spread: without this a flat line "grows".
    tiny = SPREAD_EPSILON * max(float(np.max(np.abs(smoothed.y))), float(np.max(np.abs(series.y))))
    sd_early, sd_late = (float(np.std(part, ddof=1)) for part in (early, late))
    sd_early, sd_late = (0.0 if sd <= tiny else sd for sd in (sd_early, sd_late))
    if sd_early > 0:
        ratio: float | None = sd_late / sd_early
    else:
        ratio = None
    if ratio is None:
        trend = "unknown"
    elif ratio >= VARIANCE_GROWS:
        trend = "grows"
    elif ratio <= 1.0 / VARIANCE_GROWS:
        trend = "shrinks"
    else:
        trend = "stable"
    return Variance(sd_early, sd_late, ratio, trend)


# ---------------------------------------------------------------------------- all of it

def analyze(series: Series, smoothed: Smoothed, thresholds: tuple[tuple[str, float], ...] = ()
            ) -> CurveInsight:
    """Every insight of one series and its smoothed curve; ``thresholds`` are (as given, data value)."""
    x, s = smoothed.x, smoothed.y
    if len(x) == 0:
        raise ValueError("analyze needs at least one point")
    finite = np.isfinite(s)
    if not finite.all():  # a smoother may leave NaN where it could not fit; insights skip those
        series = Series(series.name, series.x[finite], series.y[finite], series.x_name)
        smoothed = Smoothed(x[finite], s[finite], smoothed.method, smoothed.params)
        x, s = smoothed.x, smoothed.y
    if len(x) == 0:
        raise ValueError("the smoothed curve has no finite value")
    i_min, i_max = int(np.argmin(s)), int(np.argmax(s))
    dip = find_dip(series, smoothed)
    knee = find_knee(series, smoothed, dip.x if dip else None)
    return CurveInsight(
        points=len(series), x_min=float(x[0]), x_max=float(x[-1]), first=float(s[0]),
        last=float(s[-1]), min=float(s[i_min]), min_x=float(x[i_min]), max=float(s[i_max]),
        max_x=float(x[i_max]), change=float(s[-1] - s[0]),
        crossings=tuple(crossing(x, s, value, given) for given, value in thresholds),
        dip=dip, knee=knee, variance=variance_growth(series, smoothed))
