"""Axis formatting: tick formatters (the targets of X_TICK_FORMATS / Y_TICK_FORMATS), the ``auto``
rule that picks one from the column, gridline steps and limits snapped to gridlines.

``auto`` (``resolve_x_format`` / ``resolve_y_format``): FLOPs read best in scientific
notation with a shared offset (the seed chart); step counters and counts in general as
TensorBoard and W&B show them (``count``: 250k, 1.5M, 2B); Unix-time columns as dates
and elapsed-seconds columns as durations; anything else as before (``sci`` on x, plain
on y). Time formats also set their own locator (``set_x_format``).
"""
from __future__ import annotations

import datetime
import math
import re

import numpy as np
from matplotlib import dates, ticker

from ..choices import X_TICK_FORMATS, Y_TICK_FORMATS
from ..columns import ROLE_ALIASES
from ..errors import InputError

MAX_FIXED_GRIDLINES = 25  # beyond this a fixed tick step is unreadable: fall back to auto ticks
SNAP_MARGIN = 0.03        # share of the data range kept free above and below the data


def snapped_limits(lo: float, hi: float, step: float | None, integer: bool = False
                   ) -> tuple[float, float, ticker.Locator]:
    """Limits that enclose [lo, hi] plus a small margin, on gridline boundaries, and their locator."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0, ticker.AutoLocator()
    if not math.isfinite(hi - lo) or max(abs(lo), abs(hi)) > 1e300:
        # matplotlib's tick arithmetic overflows here too: say so instead of crashing.
        raise InputError(f"values from {lo:g} to {hi:g} are too large to draw",
                         hint="check the log for overflowed values, or set y_min/y_max")
    span = hi - lo
    if span <= 0:
        span = abs(hi) * 0.1 or 1.0
    lo_m, hi_m = lo - SNAP_MARGIN * span, hi + SNAP_MARGIN * span
    if step:
        count = (hi_m - lo_m) / step
        if 1 <= count <= MAX_FIXED_GRIDLINES:
            low = math.floor(lo_m / step + 1e-9) * step
            high = math.ceil(hi_m / step - 1e-9) * step
            return low, high, ticker.MultipleLocator(step)
    locator = ticker.MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], integer=integer)
    ticks = locator.tick_values(lo_m, hi_m)
    low = max(t for t in ticks if t <= lo_m) if any(t <= lo_m for t in ticks) else lo_m
    high = min(t for t in ticks if t >= hi_m) if any(t >= hi_m for t in ticks) else hi_m
    return float(low), float(high), locator


def _eng_label(value: float, _pos=None) -> str:
    if value == 0:
        return "0"
    exponent = int(math.floor(math.log10(abs(value)) / 3) * 3)
    mantissa = value / 10 ** exponent
    return f"{mantissa:g}e{exponent}" if exponent else f"{mantissa:g}"


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


class OffsetFormatter(ticker.ScalarFormatter):
    """``ScalarFormatter`` whose offset reads ×10²¹ in plain text (Unicode superscripts).

    Mathtext would draw the same, but parsing it costs about a tenth of a small render
    (pyparsing builds its grammar on first use), for tick labels that are plain numbers.
    """

    def __init__(self, use_offset: bool) -> None:
        super().__init__(useMathText=False, useOffset=use_offset)

    def get_offset(self) -> str:
        """The offset text: ``×10²¹``, ``+1.5``, ``×10⁻³+2``, or ``''``."""
        if len(self._locs) == 0 or not (self._orderOfMagnitude or self.offset):
            return ""
        power = (f"\u00d710{str(self._orderOfMagnitude).translate(_SUPERSCRIPT)}"
                 if self._orderOfMagnitude else "")
        shift = ""
        if self.offset:
            shift = ("+" if self.offset > 0 else "") + self.format_data(self.offset)
        return self.fix_minus(power + shift)


def _scalar(powerlimits: tuple[int, int] | None) -> ticker.Formatter:
    # powerlimits None: never scientific, never an offset (plain numbers).
    fmt = OffsetFormatter(use_offset=powerlimits is not None)
    if powerlimits is None:
        fmt.set_scientific(False)
    else:
        fmt.set_powerlimits(powerlimits)
    return fmt


# X_TICK_FORMATS targets (rlplot.choices): no arguments, one new formatter per axis.

def x_sci() -> ticker.Formatter:
    """0.2 … 1.0 with a shared ×10²¹ offset (RL flops)."""
    return _scalar((-3, 4))


def x_eng() -> ticker.Formatter:
    """Engineering notation: 200e18."""
    return ticker.FuncFormatter(_eng_label)


def x_si() -> ticker.Formatter:
    """SI prefixes: 250k, 1.5M, 200E."""
    return ticker.EngFormatter(sep="")


def x_auto() -> ticker.Formatter:
    """What ``auto`` is without a column to look at (``resolve_x_format`` decides first): sci."""
    return x_sci()


def x_count() -> ticker.Formatter:
    """Counts: 250k, 1.5M, 2B, 3T; plain below 1,000."""
    return CountFormatter()


def x_date() -> ticker.Formatter:
    """Unix seconds as UTC dates and times, concise (the date once, in the offset)."""
    return SecondsDateFormatter()


def x_duration() -> ticker.Formatter:
    """Seconds as a duration in the unit that reads best: 45s, 30min, 1.5h, 3d."""
    return DurationFormatter()


def x_plain() -> ticker.Formatter:
    """Plain numbers, never an offset."""
    return _scalar(None)


def x_hidden() -> ticker.Formatter:
    """No tick labels."""
    return ticker.NullFormatter()


# Y_TICK_FORMATS targets: (scale = the value of 100 %, wide = the axis spans >= 5 percent points).

def y_auto(scale: float, wide: bool) -> ticker.Formatter:
    """Plain numbers, scientific below 1e-3 or from 1e5."""
    return _scalar((-3, 5))


def y_percent(scale: float, wide: bool) -> ticker.Formatter:
    """Percent of ``scale``: one decimal on a wide axis, as many as needed on a narrow one."""
    return ticker.PercentFormatter(xmax=scale, decimals=1 if wide else None)


def y_plain(scale: float, wide: bool) -> ticker.Formatter:
    """Plain numbers (as ``auto``: the name a config writes for 'no percent')."""
    return _scalar((-3, 5))


def y_sci(scale: float, wide: bool) -> ticker.Formatter:
    """Scientific notation on every tick."""
    return _scalar((0, 0))


def y_count(scale: float, wide: bool) -> ticker.Formatter:
    """Counts: 250k, 1.5M, 2B; plain below 1,000."""
    return CountFormatter()


def x_formatter(kind: str) -> ticker.Formatter:
    """The tick formatter for ``figure.x_tick_format`` (a name in ``X_TICK_FORMATS``)."""
    return X_TICK_FORMATS.load(kind)()


def set_x_format(axis, kind: str) -> None:
    """Give an x axis the formatter of ``kind`` (resolved, not ``auto``), and for the time
    formats their locator (ticks on whole minutes, hours, days)."""
    axis.set_major_formatter(x_formatter(kind))
    if kind == "date":
        axis.set_major_locator(SecondsDateLocator())
    elif kind == "duration":
        axis.set_major_locator(DurationLocator())


def y_formatter(kind: str, scale: float, span: float | None = None) -> ticker.Formatter:
    """The tick formatter for a panel's ``y_format`` (a name in ``Y_TICK_FORMATS``; percent uses
    ``scale`` = the value of 100 %).

    Percent ticks read "35.0%" as in the seed chart while the axis spans at least 5 percent
    points; on a narrower axis matplotlib picks enough decimals to tell the ticks apart.
    """
    wide = span is None or span / scale * 100.0 >= 5.0
    return Y_TICK_FORMATS.load(kind)(scale, wide)


# ---------------------------------------------------------------------------- auto

# Words (camelCase and separators split, lower case) that make a column a count. Step-like
# x columns: rlplot's step aliases plus these; count-like y metrics: these.
STEP_WORDS = frozenset({"step", "steps", "timestep", "timesteps", "iteration", "iterations", "iter",
                        "iters", "episode", "episodes", "epoch", "epochs", "frame", "frames",
                        "sample", "samples", "interacts", "interactions", "update", "updates",
                        "token", "tokens"})
COUNT_WORDS = frozenset({"len", "length", "lengths", "token", "tokens", "count", "counts", "num",
                         "steps", "timesteps", "frames", "samples", "episodes", "updates"})
DATE_WORDS = frozenset({"timestamp", "wall"})
UNIX_TIME_RANGE = (6.3e8, 4.1e9)   # 1990 to 2100 in Unix seconds: a wall-clock column
COUNT_AT_LEAST = 1e4               # an integer y column this large reads better as a count


def _words(name: str) -> set[str]:
    """``TotalEnvInteracts`` / ``rollout/ep_len_mean`` -> their lower-case words."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", name)}


