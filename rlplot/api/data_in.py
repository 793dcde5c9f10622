"""What a notebook passes -> Runs: log paths (as the CLI reads them) or data in memory.

Data in memory (a pandas/polars DataFrame, a pyarrow Table, a dict of columns, records,
or a list or dict of these) is read by ``io.frames.read_data``, only the columns the
figure needs. A frame has no config file: the settings of a run are the columns that
hold one value per run, and a ``group_by``/``where`` that names such a column means
that column (``group_by="lr"`` is ``cfg:lr``), as ``compare``'s ``algo_by``/``task_by``
do. Anything else keeps its CLI meaning (a regex over the run's name). No matplotlib.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from typing import Any, Iterable, Sequence

from ..config.schema import Config
from ..data import Table
from ..errors import ConfigError, InputError
from ..io.frame_layout import Layout
from ..provenance import InputRecord
from ..runs.load import RunSet, load_tables, wanted_columns
from ..runs.specs import CFG, config_key, parse_where

DATA_SOURCE = "<data>"     # how messages name data in memory (a run inside: "<data> [seed0]")


@dataclass(frozen=True)
class Loaded:
    """The Runs of one call and what saving and ``data()`` need to know of where they came from."""

    runs: RunSet
    config: Config                       # with column names as cfg: specs (data in memory)
    files: tuple[str, ...] = ()          # the files read (paths in); an output never overwrites one
    record: InputRecord | None = None    # data in memory, recorded by its hash
    template: Any = None                 # the user's data: data() answers in its library
    columns: tuple[str, ...] = ()        # the keys asked for that name columns (data in memory)


def is_paths(data: Any) -> bool:
    """Whether ``data`` names logs (a path, or a list of paths) rather than holding the data."""
    if isinstance(data, (str, os.PathLike)):
        return True
    if isinstance(data, (list, tuple)) and data:
        paths = [isinstance(item, (str, os.PathLike)) for item in data]
        if all(paths):
            return True
        if any(paths):
            raise InputError("a list of both paths and data", file=DATA_SOURCE,
                             hint="pass log paths, or data in memory, not both in one list")
    return False


def path_list(data: Any) -> list[str]:
    """``data`` that ``is_paths`` as a list of path strings."""
    return [os.fspath(data)] if isinstance(data, (str, os.PathLike)) else [os.fspath(p) for p in data]


def load(data: Any, config: Config, *, layout: Layout = Layout(), labels: Sequence[str] = (),
         strict: bool = False) -> Loaded:
    """Read and clean every run of ``data`` (paths or data in memory) for ``config``'s panels."""
    from ..pipeline import check_settings

    if not is_paths(data):
        return load_data(data, config, layout=layout, labels=labels)
    from ..runs.load import load_all
    from ..runs.walk import find_inputs, input_files

    check_settings(config)
    found = find_inputs(path_list(data))
    runs = load_all(found, config, strict=strict, labels=list(labels) or None)
    return Loaded(runs, config, tuple(input_files(found)))


def spec_keys(specs: Iterable[str], wheres: Iterable[str] = ()) -> list[str]:
    """The names that ``group_by`` specs and ``where`` conditions may mean as columns."""
    keys = [config_key(spec) or spec for spec in specs]
    for text in wheres:
        keys.append(_where_key(text)[0])
    return [key for key in dict.fromkeys(keys) if key]


def _where_key(text: str) -> tuple[str | None, bool]:
    """(the key a condition names, whether it is written without ``cfg:``)."""
    try:
        condition = parse_where(text)
        return (None if condition.field else condition.key), False
    except ConfigError:
        try:
            return parse_where(CFG + text).key, True
        except ConfigError:
            return None, False


def with_columns(config: Config, columns: Sequence[str]) -> Config:
    """``config`` with each ``group_by`` spec and ``where`` condition that names one of
    ``columns`` (a run's settings) written as a ``cfg:`` key."""
    named = {c.lower() for c in columns}
    group_by = tuple(CFG + spec if config_key(spec) is None and spec.lower() in named else spec
                     for spec in config.runs.group_by)
    where = []
    for text in config.runs.where:
        key, bare = _where_key(text)
        where.append(CFG + text if bare and key is not None and key.lower() in named else text)
    return replace(config, runs=replace(config.runs, group_by=group_by, where=tuple(where)))


def used_keys(config: Config) -> list[str]:
    """The config keys ``group_by`` and ``where`` look up."""
    keys = [config_key(spec) for spec in config.runs.group_by]
    keys += [_where_key(text)[0] for text in config.runs.where]
    return [key for key in keys if key]


def check_constant(read, keys: Sequence[str]) -> None:
    """Refuse a column used as a run's setting that changes within a run (InputError)."""
    for item in read:
        for key in keys:
            changing = {k.lower(): v for k, v in item.settings.varying.items()}.get(key.lower())
            if changing:
                name = item.table.run if item.table.run is not None else "the data"
                raise InputError(f"column '{key}' changes within run '{name}' "
                                 f"({', '.join(changing)}, …)", file=DATA_SOURCE,
                                 hint="a run's setting needs one value per run; split the runs "
                                      "with runs=COLUMN")


def read_frames(data: Any, config: Config, layout: Layout, keys: Sequence[str]):
    """``io.frames.read_data`` of the columns the figure needs (all of them when one is missing,
    so that the error lists every column) and of the ``keys`` columns."""
    from ..io.frames import read_data

    wanted = wanted_columns(config)
    options = dict(keys=keys, runs=layout.runs, tag=layout.tag, value=layout.value,
                   step=layout.step, long=layout.long, source=DATA_SOURCE)
    read = read_data(data, columns=wanted.columns, **options)
    if all(wanted.found_in(item.table) for item in read):
        return read
    return read_data(data, **options)


def load_data(data: Any, config: Config, *, layout: Layout = Layout(), labels: Sequence[str] = (),
              keys: Sequence[str] = ()) -> Loaded:
    """Read data in memory into Runs (see the module docstring); ``keys``: more specs that may
    name columns (``compare``'s ``algo_by``/``task_by``)."""
    from ..pipeline import check_settings

    asked = spec_keys([*config.runs.group_by, *keys], config.runs.where)
    read = read_frames(data, config, layout, asked)
    columns = tuple(dict.fromkeys(c for item in read for c in item.settings.columns))
    config = with_columns(config, columns)
    check_constant(read, [*used_keys(config), *spec_keys(keys)])
    check_settings(config)
    tables = [item.table for item in read]
    runs = load_tables(tables, config, labels=list(labels) or None,
                       settings=[dict(item.settings.values) for item in read])
    return Loaded(runs, config, record=data_record(tables, config), template=data, columns=columns)


def data_digest(tables: Sequence[Table]) -> tuple[str, int]:
    """The sha256 of what was read (every run's name and columns: values and flags, in order) and
    the number of bytes hashed."""
    digest = hashlib.sha256()
    size = 0
    for table in tables:
        digest.update(repr((table.run, table.n_rows, list(table.columns))).encode())
        for column in table.columns.values():
            for array in (column.values, column.missing, column.nonnumeric):
                digest.update(array.tobytes())
                size += array.nbytes
    return digest.hexdigest(), size


def data_record(tables: Sequence[Table], config: Config) -> InputRecord | None:
    """How a figure's provenance records data in memory: by the hash of what was read."""
    if config.output.provenance is False:
        return None
    shown = DATA_SOURCE if config.output.provenance is True else None
    return InputRecord(shown, *data_digest(tables))
