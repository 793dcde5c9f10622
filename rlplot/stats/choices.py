"""The lists of choices of ``rlplot compare``, declared once (see ``rlplot.registry``).

To be moved into ``rlplot/choices.py`` when the command is wired in; until then the stats
package, its tables and figures, and the docs read them from here. Imports nothing heavy.
"""
from __future__ import annotations

from ..registry import Choice, Registry

# A score spec is METHOD or METHOD:ARG (see rlplot.stats.scores.parse_score).
SCORE_METHODS = Registry("score method", (
    Choice("last", "mean over the last P % of the run's x range (last:P%, default last:10%), "
           "mean of the last N points (last:N), or the final point (last)", "final score",
           "rlplot.stats.scores:score_last"),
    Choice("max", "the best value the run reached", "best score", "rlplot.stats.scores:score_max"),
    Choice("auc", "area under the curve (trapezoids) divided by the x span: the run's mean over x",
           "area under the curve", "rlplot.stats.scores:score_auc"),
))

NORMALIZATIONS = Registry("normalization", (
    Choice("none", "raw scores"),
    Choice("minmax", "per task: (score - lowest) / (highest - lowest) over every run of every "
           "algorithm", "min-max normalized"),
    Choice("references", "per task: (score - random) / (expert - random) from a YAML file of "
           "reference scores (Atari's human-normalized score)", "normalized"),
))

# The aggregate metrics of interval estimates; the order is the figure's column order.
AGGREGATE_METRICS = Registry("aggregate metric", (
    Choice("median", "median over tasks of each task's mean score", "Median",
           "rlplot.stats.metrics:MEDIAN"),
    Choice("iqm", "interquartile mean: mean of the middle 50 % of all runs' scores, every task "
           "weighing the same", "IQM", "rlplot.stats.metrics:IQM"),
    Choice("mean", "mean over tasks of each task's mean score", "Mean",
           "rlplot.stats.metrics:MEAN"),
    Choice("optimality_gap", "how far the mean score clipped at gamma (1) stays below gamma",
           "Optimality Gap", "rlplot.stats.metrics:OPTIMALITY_GAP"),
))

PROFILE_KINDS = Registry("performance profile", (
    Choice("runs", "score distribution: the fraction of runs (each task weighing the same) with "
           "score > tau", "Fraction of runs with score > τ", "rlplot.stats.metrics:RUN_PROFILE"),
    Choice("tasks", "average-score distribution: the fraction of tasks whose mean score is > tau",
           "Fraction of tasks with mean score > τ", "rlplot.stats.metrics:TASK_PROFILE"),
))

TAU_SCALES = Registry("tau scale", (
    Choice("linear", "evenly spaced thresholds"),
    Choice("log", "log-spaced thresholds over the positive scores (log x axis)"),
))

TABLE_FORMATS = Registry("table format", (
    Choice("md", "GitHub-flavoured Markdown tables", "Markdown", "rlplot.stats.tables:to_markdown"),
    Choice("csv", "one row per number (long format)", "CSV", "rlplot.stats.tables:to_csv"),
    Choice("tex", "LaTeX tables with booktabs rules", "LaTeX", "rlplot.stats.tables:to_latex"),
    Choice("json", "JSON following docs/compare-schema.json", "JSON", "rlplot.stats.tables:to_json"),
))

COMPARE_FIGURES = Registry("compare figure", (
    Choice("intervals", "median, IQM, mean and optimality gap per algorithm with bootstrap CIs",
           "Interval estimates", "rlplot.figure.compare:draw_interval_estimates"),
    Choice("profiles", "performance profiles: fraction with normalized score > tau, CI bands",
           "Performance profiles", "rlplot.figure.compare:draw_performance_profiles"),
    Choice("improvement", "probability of improvement P(X > Y) per pair with CIs",
           "Probability of improvement", "rlplot.figure.compare:draw_probability_of_improvement"),
    Choice("efficiency", "sample-efficiency curves: IQM normalized score against x, CI bands",
           "Sample efficiency", "rlplot.figure.compare:draw_sample_efficiency"),
))
