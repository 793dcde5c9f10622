"""Table -> Run: read a log (only the columns the figure needs), pick its columns, clean each panel's series."""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np

from ..clean import clean_series, cleaning_notices
from ..columns import (band_columns, default_x, is_flops, merged_aliases, needed_columns,
                       require_column, resolves)
from ..config.schema import Config, PanelStyle
from ..data import LoggedBand, Notice, Run, Series, Table
from ..errors import ColumnError, InputError
from ..io import read_header, read_tables
from ..names import run_label
from .discover import choose_labels

Aliases = Mapping[str, Sequence[str]]


def load_all(paths: Sequence[str], config: Config, *, strict: bool = False,
             labels: Sequence[str] | None = None) -> tuple[Run, ...]:
    """Every run of every log, labelled (``labels``, then ``runs.labels``, then automatically)."""
    chosen, automatic = choose_labels(paths, config.runs.labels, labels)
    return tuple(run for path, label, default in zip(paths, chosen, automatic)
                 for run in load_runs(path, config, strict=strict, label=label,
                                      default_label=default))


def load_runs(path: str, config: Config, *, strict: bool = False, label: str | None = None,
              default_label: str | None = None) -> tuple[Run, ...]:
    """Read and clean every run a log holds (a TensorBoard long export or W&B panel export holds several).

    A one-run file is labelled ``label``, else ``default_label``, else its name; a file with
    several runs labels each by its run name (prefixed by ``label`` if given).
    """
    tables = _read_needed(path, config, strict)
    if len(tables) == 1:
        return (run_from_table(tables[0], config, label or default_label or run_label(path)),)
    return tuple(run_from_table(t, config, f"{label}: {t.run}" if label else str(t.run))
                 for t in tables)


def _figure_columns(config: Config) -> list[str]:
    # The names the figure resolves: the x column when one is chosen, then each panel's metric.
    return [config.data.x] * bool(config.data.x) + [p.metric for p in config.panels]


def _read_needed(path: str, config: Config, strict: bool) -> tuple[Table, ...]:
    # Big plain logs are read column-wise, only the columns the figure needs. When those
    # names do not resolve, the error must still list every column: take them from a big
    # log's header, or else from a full tolerant read.
    aliases = merged_aliases(config.data.aliases)
    fmt, names = config.data.format, _figure_columns(config)
    needed = needed_columns(config.data.x, [p.metric for p in config.panels], aliases)
    tables = read_tables(path, format=fmt, strict=strict, columns=needed)
    if len(tables) == 1 and not resolves(tables[0], names, aliases):
        head = read_header(path, format=fmt)
        if head is not None and not resolves(head, names, aliases):
            return (head,)
        tables = read_tables(path, format=fmt, strict=strict)
    return tables


def _skipped_hint(table: Table) -> str:
    # When a column is missing because the lines holding it were skipped, say why.
    if not table.skipped:
        return ""
    first = table.skipped[0]
    where = f"line {first.line}: " if first.line is not None else ""
    count = len(table.skipped)
    lines = "1 line was" if count == 1 else f"{count} lines were"
    return f"; {lines} skipped, the first ({where}{first.what.removeprefix('skipped line: ')})"


def _x_column(table: Table, config: Config, aliases: Aliases) -> str | None:
    try:
        return (require_column(table, config.data.x, aliases) if config.data.x
                else default_x(table, aliases))
    except ColumnError as exc:
        exc.hint = (exc.hint or "") + _skipped_hint(table)
        raise


def _y_column(table: Table, panel: PanelStyle, aliases: Aliases, where: str) -> str:
    try:
        return require_column(table, panel.metric, aliases)
    except ColumnError as exc:
        if panel.metric.lower() in aliases and exc.hint:
            exc.hint += "; choose columns with --x/--y"
        exc.hint = (exc.hint or "") + _skipped_hint(table)
        if table.run:
            exc.file = where
        raise


def run_from_table(table: Table, config: Config, label: str) -> Run:
    """Clean one Table into a Run: one Series per panel, warnings for everything dropped."""
    aliases = merged_aliases(config.data.aliases)
    where = f"{table.source} [{table.run}]" if table.run else table.source
    x_name = _x_column(table, config, aliases)
    series, drops, band_notices = [], [], []
    for panel in config.panels:
        y_name = _y_column(table, panel, aliases, where)
        cleaned, dropped = clean_series(table, x_name, y_name, restarts=config.data.restarts,
                                        duplicates=config.data.duplicates)
        if len(cleaned) == 0:
            raise InputError(f"no usable points for '{y_name}'" +
                             (f": {dropped.describe()}" if dropped.count else ""),
                             file=where, hint="check the column, or choose another with --y")
        band, notice = logged_band(table, x_name, y_name, config, where)
        cleaned = replace(cleaned, band=band)
        if config.data.flops_per_step and not is_flops(x_name, aliases):
            cleaned = _in_flops(cleaned, config.data.flops_per_step)
        series.append(cleaned)
        drops.append(dropped)
        band_notices += [notice] if notice else []
    # table.notes (what an adapter added or set aside) are shown by `rlplot inspect`, not here.
    notices = [*table.skipped, *cleaning_notices(where, drops), *band_notices]
    return Run(label=label, source=table.source, series=tuple(series), notices=tuple(notices),
               n_rows=table.n_rows)


def _in_flops(series: Series, flops_per_step: float) -> Series:
    band = series.band
    if band is not None:
        band = replace(band, x=band.x * flops_per_step)
    return replace(series, x=series.x * flops_per_step, x_name="flops", band=band)


def _unusable(values: np.ndarray, missing: np.ndarray, nonnumeric: np.ndarray) -> np.ndarray:
    return missing | nonnumeric | ~np.isfinite(values)


def logged_band(table: Table, x_name: str | None, y_name: str, config: Config, where: str
                ) -> tuple[LoggedBand | None, Notice | None]:
    """The min/max band a log records with ``y_name`` (W&B's ``__MIN``/``__MAX``), cleaned like it.

    A row whose min or max is unusable is left out of both, so the two share their x; a
    notice counts the points of the metric whose band is missing that way.
    """
    pair = band_columns(table, y_name)
    if pair is None:
        return None, None
    low, high = (table.columns[name] for name in pair)
    bad = (_unusable(low.values, low.missing, low.nonnumeric)
           | _unusable(high.values, high.missing, high.nonnumeric))
    masked = {name: replace(c, missing=c.missing | bad, nonnumeric=c.nonnumeric & ~bad)
              for name, c in zip(pair, (low, high))}
    view = replace(table, columns={**table.columns, **masked})
    bounds = [clean_series(view, x_name, name, restarts=config.data.restarts,
                           duplicates=config.data.duplicates)[0] for name in pair]
    y = table.columns[y_name]
    lost = int((bad & ~_unusable(y.values, y.missing, y.nonnumeric)).sum())
    notice = Notice(f"{y_name}: the logged band leaves out {lost} point{'s' * (lost != 1)} whose "
                    f"{pair[0]} or {pair[1]} is missing or not a number", file=where) if lost else None
    if not len(bounds[0]):
        return None, notice
    return LoggedBand(x=bounds[0].x, low=bounds[0].y, high=bounds[1].y, columns=pair), notice
