"""The committed sample benchmark (sample_runs/compare): reproducible, and the statistics find
the differences it was generated with."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rlplot.data import Run, Series
from rlplot.stats import evaluate

SAMPLE = Path(__file__).resolve().parents[2] / "sample_runs" / "compare"
PATTERN = re.compile(r"compare/([^/]+)/([^/]+)/seed\d+\.csv$")


def read_cells() -> dict:
    cells: dict = {}
    for path in sorted(SAMPLE.glob("*/*/seed*.csv")):
        algorithm, task = PATTERN.search(path.as_posix()).groups()
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        series = Series("episode_return", data[:, 0], data[:, 1], "step")
        cells.setdefault((algorithm, task), []).append(Run(path.stem, str(path), (series,)))
    return cells


def test_the_generator_reproduces_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(SAMPLE / "make_compare.py"), "--out", str(tmp_path)], check=True,
                   timeout=120)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*")
                       if p.is_file() and p.suffix in (".csv", ".yaml"))
    assert made == committed and len(made) == 3 * 4 * 5 + 1
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (SAMPLE / relative).read_bytes(), relative


@pytest.fixture(scope="module")
def result():
    return evaluate(read_cells(), normalize=str(SAMPLE / "references.yaml"), pairs="all", reps=1000, seed=0)


def test_shape_and_normalization(result):
    matrix = result.matrix
    assert matrix.algorithms == ("ppo", "sac", "td3")
    assert matrix.tasks == ("cartpole", "cheetah", "hopper", "walker")
    assert matrix.equal_counts and (matrix.counts == 5).all()
    assert matrix.normalization.startswith("references (") and matrix.score == "last:10%"


def test_the_known_ranking_is_found_with_separated_cis(result):
    est = result.intervals
    for metric, truth in (("iqm", (0.75, 0.65, 0.45)), ("mean", (0.75, 0.65, 0.45))):
        m = est.metrics.index(metric)
        assert np.all(np.abs(est.point[:, m] - truth) < 0.05), (metric, est.point[:, m])
        assert est.low[0, m] > est.high[1, m] and est.low[1, m] > est.high[2, m]
    gap = est.metrics.index("optimality_gap")
    assert est.point[0, gap] < est.point[1, gap] < est.point[2, gap]


def test_improvement_probabilities_match_the_generating_gaps(result):
    imp = dict(zip(result.improvements.pairs, zip(result.improvements.point, result.improvements.low)))
    assert 0.6 < imp["ppo", "sac"][0] < 0.95 and imp["ppo", "sac"][1] > 0.5   # true value ~0.76
    assert imp["ppo", "td3"][0] > 0.95 and imp["sac", "td3"][0] > 0.9


def test_sample_efficiency_shows_ppo_ahead_early_and_late(result):
    curves = result.curves
    assert curves.x[0] == 0 and curves.x[-1] == 100_000 and curves.x_label == "step"
    early = np.searchsorted(curves.x, 20_000)
    assert curves.point[0, early] > curves.point[1, early] > curves.point[2, early]
    assert np.all(np.abs(curves.point[:, -1] - (0.75, 0.65, 0.45)) < 0.07)
