"""Cleaning: per-series removal of unusable points, restarts and duplicate x, never silently.

Order matters: unusable points are dropped first, restarts are found in FILE order
(a resumed run logs its steps again, so x drops), then points are sorted by x and
duplicate x are merged. Everything removed is counted in ``Dropped``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .choices import DUPLICATE_POLICIES, RESTART_POLICIES
from .data import Notice, Series, Table
from .errors import InputError
from .registry import unknown_hint

_SHOWN_RESTARTS = 3
MAX_RESTARTS_LISTED = 100   # an x that is noise, not a counter, can "restart" on every row


@dataclass(frozen=True)
class Restart:
    """x went backwards at ``row`` (0-based, file order): from ``x_from`` to ``x_to``."""

    row: int
    line: int | None
    x_from: float
    x_to: float
    replaced: int = 0   # earlier points with x >= x_to dropped by keep-last

    def where(self) -> str:
        """``line 12`` when the line is known, else ``row 10``."""
        return f"line {self.line}" if self.line is not None else f"row {self.row + 1}"


@dataclass(frozen=True)
class Dropped:
    """How many points of one series were dropped, by reason, plus restarts and merged duplicates."""

    name: str
    total: int
    missing: int = 0
    nonnumeric: int = 0
    nan: int = 0
    inf: int = 0
    x_name: str = "x"
    restarts: tuple[Restart, ...] = ()
    restart_policy: str = "keep-last"
    replaced: int = 0          # points removed by the restart policy
    restart_count: int = 0     # every drop of x (``restarts`` lists the first ones)
    duplicates: int = 0        # points merged into another with the same x
    duplicate_policy: str = "last"

    @property
    def count(self) -> int:
        """Points dropped because a value was unusable (restarts and duplicates are counted apart)."""
        return self.missing + self.nonnumeric + self.nan + self.inf

    def describe(self) -> str:
        """``"12 of 400 from 'acc' (5 missing, 7 NaN)"``."""
        parts = [f"{n} {label}" for n, label in ((self.missing, "missing"),
                                                   (self.nonnumeric, "non-numeric"),
                                                   (self.nan, "NaN"), (self.inf, "inf")) if n]
        return f"{self.count} of {self.total} from '{self.name}' ({', '.join(parts)})"

    def describe_restarts(self) -> str | None:
        """One line on the restarts found and what the policy did, or None without restarts."""
        if not self.restarts:
            return None
        shown = "; ".join(f"{r.where()}: {r.x_from:g} → {r.x_to:g}"
                          for r in self.restarts[:_SHOWN_RESTARTS])
        n = max(self.restart_count, len(self.restarts))
        more = f"; … {n - _SHOWN_RESTARTS} more" if n > _SHOWN_RESTARTS else ""
        text = f"'{self.x_name}' went back {n} time{'s' * (n > 1)} (a restarted run?) ({shown}{more}): "
        if self.restart_policy == "keep-last":
            text += (f"{self.replaced} earlier point{'s' * (self.replaced != 1)} with "
                     f"'{self.x_name}' >= the new value replaced by the later ones "
                     "(--restarts keep-last)")
        else:
            text += "both kept (--restarts keep-all)"
        return text

    def describe_duplicates(self) -> str | None:
        """One line on points merged because they share their x, or None."""
        if not self.duplicates:
            return None
        how = {"last": "kept the last", "first": "kept the first", "mean": "averaged"}
        return (f"{self.duplicates} point{'s' * (self.duplicates > 1)} of '{self.name}' shared "
                f"their '{self.x_name}' with another: {how[self.duplicate_policy]} "
                f"(--duplicates {self.duplicate_policy})")


def find_restarts(x: np.ndarray, lines=None, rows=None, limit: int | None = None) -> list[Restart]:
    """Where x (finite, file order) is lower than the point before it (the first ``limit`` of them)."""
    at = (np.flatnonzero(x[1:] < x[:-1]) + 1)[:limit]
    return [Restart(row=int(rows[i]) if rows is not None else int(i),
                    line=int(lines[i]) if lines is not None else None,
                    x_from=float(x[i - 1]), x_to=float(x[i])) for i in at]


def keep_last_mask(x: np.ndarray) -> np.ndarray:
    """Points (file order) surviving TensorBoard-style purging: a drop to x_k removes earlier x >= x_k.

    A point j survives iff it is below the x of every later drop; the suffix minimum
    over drop points does this in O(n).
    """
    n = x.shape[0]
    if n < 2:
        return np.ones(n, dtype=bool)
    at_drop = np.full(n, np.inf)
    drops = np.flatnonzero(x[1:] < x[:-1]) + 1
    at_drop[drops] = x[drops]
    later_min = np.minimum.accumulate(at_drop[::-1])[::-1]
    later_min = np.append(later_min[1:], np.inf)
    return x < later_min


# The merges of data.duplicates (targets of choices.DUPLICATE_POLICIES): how each run of
# equal x, starting at ``starts`` in sorted x of length n, becomes one point.
def merge_first(y: np.ndarray, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep the first point at each x: (indices kept, their y)."""
    return starts, y[starts]


