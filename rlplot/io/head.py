"""The start of a log, parsed just enough to recognise its format (what every ``detect`` looks at)."""
from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from .csv_reader import sniff_delimiter
from .json_reader import parse_json_document
from .lines import NEWLINE
from .sources import Source

_HEAD_CHARS = 1 << 16   # detection reads at most this much of a file
_HEAD_RECORDS = 50


@dataclass(frozen=True)
class Head:
    """The start of a source, parsed just enough to recognise its format."""

    source: Source
    kind: str  # "csv", "jsonl" or "json": the generic reader the content calls for

    @cached_property
    def text(self) -> str:
        return self.source.text[:_HEAD_CHARS]

    def _lines(self) -> Iterator[str]:
        """The lines of ``text`` as ``split_lines`` cuts them, less a last line the 64 KB cut
        may have cut; one at a time: detection reads a few dozen, not the ~600 of 64 KB."""
        text = self.text.rstrip("\x00")
        pending, position = None, 0
        for newline in NEWLINE.finditer(text):
            if pending is not None:
                yield pending
            pending, position = text[position:newline.start()], newline.end()
        rest = ([] if pending is None else [pending]) + ([text[position:]] if text[position:] else [])
        if len(self.source.text) > _HEAD_CHARS and rest:
            rest.pop()
        yield from rest

    @cached_property
    def comments(self) -> list[str]:
        """The ``#`` lines before the header."""
        out = []
        for line in self._lines():
            if line.lstrip().startswith("#"):
                out.append(line.strip())
            elif line.strip():
                break
        return out

    @cached_property
    def _header_and_sample(self) -> tuple[str, list[str]]:
        body = itertools.islice((t for t in self._lines() if t.strip() and not t.lstrip().startswith("#")),
                                21)
        header = next(body, "")
        return header, list(body)

    @cached_property
    def delimiter(self) -> str:
        """The delimiter the CSV reader would sniff."""
        header, sample = self._header_and_sample
        return sniff_delimiter(header, sample)

    @cached_property
    def fields(self) -> list[str]:
        """The header's fields (first non-blank, non-comment line), stripped."""
        header, _ = self._header_and_sample
        try:
            return [f.strip() for f in next(csv.reader([header], delimiter=self.delimiter), [])]
        except csv.Error:
            return []

    @cached_property
    def records(self) -> list[dict]:
        """The first JSON Lines records that parse."""
        out = []
        for line in itertools.islice(self._lines(), _HEAD_RECORDS * 2):
            value = parse_json_document(line.strip("\x00 \t"))
            if isinstance(value, dict):
                out.append(value)
                if len(out) >= _HEAD_RECORDS:
                    break
        return out


def kind_of(source: Source) -> str:
    """The generic reader a source's content calls for: ``json``, ``jsonl`` or ``csv``."""
    head = source.text[:_HEAD_CHARS].lstrip("\ufeff \t\r\n\x00")
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        if source.suffix == ".json":
            return "json"
        first_line = head.split("\n", 1)[0].strip()
        if parse_json_document(first_line) is not None:
            return "jsonl"
        return "json" if parse_json_document(source.text) is not None else "jsonl"
    if source.suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "csv"
