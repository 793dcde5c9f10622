"""Axis formatting: tick formatters (the targets of X_TICK_FORMATS / Y_TICK_FORMATS), gridline steps
and limits snapped to gridlines."""
from __future__ import annotations

import math

import numpy as np
from matplotlib import ticker

from ..choices import X_TICK_FORMATS, Y_TICK_FORMATS
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


def _scalar(powerlimits: tuple[int, int] | None, math_text: bool = True) -> ticker.Formatter:
    # powerlimits None: never scientific, never an offset (plain numbers).
    fmt = ticker.ScalarFormatter(useMathText=math_text, useOffset=powerlimits is not None)
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


def x_plain() -> ticker.Formatter:
    """Plain numbers, never an offset."""
    return _scalar(None, math_text=False)


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


def x_formatter(kind: str) -> ticker.Formatter:
    """The tick formatter for ``figure.x_tick_format`` (a name in ``X_TICK_FORMATS``)."""
    return X_TICK_FORMATS.load(kind)()


def y_formatter(kind: str, scale: float, span: float | None = None) -> ticker.Formatter:
    """The tick formatter for a panel's ``y_format`` (a name in ``Y_TICK_FORMATS``; percent uses
    ``scale`` = the value of 100 %).

    Percent ticks read "35.0%" as in the seed chart while the axis spans at least 5 percent
    points; on a narrower axis matplotlib picks enough decimals to tell the ticks apart.
    """
    wide = span is None or span / scale * 100.0 >= 5.0
    return Y_TICK_FORMATS.load(kind)(scale, wide)
