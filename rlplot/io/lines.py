"""Splitting decoded text into numbered lines, and the skip-or-raise policy for bad lines."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..data import Notice
from ..errors import InputError

NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Lines:
    """The lines of a text (1-based numbers) and whether the text ended with a newline."""

    lines: list[str]
    complete: bool          # False: the last line has no newline (a writer may be mid-line)
    nul_padded: bool        # the text ended in NUL bytes (a file cut off while being written)


def split_lines(text: str) -> Lines:
    """Split on CRLF, CR or LF; trailing NUL padding is removed and remembered."""
    stripped = text.rstrip("\x00")
    nul_padded = len(stripped) != len(text)
    complete = stripped == "" or stripped.endswith(("\n", "\r"))
    lines = NEWLINE.split(stripped)
    if lines and lines[-1] == "":
        lines.pop()
    return Lines(lines=lines, complete=complete, nul_padded=nul_padded)


@dataclass
class SkipLog:
    """Collects skipped lines as notices; in strict mode the first skip is an error instead."""

    source: str
    strict: bool = False
    notices: list[Notice] = field(default_factory=list)

    def skip(self, line: int | None, what: str) -> None:
        """Record that ``line`` was skipped because of ``what`` (or raise when strict)."""
        if self.strict:
            raise InputError(what, file=self.source, line=line,
                             hint="--strict is on; drop it to skip such lines with a warning")
        self.notices.append(Notice(f"skipped line: {what}", file=self.source, line=line))
