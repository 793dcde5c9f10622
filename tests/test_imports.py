"""Import discipline: reading/cleaning/smoothing never import matplotlib; help stays light."""
from __future__ import annotations

import subprocess
import sys

import pytest


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", ["rlplot.io", "rlplot.clean", "rlplot.columns", "rlplot.smoothing",
                                    "rlplot.pipeline", "rlplot.config"])
def test_data_stages_do_not_import_matplotlib(module):
    assert "matplotlib" not in modules_after(f"import {module}")


def test_prepare_runs_without_matplotlib(seed_log):
    loaded = modules_after(f"from rlplot.pipeline import prepare\nprepare([{str(seed_log)!r}])")
    assert "matplotlib" not in loaded
    # statsmodels' compiled LOWESS is loaded without its package __init__ (pandas + scipy, ~0.5 s)
    assert "pandas" not in loaded


def test_help_and_version_import_no_heavy_module():
    for args in ("['--help']", "['--version']", "['render', '--help']"):
        loaded = modules_after("from rlplot.cli import cli\n"
                               f"try:\n    cli.main(args={args}, standalone_mode=False)\n"
                               "except SystemExit:\n    pass")
        assert not {"numpy", "matplotlib", "statsmodels", "pandas"} & loaded, args
