"""Checks across loaded runs before drawing: one kind of x for all, and points a log axis hides."""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np

from ..columns import is_flops
from ..config.schema import Config
from ..data import Notice, Run
from ..errors import InputError


def check_same_x(runs: Sequence[Run], aliases: Mapping[str, Sequence[str]]) -> None:
    """Refuse runs whose x columns differ (FLOPs in some, steps in others): they share no axis."""
    names = {run.source: run.series[0].x_name for run in runs if run.series}
    if len(set(names.values())) > 1:
        kinds = {("FLOPs" if is_flops(n, aliases) else n) for n in names.values()}
        listing = ", ".join(f"{src} uses '{name}'" for src, name in names.items())
        what = ("some runs have a FLOPs column and others only steps" if "FLOPs" in kinds
                else "the runs use different x columns")
        raise InputError(f"{what}: {listing}",
                         hint="pick one column for all with --x, or set data.flops_per_step")


def log_scale_notices(run: Run, config: Config) -> Run:
    """Say how many points a log axis cannot show (x or y <= 0), instead of hiding them silently."""
    extra = []
    for panel, series in zip(config.panels, run.series):
        for axis, on, values in (("x", config.figure.x_scale, series.x),
                                 ("y", panel.y_scale, series.y)):
            hidden = int(np.count_nonzero(values <= 0)) if on == "log" else 0
            if hidden:
                extra.append(Notice(f"{series.name}: {hidden} of {len(series)} points have "
                                    f"{axis} <= 0 and are not shown on the log {axis} axis",
                                    file=run.source))
    return replace(run, notices=run.notices + tuple(extra)) if extra else run
