"""The README's two commands are the ones CI runs and the ones that work."""
from __future__ import annotations

import re
import shlex
import shutil

from matplotlib.image import imread

from ..conftest import ROOT, SAMPLE_JSONL


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    return [b.strip() for b in blocks]


def test_ci_runs_the_readme_test_command():
    commands = readme_commands()
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_render_command_writes_the_figures_it_names(invoke, tmp_path, monkeypatch):
    """Run the quick start's render step (after the install) in a folder holding the sample run."""
    quick_start = next(c for c in readme_commands() if "rlplot render" in c)
    step = next(part for part in quick_start.split("&&") if "rlplot render" in part)
    program, command, *args = shlex.split(step)
    assert program.endswith("rlplot") and command == "render"
    (tmp_path / "sample_runs").mkdir()
    shutil.copy(SAMPLE_JSONL, tmp_path / "sample_runs" / SAMPLE_JSONL.name)
    monkeypatch.chdir(tmp_path)
    result = invoke(command, *args)
    assert result.exit_code == 0, result.stderr
    named = [args[i + 1] for i, arg in enumerate(args) if arg in ("-o", "--output")]
    assert named and result.stdout.split() == named
    for name in named:
        data = (tmp_path / name).read_bytes()
        if name.endswith(".png"):
            assert imread(tmp_path / name).shape[:2] == (720, 1800)   # 12 × 4.8 in at 150 dpi
        else:
            assert name.endswith(".pdf") and data.startswith(b"%PDF-")
            assert data.rstrip().endswith(b"%%EOF") and b"/Type /Page" in data
