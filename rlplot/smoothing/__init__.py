"""Smoothing: one pure function per method, ``(x, y, **params) -> y_smoothed``, and the series API.

The methods are declared in ``rlplot.choices.SMOOTHING_METHODS`` (name, help, label);
each entry's target is one of the ``Method`` objects exported here (``LOWESS``, ``EMA``,
``TWEMA``, ``ROLLING``, ``GAUSSIAN``, ``NONE``), found with ``SMOOTHING_METHODS.load``.
x is sorted ascending and finite, arrays have shape (n,). Smoothing always sees every
point; only drawing is downsampled. Nothing here imports matplotlib.

Modules: ``method`` (what a method is, shared helpers), ``params`` (parameter checks),
``lowess`` and ``lowess_engine``, ``bandwidth`` (``frac: auto`` by cross-validation),
``ema`` (EMA, TWEMA), ``kernels`` (rolling, Gaussian, none), ``chosen`` (saying what ``auto`` chose).

A parameter given as ``auto`` is resolved per series before smoothing; ``Smoothed.params``
then holds the value used and, under ``AUTO_KEY``, the names that were chosen, so
``describe`` says ``LOWESS frac=auto→0.05``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..choices import PANEL_BANDS, SMOOTHING_METHODS
from ..data import Notice, Series, Smoothed
from .bandwidth import choose_frac
from .chosen import AUTO_KEY, chosen_footnote, describe
from .ema import EMA, TWEMA, smooth_ema, smooth_twema
from .kernels import GAUSSIAN, NONE, ROLLING, smooth_gaussian, smooth_none, smooth_rolling
from .lowess import LOWESS, smooth_lowess, statsmodels_lowess_kernel
from .method import Method
from .params import check_range, is_number


def residual_band(x: np.ndarray, y: np.ndarray, smoothed: np.ndarray, method: Method,
                  params: dict, k: float) -> tuple[np.ndarray, np.ndarray]:
    """``smoothed ± k·s`` where ``s = sqrt(smooth(residual²))``: a local RMS of the residuals,
    smoothed with the line's own method and parameters, over every point."""
    residual = y - smoothed
    spread = np.sqrt(np.clip(method.func(x, residual * residual, **params), 0.0, None))
    return smoothed - k * spread, smoothed + k * spread


def method_of(name: str) -> Method:
    """The ``Method`` registered as ``name``; a ConfigError with a did-you-mean hint if none is."""
    return SMOOTHING_METHODS.load(SMOOTHING_METHODS.check(name))


def check_params(method: str, params: dict) -> None:
    """Raise the ConfigError a bad method name or parameter would raise, without any data."""
    entry = method_of(method)
    entry.func(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0]), **entry.used(params))


def smooth_many(series: Sequence[Series], method: str, params: dict, *, band: str = "none",
                band_k: float = 2.0) -> list[Smoothed]:
    """``smooth_series`` of each series; a method that can (``Method.together``: LOWESS of
    series sharing x) smooths them together first, with the same result for each."""
    entry = method_of(method)
    together = {}
    if entry.together is not None and len(series) > 1:
        together = entry.together([(s.x, s.y) for s in series], **entry.used(params))
    return [smooth_series(one, method, params, band=band, band_k=band_k, smoothed=together.get(i))
            for i, one in enumerate(series)]


def smooth_series(series: Series, method: str, params: dict, *, band: str = "none",
                  band_k: float = 2.0, smoothed: np.ndarray | None = None) -> Smoothed:
    """Smooth one series with a registered method (``params`` may hold other methods' keys too),
    optionally with a band from ``PANEL_BANDS``; the notes about the window become ``Smoothed.notices``.
    ``auto`` parameters are chosen for this series; the band uses the same values.
    ``smoothed``: the method's result for this series, already made (``smooth_many``)."""
    entry = method_of(method)
    PANEL_BANDS.check(band)
    check_range("band", "band_k", band_k, is_number(band_k) and band_k >= 0, "a number >= 0")
    used = entry.used(params)
    x, y = series.x, series.y
    if len(series) == 0:
        return Smoothed(x=x, y=y.copy(), method=method, params=used)
    chosen: tuple[str, ...] = ()
    if entry.resolve:
        used, chosen = entry.resolve(x, y, used)
    if smoothed is None:
        smoothed = entry.func(x, y, **used)
    notes = entry.notes(x, y, **used) if entry.notes else ()
    low = high = None
    if band != "none":
        low, high = PANEL_BANDS.load(band)(x, y, smoothed, entry, used, float(band_k))
        if method == "none":
            notes += (f"band: {band} with smoothing 'none' has zero width",)
    shown = {**used, AUTO_KEY: chosen} if chosen else used
    return Smoothed(x=x, y=smoothed, method=method, params=shown, band_low=low, band_high=high,
                    notices=tuple(Notice(f"{series.name}: {n}") for n in notes))


__all__ = ["Method", "LOWESS", "EMA", "TWEMA", "ROLLING", "GAUSSIAN", "NONE", "method_of",
           "check_params", "smooth_series", "smooth_many", "residual_band", "describe", "smooth_lowess",
           "choose_frac", "chosen_footnote", "AUTO_KEY",
           "smooth_ema", "smooth_twema", "smooth_rolling", "smooth_gaussian", "smooth_none",
           "statsmodels_lowess_kernel"]
