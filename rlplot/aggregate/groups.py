"""Grouping runs and aggregating each group: one curve (and band) per panel, and the footnote.

Groups are formed from runs, not paths (a TensorBoard long export holds several runs).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ..choices import AGGREGATES, RUN_BANDS, X_RANGES
from ..config.schema import Config
from ..data import Run, Series, Smoothed
from ..errors import ConfigError
from ..runs.smooth import panel_smoothing, smooth, smoothing_params
from ..smoothing import describe
from .statistics import aggregate_curves

ALL_RUNS = "all runs"   # the one group when aggregating without runs.group_by
MATCH_SECONDS = 0.5     # the longest --group-by may take over one path (sane patterns: microseconds)


@dataclass(frozen=True)
class Group:
    """Runs drawn as one: their indices into ``Prepared.runs`` and, when aggregated, one curve per panel."""

    label: str
    members: tuple[int, ...]
    curves: tuple[Smoothed, ...] = ()          # [panel]: x grid, statistic, band; empty: not aggregated
    counts: tuple[np.ndarray, ...] = ()        # [panel]: runs covering each grid point, (n_grid,)


@functools.lru_cache(maxsize=32)
def _compiled(pattern: str):
    import regex   # re's syntax, plus a time limit on matching

    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ConfigError(f"--group-by: invalid regular expression ({exc})") from None


def group_key(path: str, pattern: str) -> str | None:
    """The group a path belongs to: the named group ``group`` or the first capture group of
    ``pattern`` (the whole match without groups); None when the pattern does not match.

    Matching one path may take MATCH_SECONDS at most: a pattern that backtracks
    catastrophically (``(a+)+$``, ``(a|aa)+$``) is a ConfigError, not a hang."""
    regex = _compiled(pattern)
    try:
        match = regex.search(path, timeout=MATCH_SECONDS)
    except TimeoutError:
        raise ConfigError(f"--group-by '{pattern}' took over {MATCH_SECONDS:g} s to match one path",
                          file=path, hint="the pattern backtracks catastrophically: nested or "
                          "overlapping repeats such as (a+)+ or (a|aa)+; simplify it") from None
    if match is None:
        return None
    if "group" in regex.groupindex:
        return match.group("group")
    return match.group(1) if regex.groups else match.group(0)


def group_runs(runs: Sequence[Run], config: Config) -> tuple[Group, ...]:
    """Group runs by ``runs.group_by`` (a run it does not match is a group of its own); one group
    of every run when only aggregating; none (every run stands for itself) otherwise."""
    if config.runs.group_by is None and config.runs.aggregate == "none":
        return ()
    members: dict[str, list[int]] = {}
    for index, run in enumerate(runs):
        key = group_key(run.source, config.runs.group_by) if config.runs.group_by else ALL_RUNS
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
