"""The HTML page as text: self-contained, deterministic, escaped, and carrying the exact data."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from rlplot.errors import OutputError
from rlplot.report import (Chart, Curve, InputFile, Panel, QualityNote, Report, Section, Table,
                           render_html, write_html)
from rlplot.report.assets import VENDORED_VERSION

from .synthetic import make_report

HOSTILE = "<script>alert('run')</script>"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> by id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: dict[str, str] = {}
        self._script: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs).get("id") or f"#{len(self.scripts)}"
            self.scripts[self._script] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts[self._script] += data

    def all(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


def _hostile_report() -> Report:
    curve = Curve(run=HOSTILE, x=[1, 2, 3], y=[0.1, 1 / 3, 0.3], smooth_x=[1, 2, 3],
                  smooth_y=[0.2, 0.2, 0.2], band_low=[0.1, 0.1, 0.1], band_high=[0.3, 0.3, 0.3])
    chart = Chart(f"x{HOSTILE}", (Panel(f"t{HOSTILE}", f"y{HOSTILE}", (curve,)),), svg="<svg/>")
    section = Section(HOSTILE, chart, Table(["run", HOSTILE], [[HOSTILE, 1.0]]),
                      notes=[QualityNote(f"bad line {HOSTILE}", file=f"{HOSTILE}.jsonl", line=3)])
    return Report(title=HOSTILE, command=f"rlplot report '{HOSTILE}'", data_date=HOSTILE,
                  sections=[section], counts=[(HOSTILE, 1)], config_text=f"label: {HOSTILE}\n",
                  inputs=[InputFile(f"{HOSTILE}.jsonl", "ab" * 32, 2048)], notes=[QualityNote(HOSTILE)])


def test_text_from_logs_is_escaped_everywhere():
    text = render_html(_hostile_report())
    assert HOSTILE not in text
    assert html.escape(HOSTILE) in text
    elements = Elements(text)
    # Only the page's own scripts: the class switch, the index, one data block, the library.
    assert len(elements.all("script")) == 4
    data = json.loads(elements.scripts["rl-data-s0-script-alert-run-script"])
    assert data["runs"] == [HOSTILE] and data["x_label"] == f"x{HOSTILE}"
    assert data["panels"][0]["curves"][0]["run"] == HOSTILE


def test_the_page_is_self_contained():
    elements = Elements(render_html(make_report(3, per_section=2)))
    assert all(a["src"].startswith("data:image/svg+xml") for a in elements.all("img"))
    assert all(a["href"].startswith("#") for a in elements.all("a"))
    assert all("src" not in a for a in elements.all("script"))
    assert not elements.all("link") and not elements.all("iframe")


def test_the_same_report_gives_the_same_bytes():
    assert render_html(make_report(4, per_section=2)) == render_html(make_report(4, per_section=2))


def test_points_are_embedded_exactly_and_curves_closely():
    report = make_report(2, per_section=2)
    elements = Elements(render_html(report))
    data = json.loads(elements.scripts["rl-data-s0-group-0"])
    assert data["runs"] == list(report.sections[0].runs)
    for panel, embedded in zip(report.sections[0].chart.panels, data["panels"]):
        assert embedded["title"] == panel.title and embedded["y_label"] == panel.y_label
        for curve, got in zip(panel.curves, embedded["curves"]):
            assert got["x"] == curve.x.tolist() and got["y"] == curve.y.tolist()
            np.testing.assert_allclose(got["sy"], curve.smooth_y, rtol=5e-7)
            assert "lo" not in got
    index = json.loads(elements.scripts["rl-index"])
    assert index == {"sections": [{"id": "s0-group-0", "runs": list(report.sections[0].runs)}]}


def test_band_colours_and_lone_run_defaults():
    data = json.loads(Elements(render_html(_hostile_report())).scripts["rl-data-s0-script-alert-run-script"])
    curve = data["panels"][0]["curves"][0]
    assert curve["lo"] == [0.1, 0.1, 0.1] and curve["hi"] == [0.3, 0.3, 0.3]
    assert (curve["pc"], curve["lc"]) == ("#1f77b4", "#d62728")  # rlplot's blue points, red line
    assert curve["y"][1] == 1 / 3


def test_header_notes_config_and_provenance():
    info = InputFile("runs/a.jsonl", "0f" * 32, 123_456)
    report = Report(title="T", command="rlplot report runs/ -o r.html", data_date="2024-05-01",
                    sections=make_report(2).sections, counts=[("runs", 2), ("points", 12_800)],
                    config_text="smoothing:\n  frac: 0.2\n", inputs=[info])
    text = render_html(report)
    assert "<code>rlplot report runs/ -o r.html</code>" in text
    assert "<time>2024-05-01</time>" in text and "<dd>12,800</dd>" in text
    assert f'<meta name="generator" content="rlplot {report.version}">' in text
    assert 'id="rl-quality"' in text and "Data quality: 1 note" in text
    assert '<a href="#s0-sweep-lr-1e-04-seed-0">' in text
    assert "<summary><h2>Effective config</h2></summary><pre><code>smoothing:\n  frac: 0.2\n</code>" in text
    assert f'<td class="num" title="123,456 bytes">120.6 KiB</td><td><code>{"0f" * 32}</code>' in text
    assert f"uPlot {VENDORED_VERSION}" in text


def test_a_clean_report_has_no_quality_box_and_no_empty_parts():
    report = make_report(2)
    clean = Report("T", "c", "d", sections=[Section(s.title, s.chart, s.summary) for s in report.sections])
    text = render_html(clean)
    assert 'id="rl-quality"' not in text and 'class="notes"' not in text
    assert 'class="config"' not in text and 'class="provenance"' not in text


def test_many_notes_fold_after_ten():
    notes = [QualityNote(f"line {i} skipped", file="r.jsonl", line=i) for i in range(25)]
    section = make_report(1).sections[0]
    text = render_html(Report("T", "c", "d", sections=[Section("s", section.chart, notes=notes)]))
    assert "<summary>15 more</summary>" in text
    assert text.count("skipped</li>") == 25 * 2 - 25  # once each, in the section only
    assert "&#9888; 25 notes" in text


@pytest.mark.parametrize("n_sections, expanded, open_count", [(5, None, 5), (12, None, 12), (13, None, 3),
                                                              (13, 0, 0), (5, 2, 2)])
def test_how_many_sections_start_open(n_sections, expanded, open_count):
    text = render_html(make_report(n_sections, svg=False, n=20), expanded=expanded)
    assert len(re.findall(r'<details class="section" id="[^"]+" open>', text)) == open_count
    assert text.count('<details class="section"') == n_sections


def test_a_chart_without_svg_says_so():
    text = render_html(make_report(1, svg=False, n=20))
    assert '<p class="static nofallback">No static figure.</p>' in text and "<img" not in text


def test_write_html_is_atomic_and_reports_unusable_paths(tmp_path):
    report = make_report(1, n=20)
    path = write_html(report, tmp_path / "out" / "report.html")
    assert open(path, encoding="utf-8").read() == render_html(report)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError):
        write_html(report, tmp_path / "file" / "report.html")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]
