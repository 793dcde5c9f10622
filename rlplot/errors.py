"""rlplot's own error types.

Library code raises these; only the CLI turns them into the one-line message
``rlplot: error: <file>[:<line>]: <what> (<hint>)`` and an exit code.
"""
from __future__ import annotations


class RlplotError(Exception):
    """Base class: a user-facing problem with an optional file, line and hint."""

    def __init__(self, what: str, *, file: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.file = file
        self.line = line
        self.hint = hint

    def located(self, file: str | None = None, line: int | None = None) -> "RlplotError":
        """Fill in the location if it is still unknown; return self for chaining."""
        if self.file is None:
            self.file = file
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        return format_message(self.what, file=self.file, line=self.line, hint=self.hint)


class InputError(RlplotError):
    """A log cannot be read or does not hold what was asked for."""


class ColumnError(InputError):
    """A requested column is missing or unusable."""


class ConfigError(RlplotError):
    """A configuration file, preset, ``--set`` or option value is invalid."""


class OutputError(RlplotError):
    """An output path is unusable (unknown format, would overwrite an input, ...)."""


def format_message(what: str, *, file: str | None = None, line: int | None = None,
                   hint: str | None = None) -> str:
    """Format ``<file>[:<line>]: <what> (<hint>)``, leaving out the parts that are unknown."""
    text = what
    if file is not None:
        text = f"{file}:{line}: {what}" if line is not None else f"{file}: {what}"
    if hint:
        text = f"{text} ({hint})"
    return text
