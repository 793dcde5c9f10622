"""The library API behind ``rlplot render``: read -> clean -> smooth -> draw -> save.

``prepare`` does everything up to smoothing and imports no matplotlib; ``render``
adds drawing and atomic saving. A notebook can call either. Each stage lives in its
own module; this one only runs them in order:

1. ``runs.walk`` + ``runs.discover``: expand globs, find the runs in folders and stores,
   keep those ``runs.where`` selects, choose each run's label
2. ``runs.load``: read each run (only the needed columns; many runs in worker processes,
   ``runs.parallel``), pick columns (or a time axis), clean -> Runs; a run without the asked
   column is left out with a warning. Data in memory (``rlplot.api``) enters here instead:
   ``io.frames`` -> Tables -> ``runs.load.load_tables`` -> ``prepare_runs``, which runs steps
   3-5 whatever the Runs came from
3. ``runs.checks``: one kind of x for all runs; points a log axis cannot show
4. ``runs.smooth``: smooth each run's series per panel
5. ``aggregate``: group runs, aggregate each group, say how in a footnote
6. ``figure.chart`` + ``figure.save``: draw and write every output atomically
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .aggregate import Group, aggregate_runs
from .columns import merged_aliases
from .config.schema import Config, PanelStyle
from .data import Notice, Run, Smoothed
from .errors import InputError, OutputError
from .figure import import_drawing
from .figure.text import logged_band_footnote, resolve_panel, x_axis_label
from .provenance import make_provenance
from .runs.checks import check_same_x, log_scale_notices
from .runs.load import load_all
from .runs.parallel import Reading
from .runs.refs import Found
from .runs.select import check_specs
from .runs.smooth import check_smoothing, smooth_runs
from .runs.time_axis import x_kind
from .runs.walk import find_inputs, input_files
from .stream.switch import streaming


LONG_READ_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """Runs read, cleaned and smoothed, with every panel's titles resolved: ready to draw."""

    runs: tuple[Run, ...]
    smoothed: tuple[tuple[Smoothed, ...], ...]   # [run][panel]
    panels: tuple[PanelStyle, ...]
    x_label: str
    groups: tuple[Group, ...] = ()               # empty: every run stands for itself
    aggregated: bool = False
    footnote: str | None = None
    x_kind: str = "value"                        # wall | relative (time axes, seconds) | value
    found: tuple[Notice, ...] = ()               # finding runs: empty folders, runs left out, ...

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning: finding the runs, then each run's (reading, cleaning, smoothing), in order."""
        return self.found + tuple(n for run, smoothed in zip(self.runs, self.smoothed)
                                  for n in run.notices + tuple(m for s in smoothed for m in s.notices))


