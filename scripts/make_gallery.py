"""Render the sample run with every preset into small PNGs under docs/gallery/ (for the README).

    python scripts/make_gallery.py            # all presets
    python scripts/make_gallery.py paper dark # some

Each image is about WIDTH_PX wide whatever the preset's size in inches, so the gallery
shows proportions and relative font sizes, not print resolution. The four-panel preset
needs columns the seed-like sample does not have, so it uses tests/data/four_metrics.jsonl.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "gallery"
SAMPLE = ROOT / "sample_runs" / "seed_like_run.jsonl"
LOGS = {"four-panel": ROOT / "tests" / "data" / "four_metrics.jsonl"}
WIDTH_PX = 640


def render_preset(name: str) -> Path:
    """Render one preset's gallery image; returns its path."""
    from rlplot.config import load_config
    from rlplot.pipeline import render

    width = load_config([name]).config.figure.width
    dpi = max(20, round(WIDTH_PX / width))
    config = load_config([name], [f"figure.dpi={dpi}", "output.dpi=null"]).config
    target = OUT / f"{name}.png"
    render([str(LOGS.get(name, SAMPLE))], [str(target)], config)
    return target


def main(argv: list[str]) -> int:
    """Render the presets named in ``argv`` (default: all) and print each file with its size."""
    sys.path.insert(0, str(ROOT))
    from rlplot.config import preset_names

    names = argv or preset_names()
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = render_preset(name)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
