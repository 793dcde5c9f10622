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


def smoothed_after_aggregating(config: Config) -> bool:
    """Whether runs are aggregated raw and the aggregate smoothed (``runs.smooth: after``)."""
    return config.runs.aggregate != "none" and config.runs.smooth == "after"


def smooth_run(run: Run, config: Config) -> tuple[Smoothed, ...]:
    """One run's series smoothed per panel (raw when smoothing comes after aggregating), the
    smoother's notices located at the run (``Run.where``)."""
    raw = smoothed_after_aggregating(config)
    per_panel = []
    for panel, series in zip(config.panels, run.series):
        spec = RAW if raw else panel_smoothing(panel, config)
        done = smooth_series(series, spec.method, smoothing_params(spec), band=panel.band,
                             band_k=panel.band_k)
        per_panel.append(replace(done, notices=tuple(replace(n, file=run.where)
                                                     for n in done.notices)))
    return tuple(per_panel)


def with_curves(run: Run, config: Config) -> Run:
    """``run`` carrying its smoothed series (what a reading worker sends back, so smoothing is
    spread over the workers too)."""
    return run if run.curves is not None else replace(run, curves=smooth_run(run, config))


def smooth_runs(runs: Sequence[Run], config: Config) -> tuple[tuple[Smoothed, ...], ...]:
    """Every run's series smoothed per panel, [run][panel]: the curves a run carries (made while
    reading it, with this config), else smoothed here."""
    return tuple(run.curves if run.curves is not None else smooth_run(run, config) for run in runs)
