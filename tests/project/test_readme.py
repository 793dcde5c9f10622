"""The README's two commands are the ones CI runs and the ones that work."""
from __future__ import annotations

import re

from ..conftest import ROOT


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    return [b.strip() for b in blocks]


def test_ci_runs_the_readme_test_command():
    commands = readme_commands()
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_render_command_renders_the_sample_run():
    render = next(c for c in readme_commands() if "rlplot render" in c)
    assert "sample_runs/seed_like_run.jsonl" in render and "pip install ." in render
    assert (ROOT / "sample_runs" / "seed_like_run.jsonl").exists()
