"""One big log read as a stream into a Run holding only what is drawn.

Each piece of the file (``io.fast.stream``) is cleaned like a whole log (``clean.clean_series``),
then reduced twice per panel: its LOWESS bins (``smoothing.lowess_stream``) and the points
the figure scatters (``stream.picks``). The Run's series are those drawn points, each
carrying its smoothed values (``StreamedSeries.curve``); they are also the Run's ``curves``,
which ``pipeline.prepare_runs`` uses instead of smoothing the drawn points again. Peak memory:
one piece of the file plus the bins and picks, whatever the file's length.

A log streams only when the result can be made this way: default-style LOWESS (a number
``frac``, ``it=0``, ``delta`` not 0, no ``bandwidth``), no band, no aggregate, linear axes,
a column x (not a time axis, no ``flops_per_step``), no logged min/max band, and a clean
file order: x rising strictly from piece to piece, without restarts or duplicate x. Anything
else (or a line pyarrow refuses) makes ``stream_run`` return None and the log is read in
memory as before, where every damaged line, restart and duplicate is reported.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from ..clean import Dropped, clean_series, cleaning_notices
from ..columns import band_columns, merged_aliases
from ..config.schema import Config
from ..data import Column, Curves, Run, Series, Smoothed, Table
from ..io.fast.arrow import appended
from ..runs.pick import x_column, y_column
from ..runs.smooth import panel_smoothing
from ..smoothing.lowess_engine import LOWESS_BINNED_ABOVE
from ..smoothing.lowess_stream import LowessBins, bin_size
from .picks import ScatterPicks
from .switch import big_log

_COUNTED = ("missing", "nonnumeric", "nan", "inf", "huge")


class NotStreamed(Exception):
    """The log cannot be reduced while streaming (restart, duplicate x, ...): read it in memory."""


@dataclass(frozen=True)
class StreamedSeries(Series):
    """A streamed series: the drawn points of a longer one, with its smoothed values there."""

    curve: np.ndarray | None = None   # the smoothed curve at x, shape (n,)
    points: int = 0                   # points of the whole series (smoothing used all of them)


def streamable(config: Config) -> bool:
    """Whether ``config`` asks for a figure the streamed reduction can draw."""
    if config.runs.aggregate != "none" or config.data.flops_per_step or config.figure.x_scale != "linear":
        return False
    from ..runs.time_axis import is_time_axis

    if is_time_axis(config.data.x):
        return False
    for panel in config.panels:
        spec = panel_smoothing(panel, config)
        if (spec.method != "lowess" or isinstance(spec.frac, str) or spec.it != 0 or spec.delta == 0
                or spec.bandwidth is not None or panel.band != "none" or panel.y_scale != "linear"):
            return False
    return True


def stream_run(ref, config: Config, wanted, *, strict: bool, label: str,
               enabled: bool | None = None) -> Run | None:
    """The Run of a big log read as a stream, or None when it is small or cannot stream.
    ``enabled``: whether streaming is on (None: ``streaming_on()``; a reading worker is told,
    since a context variable does not reach another process)."""
    path = ref.source
    if not big_log(ref, enabled) or not streamable(config):
        return None
    from ..io.fast.stream import Refused, open_stream   # pyarrow: only for big logs

    log = open_stream(path, format=config.data.format, columns=wanted.columns, strict=strict)
    if log is None:
        return None
    try:
        return _reduce(log, ref, config, wanted, label)
    except (Refused, NotStreamed, StopIteration):
        return None


def _reduce(log, ref, config: Config, wanted, label: str) -> Run:
    pieces = log.pieces()
    first = next(pieces)
    if not wanted.found_in(first):
        raise NotStreamed("the columns asked for are not all in the first piece")
    aliases = merged_aliases(config.data.aliases)
    # As runs.load picks them (every name resolves: checked just above).
    x_name = x_column(first, config, aliases)
    y_names = [y_column(first, panel, aliases, path_of(ref)) for panel in config.panels]
    if x_name is None or any(band_columns(first, y) for y in y_names):
        raise NotStreamed("row-number x or a logged band")
    reducers = [_Panel(y, log.rows_hint, panel_smoothing(p, config).frac, p.scatter.max_points)
                for y, p in zip(y_names, config.panels)]
    last, last_notices = log.last_line()
    n_rows = 0
    for piece in _carried(itertools.chain([first], pieces, [last] if last is not None else []),
                          x_name):
        n_rows += piece.n_rows
        for reducer in reducers:
            reducer.add(*clean_series(piece, x_name, reducer.name, restarts=config.data.restarts,
                                      duplicates=config.data.duplicates))
    series = tuple(r.series(x_name, panel_smoothing(p, config)) for r, p in zip(reducers, config.panels))
    drops = [r.dropped(n_rows, x_name, config) for r in reducers]
    notices = (*last_notices, *cleaning_notices(path_of(ref), drops))
    known = getattr(ref, "config", None)
    return Run(label, ref.source, series, notices=tuple(notices), n_rows=n_rows,
               name=getattr(ref, "name", None), experiment=getattr(ref, "experiment", ""),
               kind="log", ref=ref, config=dict(known) if known is not None else None,
               curves=_curves(series, config))


def _curves(series: tuple[StreamedSeries, ...], config: Config) -> Curves:
    """The curves made while streaming, as the run's smoothed series (not smoothed again)."""
    from ..runs.smooth import curves_key, smoothing_params
    from ..smoothing import method_of

    used = [method_of("lowess").used(smoothing_params(panel_smoothing(p, config))) for p in config.panels]
    return Curves(curves_key(config), tuple(Smoothed(x=one.x, y=one.curve, method="lowess", params=params)
                                            for one, params in zip(series, used)))


