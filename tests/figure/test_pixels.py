"""The one pixel baseline: the sample run's default figure, compared with a tolerance."""
from __future__ import annotations

from pathlib import Path

from matplotlib.testing.compare import compare_images

from rlplot.pipeline import render

from ..conftest import SAMPLE_JSONL

BASELINE = Path(__file__).parent / "baseline" / "seed_like_run.png"
TOLERANCE = 8.0  # RMS over 0-255; absorbs font hinting changes, not a changed chart


def test_sample_figure_matches_baseline(tmp_path):
    out = tmp_path / "seed_like_run.png"
    render([str(SAMPLE_JSONL)], [str(out)])
    assert compare_images(str(BASELINE), str(out), tol=TOLERANCE) is None
