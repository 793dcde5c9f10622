"""Exit codes: every subcommand returns one of these, and ``rlplot.cli`` alone turns them into exits."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """How an ``rlplot`` invocation ended."""

    OK = 0
    ERROR = 1        # a bad input, config or output (one ``rlplot: error:`` line), or a failed run
    USAGE = 2        # a bad flag or argument: Click's own usage errors, which also exit 2
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it

    @classmethod
    def of(cls, result: object) -> "ExitCode":
        """The exit code a subcommand's return value stands for (``None`` is success)."""
        return cls.OK if result is None else cls(result)
