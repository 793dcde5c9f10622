"""The report as Markdown for $GITHUB_STEP_SUMMARY: same facts as the page, PNG names beside it."""
from __future__ import annotations

import pytest

from rlplot.errors import RlplotError
from rlplot.report import (InputFile, QualityNote, Report, Section, Table, image_names,
                           render_markdown, write_markdown)

from .synthetic import make_report


def _report(**changes) -> Report:
    base = make_report(3, svg=False, n=20, inputs=(InputFile("runs/a b.jsonl", "ab" * 32, 5000),))
    fields = dict(title=base.title, command=base.command, data_date=base.data_date,
                  sections=base.sections, counts=base.counts, config_text=base.config_text,
                  inputs=base.inputs)
    fields.update(changes)
    return Report(**fields)


def test_markdown_has_header_sections_images_tables_config_and_inputs():
    report = _report()
    text = render_markdown(report)
    lines = text.splitlines()
    assert lines[0] == "# Sweep of 3 runs"
    assert "| command | `rlplot report 'runs/*.jsonl' -o report.html` |" in lines
    assert "| runs | 3 |" in lines and "| points | 60 |" in lines
    names = image_names(report)
    assert names == ("s0-sweep-lr-1e-04-seed-0.png", "s1-sweep-lr-2e-04-seed-1.png",
                     "s2-sweep-lr-3e-04-seed-2.png")
    images = [line for line in lines if line.startswith("![")]
    assert images == [f"![Chart of {s.title}]({n})" for s, n in zip(report.sections, names)]
    assert lines.count("| run | final accuracy | peak smoothed | points |") == 3
    assert "> [!WARNING]" in lines and "> - sweep/lr=1e-04/seed=0.jsonl:17: 3 malformed lines skipped" in lines
    assert "<details><summary>Effective config</summary>" in lines
    assert "```yaml\nsmoothing:\n  method: lowess\n  frac: 0.2\n```" in text
    assert "| `runs/a b.jsonl` | 4.9 KiB | `" + "ab" * 32 + "` |" in lines
    assert text.endswith("\n")


def test_given_image_paths_are_url_quoted_and_none_leaves_the_image_out():
    report = _report()
    text = render_markdown(report, ["figs/run (1).png", None, "b.png"])
    assert "](figs/run%20%281%29.png)" in text
    assert text.count("![") == 2
    with pytest.raises(RlplotError, match="2 image names for 3 sections"):
        render_markdown(report, ["a.png", "b.png"])


def test_text_from_logs_cannot_become_html_or_break_tables():
    hostile = "<script>x</script> | col"
    section = _report().sections[0]
    report = _report(title=hostile, command="rlplot report `weird` |x",
                     sections=[Section(hostile, section.chart, Table([hostile], [[hostile]]),
                                       notes=[QualityNote(hostile, file="f", line=1)])],
                     config_text="a: ```\n")
    text = render_markdown(report)
    assert "<script>" not in text
    assert "# &lt;script&gt;x&lt;/script&gt; | col" in text
    assert "| &lt;script&gt;x&lt;/script&gt; \\| col |" in text  # a cell: '|' escaped too
    assert "| command | ``rlplot report `weird` \\|x`` |" in text  # code span: shown as is
    assert "````yaml\na: ```\n````" in text  # the fence is longer than any run of backticks inside


def test_markdown_markup_in_names_is_shown_as_is():
    section = _report().sections[0]
    name = "ppo_*best*_[v2]"
    text = render_markdown(_report(sections=[Section(name, section.chart, Table(["run"], [[name]]))]))
    assert "## ppo\\_\\*best\\*\\_\\[v2\\]" in text
    assert "| ppo\\_\\*best\\*\\_\\[v2\\] |" in text
    assert "![Chart of ppo\\_\\*best\\*\\_\\[v2\\]](s0-ppo-best-v2.png)" in text


def test_write_markdown(tmp_path):
    report = _report()
    path = write_markdown(report, tmp_path / "summary.md")
    assert open(path, encoding="utf-8").read() == render_markdown(report)
