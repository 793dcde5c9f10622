"""Each statistic two ways: on blocks of scores (point estimates, curves; ``estimators``) and on
resamples given as run multiplicities (the bootstrap; ``resampled``).

The registries in ``choices`` point here, so the engine finds both forms of a metric
or profile kind by its name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import estimators, resampled


@dataclass(frozen=True)
class Statistic:
    """``on_values(block (..., N), counts, gamma=..)`` and ``on_resamples(m (R, N), prepared)``."""

    on_values: Callable
    on_resamples: Callable


MEDIAN = Statistic(estimators.median, resampled.median)
IQM = Statistic(estimators.iqm, resampled.iqm)
MEAN = Statistic(estimators.mean, resampled.mean)
OPTIMALITY_GAP = Statistic(estimators.optimality_gap, resampled.optimality_gap)

# Profiles take tau: on_values(block, counts, tau); on_resamples(m, prepared) at prepared.tau.
RUN_PROFILE = Statistic(estimators.run_profile, resampled.run_profile)
TASK_PROFILE = Statistic(estimators.task_profile, resampled.task_profile)
