"""Which columns a run draws: its x (``data.x`` or the default) and each panel's y.

One rule for every reader: ``runs.load`` (a log read whole) and ``stream.run`` (a big log
streamed) pick the same names from a table.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from ..columns import default_x, require_column
from ..config.schema import Config, PanelStyle
from ..data import Table
from ..errors import ColumnError

Aliases = Mapping[str, Sequence[str]]


def _skipped_hint(table: Table) -> str:
    # When a column is missing because the lines holding it were skipped, say why.
    if not table.skipped:
        return ""
    first = table.skipped[0]
    where = f"line {first.line}: " if first.line is not None else ""
    count = len(table.skipped)
    lines = "1 line was" if count == 1 else f"{count} lines were"
    return f"; {lines} skipped, the first ({where}{first.what.removeprefix('skipped line: ')})"


def x_column(table: Table, config: Config, aliases: Aliases) -> str | None:
    """The x column the config asks for (``data.x`` or the default), None for the row number."""
    try:
        return (require_column(table, config.data.x, aliases) if config.data.x
                else default_x(table, aliases))
    except ColumnError as exc:
        exc.hint = (exc.hint or "") + _skipped_hint(table)
        raise


def y_column(table: Table, panel: PanelStyle, aliases: Aliases, where: str) -> str:
    """The column a panel draws (its ``metric``); a ColumnError names ``where`` and why."""
    try:
        return require_column(table, panel.metric, aliases)
    except ColumnError as exc:
        if panel.metric.lower() in aliases and exc.hint:
            exc.hint += "; choose columns with --x/--y"
        exc.hint = (exc.hint or "") + _skipped_hint(table)
        if where != table.source:
            exc.file = where
        raise
