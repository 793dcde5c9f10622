"""``rlplot summary`` as a library: insights of every run and panel, and their text/JSON/Markdown/CSV forms.

``summarize`` takes what ``pipeline.prepare`` produced (so reading, cleaning and
smoothing are exactly those of the figure) and adds the numbers of ``insights``
(``numbers``); ``formats`` writes them out, one function per ``SUMMARY_FORMATS``
entry. The JSON form is a documented, versioned schema (docs/summary-schema.json).
No matplotlib here.
"""
from __future__ import annotations

from .formats import SCHEMA_VERSION, summary_dict, to_csv, to_json, to_markdown, to_text
from .numbers import (MetricSummary, RunSummary, Summary, Threshold, parse_threshold, summarize,
                      threshold_value)

__all__ = ["MetricSummary", "RunSummary", "Summary", "Threshold", "parse_threshold",
           "threshold_value", "summarize", "summary_dict", "to_text", "to_json", "to_markdown",
           "to_csv", "SCHEMA_VERSION"]
