"""Runs -> Runs ready to draw: read each run (only the columns the figure needs), pick its
columns, clean each panel's series. ``load_all`` takes the paths a command names (files,
folders, stores, globs); ``load_runs`` one path; ``run_from_table`` one Table; ``load_tables``
the Tables of data in memory (``io.frames``), each with its settings as its config.

A run found in a folder or a store that lacks what the figure asks for (a column, any scalar
at all), or that cannot be read (unless ``strict``), is left out with a warning when there are
other runs; when no run is left, the first one's error is the error. A file named as it is
stops with its error, as it always did.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np

from ..choices import RUN_SOURCES
from ..clean import clean_series, cleaning_notices
from ..columns import band_columns, is_flops, merged_aliases, needed_columns
from ..config.schema import Config
from ..data import LoggedBand, Notice, Run, Series, Table
from ..errors import ColumnError, InputError, RlplotError
from ..names import STDIN, run_label, unique_labels
from .discover import automatic_labels, choose_ref_labels
from .parallel import Reading, read_each
from .pick import x_column, y_column
from .refs import Found, RunRef, Wanted
from .time_axis import X_NAMES, is_time_axis, with_time_x

Aliases = Mapping[str, Sequence[str]]


class RunSet(tuple):
    """The Runs loaded, in order (a tuple), with ``notices``: what loading saw across them (folders
    without runs, deleted tracker runs, runs left out and why)."""

    notices: tuple[Notice, ...]

    def __new__(cls, runs=(), notices: Sequence[Notice] = ()):
        made = super().__new__(cls, runs)
        made.notices = tuple(notices)
        return made


def wanted_columns(config: Config) -> Wanted:
    """What the figure needs of every run: the chosen x (or, on a time axis, the timestamps) and
    each panel's metric."""
    aliases = merged_aliases(config.data.aliases)
    metrics = [p.metric for p in config.panels]
    x = config.data.x
    if is_time_axis(x):
        # "time" among the names: a run without a timestamp column is read whole, so that its
        # error lists every column it has.
        return Wanted(tuple(["time", *metrics]), tuple(needed_columns("time", metrics, aliases)),
                      aliases)
    return Wanted(tuple([x] * bool(x) + metrics), tuple(needed_columns(x, metrics, aliases)), aliases)


def load_all(paths, config: Config, *, strict: bool = False,
             labels: Sequence[str] | None = None, reading: Reading | None = None,
             smooth: bool = False) -> RunSet:
    """Every run the paths hold (log files, folders of runs, stores, globs, ``RunRef``s, or what
    ``runs.walk.find_inputs`` found), labelled (``labels``, then ``runs.labels``, then
    automatically) and filtered by ``runs.where``; many runs are read in parallel as
    ``reading`` says (``runs.parallel``: default all cores, few runs here). ``smooth``: each run
    also carries its series smoothed for ``config`` (``Run.curves``), made where it was read."""
    from .walk import find_inputs

    return load_found(find_inputs(paths), config, strict=strict, labels=labels, reading=reading,
                      smooth=smooth)


def load_found(found: Found, config: Config, *, strict: bool = False,
               labels: Sequence[str] | None = None, reading: Reading | None = None,
               smooth: bool = False) -> RunSet:
    """Load the runs ``found`` (see ``load_all``)."""
    from .select import configs_needed, group_notices, select_refs

    # Automatic labels come from every run found, so a run keeps its label whatever --where keeps.
    refs, kept_labels, notices = select_refs(found.refs, config, automatic_labels(found.refs))
    chosen, automatic = choose_ref_labels(refs, config.runs.labels, labels, kept_labels)
    from ..stream.switch import streaming_on

    options = (config, wanted_columns(config), strict, configs_needed(config), streaming_on())
    runs: list[Run] = []
    failed: list[tuple[RunRef, RlplotError]] = []
    # Read in parallel, then taken in order: the first error that stops is the one serial
    # reading would have stopped at, and the runs and notices keep their order.
    loaded = read_each(list(zip(refs, chosen, automatic)), load_item, options, reading,
                       paths=[path for ref in refs for path in ref.files],
                       local=not all(is_plain_file_run(ref) for ref in refs),
                       finish=smooth_loaded if smooth else None)
    for ref, result in zip(refs, loaded):
        if isinstance(result, RlplotError):
            if len(refs) == 1 or not _left_out(result, ref, strict):
                raise result
            failed.append((ref, result))
        else:
            runs.extend(result)
    if not runs:
        raise _nothing_left(failed)
    notices += [Notice(f"left out: {exc.what}" + (f" ({exc.hint})" if exc.hint else ""),
                       file=exc.file or ref.where) for ref, exc in failed]
    notices += group_notices(runs, config)
    return RunSet(runs, (*found.notices, *notices))


