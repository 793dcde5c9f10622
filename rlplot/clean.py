"""Cleaning: per-series removal of unusable points, with counts of what was dropped and why."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Series, Table


@dataclass(frozen=True)
class Dropped:
    """How many points of one series were dropped, by reason."""

    name: str
    total: int
    missing: int = 0
    nonnumeric: int = 0
    nan: int = 0
    inf: int = 0

    @property
    def count(self) -> int:
        """Points dropped for any reason."""
        return self.missing + self.nonnumeric + self.nan + self.inf

    def describe(self) -> str:
        """``"12 of 400 from 'acc' (5 missing, 7 NaN)"``."""
        parts = [f"{n} {label}" for n, label in ((self.missing, "missing"),
                                                   (self.nonnumeric, "non-numeric"),
                                                   (self.nan, "NaN"), (self.inf, "inf")) if n]
        return f"{self.count} of {self.total} from '{self.name}' ({', '.join(parts)})"


def clean_series(table: Table, x_name: str | None, y_name: str) -> tuple[Series, Dropped]:
    """Pair x and y, drop points where either is missing, non-numeric, NaN or ±inf, sort by x.

    ``x_name=None`` uses the row number as x. The sort is stable, so equal x keep file order.
    """
    ycol = table.columns[y_name]
    if x_name is None:
        xs = np.arange(table.n_rows, dtype=np.float64)
        x_missing = x_nonnumeric = np.zeros(table.n_rows, dtype=bool)
    else:
        xcol = table.columns[x_name]
        xs, x_missing, x_nonnumeric = xcol.values, xcol.missing, xcol.nonnumeric
    ys = ycol.values
    # Count each dropped point once, under the first reason that applies.
    missing = x_missing | ycol.missing
    nonnumeric = (x_nonnumeric | ycol.nonnumeric) & ~missing
    bad = missing | nonnumeric
    nan = (np.isnan(xs) | np.isnan(ys)) & ~bad
    inf = (np.isinf(xs) | np.isinf(ys)) & ~bad & ~nan
    keep = ~(bad | nan | inf)
    x, y = xs[keep], ys[keep]
    order = np.argsort(x, kind="stable")
    series = Series(name=y_name, x=x[order], y=y[order], x_name=x_name or "row")
    dropped = Dropped(name=y_name, total=table.n_rows, missing=int(missing.sum()),
                      nonnumeric=int(nonnumeric.sum()), nan=int(nan.sum()), inf=int(inf.sum()))
    return series, dropped
