"""``rlplot report``: one HTML page (or Markdown with PNGs) per sweep, from the CLI."""
from __future__ import annotations

import html
import json
import os
import re

import pytest

from rlplot import __version__
from rlplot.choices import REPORT_FORMATS
from rlplot.provenance import read_provenance

from ..conftest import make_sweep, write_jsonl
from ..report.sweeps import write_sweep


def page_index(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="rl-index">(.*?)</script>',
                                page).group(1))


def test_report_writes_one_page_and_prints_its_path(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_sweep(tmp_path, seeds=2, n=30)
    os.utime("sweep/lr3e-4_seed1/metrics.jsonl", (1714564800, 1714564800))
    for other in ("lr1e-3_seed0", "lr1e-3_seed1", "lr3e-4_seed0"):
        os.utime(f"sweep/{other}/metrics.jsonl", (1714478400, 1714478400))
    result = invoke("report", "sweep/*/metrics.jsonl", "--title", "My <sweep>")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "report.html\n" and result.stderr == ""
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<title>My &lt;sweep&gt;</title>" in page
    assert "<code>rlplot report &#x27;sweep/*/metrics.jsonl&#x27; --title &#x27;My &lt;sweep&gt;&#x27;" \
           "</code>" in page
    assert f"<dd>{__version__}</dd>" in page and "<time>2024-05-01T12:00:00Z</time>" in page
    assert [s["runs"] for s in page_index(page)["sections"]] == [
        ["lr1e-3_seed0"], ["lr1e-3_seed1"], ["lr3e-4_seed0"], ["lr3e-4_seed1"]]
    assert page.count("<img class=\"static\"") == 4
    assert "sweep/lr1e-3_seed0/metrics.jsonl" in page and "smoothing:" in page   # inputs, config


def test_the_same_command_writes_the_same_bytes(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_sweep(tmp_path, seeds=1, n=30)
    assert invoke("report", "sweep/*/metrics.jsonl", "-o", "r.html", "-j", "1").exit_code == 0
    first = (tmp_path / "r.html").read_bytes()
    assert invoke("report", "sweep/*/metrics.jsonl", "-o", "r.html", "-j", "1").exit_code == 0
    assert (tmp_path / "r.html").read_bytes() == first


def test_groups_aggregates_bands_and_configs_are_those_of_render(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_sweep(tmp_path, seeds=3, n=30)
    result = invoke("report", "sweep/*/metrics.jsonl", "--group-by", "lr([^_]+)_seed",
                    "--aggregate", "median", "--band", "sem", "-c", "paper", "--set",
                    "smoothing.frac=0.3", "-o", "agg.html")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "agg.html").read_text(encoding="utf-8")
    assert [s["runs"] for s in page_index(page)["sections"]] == [["1e-3 (n=3)"], ["3e-4 (n=3)"]]
    config = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", page, re.S).group(1))
    for line in ("group_by: ['lr([^_]+)_seed']", "aggregate: median", "band: sem", "frac: 0.3",
                 "width: 3.5"):
        assert line in config, line


def test_thresholds_are_columns_and_a_bad_one_is_one_error_line(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_sweep(tmp_path / "s", 1, rows=200, damaged=False)
    result = invoke("report", "s/*/metrics.jsonl", "-t", "accuracy=50%", "-o", "t.html")
    assert result.exit_code == 0, result.stderr
    assert "<th>accuracy crosses 50%</th>" in (tmp_path / "t.html").read_text(encoding="utf-8")
    bad = invoke("report", "s/*/metrics.jsonl", "-t", "reward=3", "-o", "bad.html")
    assert bad.exit_code == 1 and not (tmp_path / "bad.html").exists()
    assert bad.stderr.startswith("rlplot: error: --threshold reward=3: no panel shows 'reward'")


def test_an_unreadable_log_is_an_error_line_and_a_note_in_the_report(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_sweep(tmp_path / "s", 2, rows=100)
    write_jsonl(tmp_path / "s" / "empty.jsonl", [])
    result = invoke("report", "s/*/metrics.jsonl", "s/empty.jsonl", "-o", "r.html")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "rlplot: error: s/empty.jsonl: the log is empty (the run may not have written anything yet)",
        "rlplot: warning: 2 data-quality notes: see the report"]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Data quality: 3 notes" in page
    assert "s/empty.jsonl: not in the report: the log is empty" in page
    assert len(page_index(page)["sections"]) == 2
    quiet = invoke("report", "s/*/metrics.jsonl", "-q", "-o", "q.html")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_markdown_is_written_with_a_png_per_section_beside_it(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_sweep(tmp_path / "s", 2, rows=100)
    result = invoke("report", "s/*/metrics.jsonl", "-f", "markdown", "-o", "out/summary.md")
    assert result.exit_code == 0, result.stderr
    names = ["s0-lr1e-4-seed0.png", "s1-lr3e-4-seed0.png"]
    assert result.stdout.splitlines() == [f"out/{n}" for n in names] + ["out/summary.md"]
    assert sorted(os.listdir(tmp_path / "out")) == sorted(names + ["summary.md"])
    text = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# rlplot report\n")
    assert f"![Chart of lr1e-4\\_seed0]({names[0]})" in text and "> [!WARNING]" in text
    record = read_provenance(str(tmp_path / "out" / names[1]))
    assert record.command == "rlplot report 's/*/metrics.jsonl' -f markdown -o out/summary.md"
    assert [i.path for i in record.inputs] == ["s/lr3e-4_seed0/metrics.jsonl"]


@pytest.mark.parametrize("args, written, markdown", [
    ([], "report.html", False),
    (["-f", "markdown"], "report.md", True),
    (["-o", "sum.MD"], "sum.MD", True),
    (["-o", "page.txt", "-f", "markdown"], "page.txt", True),
    (["-o", "page.txt"], "page.txt", False),
    (["-o", "page.htm", "-f", "markdown"], "page.htm", False),
])
def test_the_extension_picks_the_format_else_f(invoke, tmp_path, monkeypatch, args, written,
                                                   markdown):
    monkeypatch.chdir(tmp_path)
    write_sweep(tmp_path / "s", 1, rows=50, damaged=False)
    result = invoke("report", "s/*/metrics.jsonl", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == written
    text = (tmp_path / written).read_text(encoding="utf-8")
    assert text.startswith("# rlplot report") == markdown
    assert text.startswith("<!DOCTYPE html>") != markdown


def test_the_report_never_overwrites_an_input(invoke, tmp_path):
    log = write_jsonl(tmp_path / "run.md", [{"step": 1, "accuracy": 0.5, "parallelism": 8}])
    before = log.read_bytes()
    result = invoke("report", log, "-o", log)
    assert result.exit_code == 1 and log.read_bytes() == before
    assert result.stderr.strip() == (f"rlplot: error: {log}: the report would overwrite an input "
                                     "(choose another -o path)")


def test_report_is_a_listed_command_with_the_registry_formats(invoke):
    listing = invoke("--help").stdout
    assert re.search(r"^\s+report\s+One self-contained HTML page", listing, re.M)
    helped = invoke("report", "--help").stdout
    assert "[html|markdown]" in helped and REPORT_FORMATS.names == ("html", "markdown")
    for choice in REPORT_FORMATS.choices():
        assert REPORT_FORMATS.load(choice.name).__name__.startswith("write_")
    unknown = invoke("report", "x.jsonl", "-f", "pdf")
    assert unknown.exit_code == 2 and "unknown report format 'pdf'" in unknown.stderr


def test_several_outputs_write_each_format_once_built(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_sweep(tmp_path / "s", 1, rows=50, damaged=False)
    result = invoke("report", "s/*/metrics.jsonl", "-o", "site/index.html", "-o", "ci/summary.md",
                    "-o", "ci/deep/again.md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["ci/s0-metrics.png", "site/index.html",
                                          "ci/summary.md", "ci/deep/again.md"]
    assert "](s0-metrics.png)" in (tmp_path / "ci" / "summary.md").read_text(encoding="utf-8")
    assert "](../s0-metrics.png)" in (tmp_path / "ci" / "deep" / "again.md").read_text(
        encoding="utf-8")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
