"""Smoothing every run: each panel's series with the panel's (or the figure's) smoothing spec."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Sequence

from ..config.schema import Config, PanelStyle, SmoothingSpec
from ..data import Curves, Run, Series, Smoothed
from ..smoothing import check_params, smooth_many, smooth_series

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


def smooth_each(runs: Sequence[Run], key: tuple) -> list[tuple[Smoothed, ...]]:
    """Each run's series smoothed per panel as ``key`` (``curves_key``) says, the smoother's
    notices located at the run (``Run.where``). A panel's series are smoothed together
    (``smoothing.smooth_many``: LOWESS of seeds sharing x computes its weights once)."""
    per_panel = [smooth_many([run.series[index] for run in runs], spec.method,
                             smoothing_params(spec), band=band, band_k=band_k)
                 for index, (spec, band, band_k) in enumerate(key)]
    return [tuple(replace(done[number], notices=tuple(replace(n, file=run.where)
                                                       for n in done[number].notices))
                  for done in per_panel)
            for number, run in enumerate(runs)]


def _carried(run: Run, key: tuple) -> tuple[Smoothed, ...] | None:
    """The curves ``run`` carries if they were made as ``key`` says, else None."""
    curves = run.curves
    return curves.per_panel if curves is not None and curves.made_for == key else None


def with_curves(runs: Sequence[Run], config: Config) -> tuple[Run, ...]:
    """The runs, each carrying its smoothed series (what a reading worker sends back, so
    smoothing is spread over the workers too)."""
    key = curves_key(config)
    carried = [_carried(run, key) for run in runs]
    made = iter(smooth_each([run for run, done in zip(runs, carried) if done is None], key))
    return tuple(run if done is not None else replace(run, curves=Curves(key, next(made)))
                 for run, done in zip(runs, carried))


def smooth_runs(runs: Sequence[Run], config: Config) -> tuple[tuple[Smoothed, ...], ...]:
    """Every run's series smoothed per panel, [run][panel]: the curves a run carries when they
    were made for this config's smoothing (while reading it), else smoothed here."""
    return tuple(run.curves.per_panel for run in with_curves(runs, config))
