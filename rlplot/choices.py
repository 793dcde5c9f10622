"""Every list of choices rlplot offers, declared once (see ``rlplot.registry``).

The config schema validates against these registries, the CLI takes its choices and
help from them, the docs list them, and the code that implements a choice finds it
through ``Registry.load``. Adding a smoothing method, a band or an output format means
adding one entry here and its implementation where the target says. This module
imports nothing heavy: ``rlplot --help`` reads it.

Input formats are the exception only in place, not in kind: they live in
``rlplot.io.registry`` because each carries detection as well as reading.
"""
from __future__ import annotations

from .registry import Choice, Registry

SMOOTHING_METHODS = Registry("smoothing method", (
    Choice("lowess", "locally weighted linear regression (tricube); frac = share of points in each "
           "fit, or bandwidth = half-width in x units", "LOWESS", "rlplot.smoothing:LOWESS"),
    Choice("ema", "TensorBoard's debiased exponential moving average; weight = share of the "
           "previous value", "EMA", "rlplot.smoothing:EMA"),
    Choice("twema", "time-weighted debiased EMA: weights halve every `halflife` x units, whatever "
           "the sampling", "TWEMA", "rlplot.smoothing:TWEMA"),
    Choice("rolling", "centred moving average over `window` points, normalised at the edges "
           "(baselines / rl-plotter smooth)", "rolling mean", "rlplot.smoothing:ROLLING"),
    Choice("gaussian", "Gaussian kernel average with standard deviation `sigma` in x units "
           "(irregular x ok)", "Gaussian", "rlplot.smoothing:GAUSSIAN"),
    Choice("none", "no smoothing: the line joins the raw points", "raw", "rlplot.smoothing:NONE"),
))

PANEL_BANDS = Registry("panel band", (
    Choice("none", "no band around the smoothed line"),
    Choice("residual", "smoothed ± band_k × the local RMS of the residuals (every point)",
           "residual band", "rlplot.smoothing:residual_band"),
))

RESTART_POLICIES = Registry("restarts policy", (
    Choice("keep-last", "the later points replace the earlier ones from the step they restart at "
           "(as TensorBoard does)"),
    Choice("keep-all", "keep the points of every attempt"),
    Choice("error", "stop with an error at the first restart"),
))

DUPLICATE_POLICIES = Registry("duplicates policy", (
    Choice("last", "keep the last point logged at an x", target="rlplot.clean:merge_last"),
    Choice("first", "keep the first point logged at an x", target="rlplot.clean:merge_first"),
    Choice("mean", "replace the points at an x by their mean", target="rlplot.clean:merge_mean"),
    Choice("keep", "keep every point (draw them all)"),
))

AGGREGATES = Registry("aggregate statistic", (
    Choice("none", "draw every run (no aggregate)"),
    Choice("mean", "mean over runs at each x", "mean", "rlplot.aggregate:stat_mean"),
    Choice("median", "median over runs at each x", "median", "rlplot.aggregate:stat_median"),
    Choice("iqm", "interquartile mean over runs (mean of the middle 50 %, as in rliable)",
           "interquartile mean", "rlplot.aggregate:stat_iqm"),
))

RUN_BANDS = Registry("band", (
    Choice("none", "no band around the aggregate"),
    Choice("sd", "± one standard deviation over runs", "± 1 SD over runs", "rlplot.aggregate:band_sd"),
    Choice("sem", "± one standard error of the mean over runs", "± 1 SEM over runs",
           "rlplot.aggregate:band_sem"),
    Choice("ci", "percentile bootstrap confidence interval over runs (runs.level, runs.reps)",
           "{level:g} % bootstrap CI, {reps} reps", "rlplot.aggregate:band_bootstrap"),
))

X_RANGES = Registry("x range", (
    Choice("intersection", "the x range every run covers", target="rlplot.aggregate:range_intersection"),
    Choice("union", "the x range any run covers (fewer runs toward the ends)",
           "union of runs", "rlplot.aggregate:range_union"),
))

FIGURE_FORMATS = Registry("figure format", (
    Choice("png", "raster image (figure.dpi / output.dpi)", "PNG"),
    Choice("svg", "vector image (scatters above output.rasterize_above are rasterised)", "SVG"),
    Choice("pdf", "vector document (scatters above output.rasterize_above are rasterised)", "PDF"),
))

SUMMARY_FORMATS = Registry("summary format", (
    Choice("text", "readable text for a terminal", target="rlplot.summary:to_text"),
    Choice("json", "JSON following docs/summary-schema.json", target="rlplot.summary:to_json"),
    Choice("markdown", "GitHub-flavoured Markdown tables (a CI job summary)",
           target="rlplot.summary:to_markdown"),
    Choice("csv", "one row per run and metric", target="rlplot.summary:to_csv"),
))

