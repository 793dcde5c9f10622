"""Summary formats: every SUMMARY_FORMATS entry writes a report; Markdown tables, CSV fields, readable numbers."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest

from rlplot import summary
from rlplot.choices import SUMMARY_FORMATS
from rlplot.insights import Crossing, CurveInsight, Dip, Knee, Variance
from rlplot.summary import MetricSummary, RunSummary, Summary, Threshold
from rlplot.summary.formats import csv_field, fmt_crossing, fmt_delta, fmt_x, fmt_y


def metric(percent_scale=None, *, label="acc", thresholds=(), crossings=(), dip=None, knee=None,
           variance=None) -> MetricSummary:
    insight = CurveInsight(points=10, x_min=0.0, x_max=1e21, first=0.3, last=0.6, min=0.25,
                           min_x=1e20, max=0.6, max_x=1e21, change=0.3, crossings=crossings,
                           dip=dip, knee=knee, variance=variance)
    return MetricSummary(panel=0, metric="accuracy", column="acc_col", label=label,
                         percent_scale=percent_scale, smoothing="LOWESS frac=0.2", dropped=2,
                         thresholds=thresholds, insight=insight)


def report(*metrics, warnings=(), label="run | a", thresholds=()) -> Summary:
    run = RunSummary(label=label, source="logs/a.jsonl", rows=12, warnings=warnings,
                     metrics=metrics)
    return Summary(x_label="RL flops", thresholds=thresholds, runs=(run,))


THRESHOLD = Threshold("accuracy", "50%")
FULL = metric(1.0, thresholds=(THRESHOLD,),
              crossings=(Crossing("50%", 0.5, 4.5e20, "up", "below"),),
              dip=Dip(2e20, 0.25, 0.05, 1e20, 0.3, 4.0),
              knee=Knee(7.7e20, 0.4, 1e-22, 5e-22, 0.95, 60.0),
              variance=Variance(0.01, 0.03, 3.0, "grows"))


@pytest.mark.parametrize("name", SUMMARY_FORMATS.names)
def test_every_registered_format_writes_a_whole_report_ending_in_a_newline(name):
    write = SUMMARY_FORMATS.load(name)
    assert write is getattr(summary, f"to_{name}")
    text = write(report(FULL, thresholds=(THRESHOLD,)))
    assert text.endswith("\n") and "acc" in text


def test_markdown_is_one_table_per_run_through_the_shared_table_helper():
    text = summary.to_markdown(report(FULL, metric(label="a|b"), warnings=("3 rows skipped",),
                                      thresholds=(THRESHOLD,)))
    lines = text.splitlines()
    assert lines[0] == "### rlplot summary"
    assert lines[2] == "**run \\| a** (`logs/a.jsonl`, 12 rows; x: RL flops)"
    header, rule, first, second = lines[4:8]
    assert header.startswith("| Metric | Points (dropped) |") and "accuracy crosses 50%" in header
    assert rule == "|" + " --- |" * 8
    assert "| 10 (2) |" in first and "at 4.5e20 (rising)" in first and "×3.00 (grows)" in first
    assert "a\\|b" in second and second.count(" | ") == 7 and "| — | — |" in second
    assert "> ⚠️ 3 rows skipped" in text


def test_csv_has_one_row_per_metric_and_a_column_per_threshold():
    never = metric(thresholds=(THRESHOLD,), crossings=(Crossing("50%", 0.5, None, None, "below"),))
    rows = list(csv.DictReader(io.StringIO(summary.to_csv(report(FULL, never,
                                                                  thresholds=(THRESHOLD,))))))
    assert len(rows) == 2
    assert rows[0]["x_at:accuracy=50%"] == repr(4.5e20) and rows[1]["x_at:accuracy=50%"] == "never"
    assert rows[0]["dip_x"] == repr(2e20) and rows[1]["dip_x"] == ""
    assert rows[0]["variance_trend"] == "grows" and rows[1]["variance_trend"] == ""


def test_csv_fields_keep_every_digit_and_leave_missing_values_empty():
    assert csv_field(0.1 + 0.2) == "0.30000000000000004"
    assert csv_field(None) == "" and csv_field(math.nan) == "" and csv_field(math.inf) == ""
    assert csv_field(3) == "3" and csv_field("grows") == "grows"


def test_json_reports_non_finite_statistics_as_null():
    knee = Knee(5e20, 0.4, 0.0, 1e-22, 0.9, math.inf)
    ratio_free = Variance(0.0, 0.01, None, "unknown")
    data = json.loads(summary.to_json(report(metric(knee=knee, variance=ratio_free))))
    m = data["runs"][0]["metrics"][0]
    assert m["knee"]["slope_before"] == 0.0 and m["variance"]["ratio"] is None
    assert data["schema_version"] == summary.SCHEMA_VERSION and m["dip"] is None


def test_readable_numbers_are_short_and_percent_aware():
    assert fmt_x(2.0911e20) == "2.09e20" and fmt_x(1500.0) == "1.5e3" and fmt_x(None) == "never"
    assert fmt_x(150.0) == "150"
    percent, plain = metric(100.0), metric()
    assert fmt_y(35.0, percent) == "35.0%" and fmt_y(12345.678, plain) == "1.235e+04"
    assert fmt_delta(-2.5, percent) == "-2.5 pts" and fmt_delta(0.25, plain) == "+0.25"
    assert fmt_crossing(Crossing("1", 1.0, 2e20, "down", "above")) == "at 2e20 (falling)"
    assert fmt_crossing(Crossing("1", 1.0, None, None, "above")) == "never (stays above)"
