"""Run configurations: read through each run's source, looked up by key, and shown short.

A tracker run's config is listed with it (MLflow params, W&B ``config.yaml``); a run found
as a file or folder reads its config on demand (``io.hparams.read_run_config``; event files
add their hparams record). Keys are flat and dotted (``net.hidden``).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Sequence

from ..choices import RUN_SOURCES
from ..data import Run


def ref_config(ref):
    """The configuration of a ``RunRef`` (an ``io.hparams.RunConfig``)."""
    from ..io.hparams import RunConfig

    if ref.config is not None:
        return RunConfig(dict(ref.config), (ref.where,))
    return RUN_SOURCES.load(ref.kind).config(ref)


def run_config(run: Run) -> Mapping[str, Any]:
    """A Run's configuration: as loaded, else read through the RunRef it came from ({} without one)."""
    if run.config is not None:
        return run.config
    return dict(ref_config(run.ref).values) if run.ref is not None else {}


def lookup(config: Mapping[str, Any], key: str) -> tuple[str, Any] | None:
    """``(key as stored, value)`` for ``key``: exact, else up to case, else the one key whose last
    dotted part it is (``lr`` finds ``optimizer.lr``); None when absent or ambiguous."""
    if key in config:
        return key, config[key]
    for pick in (lambda k: k.lower() == key.lower(),
                 lambda k: k.rsplit(".", 1)[-1].lower() == key.lower()):
        hits = [k for k in config if pick(k)]
        if len(hits) == 1:
            return hits[0], config[hits[0]]
    return None


def short_number(value: float) -> str:
    """A number, exactly, in the shorter of plain and scientific notation: ``0.0003`` -> ``3e-4``,
    ``64.0`` -> ``64``, ``0.001`` and ``1000`` stay (sci must save two characters)."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    plain = repr(float(value))
    plain = plain[:-2] if plain.endswith(".0") else plain
    try:
        mantissa, _, exponent = format(Decimal(plain).normalize(), "e").partition("e")
    except InvalidOperation:
        return plain
    sci = f"{mantissa}e{int(exponent)}"
    if "e" in plain or len(sci) + 1 < len(plain):
        return sci
    return plain   # 1e3, 1e-3: no shorter to read


def format_value(value: Any) -> str:
    """A config value as legends and listings show it (``lr=3e-4``, ``algo=ppo``, ``norm=true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return short_number(value)
    return str(value)


def differing_keys(configs: Sequence[Mapping[str, Any]]) -> list[str]:
    """The keys whose values are not the same in every config (a key some lack differs), in first-seen order."""
    keys = list(dict.fromkeys(k for config in configs for k in config))
    missing = object()
    return [k for k in keys if len({repr(c.get(k, missing)) for c in configs}) > 1]


def values_of(configs: Iterable[Mapping[str, Any]], key: str) -> list[str]:
    """The distinct values of ``key`` over ``configs``, formatted, in first-seen order."""
    found = (lookup(config, key) for config in configs)
    return list(dict.fromkeys(format_value(hit[1]) for hit in found if hit is not None))
