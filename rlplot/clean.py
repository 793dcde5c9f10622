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
# Values beyond this are overflowed logs, not measurements: their squares (residual bands,
# spreads, LOWESS weights) overflow float64, and matplotlib's tick arithmetic fails near
# 1e300. Dropped as "too large to draw or smooth", so that no raw numpy overflow warning
# and no inf reaches the user.
MAX_MAGNITUDE = 1e150
FLOAT64_EXACT = 2.0 ** 53   # beyond, float64 no longer tells consecutive integers apart


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


REASONS = ("missing", "non-numeric", "NaN", "inf", "too large")


@dataclass(frozen=True)
class Dropped:
    """How many points of one series were dropped, by reason, plus restarts and merged duplicates.

    ``missing`` … ``huge`` count every dropped point once, under its first reason (y's
    before x's); the ``x_`` counts are the share of each that x caused (y was usable).
    ``x_note`` says what x did when that explains the rest: ``constant``, ``backwards``
    (it never increases) or ``precision`` (integers float64 cannot tell apart), with
    ``x_value`` its value or largest magnitude."""

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
    huge: int = 0              # beyond ±MAX_MAGNITUDE: an overflowed value
    x_counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)   # x's share, in REASONS order
    x_note: str = ""
    x_value: float = float("nan")

    @property
    def count(self) -> int:
        """Points dropped because a value was unusable (restarts and duplicates are counted apart)."""
        return self.missing + self.nonnumeric + self.nan + self.inf + self.huge

    def describe(self) -> str:
        """``"12 of 400 from 'acc' (5 missing, 7 NaN)"``; what x caused is named after it:
        ``"50 of 50 from 'acc' (50 with 'step' NaN)"``."""
        totals = (self.missing, self.nonnumeric, self.nan, self.inf, self.huge)
        labels = REASONS[:4] + (f"too large to draw or smooth, beyond ±{MAX_MAGNITUDE:g}",)
        parts = [f"{n - x} {label}" for n, x, label in zip(totals, self.x_counts, labels) if n - x]
        parts += [f"{x} with '{self.x_name}' {label}" for x, label in zip(self.x_counts, labels) if x]
        return f"{self.count} of {self.total} from '{self.name}' ({', '.join(parts)})"

    def describe_restarts(self) -> str | None:
        """One line on the restarts found and what the policy did (or on an x that runs
        backwards), or None."""
        if self.x_note == "backwards":
            return (f"'{self.x_name}' runs backwards (it never increases, from {self.x_value:g} "
                    f"down): drawn in '{self.x_name}' order, not as restarts; if it counts down, "
                    "choose another x with --x")
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
        """One line on points merged because they share their x (saying why when x itself
        explains it: constant, or integers too large for float64), or None."""
        if not self.duplicates:
            return None
        how = {"last": "kept the last", "first": "kept the first", "mean": "averaged"}
        policy = f"{how[self.duplicate_policy]} (--duplicates {self.duplicate_policy})"
        n, x = self.duplicates, self.x_name
        if self.x_note == "precision":
            return (f"'{x}' holds integers beyond 2^53 (up to {self.x_value:.6g}), too large for "
                    f"float64 to tell apart: {n} point{'s' * (n > 1)} of '{self.name}' fell on "
                    f"the '{x}' of another: {policy}")
        if self.x_note == "constant":
            return (f"'{x}' is constant ({self.x_value:g} on every point): the {n + 1} points of "
                    f"'{self.name}' collapse to one: {policy}; choose another x with --x")
        return (f"{n} point{'s' * (n > 1)} of '{self.name}' shared their '{x}' with another: "
                f"{policy}")


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


def _reasons(values: np.ndarray, missing: np.ndarray, nonnumeric: np.ndarray) -> list[np.ndarray]:
    """Exclusive masks of why each value is unusable, in ``REASONS`` order."""
    nonnumeric = nonnumeric & ~missing
    bad = missing | nonnumeric
    nan = np.isnan(values) & ~bad
    inf = np.isinf(values) & ~bad
    huge = (np.abs(values) > MAX_MAGNITUDE) & ~bad & ~inf & ~nan
    return [missing, nonnumeric, nan, inf, huge]


