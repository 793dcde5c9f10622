"""rlplot.batch.report: counts, exit code, and the Markdown and JSON reports of a batch."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rlplot.batch.outcomes import FAILED, RENDERED, UP_TO_DATE, JobNotes, Outcome, PanelFinal
from rlplot.batch.report import Report

from ..conftest import seed_like_records, write_jsonl
from .sweeps import LR, SEEDS, last_line, make_sweep, outputs_of


def test_counts_exit_code_and_not_run_jobs():
    report = Report(total=5)
    for status in (RENDERED, UP_TO_DATE, RENDERED, FAILED):
        report.add(Outcome(f"{status}.jsonl", str(status), status))
    assert (report.rendered, report.up_to_date, report.failed, report.not_run) == (2, 1, 1, 1)
    assert report.exit_code == 1
    assert report.summary() == "2 rendered, 1 up to date, 1 failed, 1 not run"
    assert Report(total=0).exit_code == 0 and Report().summary() == "0 rendered, 0 up to date, 0 failed"


def test_markdown_cells_cannot_break_the_table():
    report = Report(total=1)
    report.add(Outcome("a|b.jsonl", "a", FAILED, error="line one\nline | two"))
    row = report.to_markdown().splitlines()[-1]
    assert row == "| a\\|b.jsonl | failed: line one line \\| two |  |  |  |"


def test_reports_list_each_run_with_rows_warnings_and_final_values(tmp_path, invoke):
    from rlplot.pipeline import prepare

    sweep = make_sweep(tmp_path / "sweep", names=("a", "b", "c"), bad=("c",))
    out = tmp_path / "out"
    md, js = tmp_path / "ci" / "summary.md", tmp_path / "ci" / "summary.json"
    invoke("batch", sweep, "--out-dir", out, "-j", "1")      # a and b up to date in the reported run
    write_jsonl(sweep / "b" / "metrics.jsonl", seed_like_records(30) + ['{"step": 99, "accura'],
                newline=False)   # a run still being written
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--report", md, "--report-json", js)
    assert result.exit_code == 1
    data = json.loads(js.read_text())
    assert data["counts"] == {"rendered": 1, "up_to_date": 1, "failed": 1, "not_run": 0,
                              "retried": 0}
    runs = {Path(r["run"]).parent.name: r for r in data["runs"]}
    assert runs["a"]["status"] == "up to date" and runs["b"]["status"] == "rendered"
    assert runs["c"]["status"] == "failed" and "metrics.jsonl" in runs["c"]["error"]
    assert runs["b"]["rows"] == 30 and runs["b"]["warning_count"] == 1
    assert "partial last line" in runs["b"]["warnings"][0]
    for name in ("a", "b"):
        expected = prepare([str(sweep / name / "metrics.jsonl")])
        finals = [f["final"] for f in runs[name]["final"]]
        assert finals == pytest.approx([float(s.y[-1]) for s in expected.smoothed[0]])
    text = md.read_text()
    assert text.startswith("**rlplot batch**: 1 rendered, 1 up to date, 1 failed")
    assert "| run | status | rows | warnings | outputs | final Training Accuracy vs Steps |" in text
    row_b = next(l for l in text.splitlines() if "/b/metrics.jsonl" in l)
    assert "[metrics.png](../out/b/metrics.png)" in row_b and "| 30 | 1 |" in row_b
    assert (md.parent / "../out/b/metrics.png").resolve().is_file()   # links work from the report
    assert f"{runs['b']['final'][0]['final']:.4g}" in row_b


def test_report_json_lists_groups_with_their_members(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20)
    js = tmp_path / "r.json"
    invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1", "--group-by", LR,
           "--report-json", js)
    runs = {r["run"]: r for r in json.loads(js.read_text())["runs"]}
    assert set(runs) == {"3e-4", "1e-3"}
    assert runs["3e-4"]["member_count"] == 3 and runs["3e-4"]["group"] == "3e-4"
    assert runs["3e-4"]["members"] == [str(sweep / s / "metrics.jsonl") for s in SEEDS[:3]]
    assert runs["1e-3"]["rows"] == 23 + 24 and runs["1e-3"]["status"] == "rendered"


def test_a_bad_seed_fails_only_its_group(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=SEEDS, n=20, bad=("lr1e-3_seed2",))
    out = tmp_path / "out"
    md = tmp_path / "r.md"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--group-by", LR, "--report", md)
    assert result.exit_code == 1
    assert last_line(result) == "1 rendered, 0 up to date, 1 failed"
    assert outputs_of(out) == ["3e-4.png"]
    assert "failed group '1e-3' (2 runs)" in result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("rlplot: error: ")]
    assert len(errors) == 1 and str(sweep / "lr1e-3_seed2" / "metrics.jsonl") in errors[0]
    text = md.read_text()
    assert "| group | runs | status | rows | warnings | outputs |" in text
    assert "| 3e-4 | 3 | rendered | 63 | 0 | [3e-4.png](out/3e-4.png) |" in text   # 20+21+22 rows
    assert "| 1e-3 | 2 | failed: " in text


def test_final_values_fill_their_panel_column():
    report = Report(total=2)
    notes = JobNotes(rows=5, warning_count=0, final=(PanelFinal("loss", 0.123456), PanelFinal("acc", None)))
    report.add(Outcome("b.jsonl", "b", RENDERED, outputs=("o/b.png",), notes=notes))
    report.add(Outcome("a.jsonl", "a", UP_TO_DATE, outputs=("o/a.png",),
                       notes=JobNotes(rows=2, warning_count=0, final=(PanelFinal("acc", 2.0),))))
    lines = report.to_markdown("o").splitlines()
    assert lines[2] == "| run | status | rows | warnings | outputs | final loss | final acc |"
    assert lines[4:] == ["| a.jsonl | up to date | 2 | 0 | [a.png](a.png) |  | 2 |",
                         "| b.jsonl | rendered | 5 | 0 | [b.png](b.png) | 0.1235 |  |"]
