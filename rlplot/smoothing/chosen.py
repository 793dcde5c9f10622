"""Saying how a curve was smoothed, including what an ``auto`` parameter chose for each series.

``Smoothed.params`` holds the values used; a resolved ``auto`` adds ``AUTO_KEY`` with the
names that were chosen, e.g. ``{"frac": 0.05, ..., "auto": ("frac",)}``.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from ..choices import SMOOTHING_METHODS
from ..data import Smoothed

AUTO_KEY = "auto"   # Smoothed.params key: the parameter names chosen per series


def _value_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(method: str, params: Mapping) -> str:
    """A short human description such as ``LOWESS frac=0.2``, or ``LOWESS frac=auto→0.05`` for a
    chosen value (the label comes from the registry)."""
    if method not in SMOOTHING_METHODS:   # an aggregate's curve ("mean") names no smoothing method
        return method
    chosen = params.get(AUTO_KEY, ())
    shown = []
    for name in SMOOTHING_METHODS.load(method).params:
        value = params.get(name)
        if value is None:
            continue
        shown.append(f"{name}=auto→{_value_text(value)}" if name in chosen else f"{name}={value}")
    return f"{SMOOTHING_METHODS[method].title} {' '.join(shown)}".strip()


def chosen_values(curves: Iterable[Smoothed]) -> dict[tuple[str, str], list[float]]:
    """``{(method, parameter): [chosen values, sorted, unique]}`` over ``curves``."""
    found: dict[tuple[str, str], set] = {}
    for curve in curves:
        for name in curve.params.get(AUTO_KEY, ()):
            found.setdefault((curve.method, name), set()).add(curve.params[name])
    return {key: sorted(values) for key, values in found.items()}


def chosen_text(curves: Iterable[Smoothed]) -> str | None:
    """``LOWESS frac=auto→0.05`` (or ``→0.012–0.2`` when runs differ) for the auto parameters
    of ``curves``; None when nothing was chosen."""
    parts = []
    for (method, name), values in chosen_values(curves).items():
        span = _value_text(values[0]) if len(values) == 1 else \
            f"{_value_text(values[0])}–{_value_text(values[-1])}"
        parts.append(f"{SMOOTHING_METHODS[method].title} {name}=auto→{span}")
    return "; ".join(parts) or None


def chosen_footnote(smoothed: Sequence[Sequence[Smoothed]], panel_names: Sequence[str]) -> str | None:
    """What ``auto`` chose, per panel: ``accuracy: LOWESS frac=auto→0.8 · reward: …``.

    ``smoothed`` is ``[run][panel]`` (``pipeline.Prepared.smoothed``), ``panel_names`` one name
    per panel; None when no panel has a chosen parameter (so a fixed-frac figure is unchanged).
    """
    parts = []
    for index, name in enumerate(panel_names):
        text = chosen_text(run[index] for run in smoothed if index < len(run))
        if text:
            parts.append(f"{name}: {text}" if len(panel_names) > 1 else text)
    return " · ".join(parts) or None
