"""Shared helpers for the compare statistics: seeded score matrices and rliable."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from rliable import library as rly  # noqa: F401  (re-exported to the tests)
    from rliable import metrics as rly_metrics  # noqa: F401


def score_dict(seed: int = 0, algorithms=("a", "b", "c"), runs=(5, 5, 3), tasks: int = 4,
               scale: float = 0.3) -> dict[str, np.ndarray]:
    """rliable's layout: algorithm -> scores of shape (num_runs, num_tasks), seeded."""
    rng = np.random.default_rng(seed)
    return {a: rng.normal(0.4 + 0.15 * i, scale, (n, tasks)) for i, (a, n) in enumerate(zip(algorithms, runs))}


@pytest.fixture
def scores() -> dict[str, np.ndarray]:
    """Three algorithms, four tasks, 5/5/3 runs (equal per algorithm, as rliable needs)."""
    return score_dict()
