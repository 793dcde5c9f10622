"""What a smoothing method is (``Method``) and the helpers every method shares.

A method's function takes ``(x, y, **params)`` with x sorted ascending and finite,
arrays of shape (n,), and returns the smoothed y, shape (n,). Its notes function says,
without smoothing, when the parameters make little sense for a series (a window
longer than the data...). Its resolve function, if any, replaces parameters given as
``auto`` by the values chosen for a series (LOWESS's ``frac: auto``). Its together function, if
any, smooths many series at once where that is faster, with the same result for each. The method's name, help and label live in
``rlplot.choices.SMOOTHING_METHODS``; this module holds no list of methods.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np


@dataclass(frozen=True)
class Method:
    """One smoothing method: its function, the parameters it reads, its notes about a series, how
    it resolves ``auto`` parameters for a series (``(x, y, params) -> (params, chosen names)``), and
    how it smooths many series at once (``([(x, y), ...], **params) -> {index: smoothed y}``, the
    series it can do better together; each exactly what ``func`` gives)."""

    func: Callable[..., np.ndarray]
    params: tuple[str, ...]
    notes: Callable[..., tuple[str, ...]] | None = None
    resolve: Callable[..., tuple[dict, tuple[str, ...]]] | None = None
    together: Callable[..., dict[int, np.ndarray]] | None = None

    def used(self, params: Mapping) -> dict:
        """The entries of ``params`` this method reads (a config holds every method's keys)."""
        return {name: params[name] for name in self.params if name in params}


def span(x: np.ndarray) -> float:
    """The x range of sorted ``x`` (0 for an empty series)."""
    return float(x[-1] - x[0]) if len(x) else 0.0


def finite_points(x, y) -> tuple | None:
    """The part of a series a method smooths: ``(x, y, finite)`` with the finite values of y
    (and their x; ``x`` as given when every value is finite), or None when nothing is to be
    smoothed (no finite value, or all equal: the series comes back as is)."""
    y = np.asarray(y, dtype=np.float64)
    finite = np.isfinite(y)
    whole = bool(finite.all())
    values = y if whole else y[finite]
    if values.size == 0 or values[0] == values[-1] and np.all(values == values[0]):
        return None
    if whole or x is None:
        return x, values, finite
    return np.asarray(x, dtype=np.float64)[finite], values, finite


def on_finite(x, y: np.ndarray, smooth: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply ``smooth(x, y)`` to the finite values only (NaN/inf pass through in place);
    a constant series comes back as is. ``x`` may be None for index-based methods."""
    y = np.asarray(y, dtype=np.float64)
    points = finite_points(x, y)
    if points is None:
        return y.copy()
    xs, values, finite = points
    if len(values) == len(y):   # every value finite
        return smooth(xs, values)
    out = y.copy()
    out[finite] = smooth(xs, values)
    return out


def wider_than_x_range(method: str, param: str, too_wide: str, result: str):
    """A notes function: warn when a width parameter (x units) exceeds the series' x range."""
    def notes(x, y, **params) -> tuple[str, ...]:
        value = params.get(param)
        if value is not None and len(x) > 1 and value > span(x):
            return (f"{method}: {param}={value:g} is {too_wide} the x range ({span(x):g}); "
                    f"the curve is close to {result}",)
        return ()
    return notes
