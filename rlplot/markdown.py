"""Markdown output shared by every report: one escaping rule for table cells, one table builder."""
from __future__ import annotations

from typing import Iterable, Sequence


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: ``|`` escaped, line breaks folded to spaces."""
    return " ".join(str(value).replace("|", "\\|").splitlines())


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A GitHub-flavoured Markdown table as lines (cells escaped with ``md_cell``)."""
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines
