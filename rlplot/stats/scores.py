"""The score of one run from its (x, y) series: ``last:10%`` (default), ``last``, ``last:N``,
``last:P%``, ``max`` or ``auc``.

A spec string is ``METHOD`` or ``METHOD:ARG``; ``parse_score`` checks it once, and
``score_run`` applies it to arrays of shape (n,) with x ascending.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError, InputError
from ..choices import SCORE_METHODS

DEFAULT_SCORE = "last:10%"
_COUNT = re.compile(r"[0-9]+")
_PERCENT = re.compile(r"([0-9]*\.?[0-9]+)\s*%")


@dataclass(frozen=True)
class ScoreSpec:
    """A parsed score spec: ``method`` plus at most one of ``points`` (last:N) and ``percent`` (last:P%)."""

    method: str
    points: int | None = None
    percent: float | None = None

    def __str__(self) -> str:
        if self.points is not None:
            return f"{self.method}:{self.points}"
        if self.percent is not None:
            return f"{self.method}:{self.percent:g}%"
        return self.method

    @property
    def label(self) -> str:
        """How a figure or table names the score ("mean of the last 10 % of x")."""
        if self.points is not None:
            return f"mean of the last {self.points} points"
        if self.percent is not None:
            return f"mean of the last {self.percent:g} % of x"
        return SCORE_METHODS[self.method].title


def parse_score(text: str | ScoreSpec = DEFAULT_SCORE) -> ScoreSpec:
    """Parse ``last``, ``last:N``, ``last:P%``, ``max`` or ``auc``; a ConfigError says what is wrong."""
    if isinstance(text, ScoreSpec):
        return text
    method, colon, arg = str(text).strip().partition(":")
    method = SCORE_METHODS.check(method.strip())
    arg = arg.strip()
    if not colon:
        return ScoreSpec(method)
    if method != "last":
        raise ConfigError(f"score '{text}': {method} takes no argument", hint=f"use '{method}'")
    if _COUNT.fullmatch(arg):
        if int(arg) < 1:
            raise ConfigError(f"score '{text}': N must be at least 1", hint="e.g. last:10")
        return ScoreSpec(method, points=int(arg))
    match = _PERCENT.fullmatch(arg)
    if match:
        percent = float(match.group(1))
        if not 0.0 < percent <= 100.0:
            raise ConfigError(f"score '{text}': P must be above 0 and at most 100",
                              hint="e.g. last:10%")
        return ScoreSpec(method, percent=percent)
    raise ConfigError(f"score '{text}': cannot read '{arg}'",
                      hint="use last (final point), last:N (last N points) or last:P% (last P % of x)")


def score_last(x: np.ndarray, y: np.ndarray, spec: ScoreSpec) -> float:
    """The final point, the mean of the last N points, or the mean over the last P % of the x range."""
    if spec.points is not None:
        return float(np.mean(y[-spec.points:]))
    if spec.percent is not None:
        # Measured from the first x, with a relative tolerance, so that a point exactly on
        # the window's edge (x = 90 of 0..100 for 10 %) and all of x for 100 % are kept.
        span = x[-1] - x[0]
        edge = span * (100.0 - spec.percent) / 100.0
        return float(np.mean(y[(x - x[0]) >= edge - 1e-9 * span]))
    return float(y[-1])


def score_max(x: np.ndarray, y: np.ndarray, spec: ScoreSpec) -> float:
    """The highest value of the run."""
    return float(np.max(y))


def score_auc(x: np.ndarray, y: np.ndarray, spec: ScoreSpec) -> float:
    """Trapezoid area under y over x divided by the x span (the mean of y; one x: mean of its y)."""
    span = float(x[-1] - x[0])
    if span <= 0.0:
        return float(np.mean(y))
    return float(0.5 * np.sum((y[1:] + y[:-1]) * np.diff(x)) / span)


def score_run(x: np.ndarray, y: np.ndarray, spec: ScoreSpec | str = DEFAULT_SCORE, *,
              source: str | None = None) -> float:
    """The score of one run, x and y of shape (n,), x ascending and finite.

    Raises InputError (located at ``source``) for an empty or non-finite series.
    """
    spec = parse_score(spec)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise InputError(f"x and y differ in shape ({x.shape} and {y.shape})", file=source)
    if x.size == 0:
        raise InputError("the run has no points to score", file=source)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise InputError("the run has non-finite values; clean it before scoring", file=source)
    if x.size > 1 and np.any(np.diff(x) < 0):
        raise InputError("x is not ascending", file=source)
    value = SCORE_METHODS.load(spec.method)(x, y, spec)
    if not math.isfinite(value):
        raise InputError(f"the {spec} score is not finite", file=source,
                         hint="values too large to average?")
    return value


def short_of(n_points: int, spec: ScoreSpec) -> str | None:
    """Why a run of ``n_points`` cannot give the full ``last:N`` window, or None when it can."""
    if spec.points is not None and n_points < spec.points:
        return f"{n_points} points, fewer than the {spec.points} of '{spec}': scored on all of them"
    return None