def _is_role(name: str, role: str) -> bool:
    aliases = ROLE_ALIASES[role]
    return name.lower() in aliases or re.split(r"[/.]", name)[-1].lower() in aliases


def _integers(values) -> bool:
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return bool(finite.size) and bool(np.all(finite == np.round(finite)))


def resolve_x_format(kind: str, x_name: str | None, is_flops: bool, values=None) -> str:
    """The x tick format ``kind`` means for this x column: ``auto`` gives ``sci`` for FLOPs,
    ``count`` for step-like columns (or any integer column), ``date`` for Unix-time columns,
    ``duration`` for other time columns (seconds), else ``sci``; other kinds are kept."""
    if kind != "auto":
        return kind
    if is_flops:
        return "sci"
    name = x_name or ""
    if _is_role(name, "step") or _words(name) & STEP_WORDS:
        return "count"
    finite = None if values is None else np.asarray(values, dtype=np.float64)
    if _is_role(name, "time") or _words(name) & DATE_WORDS:
        unix = finite is not None and finite.size and \
            UNIX_TIME_RANGE[0] <= np.nanmin(finite) <= np.nanmax(finite) <= UNIX_TIME_RANGE[1]
        return "date" if unix or (finite is None and _words(name) & DATE_WORDS) else "duration"
    if finite is not None and _integers(finite):
        return "count"
    return "sci"


