"""One self-contained HTML page from a ``Report``: header, sections, config, provenance, inlined JS.

Every text that comes from logs, paths or configs passes ``html.escape`` (or ``script_json`` inside
``<script>``), so a run named ``<script>`` is shown, never run. Nothing here reads the clock or the
file system: the same report gives the same bytes. The page works without JavaScript (static
SVGs, native ``<details>``); with it, ``static/report.js`` turns each chart's data into uPlot charts.
"""
from __future__ import annotations

import html
import os
from typing import Sequence

from ..atomic import write_text_atomic
from .assets import VENDORED_LIBRARY, VENDORED_LICENSE, VENDORED_VERSION, script_assets, style_assets
from .encode import (exact_numbers, raw_json_array, rounded_numbers, script_json, section_ids,
                     svg_data_uri)
from .format import cell_text, human_size
from .model import Chart, Curve, InputFile, QualityNote, Report, Section, Table

# matplotlib's tab10: a run's colour in the live chart matches the overlay figures.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
SINGLE_RUN_COLORS = ("#1f77b4", "#d62728")  # points, smoothed line: rlplot's default chart
ALL_OPEN_UP_TO = 12      # sections: a report this small opens every section
OPEN_IN_LARGE = 3        # a larger one opens the first few; the rest wait for a click
NOTES_SHOWN = 10         # notes per list before the rest fold away


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(report: Report, expanded: int | None = None) -> str:
    """The report as one HTML document (str). ``expanded``: how many sections start open
    (default: all of them up to 12 sections, else the first 3)."""
    ids = section_ids(s.title for s in report.sections)
    if expanded is None:
        expanded = len(ids) if len(ids) <= ALL_OPEN_UP_TO else OPEN_IN_LARGE
    sections = [_section(s, sid, i < expanded) for i, (s, sid) in enumerate(zip(report.sections, ids))]
    data = [f'<script type="application/json" id="rl-data-{sid}">{_chart_json(s.chart)}</script>'
            for s, sid in zip(report.sections, ids)]
    index = {"sections": [{"id": sid, "runs": list(s.runs)} for s, sid in zip(report.sections, ids)]}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="rlplot {_e(report.version)}">',
        f"<title>{_e(report.title)}</title>",
        # Before any layout: the page styles itself for JavaScript or for the static fallback.
        "<script>document.documentElement.classList.add('js')</script>",
        f"<style>{style_assets()}</style>",
        "</head><body>",
        _header(report),
        _quality_overview(report, ids),
        _toolbar(report),
        '<main id="rl-sections">', *sections, "</main>",
        _config(report.config_text),
        _provenance(report.inputs),
        _footer(report),
        f'<script type="application/json" id="rl-index">{script_json(index)}</script>',
        *data,
        f"<script>{script_assets()}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_html(report: Report, path: str | os.PathLike, expanded: int | None = None) -> str:
    """Write the report's HTML to ``path`` atomically; returns the path."""
    return write_text_atomic(path, render_html(report, expanded))


def _header(report: Report) -> str:
    facts = [("command", f"<code>{_e(report.command)}</code>"),
             ("rlplot", _e(report.version)),
             ("data as of", f"<time>{_e(report.data_date)}</time>")]
    facts += [(label, f"{value:,}") for label, value in report.counts]
    rows = "".join(f'<div class="fact"><dt>{_e(k)}</dt><dd>{v}</dd></div>' for k, v in facts)
    return f'<header class="rl-header"><h1>{_e(report.title)}</h1><dl class="facts">{rows}</dl></header>'


def _quality_overview(report: Report, ids: Sequence[str]) -> str:
    """A box at the top when anything was skipped, dropped or damaged: what, and where to look."""
    if not report.note_count:
        return ""
    noted = [(s, sid) for s, sid in zip(report.sections, ids) if s.notes]
    links = "".join(f'<li><a href="#{sid}">{_e(s.title)}</a>: {len(s.notes)} '
                    f'note{"s" if len(s.notes) != 1 else ""}</li>' for s, sid in noted)
    count = report.note_count
    parts = [f'<section class="quality" id="rl-quality" role="note"><h2>Data quality: {count:,} '
             f'note{"s" if count != 1 else ""}</h2>']
    if report.notes:
        parts.append(_note_list(report.notes))
    if links:
        parts.append(f'<p>In {len(noted):,} section{"s" if len(noted) != 1 else ""}:</p>'
                     f'<ul class="noted">{links}</ul>')
    parts.append("</section>")
    return "".join(parts)


def _note_list(notes: Sequence[QualityNote]) -> str:
    items = [f"<li>{_e(n)}</li>" for n in notes]
    shown = "".join(items[:NOTES_SHOWN])
    if len(items) <= NOTES_SHOWN:
        return f"<ul>{shown}</ul>"
    rest = "".join(items[NOTES_SHOWN:])
    return (f"<ul>{shown}</ul><details><summary>{len(items) - NOTES_SHOWN:,} more</summary>"
            f"<ul>{rest}</ul></details>")


