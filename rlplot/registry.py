"""Registries: every list of choices rlplot offers is one ``Registry`` of ``Choice`` entries.

A choice is declared once, with its one line of help, the label figures and footnotes
use, and where its implementation lives (``"module:attribute"``, imported on first use
so that declaring choices stays free of numpy and matplotlib). The config schema, the
CLI's choices and help, and the generated docs all read the registries; nothing else
spells a list of allowed values.
"""
from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .errors import ConfigError


@dataclass(frozen=True)
class Choice:
    """One allowed value: its name, one line of help, its label in figures, its implementation."""

    name: str
    help: str
    label: str = ""     # how a figure or footnote names it ("interquartile mean"); default: name
    target: str = ""    # "package.module:attribute" of the implementation, if it has one

    @property
    def title(self) -> str:
        """The label, or the name when there is none."""
        return self.label or self.name


def closest(value: str, options: Iterable[str]) -> list[str]:
    """The option a typo most likely meant (a case-insensitive match first), as a 0- or 1-item list."""
    options = [str(o) for o in options]
    same = [o for o in options if o.lower() == str(value).lower()]
    return same[:1] or difflib.get_close_matches(str(value), options, n=1)


def unknown_hint(value: str, options: Iterable[str]) -> str:
    """``did you mean 'x'? choose one of: a, b, c`` for a value that is not among ``options``."""
    options = [str(o) for o in options]
    close = closest(value, options)
    return (f"did you mean '{close[0]}'? " if close else "") + "choose one of: " + ", ".join(options)


class Registry:
    """An ordered, immutable set of named choices, e.g. the smoothing methods."""

    def __init__(self, what: str, choices: Iterable[Choice]) -> None:
        self.what = what            # "smoothing method": used in messages
        self._choices = {c.name: c for c in choices}
        self._loaded: dict[str, Any] = {}

    @property
    def names(self) -> tuple[str, ...]:
        """Every name, in declaration order."""
        return tuple(self._choices)

    def __iter__(self) -> Iterator[str]:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)

    def __contains__(self, name: object) -> bool:
        return name in self._choices

    def __getitem__(self, name: str) -> Choice:
        return self._choices[self.check(name)]

    def __repr__(self) -> str:
        return f"Registry({self.what!r}, {list(self._choices)})"

    def choices(self) -> tuple[Choice, ...]:
        """Every entry, in declaration order."""
        return tuple(self._choices.values())

    def check(self, name: str, *, file: str | None = None, line: int | None = None) -> str:
        """Return ``name`` if it is registered; else raise a ConfigError with a did-you-mean hint."""
        if name in self._choices:
            return name
        raise ConfigError(f"unknown {self.what} '{name}'", file=file, line=line,
                          hint=unknown_hint(name, self._choices))

    def load(self, name: str) -> Any:
        """The implementation of a choice, imported on first use."""
        if name not in self._loaded:
            target = self[name].target
            if not target:
                raise LookupError(f"{self.what} '{name}' has no implementation to load")
            module, _, attribute = target.partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)
        return self._loaded[name]

    def listing(self) -> str:
        """``a, b, c``: the names for a one-line hint."""
        return ", ".join(self._choices)

    def described(self, sep: str = "; ") -> str:
        """``a: help; b: help``: every choice with its help, for CLI help and docs."""
        return sep.join(f"{c.name}: {c.help}" for c in self._choices.values())
