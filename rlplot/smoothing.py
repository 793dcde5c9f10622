"""Smoothing methods: a registry of pure functions ``(x, y, **params) -> y_smoothed``.

Each method is one entry in ``METHODS``; x is sorted ascending and finite, arrays
have shape (n,). Smoothing always sees every point; only drawing is downsampled.
Nothing here imports matplotlib.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .data import Series, Smoothed
from .errors import ConfigError

# Above this many points LOWESS interpolates between fits spaced `delta` apart;
# exact LOWESS is quadratic (120 s at 100k points on the reference machine).
LOWESS_AUTO_DELTA_POINTS = 5000
LOWESS_AUTO_DELTA_FRACTION = 0.01


@dataclass(frozen=True)
class Method:
    """One smoothing method: its function and the parameters it reads from the smoothing config."""

    name: str
    func: Callable[..., np.ndarray]
    params: tuple[str, ...]
    help: str


METHODS: dict[str, Method] = {}


def register(name: str, params: tuple[str, ...], help: str):
    """Decorator adding a smoothing function to the registry under ``name``."""
    def add(func):
        METHODS[name] = Method(name, func, params, help)
        return func
    return add


def _check(method: str, param: str, value, ok: bool, allowed: str) -> None:
    if not ok:
        raise ConfigError(f"{method}: {param}={value!r} is out of range", hint=f"allowed: {allowed}")


@register("lowess", ("frac", "it", "delta"),
          "locally weighted linear regression (statsmodels); frac = share of points in each fit")
def smooth_lowess(x: np.ndarray, y: np.ndarray, *, frac: float = 0.2, it: int = 0,
                  delta: float | str = "auto") -> np.ndarray:
    """statsmodels LOWESS of y on x, returned at every x; ``delta='auto'`` is 1 % of the x range above 5,000 points."""
    _check("lowess", "frac", frac, 0 < frac <= 1, "0 < frac <= 1")
    _check("lowess", "it", it, isinstance(it, int) and 0 <= it <= 10, "an integer 0..10")
    if delta == "auto":
        delta = (LOWESS_AUTO_DELTA_FRACTION * float(x[-1] - x[0])
                 if len(x) > LOWESS_AUTO_DELTA_POINTS else 0.0)
    _check("lowess", "delta", delta, isinstance(delta, (int, float)) and delta >= 0,
           "'auto' or a number >= 0 (x units)")
    if len(x) < 3:
        return y.astype(np.float64, copy=True)
    from statsmodels.nonparametric.smoothers_lowess import lowess

    return lowess(y, x, frac=frac, it=it, delta=float(delta), is_sorted=True,
                  return_sorted=False, missing="none")


@register("ema", ("weight",),
          "TensorBoard's debiased exponential moving average; weight = share of the previous value")
def smooth_ema(x: np.ndarray, y: np.ndarray, *, weight: float = 0.6) -> np.ndarray:
    """TensorBoard's EMA: ``last = last*w + (1-w)*y; out = last / (1 - w**k)``; NaN/inf pass through."""
    _check("ema", "weight", weight, 0 <= weight < 1, "0 <= weight < 1")
    out = np.array(y, dtype=np.float64, copy=True)
    finite = np.isfinite(out)
    values = out[finite]
    if values.size == 0 or np.all(values == values[0]):
        return out  # TensorBoard leaves a constant series as is
    from scipy.signal import lfilter

    last = lfilter([1.0 - weight], [1.0, -weight], values)
    k = np.arange(1, values.size + 1, dtype=np.float64)
    out[finite] = last / (1.0 - np.power(weight, k)) if weight > 0 else last
    return out


@register("none", (), "no smoothing: the line joins the raw points")
def smooth_none(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The identity: the 'smoothed' line is the data itself."""
    return np.array(y, dtype=np.float64, copy=True)


def smooth_series(series: Series, method: str, params: dict) -> Smoothed:
    """Smooth one series with a registered method; ``params`` may hold other methods' keys too."""
    try:
        entry = METHODS[method]
    except KeyError:
        raise ConfigError(f"unknown smoothing method '{method}'",
                          hint="choose one of: " + ", ".join(METHODS)) from None
    used = {name: params[name] for name in entry.params if name in params}
    y = entry.func(series.x, series.y, **used) if len(series) else series.y.copy()
    return Smoothed(x=series.x, y=y, method=method, params=used)


def describe(method: str, params: dict) -> str:
    """A short human description such as ``LOWESS frac=0.2``."""
    entry = METHODS.get(method)
    shown = " ".join(f"{k}={params[k]}" for k in (entry.params if entry else ()) if k in params)
    label = {"lowess": "LOWESS", "ema": "EMA"}.get(method, method)
    return f"{label} {shown}".strip()


__all__ = ["METHODS", "Method", "register", "smooth_series", "smooth_lowess", "smooth_ema",
           "smooth_none", "describe"]
