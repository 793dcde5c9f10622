"""How data in memory is laid out: the column that splits runs and long form's columns.

Its own small module so that ``rlplot.api`` can take a layout without importing narwhals.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """What the caller said about the data: run-splitting and long-form columns, columns wanted."""

    runs: str | None = None
    tag: str | None = None
    value: str | None = None
    step: str | None = None
    long: bool | None = None
    wanted: frozenset[str] | None = None   # lower-case names, aliases included (columns.could_match)
    keys: tuple[str, ...] | None = ()      # settings asked for (None: every column)