def merge_last(y: np.ndarray, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep the last point at each x: (indices kept, their y)."""
    pick = np.r_[starts[1:] - 1, n - 1]
    return pick, y[pick]


def merge_mean(y: np.ndarray, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Average the points at each x: (indices of the first, the means)."""
    counts = np.diff(np.r_[starts, n])
    # Divide first, then add: a mean of huge finite values must not overflow to inf.
    return starts, np.add.reduceat(y / np.repeat(counts, counts), starts)


KEEP_DUPLICATES = "keep"   # the policy that merges nothing (no target)


def _check_policy(registry, value: str, what: str) -> None:
    if value not in registry:
        raise InputError(f"unknown {what} policy '{value}'", hint=unknown_hint(value, registry))


def merge_duplicates(x: np.ndarray, y: np.ndarray,
                     policy: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Merge points of sorted x sharing a value (``last``, ``first``, ``mean``); return x, y, merged count."""
    _check_policy(DUPLICATE_POLICIES, policy, "duplicates")
    n = x.shape[0]
    if policy == KEEP_DUPLICATES or n < 2:
        return x, y, 0
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    if starts.shape[0] == n:
        return x, y, 0
    pick, merged_y = DUPLICATE_POLICIES.load(policy)(y, starts, n)
    return x[pick], merged_y, n - starts.shape[0]


def clean_series(table: Table, x_name: str | None, y_name: str, *, restarts: str = "keep-last",
                 duplicates: str = "last") -> tuple[Series, Dropped]:
    """Pair x and y, drop unusable points, apply the restart policy in file order, sort, merge duplicates.

    ``x_name=None`` uses the row number as x (it never restarts). The sort is stable,
    so equal x keep file order (``duplicates="keep"`` keeps them all).
    """
    _check_policy(RESTART_POLICIES, restarts, "restarts")
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
    everything = bool(keep.all())
    # Big clean logs keep every point: skip the copies (10M rows: ~0.6 GB, ~1 s per panel).
    x, y = (xs, ys) if everything else (xs[keep], ys[keep])

    found: tuple[Restart, ...] = ()
    replaced = count = 0
    if x_name is not None and x.shape[0] > 1:
        rows = np.arange(keep.shape[0]) if everything else np.flatnonzero(keep)
        x, y, found, replaced, count = _apply_restarts(table, x_name, x, y, rows, restarts)

    if x.shape[0] > 1 and not bool(np.all(x[1:] >= x[:-1])):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    x, y, merged = merge_duplicates(x, y, duplicates)
    series = Series(name=y_name, x=x, y=y, x_name=x_name or "row")
    dropped = Dropped(name=y_name, total=table.n_rows, missing=int(missing.sum()),
                      nonnumeric=int(nonnumeric.sum()), nan=int(nan.sum()), inf=int(inf.sum()),
                      x_name=x_name or "row", restarts=found, restart_policy=restarts,
                      replaced=replaced, restart_count=count, duplicates=merged,
                      duplicate_policy=duplicates)
    return series, dropped


def _apply_restarts(table: Table, x_name: str, x: np.ndarray, y: np.ndarray, rows: np.ndarray,
                    policy: str) -> tuple[np.ndarray, np.ndarray, tuple[Restart, ...], int, int]:
    """Find where x (file order; ``rows`` = each point's row) goes back and apply ``policy``:
    (x, y, the first restarts, points replaced, restarts in all)."""
    lines = np.asarray(table.first_line)[rows] if table.first_line is not None else None
    found = find_restarts(x, lines, rows, MAX_RESTARTS_LISTED)
    if not found:
        return x, y, (), 0, 0
    count = int((x[1:] < x[:-1]).sum())
    if policy == "error":
        first = found[0]
        raise InputError(f"'{x_name}' goes back from {first.x_from:g} to {first.x_to:g} "
                         "(a restarted run?)", file=table.source, line=first.line,
                         hint="--restarts keep-last replaces the earlier points, keep-all keeps both")
    if policy != "keep-last":
        return x, y, tuple(found), 0, count
    survive = keep_last_mask(x)
    return x[survive], y[survive], tuple(_attribute(found, x, rows)), int((~survive).sum()), count


def _attribute(found: list[Restart], x: np.ndarray, rows: np.ndarray) -> list[Restart]:
    """How many earlier points each of the first restarts replaced (the rest are only counted in total)."""
    alive = np.ones(x.shape[0], dtype=bool)
    out = []
    for restart in found:
        k = int(np.searchsorted(rows, restart.row))  # rows are ascending: its index in x
        if len(out) >= _SHOWN_RESTARTS:
            out.append(restart)
            continue
        purge = alive[:k] & (x[:k] >= x[k])
        alive[:k] &= ~purge
        out.append(Restart(restart.row, restart.line, restart.x_from, restart.x_to,
                           int(purge.sum())))
    return out


def cleaning_notices(source: str, drops) -> list[Notice]:
    """The warnings for a run's series: dropped points, restarts and duplicates (each said once)."""
    notices: list[Notice] = []
    lost = [d for d in drops if d.count]
    if lost:
        notices.append(Notice("dropped points: " + "; ".join(d.describe() for d in lost), file=source))
    seen = set()
    for d in drops:
        for text in (d.describe_restarts(), d.describe_duplicates()):
            if text and text not in seen:
                seen.add(text)
                notices.append(Notice(text, file=source))
    return notices
