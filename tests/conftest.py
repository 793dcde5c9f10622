"""Shared fixtures: small hand-made logs, a CLI runner, and the figure of the sample run."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner
from hypothesis import settings

matplotlib.use("Agg")  # headless everywhere; rlplot itself never touches pyplot

# Property tests draw the same examples on every run ("stable"), so a submission passes or fails
# on its code, not on the luck of one CI run's draw. To search new examples, run
# `pytest --hypothesis-profile explore` (random draws; 1,000 examples where a test does not set
# its own count); a failure it finds becomes an @example of the test.
settings.register_profile("stable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=1000, print_blob=True)
settings.load_profile("stable")

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSONL = ROOT / "sample_runs" / "seed_like_run.jsonl"
SAMPLE_CSV = ROOT / "sample_runs" / "seed_like_run.csv"


@pytest.fixture
def runner() -> CliRunner:
    """A Click runner that keeps stdout and stderr apart."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # Click >= 8.2 always separates them
        return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run ``rlplot ARGS...`` in-process; returns the Click result."""
    from rlplot.cli import cli

    def call(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return call


def write_jsonl(path: Path, records, newline: bool = True) -> Path:
    """Write records (dicts or raw strings) one per line."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + ("\n" if newline else ""), encoding="utf-8")
    return path


def seed_like_records(n: int = 60):
    """A small seed-shaped run: accuracy 0.35 -> 0.64, parallelism 8 -> 14, x = rl_flops."""
    import numpy as np

    rng = np.random.default_rng(0)
    t = np.linspace(0, 1, n)
    acc = 0.35 + 0.29 * t + rng.normal(0, 0.01, n)
    par = 8 + 6 * np.clip((t - 0.7) / 0.3, 0, 1) ** 2 + rng.normal(0, 0.1, n)
    return [{"step": i, "rl_flops": float(1e19 + t[i] * 1e21), "accuracy": float(acc[i]),
             "avg_parallelism": float(par[i])} for i in range(n)]


@pytest.fixture
def seed_log(tmp_path) -> Path:
    """A small seed-like JSONL log in a temp folder."""
    return write_jsonl(tmp_path / "run.jsonl", seed_like_records())


def make_sweep(tmp_path, groups=("1e-3", "3e-4"), seeds=3, n=40) -> list[str]:
    """A sweep: sweep/lr<g>_seed<s>/metrics.jsonl per learning rate and seed; returns the paths."""
    import numpy as np

    rng = np.random.default_rng(6)
    paths = []
    for g, lr in enumerate(groups):
        for s in range(seeds):
            folder = tmp_path / "sweep" / f"lr{lr}_seed{s}"
            folder.mkdir(parents=True)
            paths.append(str(write_jsonl(folder / "metrics.jsonl", [
                {"step": i + s, "rl_flops": (i + s) * 1e18, "accuracy": 0.3 + 0.1 * g + 0.005 * i
                 + float(rng.normal(0, 0.01)), "parallelism": 8 + g} for i in range(n)])))
    return paths


def one_panel(metric: str, **data):
    """A Config with one panel showing ``metric``; ``data`` are DataSpec fields (x, restarts, ...)."""
    from rlplot.config.schema import Config, DataSpec, PanelStyle

    return Config(panels=(PanelStyle(metric=metric),), data=DataSpec(**data))


@pytest.fixture
def pooled(monkeypatch):
    """Every input is worth a reading pool (rlplot.runs.parallel); the calls that reached one are
    counted (the number of slices of each)."""
    from rlplot.runs import parallel

    calls = []
    original = parallel._run_slices

    def spy(parts, *args):
        calls.append(len(parts))
        return original(parts, *args)

    monkeypatch.setattr(parallel, "MIN_RUNS", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "_run_slices", spy)
    return calls
