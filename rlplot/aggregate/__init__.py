"""Combining runs: grouping, a statistic and band per group on a common grid, and the footnote.

``statistics`` holds the numbers (the targets of ``rlplot.choices.AGGREGATES``,
``RUN_BANDS`` and ``X_RANGES``, found here by those names); ``groups`` forms the groups
and aggregates each.
"""
from .groups import (ALL_RUNS, Group, aggregate_footnote, aggregate_group, aggregate_runs,
                     group_key, group_runs)
from .statistics import (Band, aggregate_curves, band_bootstrap, band_sd, band_sem, common_grid,
                         on_grid, range_intersection, range_union, stat_iqm, stat_mean,
                         stat_median)

__all__ = ["ALL_RUNS", "Band", "Group", "aggregate_curves", "aggregate_footnote", "aggregate_group",
           "aggregate_runs", "band_bootstrap", "band_sd", "band_sem", "common_grid", "group_key",
           "group_runs", "on_grid", "range_intersection", "range_union", "stat_iqm", "stat_mean",
           "stat_median"]
