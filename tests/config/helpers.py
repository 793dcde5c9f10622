"""Small helpers shared by the config tests."""
from __future__ import annotations

from pathlib import Path

from rlplot.config.loader import validate_refs


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) and return the path."""
    path.write_text(text, encoding="utf-8")
    return path


def messages(*refs, sets=()) -> list[str]:
    """Every problem ``rlplot config validate`` reports for ``refs``, as one-line strings."""
    return [str(e) for e in validate_refs([str(r) for r in refs], sets)]
