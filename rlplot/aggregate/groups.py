"""Grouping runs and aggregating each group: one curve (and band) per panel, and the footnote.

Groups are formed from runs, not paths (a TensorBoard long export holds several runs).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ..choices import AGGREGATES, RUN_BANDS, X_RANGES
from ..config.schema import Config
from ..data import Run, Series, Smoothed
from ..runs.configs import run_config
from ..runs.smooth import panel_smoothing, smooth, smoothing_params
from ..runs.specs import group_label
from ..smoothing import describe
from .statistics import aggregate_curves

ALL_RUNS = "all runs"   # the one group when aggregating without runs.group_by


@dataclass(frozen=True)
class Group:
    """Runs drawn as one: their indices into ``Prepared.runs`` and, when aggregated, one curve per panel."""

    label: str
    members: tuple[int, ...]
    curves: tuple[Smoothed, ...] = ()          # [panel]: x grid, statistic, band; empty: not aggregated
    counts: tuple[np.ndarray, ...] = ()        # [panel]: runs covering each grid point, (n_grid,)


def group_key(path: str, pattern: str | Sequence[str]) -> str | None:
    """The group a path belongs to under one ``--group-by`` spec or several: a regex's named group
    ``group`` or first capture group (the whole match without groups), a ``cfg:KEY``'s
    ``KEY=value`` from the run's config files; None when a spec says nothing of it."""
    specs = (pattern,) if isinstance(pattern, str) else tuple(pattern)
    return group_label(path, lambda: _path_config(path), specs)


def _path_config(path: str):
    from ..runs.configs import ref_config
    from ..runs.walk import find_path

    refs = find_path(path).refs
    return dict(ref_config(refs[0]).values) if refs else {}


def group_runs(runs: Sequence[Run], config: Config) -> tuple[Group, ...]:
    """Group runs by ``runs.group_by`` (a run a spec says nothing of is a group of its own); one
    group of every run when only aggregating; none (every run stands for itself) otherwise."""
    specs = config.runs.group_by
    if not specs and config.runs.aggregate == "none":
        return ()
    members: dict[str, list[int]] = {}
    for index, run in enumerate(runs):
        key = group_label(run.where, lambda run=run: run_config(run), specs) if specs else ALL_RUNS
        key = run.label if key is None else key
        members.setdefault(key, []).append(index)
    return tuple(Group(label=key, members=tuple(idx)) for key, idx in members.items())


def aggregate_group(group: Group, smoothed: Sequence[Sequence[Smoothed]], config: Config) -> Group:
    """``group`` with one aggregate curve per panel of its runs' curves ([run][panel] ``smoothed``);
    with ``runs.smooth: after`` the statistic is smoothed, not the runs."""
    curves, counts = [], []
    for panel_index, panel in enumerate(config.panels):
        curve, count = aggregate_curves([smoothed[i][panel_index] for i in group.members], config.runs)
        if config.runs.smooth == "after":
            valid = np.isfinite(curve.y)
            fitted = smooth(Series(panel.metric, curve.x[valid], curve.y[valid]),
                            panel_smoothing(panel, config))
            y = curve.y.copy()
            y[valid] = fitted.y
            curve = replace(curve, y=y, method=fitted.method, params=fitted.params)
        curves.append(curve)
        counts.append(count)
    return replace(group, curves=tuple(curves), counts=tuple(counts))


def aggregate_footnote(groups: Sequence[Group], config: Config) -> str:
    """What an aggregate figure shows, e.g. ``mean of 5 runs · LOWESS frac=0.2 per run · band = …``.

    Every phrase is the ``label`` of a choice in ``rlplot.choices``.
    """
    spec = config.runs
    sizes = sorted({len(g.members) for g in groups})
    runs_text = f"{sizes[0]} runs" if len(sizes) == 1 else f"{sizes[0]}–{sizes[-1]} runs"
    smoothing = config.smoothing
    smooth_text = describe(smoothing.method, smoothing_params(smoothing))
    smooth_text += " per run" if spec.smooth == "before" else " of the aggregate"
    parts = [f"{AGGREGATES[spec.aggregate].title} of {runs_text}", smooth_text]
    if spec.band != "none":
        parts.append("band = " + RUN_BANDS[spec.band].title.format(level=spec.level, reps=spec.reps))
    if X_RANGES[spec.x_range].label:
        parts.append(f"x range = {X_RANGES[spec.x_range].label}")
    return " · ".join(parts)


def aggregate_runs(runs: Sequence[Run], smoothed: Sequence[Sequence[Smoothed]], config: Config
                   ) -> tuple[tuple[Group, ...], str | None]:
    """The groups of ``runs`` (aggregated when ``runs.aggregate`` asks) and the aggregate's footnote."""
    groups = group_runs(runs, config)
    if config.runs.aggregate == "none":
        return groups, None
    groups = tuple(aggregate_group(g, smoothed, config) for g in groups)
    return groups, aggregate_footnote(groups, config) if config.runs.footnote else None
