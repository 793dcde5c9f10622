"""What the CLI prints on stderr: one-line errors, warnings, and how many of each it shows."""
from __future__ import annotations

from collections import defaultdict

import click

# Skipped-line warnings printed per file by render, summary and watch; the rest are counted.
SKIPPED_LINES_WARNED_PER_FILE = 5


def error_line(message: str) -> str:
    """The one-line error format: ``rlplot: error: <message>`` (line breaks inside folded)."""
    return "rlplot: error: " + " ".join(str(message).split())


def warn(text: str) -> None:
    """Print ``rlplot: warning: <text>`` to stderr."""
    click.echo(f"rlplot: warning: {text}", err=True)


def echo_notices(notices) -> None:
    """Print notices as warnings: every kind of problem, but only a few skipped lines per file."""
    skipped: dict[str, int] = defaultdict(int)
    for notice in notices:
        if notice.what.startswith("skipped line"):
            skipped[notice.file] += 1
            if skipped[notice.file] > SKIPPED_LINES_WARNED_PER_FILE:
                continue
        warn(str(notice))
    for file, count in skipped.items():
        if count > SKIPPED_LINES_WARNED_PER_FILE:
            warn(f"{file}: … and {count - SKIPPED_LINES_WARNED_PER_FILE} more skipped lines")