def _toolbar(report: Report) -> str:
    # Hidden until the script runs: without JavaScript the filter could not work.
    runs = len(report.runs)
    return ('<div class="toolbar" id="rl-toolbar" hidden>'
            '<label>Filter runs <input type="search" id="rl-filter" autocomplete="off" '
            'placeholder="part of a run name" spellcheck="false"></label>'
            f'<span id="rl-filter-count" aria-live="polite">{runs:,} runs</span>'
            '<button type="button" id="rl-expand">Expand all</button>'
            '<button type="button" id="rl-collapse">Collapse all</button></div>')


def _section(section: Section, sid: str, is_open: bool) -> str:
    runs = section.runs
    badges = ""
    if len(runs) > 1:
        badges += f'<span class="badge">{len(runs):,} runs</span>'
    if section.notes:
        n = len(section.notes)
        badges += f'<span class="badge warn">&#9888; {n:,} note{"s" if n != 1 else ""}</span>'
    notes = ""
    if section.notes:
        notes = (f'<div class="notes" role="note"><h3>Data quality</h3>{_note_list(section.notes)}'
                 "</div>")
    summary = _table(section.summary, "summary") if section.summary and section.summary.rows else ""
    return (f'<details class="section" id="{sid}"{" open" if is_open else ""}>'
            f"<summary><h2>{_e(section.title)}</h2>{badges}</summary>"
            f"{notes}{_chart(section.chart, section.title, sid)}{summary}</details>")


def _chart(chart: Chart, title: str, sid: str) -> str:
    # loading="lazy": with JavaScript the static images are hidden and then never loaded (each is an
    # SVG document to parse); printing and pages without JavaScript load them all the same.
    fallback = ('<p class="static nofallback">No static figure.</p>' if chart.svg is None else
                f'<img class="static" loading="lazy" alt="Chart of {_e(title)}" '
                f"src='{svg_data_uri(chart.svg)}'>")
    return (f'<figure class="chart" data-section="{sid}">'
            f'<div class="live" aria-label="Interactive chart of {_e(title)}"></div>{fallback}</figure>')


def _table(table: Table, css_class: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{_e(cell_text(c))}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _config(config_text: str) -> str:
    if not config_text:
        return ""
    return ('<section class="config"><details><summary><h2>Effective config</h2></summary>'
            f"<pre><code>{_e(config_text)}</code></pre></details></section>")


def _provenance(inputs: Sequence[InputFile]) -> str:
    if not inputs:
        return ""
    rows = "".join(f"<tr><td><code>{_e(f.path)}</code></td>"
                   f'<td class="num" title="{f.size:,} bytes">{_e(human_size(f.size))}</td>'
                   f"<td><code>{_e(f.sha256)}</code></td></tr>" for f in inputs)
    return ('<section class="provenance"><h2>Inputs</h2><table class="inputs"><thead><tr>'
            "<th>path</th><th>size</th><th>sha256</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def _footer(report: Report) -> str:
    return (f'<footer>Made with rlplot {_e(report.version)}. Interactive charts: '
            f"{VENDORED_LIBRARY} {VENDORED_VERSION} ({VENDORED_LICENSE} license, "
            "inlined with its license text). Drag across a chart to zoom, double-click to reset; "
            "click a legend entry to hide or show a run.</footer>")


def _chart_json(chart: Chart) -> str:
    """The chart's data for the adapter: panels of curves, points exact, curves rounded."""
    runs = chart.runs
    colors = {run: _colors(run, i, len(runs), chart) for i, run in enumerate(runs)}
    panels = []
    for panel in chart.panels:
        curves = raw_json_array(_curve_json(c, colors[c.run]) for c in panel.curves)
        percent = "" if panel.percent is None else f',"pct":{panel.percent:g}'
        panels.append(f'{{"title":{script_json(panel.title)},"y_label":{script_json(panel.y_label)},'
                      f'"curves":{curves}{percent}}}')
    return (f'{{"x_label":{script_json(chart.x_label)},"runs":{script_json(list(runs))},'
            f'"panels":{raw_json_array(panels)}}}')


def _colors(run: str, index: int, n_runs: int, chart: Chart) -> tuple[str, str]:
    """(points, line) colours of a run: its own, rlplot's blue/red for a lone run, else tab10."""
    own = next((c.color for p in chart.panels for c in p.curves if c.run == run and c.color), None)
    if own:
        return own, own
    if n_runs == 1:
        return SINGLE_RUN_COLORS
    color = PALETTE[index % len(PALETTE)]
    return color, color


def _curve_json(curve: Curve, colors: tuple[str, str]) -> str:
    fields = [f'"run":{script_json(curve.run)}', f'"pc":{script_json(colors[0])}',
              f'"lc":{script_json(colors[1])}', f'"x":{exact_numbers(curve.x)}',
              f'"y":{exact_numbers(curve.y)}', f'"sx":{rounded_numbers(curve.smooth_x)}',
              f'"sy":{rounded_numbers(curve.smooth_y)}']
    if curve.band_low is not None and curve.band_high is not None:
        fields += [f'"lo":{rounded_numbers(curve.band_low)}', f'"hi":{rounded_numbers(curve.band_high)}']
    return "{" + ",".join(fields) + "}"
