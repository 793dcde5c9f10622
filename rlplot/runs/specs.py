"""What ``--group-by`` and ``--where`` say about a run.

A group-by spec is a regular expression over the run's path (its first capture group, or
the group named ``group``, names the group) or ``cfg:KEY`` (the run's value of a config
key). Several specs make one group per combination: ``lr=3e-4, algo=ppo``. ``spec_value``
is the one evaluation every command uses (``compare``'s ``--algo-by``/``--task-by`` too).

A where condition is ``cfg:KEY<op>VALUE`` or ``<field><op>VALUE`` for a run field
(``experiment``, ``name``, ``kind``), with op one of ``= != < > <= >=``. ``=`` and ``!=``
compare numbers as numbers, ``true``/``false`` as booleans, and text with shell
wildcards (``algo=pp*``); ``<``/``>`` need numbers.
"""
from __future__ import annotations

import fnmatch
import math
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..data import Notice
from ..errors import ConfigError, InputError
from .configs import format_value, lookup, values_of

CFG = "cfg:"
RUN_FIELDS = ("experiment", "name", "kind")
MATCH_SECONDS = 0.5     # the longest --group-by may take over one path (sane patterns: microseconds)
_OPERATOR = re.compile(r"(!=|<=|>=|==|=|<|>)")
_WHERE_HINT = "e.g. --where cfg:lr=3e-4, --where 'cfg:seed<3', --where experiment=cartpole"

ConfigOf = Callable[[], Mapping[str, Any]]   # a run's config, read when first asked for


def config_key(spec: str) -> str | None:
    """The key of a ``cfg:KEY`` spec, else None (the spec is a regex)."""
    return spec[len(CFG):].strip() if spec.startswith(CFG) else None


def check_group_by(specs: Sequence[str]) -> None:
    """Refuse an empty ``cfg:`` key or an invalid regex, before any run is read."""
    for spec in specs:
        key = config_key(spec)
        if key == "":
            raise ConfigError("--group-by cfg: needs a key", hint="e.g. --group-by cfg:lr")
        if key is None:
            _regex(spec)


@functools.lru_cache(maxsize=32)
def _regex(pattern: str):
    import regex   # re's syntax, plus a time limit on matching

    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ConfigError(f"--group-by: invalid regular expression ({exc})") from None


def regex_group(text: str, pattern: str) -> str | None:
    """The group ``pattern`` names in ``text``: the group named ``group``, else the first capture
    group, else the whole match; None when it does not match.

    Matching one path may take MATCH_SECONDS at most: a pattern that backtracks
    catastrophically (``(a+)+$``, ``(a|aa)+$``) is a ConfigError, not a hang."""
    regex = _regex(pattern)
    try:
        match = regex.search(text, timeout=MATCH_SECONDS)
    except TimeoutError:
        raise ConfigError(f"--group-by '{pattern}' took over {MATCH_SECONDS:g} s to match one path",
                          file=text, hint="the pattern backtracks catastrophically: nested or "
                          "overlapping repeats such as (a+)+ or (a|aa)+; simplify it") from None
    if match is None:
        return None
    if "group" in regex.groupindex:
        return match.group("group")
    return match.group(1) if regex.groups else match.group(0)


def spec_part(where: str, config_of: ConfigOf, spec: str, *, with_key: bool) -> str | None:
    """What one spec says of a run (``where``: its path as ``Run.where`` shows it); None: nothing.

    A ``cfg:`` spec gives the value (``3e-4``), or ``lr=3e-4`` with ``with_key``.
    """
    key = config_key(spec)
    if key is None:
        return regex_group(where, spec)
    hit = lookup(config_of(), key)
    if hit is None:
        return None
    return f"{key}={format_value(hit[1])}" if with_key else format_value(hit[1])


def spec_value(run, spec: str) -> str | None:
    """What ``spec`` (a regex over the run's path, or ``cfg:KEY``) says of a Run: the captured text
    or the config value; None when the regex does not match or the run has no such key."""
    from .configs import run_config

    return spec_part(run.where, lambda: run_config(run), spec, with_key=False)


def group_label(where: str, config_of: ConfigOf, specs: Sequence[str]) -> str | None:
    """The group a run belongs to under every spec: their parts joined (``lr=3e-4, algo=ppo``), or
    None when one says nothing (the run is then a group of its own)."""
    parts = []
    for spec in specs:
        part = spec_part(where, config_of, spec, with_key=True)
        if part is None:
            return None
        parts.append(part)
    return ", ".join(parts)


