"""Smoothing every run: each panel's series with the panel's (or the figure's) smoothing spec."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Sequence

from ..config.schema import Config, PanelStyle, SmoothingSpec
from ..data import Curves, Run, Series, Smoothed
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


def curves_key(config: Config) -> tuple:
    """What a run's smoothed series depend on, per panel: its smoothing spec (``none`` when the
    aggregate is smoothed instead), band and band_k."""
    raw = smoothed_after_aggregating(config)
    return tuple((RAW if raw else panel_smoothing(panel, config), panel.band, panel.band_k)
                 for panel in config.panels)


def smooth_run(run: Run, key: tuple) -> tuple[Smoothed, ...]:
    """One run's series smoothed per panel as ``key`` (``curves_key``) says, the smoother's
    notices located at the run (``Run.where``)."""
    per_panel = []
    for (spec, band, band_k), series in zip(key, run.series):
        done = smooth_series(series, spec.method, smoothing_params(spec), band=band, band_k=band_k)
        per_panel.append(replace(done, notices=tuple(replace(n, file=run.where)
                                                     for n in done.notices)))
    return tuple(per_panel)


def _carried(run: Run, key: tuple) -> tuple[Smoothed, ...] | None:
    """The curves ``run`` carries if they were made as ``key`` says, else None."""
    curves = run.curves
    return curves.per_panel if curves is not None and curves.made_for == key else None


def with_curves(run: Run, config: Config) -> Run:
    """``run`` carrying its smoothed series (what a reading worker sends back, so smoothing is
    spread over the workers too)."""
    key = curves_key(config)
    if _carried(run, key) is not None:
        return run
    return replace(run, curves=Curves(key, smooth_run(run, key)))


def smooth_runs(runs: Sequence[Run], config: Config) -> tuple[tuple[Smoothed, ...], ...]:
    """Every run's series smoothed per panel, [run][panel]: the curves a run carries when they
    were made for this config's smoothing (while reading it), else smoothed here."""
    key = curves_key(config)
    out = []
    for run in runs:
        carried = _carried(run, key)
        out.append(carried if carried is not None else smooth_run(run, key))
    return tuple(out)