DATA_LABEL = "data"   # the label of a run read from memory that has no name of its own


def load_tables(tables: Sequence[Table], config: Config, *, labels: Sequence[str] | None = None,
                settings: Sequence[Mapping] | None = None) -> RunSet:
    """Clean Tables read from memory into Runs, as ``load_found`` does runs found on disk: labelled
    (``labels`` by position, then ``runs.labels`` by automatic label, then each table's run
    name), kept by ``runs.where`` and told which group-by keys they lack. ``settings[i]`` is
    table i's config (``cfg:`` keys look there); an error in any table stops, as a file named
    as it is does."""
    from .select import group_notices
    from .specs import parse_where, select

    automatic = unique_labels([str(t.run) if t.run is not None else DATA_LABEL for t in tables])
    chosen = [config.runs.labels.get(label, label) for label in automatic]
    chosen[:len(labels or ())] = list(labels or ())[:len(chosen)]
    configs = list(settings) if settings is not None else [{} for _ in tables]
    items = list(zip(tables, chosen, configs))
    conditions = [parse_where(text) for text in config.runs.where]
    notices: list[Notice] = []
    if conditions:
        fields = {"experiment": lambda item: "", "kind": lambda item: "log",
                  "name": lambda item: item[0].run or item[1]}
        items, notices = select(items, conditions, lambda item: item[1],
                                lambda item, name: fields[name](item), lambda item: item[2])
    runs = [run_from_table(table, config, label, settings=values) for table, label, values in items]
    return RunSet(runs, (*notices, *group_notices(runs, config)))


def _left_out(error: RlplotError, ref: RunRef, strict: bool) -> bool:
    """Whether a run's error leaves it out (other runs go on) rather than stopping everything:
    only a run found in a folder or a store; a file named as it is stops with its error."""
    from ..io.tfevents import NoScalarsError

    if ref.found_in is None:
        return False
    if isinstance(error, (ColumnError, NoScalarsError)):
        return True
    return not strict and isinstance(error, InputError)


def _nothing_left(failed: list[tuple[RunRef, RlplotError]]) -> RlplotError:
    """The error when every run failed: the first one's, saying it held for all."""
    first = failed[0][1]
    if len(failed) > 1 and all(type(exc) is type(first) and exc.what == first.what
                               for _, exc in failed):
        others = len(failed) - 1
        first.what += (" (nor in the other run)" if others == 1 else
                       f" (nor in any of the other {others} runs)")
    return first


def load_runs(path: str, config: Config, *, strict: bool = False, label: str | None = None,
              default_label: str | None = None) -> tuple[Run, ...]:
    """Read and clean every run one path holds (a TensorBoard long export or a store holds several).

    A one-run file is labelled ``label``, else ``default_label``, else its name; a file with
    several runs labels each by its run name (prefixed by ``label`` if given).
    """
    from .walk import find_path

    refs = find_path(path).refs
    defaults = automatic_labels(refs) if len(refs) > 1 else [default_label or run_label(path)]
    wanted = wanted_columns(config)
    return tuple(run for ref, default in zip(refs, defaults)
                 for run in load_ref(ref, config, wanted, strict=strict,
                                     label=label if len(refs) == 1 else None,
                                     default_label=default))


def load_item(item: tuple[RunRef, str | None, str | None], config: Config, wanted: Wanted,
              strict: bool, with_config: bool, stream: bool = False) -> tuple[Run, ...]:
    """``load_ref`` of one ``(ref, label, default label)``: what a reading worker runs."""
    ref, label, default = item
    return load_ref(ref, config, wanted, strict=strict, label=label, default_label=default,
                    with_config=with_config, stream=stream)


def smooth_loaded(results: list, config: Config, *_options) -> list:
    """A slice's ``load_item`` results, its runs carrying their smoothed series (``Run.curves``),
    smoothed together (``runs.smooth.with_curves``); an RlplotError stays in its place."""
    from .smooth import with_curves

    runs = [run for result in results if not isinstance(result, RlplotError) for run in result]
    try:
        done = iter(with_curves(runs, config))
    except RlplotError:   # find whose runs raised it, as smoothing them one by one would
        return [result if isinstance(result, RlplotError) else _smoothed(result, config)
                for result in results]
    return [result if isinstance(result, RlplotError) else tuple(next(done) for _ in result)
            for result in results]


