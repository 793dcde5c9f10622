"""The numbers of ``rlplot compare``: run scores, per-task normalization, and rliable's
aggregate metrics, performance profiles, probability of improvement and sample-efficiency
curves with stratified-bootstrap CIs, for any numbers of runs per task. Pure numpy (no
matplotlib): figures are drawn by ``rlplot.figure.compare`` from the results here.

Entry points: ``evaluate`` (runs -> everything), or step by step ``score_cells`` /
``from_cells`` / ``from_rliable`` -> ``normalize`` -> ``compare`` (+ ``sample_efficiency``),
then ``rlplot.stats.tables.write_table``.
"""
from .engine import (compare, interval_estimates, performance_profiles,
                      probability_of_improvement, tau_grid)
from .curves import sample_efficiency
from .evaluate import evaluate
from .matrix import ScoreMatrix, from_cells, from_rliable, score_cells
from .normalize import Normalizer, normalize, read_references
from .results import Comparison, Curves, Improvements, IntervalEstimates, Profiles, Settings
from .scores import DEFAULT_SCORE, ScoreSpec, parse_score, score_run

__all__ = [
    "compare", "interval_estimates", "performance_profiles", "probability_of_improvement",
    "tau_grid", "sample_efficiency", "evaluate", "ScoreMatrix", "from_cells", "from_rliable",
    "score_cells", "Normalizer", "normalize", "read_references", "Comparison", "Curves",
    "Improvements", "IntervalEstimates", "Profiles", "Settings", "DEFAULT_SCORE", "ScoreSpec",
    "parse_score", "score_run",
]
