"""Checks of smoothing parameters, and the default width when none is given.

Every method checks its own parameters when called; ``check_params`` calls it on three
points to report a bad value before any log is read.
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ConfigError
from .method import span

# TWEMA / gaussian defaults when no scale is given: a share of the x range.
DEFAULT_SCALE_FRACTION = 0.02


def check_range(method: str, param: str, value, ok: bool, allowed: str) -> None:
    """Raise ``smoothing METHOD: PARAM=VALUE is out of range (allowed: ...)`` unless ``ok``."""
    if not ok:
        raise ConfigError(f"smoothing {method}: {param}={value!r} is out of range",
                          hint=f"allowed: {allowed}")


def is_number(value) -> bool:
    """A finite int or float (numpy ones too), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(float(value))


def is_integer(value) -> bool:
    """An int (numpy ones too), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_positive_or_none(method: str, param: str, value) -> None:
    """A width in x units: a number > 0, or None for the default share of the x range."""
    check_range(method, param, value, value is None or (is_number(value) and value > 0),
                f"a number > 0 in x units, or null for {DEFAULT_SCALE_FRACTION:.0%} of the x range")


def scale_or_default(value, x: np.ndarray) -> float:
    """A scale in x units: the given value, else a share of the x range (1 for a single x)."""
    if value is not None:
        return float(value)
    width = span(x)
    return DEFAULT_SCALE_FRACTION * width if width > 0 else 1.0
