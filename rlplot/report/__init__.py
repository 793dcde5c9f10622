"""``rlplot report``'s library: a report as plain data, written as one self-contained HTML page
(interactive uPlot charts with static SVG fallbacks) or as Markdown with PNGs beside it.

    from rlplot.report import Report, Section, Chart, Panel, Curve, write_html
    write_html(Report(title=..., command=..., data_date=..., sections=(...)), "report.html")
"""
from __future__ import annotations

from .markdown import image_names, render_markdown, write_markdown
from .model import Chart, Curve, InputFile, Panel, QualityNote, Report, Section, Table
from .page import render_html, write_html

__all__ = ["Chart", "Curve", "InputFile", "Panel", "QualityNote", "Report", "Section", "Table",
           "image_names", "render_html", "render_markdown", "write_html", "write_markdown"]