def _smoothed(runs: tuple[Run, ...], config: Config) -> tuple[Run, ...] | RlplotError:
    from .smooth import with_curves

    try:
        return with_curves(runs, config)
    except RlplotError as exc:
        return exc


def is_plain_file_run(ref: RunRef) -> bool:
    """Whether a worker process can read ``ref`` as this one would: files on disk, no tracker
    object (standard input and tracker runs are read here)."""
    return ref.tracker is None and ref.source != STDIN and STDIN not in ref.files


def load_ref(ref: RunRef, config: Config, wanted: Wanted, *, strict: bool = False,
             label: str | None = None, default_label: str | None = None,
             with_config: bool = False, stream: bool | None = None) -> tuple[Run, ...]:
    """Read one run (a log of several runs gives several) and clean it for the figure.
    ``stream``: whether a big log may be streamed (None: as ``rlplot.stream.streaming`` says)."""
    from ..stream.switch import big_log

    if not with_config and big_log(ref, stream):   # streamed down to what is drawn, if it can be
        from ..stream.run import stream_run
        streamed = stream_run(ref, config, wanted, strict=strict, enabled=stream,
                              label=label or default_label or run_label(ref.source))
        if streamed is not None:
            return (streamed,)
    source = RUN_SOURCES.load(ref.kind)
    tables = source.read(ref, wanted, strict, config.data.format if ref.kind == "log" else None)
    settings = None
    if with_config:
        from .configs import ref_config
        settings = dict(ref_config(ref).values)
    if len(tables) == 1:
        name = label or default_label or run_label(ref.source)
        return (run_from_table(tables[0], config, name, ref=ref, settings=settings),)
    return tuple(run_from_table(t, config, f"{label}: {t.run}" if label else str(t.run), ref=ref,
                                settings=settings) for t in tables)


def _with_x(table: Table, config: Config, aliases: Aliases, where: str) -> tuple[Table, str | None]:
    """The table (with a time axis' column added) and the name of its x column."""
    axis = config.data.x
    if not is_time_axis(axis):
        return table, x_column(table, config, aliases)
    try:
        return with_time_x(table, axis, aliases), X_NAMES[axis]
    except ColumnError as exc:
        exc.file = where
        raise


def run_from_table(table: Table, config: Config, label: str, *, ref: RunRef | None = None,
                   settings: Mapping | None = None) -> Run:
    """Clean one Table into a Run: one Series per panel, warnings for everything dropped.

    ``ref``: the run it was read as; ``settings``: its configuration, when already read.
    """
    aliases = merged_aliases(config.data.aliases)
    blank = Run(label, table.source, (), name=table.run if table.run is not None else
                getattr(ref, "name", None), experiment=getattr(ref, "experiment", ""))
    where = blank.where
    table, x_name = _with_x(table, config, aliases, where)
    series, drops, band_notices = [], [], []
    for panel in config.panels:
        y_name = y_column(table, panel, aliases, where)
        cleaned, dropped = clean_series(table, x_name, y_name, restarts=config.data.restarts,
                                        duplicates=config.data.duplicates)
        if len(cleaned) == 0:
            raise ColumnError(f"no usable points for '{y_name}'" +
                              (f": {dropped.describe()}" if dropped.count else ""),
                              file=where, hint="check the column, or choose another with --y")
        band, notice = logged_band(table, x_name, y_name, config, where)
        cleaned = replace(cleaned, band=band)
        if config.data.flops_per_step and not is_flops(x_name, aliases) and not is_time_axis(
                config.data.x):
            cleaned = _in_flops(cleaned, config.data.flops_per_step)
        series.append(cleaned)
        drops.append(dropped)
        band_notices += [notice] if notice else []
    # table.notes (what an adapter added or set aside) are shown by `rlplot inspect`, not here.
    notices = [*table.skipped, *cleaning_notices(where, drops), *band_notices]
    known = settings if settings is not None else getattr(ref, "config", None)
    return replace(blank, series=tuple(series), notices=tuple(notices), n_rows=table.n_rows,
                   kind=getattr(ref, "kind", "log"), ref=ref,
                   config=dict(known) if known is not None else None)


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
