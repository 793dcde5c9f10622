"""Choosing columns: role aliases (accuracy, parallelism, FLOPs, steps) and forgiving name lookup.

One matcher decides which column a wanted name means (``find_column``); the fast reader
asks the same rules which columns it must read (``could_match``).
"""
from __future__ import annotations

import difflib
import re
from typing import Collection, Mapping, Sequence

from .data import Column, Table
from .errors import ColumnError

# Names real trainers use for each role, most specific first; compared case-insensitively,
# and also against the last part of a namespaced name ("metrics.accuracy", "train/acc").
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "accuracy": ("accuracy", "acc", "train/accuracy", "train_accuracy", "training_accuracy",
                 "train/acc", "train_acc", "accuracy/train", "mean_accuracy", "avg_accuracy"),
    "parallelism": ("parallelism", "avg_parallelism", "average_parallelism", "mean_parallelism",
                    "parallelism/mean", "train/parallelism", "avg_parallel", "parallel"),
    "flops": ("rl_flops", "flops", "total_flops", "rl/flops", "train/flops", "cumulative_flops",
              "flops_total", "total_rl_flops"),
    # Environment/trainer step counters before iteration and epoch counters: they are the
    # better x for RL (Spinning Up logs both Epoch and TotalEnvInteracts).
    "step": ("step", "global_step", "_step", "steps", "total_timesteps", "time/total_timesteps",
             "totalenvinteracts", "timesteps", "num_timesteps", "env_steps", "trainer/global_step",
             "train/global_step", "total_steps", "frames", "iteration", "iter", "epoch"),
    # Wall-clock x: offered by `rlplot inspect`, never chosen without --x.
    # "relative time" is the x of `--x relative` (rlplot.runs.time_axis).
    "time": ("wall time", "wall_time", "t", "_runtime", "time/time_elapsed", "time", "elapsed",
             "total_time", "timestamp", "_timestamp", "relative time"),
}

# Without --x: FLOPs first, then a step-like column, then the row index.
X_ROLES = ("flops", "step")
ROW_INDEX = None  # the x "column" meaning: use the row number


def _last_part(name: str) -> str:
    return re.split(r"[/.]", name)[-1]


# The two ways a column name answers a wanted (lower-case) name: whole, or its last part
# ("train/acc" for "acc"), both case-insensitively.
def _whole_key(name: str) -> str:
    return name.lower()


def _last_key(name: str) -> str:
    return _last_part(name).lower()


def _numeric(column: Column) -> bool:
    return bool((~column.missing & ~column.nonnumeric).any())


def find_column(table: Table, wanted: str,
                aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> str | None:
    """Return the column matching ``wanted`` (exact, case-insensitive, alias, or last name part), else None."""
    if wanted in table.columns:
        return wanted
    lowered = {_whole_key(name): name for name in reversed(table.names)}
    candidates = [wanted.lower(), *(a.lower() for a in aliases.get(wanted.lower(), ()))]
    for candidate in candidates:
        if candidate in lowered:
            return lowered[candidate]
    for candidate in candidates:
        hits = [name for name in table.names if _last_key(name) == candidate]
        if len(hits) == 1:
            return hits[0]
    return None


def could_match(name: str, wanted: Collection[str]) -> bool:
    """Whether ``find_column`` could pick the column ``name`` for one of ``wanted``.

    ``wanted`` holds lower-case names with their aliases already included (see
    ``needed_columns``); a big log's reader reads only the columns this accepts.
    """
    return _whole_key(name) in wanted or _last_key(name) in wanted


def merged_aliases(extra: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The built-in role aliases with ``extra`` (a config's ``data.aliases``) tried first."""
    aliases = dict(ROLE_ALIASES)
    for role, names in extra.items():
        aliases[role.lower()] = tuple(names) + aliases.get(role.lower(), ())
    return aliases


def needed_columns(x: str | None, metrics: Sequence[str],
                   aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> list[str]:
    """Every name the x column (``None``: any x role) and the metrics may be found under."""
    names = [x] if x else list(X_ROLES)
    names += list(metrics)
    return names + [a for n in names for a in aliases.get(n.lower(), ())]


def resolves(table: Table, names: Sequence[str],
             aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> bool:
    """Whether every name picks a usable column of ``table`` (``require_column`` would not raise)."""
    try:
        for name in names:
            require_column(table, name, aliases)
    except ColumnError:
        return False
    return True


def require_column(table: Table, wanted: str,
                   aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> str:
    """Like ``find_column`` but raise ``ColumnError`` listing the columns and the closest names."""
    name = find_column(table, wanted, aliases)
    if name is None:
        raise ColumnError(f"no column '{wanted}'", file=table.source,
                          hint=_columns_hint(table, wanted))
    if table.n_rows == 0:
        raise ColumnError("the log has a header but no data rows", file=table.source,
                          hint="the run may not have logged a step yet")
    if not _numeric(table.columns[name]):
        numeric = numeric_columns(table)
        raise ColumnError(f"column '{name}' holds no numbers", file=table.source,
                          hint="choose a numeric column: " + _list(numeric) if numeric
                          else "no column of this log holds numbers")
    return name


def numeric_columns(table: Table) -> list[str]:
    """Names of the columns holding at least one number, in file order."""
    return [name for name, column in table.columns.items() if _numeric(column)]


def default_x(table: Table, aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> str | None:
    """The x column used without ``--x``: FLOPs, else a step-like column, else None (row index)."""
    for role in X_ROLES:
        name = find_column(table, role, aliases)
        if name is not None and _numeric(table.columns[name]):
            return name
    return ROW_INDEX


def x_candidates(table: Table, aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> list[str]:
    """Numeric columns that could serve as x, in the order ``default_x`` prefers them."""
    found: list[str] = []
    for role in (*X_ROLES, "time"):
        names = [role, *aliases.get(role, ())]
        for wanted in names:
            name = find_column(table, wanted, {})
            if name is not None and name not in found and _numeric(table.columns[name]):
                found.append(name)
    return found


# W&B panel exports log, beside each metric, the lowest and highest value of every sampled
# bucket as "<metric>__MIN" and "<metric>__MAX".
BAND_SUFFIXES = ("__MIN", "__MAX")


def band_columns(table: Table, y_name: str) -> tuple[str, str] | None:
    """The (low, high) columns logged with a metric (W&B's ``<metric>__MIN``/``__MAX``), else None."""
    pair = tuple(f"{y_name}{suffix}" for suffix in BAND_SUFFIXES)
    if all(name in table.columns and _numeric(table.columns[name]) for name in pair):
        return pair
    return None


def is_flops(name: str | None, aliases: Mapping[str, Sequence[str]] = ROLE_ALIASES) -> bool:
    """Whether a column name is one of the FLOPs aliases (it then gets the "RL flops" label)."""
    if name is None:
        return False
    known = {a.lower() for a in aliases.get("flops", ())} | {"flops"}
    return name.lower() in known or _last_part(name).lower() in known


def _list(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … {len(names) - limit} more" if len(names) > limit else "")


def _columns_hint(table: Table, wanted: str) -> str:
    close = difflib.get_close_matches(wanted.lower(), [n.lower() for n in table.names], n=3, cutoff=0.5)
    by_lower = {n.lower(): n for n in table.names}
    text = "columns: " + (_list(table.names) if table.names else "none")
    if close:
        text += "; closest: " + ", ".join(repr(by_lower[c]) for c in close)
    return text
