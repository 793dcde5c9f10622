"""Runs: which logs a command names (``discover``), Table -> Run (``load``), smoothing every run
(``smooth``) and the checks across runs before drawing (``checks``)."""
from .discover import choose_labels, expand_paths
from .load import load_run, load_runs, run_from_table

__all__ = ["choose_labels", "expand_paths", "load_run", "load_runs", "run_from_table"]
