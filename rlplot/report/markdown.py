"""The report as Markdown (``$GITHUB_STEP_SUMMARY``, a merge-request comment), with PNGs beside it.

The caller writes one PNG per section (named by ``image_names``, or its own names) next to the
Markdown file; this module only writes text. Text from logs and paths is HTML-escaped as well as
cell-escaped: GitHub renders Markdown as HTML, so a run named ``<script>`` must stay text.
"""
from __future__ import annotations

import html
import os
import re
from typing import Sequence
from urllib.parse import quote

from ..atomic import write_text_atomic
from ..errors import RlplotError
from ..markdown import md_table
from .encode import section_ids
from .format import cell_text, human_size
from .model import QualityNote, Report, Section

_BACKTICKS = re.compile(r"`+")
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]])")


def image_names(report: Report) -> tuple[str, ...]:
    """One PNG file name per section, unique and safe in any file system: ``s<i>-<slug>.png``."""
    return tuple(f"{sid}.png" for sid in section_ids(s.title for s in report.sections))


def _text(value: object) -> str:
    """Inline Markdown text shown as is: HTML special characters and Markdown's inline markup
    (``* _ ` [ ] \\``) escaped, line breaks folded."""
    return _INLINE_MARKUP.sub(r"\\\1", " ".join(html.escape(str(value), quote=False).splitlines()))


def _code(value: object) -> str:
    """Inline code: no HTML escaping (a code span shows its text as is), fenced past any backticks."""
    text = " ".join(str(value).splitlines())
    ticks = "`" * (1 + max((len(m) for m in _BACKTICKS.findall(text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _cell(value: object) -> str:
    return _text(cell_text(value))  # md_table then escapes '|


def render_markdown(report: Report, images: Sequence[str | None] | None = None) -> str:
    """The report as Markdown text. ``images``: the PNG path (relative to the Markdown file) of each
    section's chart, None for no image; default ``image_names(report)``."""
    if images is None:
        images = image_names(report)
    if len(images) != len(report.sections):
        raise RlplotError(f"{len(images)} image names for {len(report.sections)} sections")
    lines = [f"# {_text(report.title)}", "", *_header(report)]
    if report.note_count:
        lines += ["", "> [!WARNING]", f"> **Data quality: {report.note_count:,} "
                  f"note{'s' if report.note_count != 1 else ''}.**"]
        lines += [f"> - {_text(n)}" for n in report.notes]
        lines += [f"> - {_text(s.title)}: {len(s.notes):,} note{'s' if len(s.notes) != 1 else ''}"
                  for s in report.sections if s.notes]
    for section, image in zip(report.sections, images):
        lines += ["", *_section(section, image)]
    if report.config_text:
        fence = "`" * max(3, 1 + max((len(m) for m in _BACKTICKS.findall(report.config_text)), default=0))
        lines += ["", "<details><summary>Effective config</summary>", "", f"{fence}yaml",
                  report.config_text.rstrip("\n"), fence, "", "</details>"]
    if report.inputs:
        lines += ["", "## Inputs", ""]
        lines += md_table(["path", "size", "sha256"],
                          [[_code(f.path), human_size(f.size), _code(f.sha256)] for f in report.inputs])
    return "\n".join(lines) + "\n"


def write_markdown(report: Report, path: str | os.PathLike,
                   images: Sequence[str | None] | None = None) -> str:
    """Write the Markdown report to ``path`` atomically; returns the path."""
    return write_text_atomic(path, render_markdown(report, images))


def _header(report: Report) -> list[str]:
    facts = [["command", _code(report.command)], ["rlplot", _text(report.version)],
             ["data as of", _text(report.data_date)]]
    facts += [[_text(label), f"{value:,}"] for label, value in report.counts]
    return md_table(["", ""], facts)


def _notes(notes: Sequence[QualityNote]) -> list[str]:
    return ["> [!WARNING]", f"> **Data quality** ({len(notes):,} note{'s' if len(notes) != 1 else ''})",
            *[f"> - {_text(n)}" for n in notes]]


def _section(section: Section, image: str | None) -> list[str]:
    lines = [f"## {_text(section.title)}", ""]
    if section.notes:
        lines += [*_notes(section.notes), ""]
    if image:
        lines += [f"![Chart of {_text(section.title)}]({quote(image)})", ""]
    if section.summary and section.summary.rows:
        lines += md_table([_text(h) for h in section.summary.header],
                          [[_cell(c) for c in row] for row in section.summary.rows])
    return lines
