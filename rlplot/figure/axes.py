"""Axis formatting: tick formatters, gridline steps and limits snapped to gridlines."""
from __future__ import annotations

import math

import numpy as np
from matplotlib import ticker

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


def _eng(value: float, _pos=None) -> str:
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


# figure.x_tick_format -> formatter factory (choices declared in config/schema.py).
X_FORMATTERS = {
    "sci": lambda: _scalar((-3, 4)),              # 0.2 … 1.0 with a ×10²¹ offset
    "eng": lambda: ticker.FuncFormatter(_eng),     # 200e18
    "si": lambda: ticker.EngFormatter(sep=""),     # 200E (SI prefixes)
    "plain": lambda: _scalar(None, math_text=False),
    "hidden": ticker.NullFormatter,
}

# panels.N.y_format -> formatter factory taking (scale, wide); percent is special-cased by scale.
Y_FORMATTERS = {
    "percent": lambda scale, wide: ticker.PercentFormatter(xmax=scale, decimals=1 if wide else None),
    "sci": lambda scale, wide: _scalar((0, 0)),
    "plain": lambda scale, wide: _scalar((-3, 5)),
    "auto": lambda scale, wide: _scalar((-3, 5)),
}


def x_formatter(kind: str) -> ticker.Formatter:
    """The tick formatter for ``figure.x_tick_format`` (sci, eng, si, plain, hidden)."""
    return X_FORMATTERS[kind]()


def y_formatter(kind: str, scale: float, span: float | None = None) -> ticker.Formatter:
    """The tick formatter for a panel's ``y_format`` (percent uses ``scale`` = the value of 100 %).

    Percent ticks read "35.0%" as in the seed chart while the axis spans at least 5 percent
    points; on a narrower axis matplotlib picks enough decimals to tell the ticks apart.
    """
    wide = span is None or span / scale * 100.0 >= 5.0
    return Y_FORMATTERS[kind](scale, wide)
