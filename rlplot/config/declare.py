"""How an option is declared: ``opt`` puts its default, help and allowed values in the field.

Its own module so that every schema module (``schema``, ``compare``) declares options the
same way without importing each other.
"""
from __future__ import annotations

from dataclasses import MISSING, field
from typing import Any

from ..registry import Registry


def opt(default: Any = MISSING, help: str = "", *, choices: tuple | Registry | None = None,
        min: float | None = None, max: float | None = None, kind: str | None = None,
        factory: Any = MISSING, min_open: bool = False):
    """Declare an option: its default, one line of help, and its allowed values.

    ``choices`` is a ``Registry`` (a list offered elsewhere too) or a tuple (the schema's
    own; an unknown value is "unknown <what>" for a registry, "not allowed" for a tuple).
    ``kind`` refines a plain type: ``color`` (a matplotlib colour), ``input-format`` (a reader of the input-format registry, looked up when validating),
    ``rc`` (matplotlib rcParams, validated by matplotlib).
    """
    meta = {"help": help, "choices": choices, "min": min, "max": max, "kind": kind,
            "min_open": min_open}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)
