"""Fixtures of the batch tests."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def rendered(monkeypatch):
    """Every RenderResult of an in-process (-j 1) batch, by output file name: figures to inspect."""
    import rlplot.pipeline as P

    seen = {}
    real = P.render

    def spy(paths, outputs=(), config=None, **kwargs):
        result = real(paths, outputs, config, **kwargs)
        seen.update({Path(out).name: result for out in outputs})
        return result
    monkeypatch.setattr(P, "render", spy)   # run_job imports it at call time
    return seen
