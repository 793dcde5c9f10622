"""The ``compare`` section of the schema: how ``rlplot compare`` groups, scores and draws.

One sub-section per figure kind (``COMPARE_FIGURES``). The kinds are not ``panels`` (those
are the metric panels of ``render``), but they are styled by the same keys, so presets
apply: fonts, sizes and dpi from ``figure``, the line width and legend from the panels,
``rc`` and ``style``. The CIs' replicates, level and seed are ``runs.reps``, ``runs.level``
and ``runs.seed`` (one bootstrap setting for the whole tool). ``parse_layout`` reads the one
value whose grammar the declared types cannot express (``compare.layout``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..choices import AGGREGATE_METRICS, COMPARE_FIGURES, PROFILE_KINDS, TAU_SCALES
from ..errors import ConfigError
from .declare import opt

_HALF = "half of figure.width"
_LAYOUT = re.compile(r"(?P<rows>[0-9]+)x(?P<cols>[0-9]+)|[0-9]+(\+[0-9]+)*")


def _width(default: str):
    return opt(None, f"width in inches (default: {default})", min=1, max=100)


def _height(default: str = "figure.height"):
    return opt(None, f"height in inches (default: {default})", min=1, max=100)


def _title():
    return opt(None, "title above the figure (default: none)")


@dataclass(frozen=True)
class IntervalsFigure:
    """The interval-estimates figure: one column per aggregate metric, one row per algorithm."""

    metrics: tuple[str, ...] = opt(AGGREGATE_METRICS.names, "aggregate metrics, one column each",
                                   choices=AGGREGATE_METRICS)
    gamma: float = opt(1.0, "optimality gap threshold: the normalized score that counts as solved",
                       min=-1e12, max=1e12)
    width: float | None = _width("figure.width")
    height: float | None = _height("1 + 0.45 per algorithm, at most figure.height")
    title: str | None = _title()


@dataclass(frozen=True)
class ProfilesFigure:
    """The performance-profiles figure: fraction of runs (or tasks) above each threshold tau."""

    kind: str = opt("runs", "runs: score distribution; tasks: average-score distribution",
                    choices=PROFILE_KINDS)
    tau_scale: str = opt("linear", "thresholds evenly spaced (linear), or log-spaced over the "
                                   "positive scores on a log x axis", choices=TAU_SCALES)
    tau_points: int = opt(101, "number of thresholds", min=2, max=10000)
    width: float | None = _width(_HALF)
    height: float | None = _height()
    title: str | None = _title()


@dataclass(frozen=True)
class ImprovementFigure:
    """The probability-of-improvement figure: P(X > Y) with its CI, one row per pair."""

    pairs: tuple[str, ...] = opt(("first",), "pairs (X, Y): first (the first algorithm against each "
                                             "other), all (every pair), or items X:Y")
    width: float | None = _width(_HALF)
    height: float | None = _height("1 + 0.45 per pair, at most figure.height")
    title: str | None = _title()


@dataclass(frozen=True)
class EfficiencyFigure:
    """The sample-efficiency figure: an aggregate of normalized scores against x, with CI bands."""

    statistic: str = opt("iqm", "aggregate metric at each x", choices=AGGREGATE_METRICS)
    points: int = opt(50, "x grid points over the x range every run covers (never extrapolated)",
                      min=2, max=100000)
    width: float | None = _width(_HALF)
    height: float | None = _height()
    title: str | None = _title()


@dataclass(frozen=True)
class CompareSpec:
    """``rlplot compare``: which runs are the seeds of which algorithm and task, how a run is
    scored and normalized, and the figures."""

    algo_by: str | None = opt(None, "regex over each run's path; its first capture group (or the "
                                    "group named 'group') names the algorithm")
    task_by: str | None = opt(None, "regex over each run's path; its first capture group (or the "
                                    "group named 'group') names the task")
    score: str = opt("last:10%", "score of a run: last:P% (mean over the last P % of x), last:N "
                                 "(mean of the last N points), last, max or auc")
    normalize: str = opt("none", "per-task normalization: none, minmax, or a YAML file of random and "
                                 "expert scores per task (a relative path is read next to the "
                                 "config file that names it)")
    kinds: tuple[str, ...] = opt(COMPARE_FIGURES.names, "figures to draw, in order",
                                 choices=COMPARE_FIGURES)
    layout: str | None = opt(None, "every kind in one figure, as kinds per row: '1+3' (one, then "
                                   "three) or '2x2' (default: one file per kind)")
    colors: tuple[str, ...] = opt((), "colour of each algorithm, in order (default: the Okabe-Ito "
                                      "palette of several runs)", kind="color")
    line_width: float | None = opt(None, "width of the profile and efficiency lines in points "
                                         "(default: the first panel's line.width)", min=0, max=100)
    score_label: str | None = opt(None, "what the score axes say (default: Score, Min-max normalized "
                                        "score or Normalized score, after normalize)")
    intervals: IntervalsFigure = opt(factory=IntervalsFigure, help="the interval-estimates figure")
    profiles: ProfilesFigure = opt(factory=ProfilesFigure, help="the performance-profiles figure")
    improvement: ImprovementFigure = opt(factory=ImprovementFigure,
                                         help="the probability-of-improvement figure")
    efficiency: EfficiencyFigure = opt(factory=EfficiencyFigure, help="the sample-efficiency figure")


def parse_layout(text: str, count: int) -> tuple[int, ...]:
    """Kinds per row from ``1+3`` (one, then three) or ``2x2`` (rows x columns, filled in reading
    order); a ConfigError unless it places exactly ``count`` figures (a grid may have spare cells)."""
    shown = str(text).strip().replace(" ", "")
    match = _LAYOUT.fullmatch(shown)
    if match is None:
        raise ConfigError(f"compare.layout: cannot read '{text}'", hint="e.g. '1+3' or '2x2'")
    if match.group("rows"):
        rows, cols = int(match.group("rows")), int(match.group("cols"))
        if rows < 1 or cols < 1 or rows * cols < count or (rows - 1) * cols >= count:
            raise ConfigError(f"compare.layout '{text}' does not fit {count} figures",
                              hint=f"e.g. '1x{count}' or '{count}x1'")
        return tuple(min(cols, count - r * cols) for r in range(rows))
    counts = tuple(int(part) for part in shown.split("+"))
    if 0 in counts or sum(counts) != count:
        raise ConfigError(f"compare.layout '{text}' places {sum(counts)} figures, not {count}",
                          hint="give each row's number of figures, adding up to the kinds drawn")
    return counts