@dataclass(frozen=True)
class RenderResult:
    """What ``render`` produced: the figure, the files written and the prepared data."""

    figure: object
    written: tuple[str, ...]
    prepared: Prepared
    drawing_notices: tuple[Notice, ...] = ()   # what matplotlib warned about while drawing

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning: reading, cleaning, smoothing, then drawing."""
        return self.prepared.notices + self.drawing_notices


def prepare(paths: Sequence | Found, config: Config | None = None, *, strict: bool = False,
            labels: Sequence[str] | None = None, reading: Reading | None = None) -> Prepared:
    """Read, clean and smooth every run ``paths`` hold (logs, folders of runs, stores, globs,
    ``RunRef``s, or a ``Found``) for the panels of ``config`` (default: the seed chart).

    With ``runs.where`` only the runs meeting it are read; with ``runs.group_by`` runs are
    grouped; with ``runs.aggregate`` each group becomes one curve (and band) per panel.
    ``reading``: how many runs are read in parallel (``runs.parallel.Reading``).
    """
    config = config or Config()
    check_settings(config)         # bad smoothing parameters fail before any log is read
    loaded = load_all(find_inputs(paths), config, strict=strict, labels=labels, reading=reading,
                      smooth=True)
    return prepare_runs(loaded, config)


def check_settings(config: Config) -> None:
    """Refuse bad smoothing parameters and malformed ``runs.group_by``/``runs.where`` before
    anything is read."""
    check_smoothing(config)
    check_specs(config)


def prepare_runs(runs: Sequence[Run], config: Config | None = None) -> Prepared:
    """Smooth, group and aggregate Runs already read and cleaned for ``config``'s panels (by
    ``runs.load.load_all`` from files, ``runs.load.load_tables`` from data in memory).

    A ``RunSet``'s notices (finding and selecting the runs) become ``Prepared.found``.
    """
    config = config or Config()
    check_settings(config)
    found = tuple(getattr(runs, "notices", ()))
    runs = tuple(runs)
    if not runs:
        raise InputError("no runs to draw")
    aliases = merged_aliases(config.data.aliases)
    if len(runs) > 1:
        check_same_x(runs, aliases)
    x_label = x_axis_label(config.figure.x_label,
                           [s.x_name for run in runs for s in run.series], aliases)
    aggregated = config.runs.aggregate != "none"
    smoothed = smooth_runs(runs, config)   # or the curves made while reading (workers, streaming)
    panels = tuple(resolve_panel(p, runs[0].series[i].name, x_label)
                   for i, p in enumerate(config.panels))
    runs = tuple(log_scale_notices(run, config) for run in runs)
    groups, footnote = aggregate_runs(runs, smoothed, config)
    if not aggregated and config.runs.footnote:
        footnote = logged_band_footnote(runs, grouped=bool(groups))
    return Prepared(runs=runs, smoothed=smoothed, panels=panels, x_label=x_label,
                    groups=groups, aggregated=aggregated, footnote=footnote,
                    x_kind=x_kind(config.data.x), found=found)


def check_outputs(outputs: Sequence[str], inputs: Sequence[str], format_of=None,
                  hint: str = "choose another -o path") -> None:
    """Refuse unknown output formats (``format_of``: a figure's, by default), outputs that would
    overwrite an input (standard input too, by its file identity) and names holding line
    breaks, before any work."""
    from .export import is_input, refuse_odd_name

    if format_of is None:
        from .figure.save import output_format as format_of
    for out in outputs:
        refuse_odd_name(out)
        format_of(out)
        hit = is_input(out, inputs)
        if hit is not None:
            raise OutputError("output would overwrite an input", file=out, hint=hint + hit)


def draw(prepared: Prepared, config: Config, outputs: Sequence[str], provenance=None
         ) -> tuple[object, tuple[str, ...], tuple[Notice, ...]]:
    """Draw ``prepared`` and save it to every output, with the ``provenance`` record (see
    rlplot.provenance) in each: (figure, files written, drawing notices)."""
    from .figure.chart import draw_chart, drawing_notices
    from .figure.save import save_figure

    # matplotlib's own warnings become notices, so they reach the user as one rlplot line.
    with drawing_notices(config) as notices:
        fig = draw_chart(prepared, config)
        written = tuple(save_figure(fig, out, dpi=config.output.dpi or config.figure.dpi,
                                    transparent=config.output.transparent,
                                    metadata=config.output.metadata, provenance=provenance)
                        for out in outputs)
    return fig, written, tuple(notices)


def long_read(files: Sequence[str]) -> bool:
    """Whether reading these input files takes long enough to import matplotlib meanwhile
    (``LONG_READ_BYTES`` in all; a small log is read in less time than the import takes)."""
    from .io.fast import log_sizes

    return sum(log_sizes(files)) >= LONG_READ_BYTES


def render(paths: Sequence | Found, outputs: Sequence[str] = (), config: Config | None = None, *,
           strict: bool = False, labels: Sequence[str] | None = None,
           data_out: str | None = None, command: str | None = None,
           reading: Reading | None = None) -> RenderResult:
    """Render logs to a figure and write it to each output path (atomically, deterministically);
    ``data_out`` also writes every drawn series as long-form CSV (see rlplot.export). Each figure
    records what made it (rlplot.provenance): ``command`` as given, the inputs, the config."""
    config = config or Config()
    found = find_inputs(paths)   # check outputs against every file the runs are read from
    check_outputs(outputs, input_files(found))
    if data_out is not None:
        from .export import check_data_out
        check_data_out(data_out, input_files(found), outputs)
    # The provenance record hashes every input (0.7 s per GB): on a thread (hashlib releases
    # the GIL) while the inputs are read, so a big log is not paid for twice in a row. A long
    # read (pyarrow and worker processes leave this process idle) also hides matplotlib's import.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="rlplot-render") as helpers:
        record = helpers.submit(make_provenance, input_files(found), config, command,
                                labels) if outputs else None
        if outputs and long_read(input_files(found)):
            helpers.submit(import_drawing)
        with streaming(data_out is None):   # a figure alone needs only what it draws
            prepared = prepare(found, config, strict=strict, labels=labels, reading=reading)
        record = record.result() if record is not None else None
    fig, written, drawn = draw(prepared, config, outputs, record)
    if data_out is not None:
        from .export import write_data_csv
        written += (write_data_csv(prepared, data_out),)
    return RenderResult(figure=fig, written=written, prepared=prepared, drawing_notices=drawn)