def resolve_y_format(kind: str, metric: str | None, values=None) -> str:
    """The y tick format ``kind`` means for this metric: ``auto`` gives ``count`` for count-like
    metrics (episode length, tokens...) or integer values from 10,000 up, else ``auto``."""
    if kind != "auto":
        return kind
    if _words(metric or "") & COUNT_WORDS:
        return "count"
    if values is not None and _integers(values):
        finite = np.asarray(values, dtype=np.float64)
        if np.nanmax(np.abs(finite[np.isfinite(finite)])) >= COUNT_AT_LEAST:
            return "count"
    return kind


# ---------------------------------------------------------------------------- counts and time

COUNT_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))   # short scale: B = billion


def _shortest(value: float, step: float | None) -> str:
    """``value`` with the fewest decimals (up to 15) that keep it within a millionth of ``step``
    (or of its own size) of the exact value."""
    tolerance = 1e-6 * (step if step else max(abs(value), 1e-300))
    for decimals in range(16):
        if abs(round(value, decimals) - value) <= tolerance:
            break
    return f"{value:.{decimals}f}"


def _locs_step(locs) -> float | None:
    gaps = np.diff(np.sort(np.asarray(locs, dtype=np.float64))) if len(locs) > 1 else []
    gaps = [g for g in gaps if g > 0]
    return float(min(gaps)) if gaps else None


def count_label(value: float, step: float | None = None) -> str:
    """``250k``, ``1.5M``, ``2B``; plain below 1,000; ``step`` (tick spacing) sets the decimals."""
    if value == 0:
        return "0"
    for unit, suffix in COUNT_UNITS:
        if abs(value) >= unit * (1 - 1e-9):
            return _shortest(value / unit, step and step / unit) + suffix
    return _shortest(value, step)


class _SpacingFormatter(ticker.Formatter):
    """A formatter that keeps the tick locations it is given (``Formatter.locs`` is deprecated)."""

    tick_locs: tuple = ()

    def set_locs(self, locs):
        self.tick_locs = tuple(float(v) for v in locs)


class CountFormatter(_SpacingFormatter):
    """Tick labels as counts (``count_label``), decimals from the tick spacing."""

    def __call__(self, x, pos=None):
        return count_label(float(x), _locs_step(self.tick_locs))


DURATION_UNITS = ((86400.0, "d"), (3600.0, "h"), (60.0, "min"), (1.0, "s"))
DURATION_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                  43200, 86400, 172800, 432000, 604800, 1209600, 2419200)
MAX_TIME_TICKS = 8


class DurationLocator(ticker.Locator):
    """Ticks on whole seconds, minutes, hours, days or weeks: at most 8 over the view."""

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((float(vmin), float(vmax)))
        step = next((s for s in DURATION_STEPS if (hi - lo) / s <= MAX_TIME_TICKS), None)
        if step is None:   # beyond 8 × 4 weeks: 10, 20, 50, 100... days
            days = ticker.MaxNLocator(MAX_TIME_TICKS, steps=[1, 2, 5, 10]).tick_values(
                lo / 86400.0, hi / 86400.0)
            return days[(days >= lo / 86400.0 - 1e-9) & (days <= hi / 86400.0 + 1e-9)] * 86400.0
        return np.arange(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1) * step


class DurationFormatter(_SpacingFormatter):
    """Seconds in one unit for the whole axis: the largest that the ticks reach three times over."""

    def __call__(self, x, pos=None):
        reach = max(abs(float(v)) for v in self.tick_locs or (x,))
        unit, suffix = next(((u, s) for u, s in DURATION_UNITS if reach >= 3 * u), (1.0, "s"))
        step = _locs_step(self.tick_locs)
        return "0" if x == 0 else _shortest(float(x) / unit, step and step / unit) + suffix


def _epoch_days() -> float:
    # matplotlib's date numbers count days from rcParams['date.epoch']; Unix time from 1970.
    return float(dates.date2num(datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)))


class SecondsDateLocator(ticker.Locator):
    """matplotlib's AutoDateLocator (UTC) for an axis in Unix seconds."""

    def __init__(self):
        self.dates = dates.AutoDateLocator(tz=datetime.timezone.utc)

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        start, days = _epoch_days(), 86400.0
        lo, hi = dates.num2date(vmin / days + start), dates.num2date(vmax / days + start)
        return (np.asarray(self.dates.tick_values(lo, hi)) - start) * days


class SecondsDateFormatter(ticker.Formatter):
    """matplotlib's ConciseDateFormatter (UTC) for an axis in Unix seconds."""

    def __init__(self):
        self.dates = dates.ConciseDateFormatter(dates.AutoDateLocator(), tz=datetime.timezone.utc)

    def _days(self, values):
        return [float(v) / 86400.0 + _epoch_days() for v in values]

    def __call__(self, x, pos=None):
        return self.dates(self._days([x])[0], pos)

    def format_ticks(self, values):
        return self.dates.format_ticks(self._days(values))

    def get_offset(self):
        return self.dates.get_offset()