def missing_keys(items: Sequence[tuple[str, Mapping[str, Any]]], specs: Sequence[str]
                 ) -> list[Notice]:
    """One notice per ``cfg:`` key some runs lack: which (``items``: (label, config) per run)."""
    notices = []
    for spec in specs:
        key = config_key(spec)
        if key is None:
            continue
        lacking = [label for label, config in items if lookup(config, key) is None]
        if lacking:
            notices.append(Notice(f"--group-by {spec}: {_count(lacking)} no config key '{key}' "
                                  f"and {'is' if len(lacking) == 1 else 'are each'} a group of "
                                  f"its own: {_listed(lacking)}"))
    return notices


# ---- --where --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    """One ``--where``: a config key (``cfg:``) or a run field, an operator and a value, as written."""

    text: str
    key: str
    op: str
    value: str
    field: bool = False      # a run field (experiment, name, kind), not a config key


def parse_where(text: str) -> Condition:
    """``cfg:lr=3e-4`` -> Condition; ConfigError for anything else."""
    parts = _OPERATOR.split(text, maxsplit=1)
    if len(parts) != 3 or not parts[0].strip():
        raise ConfigError(f"--where {text}: not KEY=VALUE", hint=_WHERE_HINT)
    key, op, value = parts[0].strip(), "=" if parts[1] == "==" else parts[1], parts[2].strip()
    config = config_key(key)
    if config is not None:
        if not config:
            raise ConfigError(f"--where {text}: cfg: needs a key", hint=_WHERE_HINT)
        key, field = config, False
    elif key in RUN_FIELDS:
        field = True
    else:
        raise ConfigError(f"--where {text}: '{key}' is not a run field",
                          hint=f"a config key needs cfg: (cfg:{key}); run fields: "
                               + ", ".join(RUN_FIELDS))
    if op in ("<", ">", "<=", ">=") and _number(value) is None:
        raise ConfigError(f"--where {text}: {op} needs a number", hint=_WHERE_HINT)
    return Condition(text, key, op, value, field)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def holds(condition: Condition, value: Any) -> bool:
    """Whether a run whose value is ``value`` meets ``condition``."""
    mine, theirs = _number(value), _number(condition.value)
    if condition.op in ("<", ">", "<=", ">="):
        if mine is None or math.isnan(mine):
            return False
        return {"<": mine < theirs, ">": mine > theirs, "<=": mine <= theirs,
                ">=": mine >= theirs}[condition.op]
    if mine is not None and theirs is not None:
        same = math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=0.0) or mine == theirs
    elif isinstance(value, bool):
        same = condition.value.lower() in (("true", "yes", "1") if value else ("false", "no", "0"))
    else:
        same = any(fnmatch.fnmatchcase(text, condition.value) for text in {str(value), format_value(value)})
    return same if condition.op == "=" else not same


def select(items: Sequence, conditions: Sequence[Condition], label_of: Callable[[Any], str],
           field_of: Callable[[Any, str], Any], config_of: Callable[[Any], Mapping[str, Any]]
           ) -> tuple[list, list[Notice]]:
    """The items meeting every condition, and one notice per condition that some lack the key of.

    ``field_of(item, name)`` gives a run field, ``config_of(item)`` its config. Raises
    InputError when no item is left, with the values the runs have.
    """
    kept, notices = list(items), []
    for condition in conditions:
        lacking, meeting = [], []
        for item in kept:
            if condition.field:
                value = field_of(item, condition.key)
            else:
                hit = lookup(config_of(item), condition.key)
                if hit is None:
                    lacking.append(label_of(item))
                    continue
                value = hit[1]
            if holds(condition, value):
                meeting.append(item)
        if lacking:
            notices.append(Notice(f"--where {condition.text}: {_count(lacking)} no config key "
                                  f"'{condition.key}' and {'is' if len(lacking) == 1 else 'are'} "
                                  f"left out: {_listed(lacking)}"))
        if not meeting:
            raise InputError(f"no run meets --where {condition.text}",
                             hint=_values_hint(kept, condition, field_of, config_of))
        kept = meeting
    return kept, notices


def _values_hint(items, condition: Condition, field_of, config_of) -> str:
    if condition.field:
        values = list(dict.fromkeys(str(field_of(item, condition.key)) for item in items))
    else:
        values = values_of((config_of(item) for item in items), condition.key)
    if not values:
        return f"no run has the config key '{condition.key}' (`rlplot inspect` lists the keys)"
    return f"{condition.key}: " + _listed(values)


def _count(labels: Sequence[str]) -> str:
    return "1 run has" if len(labels) == 1 else f"{len(labels)} runs have"


def _listed(labels: Sequence[str], limit: int = 5) -> str:
    more = f", … {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more
