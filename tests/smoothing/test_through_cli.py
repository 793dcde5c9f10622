"""Smoothing as a user meets it: ``rlplot render --smooth`` with every method, --set params, notices."""
from __future__ import annotations

import numpy as np
import pytest

from rlplot.choices import SMOOTHING_METHODS


@pytest.mark.parametrize("method", SMOOTHING_METHODS.names)
def test_cli_renders_every_method(invoke, seed_log, tmp_path, method):
    result = invoke("render", seed_log, "-o", tmp_path / "f.png", "--smooth", method,
                    "--data-out", tmp_path / "d.csv")
    assert result.exit_code == 0, result.stderr
    rows = (tmp_path / "d.csv").read_text().splitlines()[1:]
    smoothed = np.array([float(r.split(",")[4]) for r in rows[:60]])
    raw = np.array([float(r.split(",")[3]) for r in rows[:60]])
    assert (np.array_equal(smoothed, raw)) == (method == "none")


def test_cli_params_go_through_set_and_notices_reach_stderr(invoke, seed_log, tmp_path):
    result = invoke("render", seed_log, "-o", tmp_path / "f.png", "--smooth", "rolling",
                    "--set", "smoothing.window=201")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "window=201" in line]
    assert len(warnings) == 2 and str(seed_log) in warnings[0] and "accuracy" in warnings[0]


def test_cli_bad_parameter_is_one_line_before_reading(invoke, tmp_path):
    result = invoke("render", tmp_path / "missing.jsonl", "-o", tmp_path / "f.png", "--smooth",
                    "rolling", "--set", "smoothing.window=20")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "rolling" in line and "window=20" in line and "odd integer" in line


def test_smooth_help_lists_every_registered_method(invoke):
    text = " ".join(invoke("render", "--help").stdout.split())
    for method in SMOOTHING_METHODS:
        assert f"{method} (" in text or f"{method};" in text or f" {method}," in text
