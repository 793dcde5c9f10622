"""Smoothing every run: each panel's series with the panel's (or the figure's) smoothing spec."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Sequence

from ..config.schema import Config, PanelStyle, SmoothingSpec
from ..data import Run, Series, Smoothed
from ..smoothing import check_params, smooth_series

RAW = SmoothingSpec(method="none")


def smoothing_params(spec: SmoothingSpec) -> dict:
    """A smoothing spec as the keyword parameters of its method."""
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.name != "method"}


def panel_smoothing(panel: PanelStyle, config: Config) -> SmoothingSpec:
    """The smoothing a panel asks for, else the figure's."""
    return panel.smoothing or config.smoothing


def check_smoothing(config: Config) -> None:
    """Fail on bad smoothing parameters before any log is read."""
    for panel in config.panels:
        spec = panel_smoothing(panel, config)
        check_params(spec.method, smoothing_params(spec))


def smooth(series: Series, spec: SmoothingSpec) -> Smoothed:
    """One series smoothed with ``spec`` (no band)."""
    return smooth_series(series, spec.method, smoothing_params(spec))


def smooth_runs(runs: Sequence[Run], config: Config, *, raw: bool = False
                ) -> tuple[tuple[Smoothed, ...], ...]:
    """Every run's series smoothed per panel, [run][panel]; ``raw``: no smoothing (it comes after
    aggregation). The smoother's notices are located at the run (``Run.where``)."""
    smoothed = []
    for run in runs:
        per_panel = []
        for panel, series in zip(config.panels, run.series):
            spec = RAW if raw else panel_smoothing(panel, config)
            done = smooth_series(series, spec.method, smoothing_params(spec), band=panel.band,
                                 band_k=panel.band_k)
            per_panel.append(replace(done, notices=tuple(replace(n, file=run.where)
                                                         for n in done.notices)))
        smoothed.append(tuple(per_panel))
    return tuple(smoothed)
