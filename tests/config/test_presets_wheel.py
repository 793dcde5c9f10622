"""SLOW (~10-30 s): presets ship inside the wheel and `-c paper` works after a regular install.

Builds the wheel with ``pip wheel`` (hatchling; PyPI is used if the backend is not cached),
installs it without dependencies into a fresh venv, makes this venv's dependencies importable
there (a .pth of plain paths: the editable rlplot of this venv is NOT on that path), and runs
the installed ``rlplot`` from an unrelated folder, where the repository's configs/ cannot be found.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT, SAMPLE_JSONL

pytestmark = pytest.mark.slow

TIMEOUT = 300


def run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, venv bin folder) with the freshly built rlplot wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT)
    (wheel,) = dist.glob("rlplot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "rlplot/_presets/paper.yaml" in names and "rlplot/_presets/default.yaml" in names

    venv = base / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_rlplot_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    return python, venv / "bin", site


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RLPLOT_DEBUG")}
    env["MPLBACKEND"] = "Agg"
    return env


def test_installed_package_is_the_wheel_not_the_source_tree(installed, tmp_path):
    python, _, site = installed
    where = run(python, "-c", "import rlplot; print(rlplot.__file__)", cwd=tmp_path, env=clean_env())
    assert Path(where.stdout.strip()).is_relative_to(site)
    assert (site / "rlplot" / "_presets" / "paper.yaml").is_file()


def test_render_with_paper_preset_from_another_folder(installed, tmp_path):
    _, bin_dir, _ = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = elsewhere / "run.jsonl"
    log.write_bytes(SAMPLE_JSONL.read_bytes())
    result = run(bin_dir / "rlplot", "render", "run.jsonl", "-c", "paper", cwd=elsewhere, env=clean_env())
    assert result.stdout.strip() == "run.pdf"          # paper writes PDF by default
    pdf = (elsewhere / "run.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf


def test_config_list_and_show_from_the_wheel(installed, tmp_path):
    _, bin_dir, _ = installed
    listed = run(bin_dir / "rlplot", "config", "list", cwd=tmp_path, env=clean_env()).stdout
    assert {line.split()[0] for line in listed.splitlines()} >= {"default", "paper", "slides", "dark"}
    shown = run(bin_dir / "rlplot", "config", "show", "-c", "slides", "--sources", cwd=tmp_path,
                env=clean_env()).stdout
    assert "  width: 13.33  # preset:slides:3" in shown.splitlines()