def path_of(ref) -> str:
    """Where a run's messages point."""
    return getattr(ref, "where", ref.source)


def _carried(pieces, x_name: str):
    """The pieces, each ending before its last run of equal x, which starts the next piece
    instead: points sharing an x then meet in one piece, where cleaning merges them."""
    held = None
    for piece in pieces:
        if held is not None:
            piece = _joined(held, piece)
        x = piece.columns[x_name].values
        if not len(x):
            continue
        cut = len(x) - 1
        while cut > 0 and x[cut - 1] == x[-1]:
            cut -= 1
        if cut == 0:
            held = piece
            continue
        held = _rows(piece, slice(cut, None))
        yield _rows(piece, slice(0, cut))
    if held is not None:
        yield held


def _rows(table: Table, rows: slice) -> Table:
    columns = {name: Column(name, c.values[rows], c.missing[rows], c.nonnumeric[rows])
               for name, c in table.columns.items()}
    return replace(table, columns=columns, n_rows=len(next(iter(columns.values())).values))


def _joined(a: Table, b: Table) -> Table:
    # b's metadata, a's columns (every piece has the picked ones) with b's rows appended.
    return replace(b, columns=appended(dict(a.columns), b), n_rows=a.n_rows + b.n_rows)


class _Panel:
    """One panel's reduction of the stream: LOWESS bins, drawn points, dropped counts."""

    def __init__(self, name: str, rows: int, frac: float, max_points: int):
        self.name = name
        self.frac = float(frac)
        self.bins = LowessBins(bin_size(rows, self.frac))
        self.picks = ScatterPicks(rows, max_points)
        self.last_x = -np.inf
        self.counts = dict.fromkeys(_COUNTED, 0)
        self.x_counts = np.zeros(len(_COUNTED), dtype=np.int64)
        self.duplicates = 0
        self.note, self.x_value = "", float("nan")

    def add(self, piece: Series, dropped: Dropped) -> None:
        """Reduce one cleaned piece; NotStreamed when the file order is not a clean rise of x."""
        if dropped.restart_count or dropped.restarts or dropped.x_note not in ("", "precision"):
            raise NotStreamed("restarts, or an x that is constant or runs backwards")
        self.duplicates += dropped.duplicates
        if dropped.x_note == "precision":
            self.x_value = max(self.x_value, dropped.x_value) if self.note else dropped.x_value
            self.note = "precision"
        for key in _COUNTED:
            self.counts[key] += getattr(dropped, key)
        self.x_counts += np.asarray(dropped.x_counts, dtype=np.int64)
        if not len(piece):
            return
        if piece.x[0] <= self.last_x:
            raise NotStreamed("x does not rise from one piece to the next")
        self.last_x = float(piece.x[-1])
        self.bins.add(piece.x, piece.y)
        self.picks.add(piece.x, piece.y)

    def series(self, x_name: str, spec) -> StreamedSeries:
        """The drawn points with the smoothed curve at them."""
        if self.bins.n <= LOWESS_BINNED_ABOVE or int(self.frac * self.bins.n + 1e-10) < 3:
            raise NotStreamed("few points: the exact LOWESS applies, or its window note")
        curve = self.bins.fit(self.frac, spec.delta)
        x, y = self.picks.points()
        return StreamedSeries(name=self.name, x=x, y=y, x_name=x_name, curve=curve.at(x),
                              points=self.bins.n)

    def dropped(self, total: int, x_name: str, config: Config) -> Dropped:
        """The points this panel dropped, over the whole stream."""
        return Dropped(name=self.name, total=total, x_name=x_name, **self.counts,
                       restart_policy=config.data.restarts, duplicate_policy=config.data.duplicates,
                       x_counts=tuple(int(v) for v in self.x_counts), duplicates=self.duplicates,
                       x_note=self.note, x_value=self.x_value)


__all__ = ["stream_run", "StreamedSeries", "streamable", "NotStreamed"]
