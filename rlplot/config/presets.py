"""Presets: the YAML configs that ship with rlplot, and how a ``-c``/``extends`` reference is found."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from ..errors import ConfigError


def preset_dirs() -> list[Path]:
    """Folders holding presets: inside the installed package (wheel), else the source tree's configs/."""
    here = Path(__file__).resolve().parent.parent
    return [d for d in (here / "_presets", here.parent / "configs") if d.is_dir()]


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    names: set[str] = set()
    for folder in preset_dirs():
        names.update(p.stem for p in folder.glob("*.yaml"))
    return sorted(names)


def locate(ref: str, relative_to: Path | None = None) -> tuple[Path, bool]:
    """The file a reference means, and whether it was found as a preset name.

    A file wins over a preset of the same name, so a local ``paper.yaml`` is used as
    written; ``paper`` alone means the preset. Within a config (``extends:``, with
    ``relative_to`` its folder) a relative path is relative to that folder only.
    """
    candidate = Path(ref)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if candidate.is_file():
        return candidate, False
    if "/" not in ref and os.sep not in ref:
        stem = ref[:-5] if ref.endswith(".yaml") else ref
        for folder in preset_dirs():
            path = folder / f"{stem}.yaml"
            if path.is_file():
                return path, True
    close = difflib.get_close_matches(ref, preset_names(), n=1)
    hint = f"did you mean the preset '{close[0]}'?" if close else \
        "give a path or a preset: " + ", ".join(preset_names())
    raise ConfigError(f"no config file or preset '{ref}'", hint=hint)


def preset_description(name: str) -> str:
    """A preset's one-line description: the text of its first comment line."""
    path, _ = locate(name)
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            if line.startswith("#"):
                return line.lstrip("#").strip()
            if line.strip():
                break
    return ""