def clean_series(table: Table, x_name: str | None, y_name: str, *, restarts: str = "keep-last",
                 duplicates: str = "last") -> tuple[Series, Dropped]:
    """Pair x and y, drop unusable points, apply the restart policy in file order, sort, merge duplicates.

    ``x_name=None`` uses the row number as x (it never restarts). The sort is stable,
    so equal x keep file order (``duplicates="keep"`` keeps them all). An x that never
    increases runs backwards: no restart policy applies, the points are sorted.
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
    # Count each dropped point once, under the first reason that applies (y's, then x's).
    y_why = _reasons(ys, ycol.missing, ycol.nonnumeric)
    y_bad = np.logical_or.reduce(y_why)
    x_why = [mask & ~y_bad for mask in _reasons(xs, x_missing, x_nonnumeric)]
    keep = ~(y_bad | np.logical_or.reduce(x_why))
    everything = bool(keep.all())
    # Big clean logs keep every point: skip the copies (10M rows: ~0.6 GB, ~1 s per panel).
    x, y = (xs, ys) if everything else (xs[keep], ys[keep])

    found: tuple[Restart, ...] = ()
    replaced = count = 0
    note, value = _x_pattern(x) if x_name is not None else ("", float("nan"))
    if x_name is not None and x.shape[0] > 1 and note != "backwards":
        rows = np.arange(keep.shape[0]) if everything else np.flatnonzero(keep)
        x, y, found, replaced, count = _apply_restarts(table, x_name, x, y, rows, restarts)

    if x.shape[0] > 1 and not bool(np.all(x[1:] >= x[:-1])):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    if note != "backwards":
        note, value = _duplicate_pattern(x, note, value)
    x, y, merged = merge_duplicates(x, y, duplicates)
    series = Series(name=y_name, x=x, y=y, x_name=x_name or "row")
    totals = [int((a | b).sum()) for a, b in zip(y_why, x_why)]
    dropped = Dropped(name=y_name, total=table.n_rows, missing=totals[0], nonnumeric=totals[1],
                      nan=totals[2], inf=totals[3], huge=totals[4], x_name=x_name or "row",
                      restarts=found, restart_policy=restarts, replaced=replaced,
                      restart_count=count, duplicates=merged, duplicate_policy=duplicates,
                      x_counts=tuple(int(m.sum()) for m in x_why), x_note=note, x_value=value)
    return series, dropped


def _x_pattern(x: np.ndarray) -> tuple[str, float]:
    """``("backwards", first x)`` when x (file order) never increases and falls at least twice."""
    if x.shape[0] < 3:
        return "", float("nan")
    steps = np.diff(x)
    if bool(np.all(steps <= 0)) and int((steps < 0).sum()) >= 2:
        return "backwards", float(x[0])
    return "", float("nan")


def _duplicate_pattern(x: np.ndarray, note: str, value: float) -> tuple[str, float]:
    """For sorted x: ``precision`` when equal x lie beyond 2^53 (integers float64 merged),
    ``constant`` when every x is equal, else ``note`` as it was."""
    if x.shape[0] < 2:
        return note, value
    same = x[1:][x[1:] == x[:-1]]
    if same.shape[0] and float(np.max(np.abs(same))) >= FLOAT64_EXACT:
        return "precision", float(np.max(np.abs(same)))
    if x[0] == x[-1]:
        return "constant", float(x[0])
    return note, value


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


def mixed_scales(y: np.ndarray) -> tuple[float, float] | None:
    """A 0–1 value and a 0–100 value of one percent metric logged side by side (``y`` in x
    order), as an example pair, or None when the series keeps to one scale.

    Two signs: values in (0, 1] that keep coming after the series reached 5 (two scales
    interleaved), or one step from a fraction to 40 times it (the scale switched)."""
    values = y[np.isfinite(y)]
    if values.shape[0] < 2 or not bool((values > 1.0).any()):
        return None
    fraction = (values > 0) & (values <= 1.0)
    reached = np.flatnonzero(values >= 5.0)
    if reached.shape[0]:
        later = np.flatnonzero(fraction[reached[0]:]) + reached[0]
        if later.shape[0] >= 2:
            return float(values[later[0]]), float(values[reached[0]])
    small = np.minimum(values[:-1], values[1:])
    big = np.maximum(values[:-1], values[1:])
    jump = (small >= 0.1) & (small <= 1.0) & (big > 1.0) & (big >= 40 * small)
    if bool(jump.any()):
        at = int(np.argmax(jump))
        return float(small[at]), float(big[at])
    return None


def mixed_scales_text(name: str, pair: tuple[float, float]) -> str:
    """The warning for ``mixed_scales``' pair of metric ``name``."""
    low, high = pair
    return (f"'{name}' mixes 0–1 and 0–100 values (e.g. {low:g} and {high:g}): on its percent axis "
            f"{low:g} is drawn as {low:g} %, not {low * 100:g} %; log one scale")


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
