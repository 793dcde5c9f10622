"""Sweep folders and checks shared by the batch tests."""
from __future__ import annotations

from pathlib import Path

from ..conftest import seed_like_records, write_jsonl

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LR = "lr([^_]+)_seed"   # the --group-by of a learning-rate sweep
SEEDS = ("lr3e-4_seed1", "lr3e-4_seed2", "lr3e-4_seed3", "lr1e-3_seed1", "lr1e-3_seed2")


def make_sweep(root: Path, names=("lr1e-3_seed1", "lr1e-3_seed2", "lr3e-4_seed1"), n=40,
               bad=()) -> Path:
    """A sweep folder: one ``metrics.jsonl`` per run (same file name everywhere, as in real sweeps);
    run ``i`` has ``n + i`` rows, a run in ``bad`` holds no log at all."""
    for i, name in enumerate(names):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        if name in bad:
            (folder / "metrics.jsonl").write_text("not a log at all\n")
        else:
            write_jsonl(folder / "metrics.jsonl", seed_like_records(n + i))
    return root


def png_complete(path: Path) -> bool:
    """A PNG that starts with the signature and ends with the IEND chunk (not cut off)."""
    data = path.read_bytes()
    return data.startswith(PNG_MAGIC) and data.endswith(b"IEND\xaeB`\x82")


def outputs_of(out: Path, ext="png") -> list[str]:
    """Every ``*.ext`` under ``out``, relative POSIX paths, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(f"*.{ext}"))


def legends(result) -> list[list[str]]:
    """The legend texts of each panel of a RenderResult's figure."""
    return [[t.get_text() for t in ax.get_legend().get_texts()] for ax in result.figure.axes]


def last_line(result) -> str:
    """The last stderr line of a CLI run: the batch summary."""
    return result.stderr.splitlines()[-1]
