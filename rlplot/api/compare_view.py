"""What ``rlplot.compare`` returns: an evaluated comparison, its tables and its figures (every
kind in one figure inline, one file per kind saved, as ``rlplot compare -o``), and how runs
read from memory are placed in cells by their columns.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..config.schema import Config
from ..data import Notice, Run
from .data_in import Loaded
from .result import warn_all


def grid_layout(count: int) -> str:
    """``compare.layout`` for ``count`` kinds in one figure: two per row."""
    cols = 1 if count == 1 else 2
    return f"{-(-count // cols)}x{cols}"


@dataclass(frozen=True, eq=False)
class CompareView:
    """``rlplot compare``'s evaluation (``evaluated``: runs, cells, ``comparison``), its tables,
    and its figures: every kind in one figure inline (``figure``), one file per kind saved."""

    evaluated: Any
    config: Config
    loaded: Loaded
    command: str
    figure: Any = None
    drawing_notices: tuple[Notice, ...] = field(default=())

    @property
    def comparison(self):
        """The numbers (``stats.results.Comparison``): interval estimates, profiles, P(X > Y), curves."""
        return self.evaluated.comparison

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Reading and cleaning, runs left out, the statistics' notices, then drawing."""
        return self.evaluated.notices + self.drawing_notices

    def __repr__(self) -> str:
        cells = self.evaluated.cells.cells
        algorithms = list(dict.fromkeys(a for a, _ in cells))
        return f"<rlplot CompareView: {len(algorithms)} algorithm(s), {len(cells)} cell(s)>"

    def table(self, fmt: str = "md") -> str:
        """The tables as ``--table`` writes them: md, csv, tex or json."""
        from ..choices import TABLE_FORMATS

        return TABLE_FORMATS.load(TABLE_FORMATS.check(fmt))(self.comparison)

    def save(self, *paths: str, tables: Sequence[str] = ()) -> tuple[str, ...]:
        """Write the figures (``fig.png`` -> ``fig-intervals.png``, … or ``{kind}`` in the name;
        one file with ``compare.layout``) and ``tables``, as ``rlplot compare -o … --table …``."""
        from ..compare import check_outputs, draw_and_save, figure_paths
        from ..stats.tables import write_table

        planned = figure_paths([str(p) for p in paths], self.config.compare.kinds,
                               self.config.compare.layout)
        check_outputs([p for p, _ in planned], [str(t) for t in tables], list(self.loaded.files))
        _, written, drawn = draw_and_save(self.comparison, self.config, planned)
        warn_all(drawn)
        return written + tuple(write_table(str(t), self.comparison) for t in tables)

    def _repr_png_(self):
        from ..figure.chart import style_context
        from ..figure.save import figure_bytes

        with style_context(self.config), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return figure_bytes(self.figure, "png", dpi=self.config.output.dpi or self.config.figure.dpi)


def draw_overview(comparison, config: Config) -> tuple[Any, tuple[Notice, ...]]:
    """Every kind of ``config.compare.kinds`` in one figure (``compare.layout``, else two per row)."""
    from ..figure.chart import drawing_notices
    from ..figure.compare_layout import compare_figures

    kinds = tuple(config.compare.kinds)
    layout = config.compare.layout or (grid_layout(len(kinds)) if len(kinds) > 1 else "")
    with drawing_notices(config) as notices:
        ((_, figure),) = compare_figures(comparison, config, kinds, layout)
    return figure, tuple(notices)


def _cell_name(run: Run, kind: str, spec: str) -> str | None:
    from ..runs.configs import format_value, lookup
    from ..runs.specs import regex_group

    if kind == "column":
        hit = lookup(run.config or {}, spec)
        return None if hit is None else format_value(hit[1])
    return regex_group(run.where, spec) or None


def data_cells(runs: Sequence[Run], config: Config, columns: Sequence[str]):
    """Runs read from memory as ``{(algorithm, task): runs}`` cells: ``compare.algo_by`` and
    ``task_by`` each name a column of the runs' settings (``columns``) or are a regex with a
    capture group over the run's name (``Run.where``), as on the CLI over its path."""
    from ..errors import InputError
    from ..runs.specs import config_key
    from ..stats.runs import Cells, parse_spec

    named = {c.lower() for c in columns}
    specs = []
    for text, option in ((config.compare.algo_by, "algo_by"), (config.compare.task_by, "task_by")):
        key = config_key(text) or text if text else None
        if key is not None and key.lower() in named:
            specs.append(("column", key))
        else:
            specs.append(("regex", parse_spec(text, option).text))
    cells: dict[tuple[str, str], list[Run]] = {}
    left_out: list[str] = []
    for run in runs:
        algorithm, task = (_cell_name(run, kind, spec) for kind, spec in specs)
        if algorithm is None or task is None:
            left_out.append(run.where)
            continue
        cells.setdefault((algorithm, task), []).append(run)
    if not cells:
        raise InputError(f"no run has both algo_by '{config.compare.algo_by}' and task_by "
                         f"'{config.compare.task_by}'", file=runs[0].where if runs else None,
                         hint="name columns that hold one value per run, or regexes over the "
                              "run names whose first group names the value")
    return Cells({key: tuple(members) for key, members in cells.items()}, tuple(left_out))
