"""The library API behind ``rlplot compare``: logs -> runs -> cells -> evaluation -> figures and tables.

    from rlplot.compare import compare_logs
    result = compare_logs(["runs/*/*/*.csv"], ["fig.png"], ["results.md"], config)

``evaluate_logs`` does everything up to the numbers and imports no matplotlib; ``compare_logs``
adds drawing and atomic writing. The steps, one module each:

1. ``runs.discover`` + ``runs.load`` (``read_runs``): every log, many in parallel (``runs.parallel``)
2. ``stats.runs``: the runs that share algorithm and task are the seeds of one cell
3. ``stats.evaluate``: scores, normalization, interval estimates, profiles, P(X > Y), curves
4. ``figure.compare_layout`` + ``figure.save``; ``stats.tables``
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from .columns import merged_aliases
from .config.compare import parse_layout
from .config.paths import KeyPath, nearest
from .config.schema import Config
from .data import Notice, Run
from .errors import ConfigError, InputError, OutputError, RlplotError
from .figure.text import x_axis_label
from .runs.discover import expand_paths
from .runs.load import load_all
from .runs.parallel import Reading
from .stats.evaluate import evaluate
from .stats.results import Comparison
from .stats.runs import Cells, group_cells, parse_spec
from .stats.scores import parse_score

KIND_PLACEHOLDER = "{kind}"
NAMED_NORMALIZATIONS = ("none", "minmax")


@dataclass(frozen=True)
class Evaluated:
    """Runs read, grouped into cells, and evaluated: everything but the figures."""

    runs: tuple[Run, ...]
    cells: Cells
    comparison: Comparison

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Reading and cleaning, then runs left out, then the statistics' own notices."""
        return tuple(n for run in self.runs for n in run.notices) + self.cells.notices + \
            self.comparison.notices


