"""Text shown on a figure. No matplotlib import: the pipeline resolves titles with it."""
from __future__ import annotations


def plain_text(text: str) -> str:
    """Text taken from a log (a column or file name) shown as is: a ``$`` would start mathtext."""
    return text.replace("$", r"\$")