INSPECT_FORMATS = Registry("inspect format", (
    Choice("text", "one readable block per file"),
    Choice("json", "one JSON object with stable keys (json is what is printed; the JSON log format "
                   "is --input-format json)"),
))

X_TICK_FORMATS = Registry("x tick format", (
    Choice("auto", "from the x column: sci for FLOPs, count for steps and other counts, date for "
           "Unix time, duration for elapsed seconds, else sci", target="rlplot.figure.axes:x_auto"),
    Choice("sci", "scientific notation with a shared ×10ⁿ offset (RL flops)",
           target="rlplot.figure.axes:x_sci"),
    Choice("eng", "engineering notation (200e18)", target="rlplot.figure.axes:x_eng"),
    Choice("si", "SI prefixes (250k, 1.5M, 3G, 200E)", target="rlplot.figure.axes:x_si"),
    Choice("count", "counts as step counters show them: 250k, 1.5M, 2B (billion), 3T; plain "
           "below 1,000", target="rlplot.figure.axes:x_count"),
    Choice("date", "Unix seconds as UTC dates and times (concise; the date once, at the end)",
           target="rlplot.figure.axes:x_date"),
    Choice("duration", "seconds as a duration in the unit that reads best: 45s, 30min, 1.5h, 3d",
           target="rlplot.figure.axes:x_duration"),
    Choice("plain", "plain numbers", target="rlplot.figure.axes:x_plain"),
    Choice("hidden", "no tick labels", target="rlplot.figure.axes:x_hidden"),
))

Y_TICK_FORMATS = Registry("y tick format", (
    Choice("auto", "count for count-like metrics (episode length, tokens) and integers from "
           "10,000 up, else plain numbers, scientific when very large or small",
           target="rlplot.figure.axes:y_auto"),
    Choice("percent", "percent (0–1 or 0–100 data)", target="rlplot.figure.axes:y_percent"),
    Choice("plain", "plain numbers", target="rlplot.figure.axes:y_plain"),
    Choice("sci", "scientific notation", target="rlplot.figure.axes:y_sci"),
    Choice("count", "counts: 250k, 1.5M, 2B (billion); plain below 1,000",
           target="rlplot.figure.axes:y_count"),
))

EXECUTORS = Registry("executor", (
    Choice("process", "local worker processes (-j N)", target="rlplot.batch.executors:ProcessExecutor"),
    Choice("dask", "a Dask distributed cluster (--scheduler ADDRESS; the dask extra)",
           target="rlplot.batch.dask:DaskExecutor"),
))


# -- rlplot compare (rlplot.stats, rlplot.figure.compare) ------------------------------------

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

REPORT_FORMATS = Registry("report format", (
    Choice("html", "one self-contained HTML page (interactive charts, static SVG fallbacks)",
           target="rlplot.report.build:write_html_report"),
    Choice("markdown", "Markdown with a PNG per section beside it ($GITHUB_STEP_SUMMARY, a "
                       "merge-request comment)", target="rlplot.report.build:write_markdown_report"),
))

# What a report output's extension writes: a REPORT_FORMATS name per suffix.
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}

# output.provenance also takes true (everything) and false (nothing): these are its text values.
PROVENANCE_MODES = Registry("provenance mode", (
    Choice("hashes", "the inputs by sha256 and size only: no paths, no command line, no "
                     "runs.labels (anonymous submissions)"),
))

# -- where runs come from (rlplot.runs) ---------------------------------------------------------
# A run source is one entry: how a path or a folder walk finds its runs, how one is read and
# where its configuration is. Walking a folder asks them in this order: a store or a tracker's
# run folder claims the whole folder, event files make their folder a run, and every log file
# left over is a run of its own.
RUN_SOURCES = Registry("run source", (
    Choice("mlflow", "an MLflow store: mlflow.db (SQLite) or an mlruns/ folder; one run per MLflow "
           "run, labelled by its run name; params are its config", "MLflow",
           "rlplot.runs.trackers:MLFLOW"),
    Choice("wandb", "a W&B run folder (run-*, offline-run-*: wandb-history.jsonl or run-*.wandb); "
           "config.yaml is its config", "W&B", "rlplot.runs.trackers:WANDB"),
    Choice("tfevents", "a folder holding TensorBoard event files (events.out.tfevents.*): one run, "
           "its files merged in order; hparams and config files are its config", "TensorBoard",
           "rlplot.runs.events:EVENTS"),
    Choice("log", "a log file in one of the input formats (CSV, JSONL, JSON, .gz; docs/formats.md)",
           "log", "rlplot.runs.logs:LOGS"),
))

# `--x wall` and `--x relative`: x values computed from a run's timestamps, not a column.
TIME_AXES = Registry("time axis", (
    Choice("wall", "the wall-clock time of each point (dates and times, UTC)", "Wall time"),
    Choice("relative", "time since the run's first point (TensorBoard's 'relative')",
           "Relative time"),
))