@dataclass(frozen=True)
class CompareResult:
    """What ``compare_logs`` produced: the evaluation, the figures drawn and the files written."""

    evaluated: Evaluated
    figures: tuple[object, ...]
    written: tuple[str, ...]
    drawing_notices: tuple[Notice, ...] = ()

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning: reading, grouping, statistics, then drawing."""
        return self.evaluated.notices + self.drawing_notices


def scored_config(config: Config) -> Config:
    """The config with one panel, the scored metric: only its column is read."""
    return replace(config, panels=config.panels[:1])


def read_runs(paths: Sequence[str], config: Config, *, strict: bool = False,
              labels: Sequence[str] | None = None, reading: Reading | None = None
              ) -> tuple[Run, ...]:
    """Read and clean every log: the one place compare reads. Many logs are read by the batch
    executors as ``reading`` says (``runs.parallel``), in the order given."""
    return load_all(paths, config, strict=strict, labels=labels, reading=reading)


def _located(error: RlplotError, origin: Mapping | None, path: KeyPath) -> RlplotError:
    # A bad compare value set in a config file is reported at that file's line.
    if origin is not None and error.file is None:
        source, line = nearest(origin, path, (None, None))
        if source is not None and Path(str(source)).is_file():
            error.located(str(source), line)
    return error


def normalize_spec(config: Config, origin: Mapping | None = None) -> str:
    """``none``, ``minmax`` or the path of the reference file, relative paths read next to the
    config file that names it (else in the working folder)."""
    spec = config.compare.normalize
    if spec in NAMED_NORMALIZATIONS or Path(spec).is_absolute() or origin is None:
        return spec
    source = nearest(origin, ("compare", "normalize"), (None, None))[0]
    if source is not None and Path(str(source)).is_file():
        near = Path(str(source)).parent / spec
        if near.is_file():
            return str(near)
    return spec


def pairs_of(config: Config):
    """``compare.improvement.pairs`` as the engine takes it: ``first``, ``all`` or (X, Y) pairs."""
    items = tuple(config.compare.improvement.pairs)
    if items in (("first",), ("all",)):
        return items[0]
    pairs = []
    for item in items:
        x, sep, y = str(item).partition(":")
        if not sep or not x or not y or ":" in y:
            raise ConfigError(f"compare.improvement.pairs: '{item}' is not X:Y",
                              hint="first, all, or pairs such as ppo:sac")
        pairs.append((x, y))
    return pairs


def check_settings(config: Config, origin: Mapping | None = None) -> None:
    """Refuse a bad score, pairs or layout before any log is read (located in its config file)."""
    checks = ((("compare", "score"), lambda: parse_score(config.compare.score)),
              (("compare", "improvement", "pairs"), lambda: pairs_of(config)),
              (("compare", "layout"), lambda: config.compare.layout and
               parse_layout(config.compare.layout, len(config.compare.kinds))))
    for path, check in checks:
        try:
            check()
        except RlplotError as exc:
            raise _located(exc, origin, path) from None
    if not config.compare.kinds:
        raise ConfigError("compare.kinds: at least one figure kind is needed")


def evaluate_logs(paths: Sequence[str], config: Config | None = None, *, strict: bool = False,
                  labels: Sequence[str] | None = None, origin: Mapping | None = None,
                  reading: Reading | None = None) -> Evaluated:
    """Read the logs, group them by ``compare.algo_by`` / ``compare.task_by`` and evaluate them
    as ``compare`` configures (``origin``: where each config value came from, for messages and
    for reference files named relative to a config file). No matplotlib."""
    config = scored_config(config or Config())
    spec = config.compare
    algo_by, task_by = parse_spec(spec.algo_by, "--algo-by"), parse_spec(spec.task_by, "--task-by")
    check_settings(config, origin)
    paths = expand_paths(paths)
    if not paths:
        raise InputError("no log files given", hint="rlplot compare 'runs/*/*/*.csv' --algo-by … --task-by …")
    # A read_runs swapped in (see tests/test_compare.py) may not take ``reading``: only when given.
    runs = read_runs(paths, config, strict=strict, labels=labels,
                     **({} if reading is None else {"reading": reading}))
    return evaluate_cells(runs, group_cells(runs, algo_by, task_by), config, origin)


def evaluate_cells(runs: Sequence[Run], cells: Cells, config: Config | None = None,
                   origin: Mapping | None = None) -> Evaluated:
    """Evaluate runs already read (for ``scored_config``'s one panel) and grouped into cells:
    ``evaluate_logs`` after reading, and ``rlplot.compare`` on data in memory."""
    config = scored_config(config or Config())
    spec = config.compare
    check_settings(config, origin)
    algorithms = list(dict.fromkeys(a for a, _ in cells.cells))
    if len(algorithms) < 2 and "improvement" in spec.kinds:
        raise InputError(f"one algorithm only ('{algorithms[0]}'): P(X > Y) needs two",
                         hint="check --algo-by, or leave improvement out of --kinds")
    curves = "efficiency" in spec.kinds
    if curves:
        from .runs.checks import check_same_x    # curves share one x grid: one kind of x
        check_same_x([r for members in cells.cells.values() for r in members],
                     merged_aliases(config.data.aliases))
    x_names = [s.x_name for members in cells.cells.values() for r in members for s in r.series]
    comparison = evaluate(
        cells.cells, score=spec.score, normalize=normalize_spec(config, origin),
        metrics=spec.intervals.metrics, reps=config.runs.reps, level=config.runs.level,
        seed=config.runs.seed, gamma=spec.intervals.gamma, profile=spec.profiles.kind,
        tau_scale=spec.profiles.tau_scale, tau_points=spec.profiles.tau_points, pairs=pairs_of(config),
        curves=curves, curve_points=spec.efficiency.points, curve_statistic=spec.efficiency.statistic,
        x_label=x_axis_label(config.figure.x_label, x_names, merged_aliases(config.data.aliases)))
    return Evaluated(tuple(runs), cells, comparison)


def figure_paths(outputs: Sequence[str], kinds: Sequence[str], layout: str | None
                 ) -> list[tuple[str, tuple[str, ...]]]:
    """Each file to write and the kinds it shows. Without a layout, ``fig.png`` becomes
    ``fig-intervals.png``, … (one per kind), or ``{kind}`` in the name is replaced; with a
    layout each output is one figure of every kind."""
    planned: dict[str, tuple[str, ...]] = {}
    for out in outputs:
        if layout:
            if KIND_PLACEHOLDER in out:
                raise OutputError(f"{KIND_PLACEHOLDER} names one file per kind, but compare.layout "
                                  "puts every kind in one figure", file=out, hint="drop one of them")
            planned[out] = tuple(kinds)
            continue
        for kind in kinds:
            if KIND_PLACEHOLDER in out:
                path = out.replace(KIND_PLACEHOLDER, kind)
            else:
                path = str(Path(out).with_name(f"{Path(out).stem}-{kind}{Path(out).suffix}"))
            planned[path] = (kind,)
    return list(planned.items())


def check_outputs(figures: Sequence[str], tables: Sequence[str], inputs: Sequence[str]) -> None:
    """Refuse unknown formats and outputs that would overwrite an input, before any work."""
    from .pipeline import check_outputs as check_files
    from .stats.tables import table_format

    check_files(figures, inputs)
    check_files(tables, inputs, format_of=table_format, hint="choose another path")


def compare_logs(paths: Sequence[str], outputs: Sequence[str] = (), tables: Sequence[str] = (),
                 config: Config | None = None, *, strict: bool = False,
                 labels: Sequence[str] | None = None, origin: Mapping | None = None,
                 reading: Reading | None = None) -> CompareResult:
    """Evaluate the logs, then write the figures (``outputs``, see ``figure_paths``) and the
    tables (``.md``, ``.csv``, ``.tex``, ``.json``), atomically and deterministically."""
    config = config or Config()
    planned = figure_paths(outputs, config.compare.kinds, config.compare.layout)
    paths = expand_paths(paths)   # once: the globs are walked here, not again when reading
    check_outputs([p for p, _ in planned], tables, paths)
    evaluated = evaluate_logs(paths, config, strict=strict, labels=labels, origin=origin,
                              reading=reading)
    figures, written, drawn = draw_and_save(evaluated.comparison, config, planned)
    from .stats.tables import write_table

    written += tuple(write_table(table, evaluated.comparison) for table in tables)
    return CompareResult(evaluated, figures, written, drawn)


def draw_and_save(comparison: Comparison, config: Config, planned: Sequence[tuple[str, tuple[str, ...]]]
                  ) -> tuple[tuple[object, ...], tuple[str, ...], tuple[Notice, ...]]:
    """Draw each planned figure once and save it: (figures, files written, drawing notices)."""
    from .figure.chart import drawing_notices
    from .figure.compare_layout import compare_figures
    from .figure.save import save_figure

    figures: dict[tuple[str, ...], object] = {}     # one figure per kinds, saved in each format
    written = []
    dpi = config.output.dpi or config.figure.dpi
    # matplotlib's own warnings become notices, so they reach the user as one rlplot line.
    with drawing_notices(config) as notices:
        for path, kinds in planned:
            if kinds not in figures:
                layout = config.compare.layout if len(kinds) > 1 else ""
                ((_, figures[kinds]),) = compare_figures(comparison, config, kinds, layout)
            written.append(save_figure(figures[kinds], path, dpi=dpi,
                                       transparent=config.output.transparent,
                                       metadata=config.output.metadata))
    return tuple(figures.values()), tuple(written), tuple(notices)
