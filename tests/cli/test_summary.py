"""``rlplot summary``: -f text/json/markdown/csv, thresholds, warnings, errors, the JSON it prints."""
from __future__ import annotations

import csv
import io
import json

import pytest

from rlplot.summary import parse_threshold, summarize, to_csv, to_json, to_text

from ..conftest import SAMPLE_JSONL, seed_like_records, write_jsonl
from ..summary.test_summarize import SCHEMA, check


def summary_json(invoke, *args) -> dict:
    result = invoke("summary", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------- the JSON schema

def test_json_output_matches_the_documented_schema(invoke, tmp_path):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    flat = write_jsonl(tmp_path / "flat.jsonl",
                       [{"rl_flops": float(i), "accuracy": 0.5, "avg_parallelism": 3.0}
                        for i in range(20)])
    data = summary_json(invoke, SAMPLE_JSONL, flat, "-t", "accuracy=50%", "-t", "parallelism=100")
    check(data, schema)
    # both nullable branches are exercised: a dip/knee object and nulls
    metrics = [m for run in data["runs"] for m in run["metrics"]]
    assert any(m["dip"] is None for m in metrics) and any(m["dip"] is not None for m in metrics)
    assert any(m["knee"] is not None for m in metrics)
    assert any(t["x"] is None for m in metrics for t in m["thresholds"])
    assert data["thresholds"] == ["accuracy=50%", "parallelism=100"]


def test_json_is_stable_and_strict(invoke):
    first = invoke("summary", SAMPLE_JSONL, "-f", "json")
    second = invoke("summary", SAMPLE_JSONL, "-f", "json")
    assert first.stdout == second.stdout
    assert "NaN" not in first.stdout and "Infinity" not in first.stdout
    json.loads(first.stdout, parse_constant=lambda c: pytest.fail(f"non-standard JSON {c}"))


def test_json_numbers_of_the_sample_run(invoke):
    data = summary_json(invoke, SAMPLE_JSONL)
    acc, par = data["runs"][0]["metrics"]
    assert (acc["column"], par["column"]) == ("accuracy", "avg_parallelism")
    assert acc["points"] == 300 and acc["dropped"] == 0 and data["runs"][0]["rows"] == 300
    assert acc["dip"] is None and acc["percent_scale"] == 1.0 and par["percent_scale"] is None
    assert 0.15e21 <= par["dip"]["x"] <= 0.25e21
    assert 0.7e21 <= par["knee"]["x"] <= 0.8e21
    assert par["variance"]["trend"] == "grows"
    assert acc["change"] == pytest.approx(acc["last"] - acc["first"])
    assert data["x_label"] == "RL flops"


# ---------------------------------------------------------------------------- thresholds

def test_percent_log_in_0_100_units(invoke, tmp_path):
    records = [{**r, "accuracy": r["accuracy"] * 100} for r in seed_like_records()]
    log = write_jsonl(tmp_path / "pct.jsonl", records)
    data = summary_json(invoke, log, "-t", "accuracy=0.5", "-t", "accuracy=50%", "-t", "accuracy=50")
    acc = data["runs"][0]["metrics"][0]
    assert acc["percent_scale"] == 100.0
    xs = {t["x"] for t in acc["thresholds"]}
    assert [t["value"] for t in acc["thresholds"]] == [50.0, 50.0, 50.0]
    assert len(xs) == 1 and None not in xs


def test_never_crossed_says_so(invoke):
    result = invoke("summary", SAMPLE_JSONL, "-t", "accuracy=90%", "-t", "parallelism=5")
    assert result.exit_code == 0
    assert "crosses 90.0% (accuracy=90%): never (stays below)" in result.stdout
    assert "crosses 5 (parallelism=5): never (stays above)" in result.stdout
    md = invoke("summary", SAMPLE_JSONL, "-t", "accuracy=90%", "-f", "markdown").stdout
    assert "never (stays below)" in md


def test_threshold_matches_role_column_or_label(invoke):
    for name in ("parallelism", "avg_parallelism", "Average Parallelism"):
        data = summary_json(invoke, SAMPLE_JSONL, "-t", f"{name}=10")
        acc, par = data["runs"][0]["metrics"]
        assert acc["thresholds"] == [] and len(par["thresholds"]) == 1
        assert 0.8e21 < par["thresholds"][0]["x"] < 0.9e21


def test_bad_thresholds_are_one_line_or_a_usage_error(invoke):
    unknown = invoke("summary", SAMPLE_JSONL, "-t", "loss=1")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip().count("\n") == 0
    assert "no panel shows 'loss'" in unknown.stderr and "accuracy" in unknown.stderr
    percent = invoke("summary", SAMPLE_JSONL, "-t", "parallelism=50%")
    assert percent.exit_code == 1 and "percent panel" in percent.stderr
    for bad in ("accuracy", "accuracy=", "=0.5", "accuracy=high", "accuracy=nan"):
        result = invoke("summary", SAMPLE_JSONL, "-t", bad)
        assert result.exit_code == 2, bad
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- formats

def test_text_report_names_each_run_metric_and_crossing(invoke):
    result = invoke("summary", SAMPLE_JSONL, "-t", "accuracy=50%")
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert out.startswith("seed_like_run (")
    assert "Training Accuracy [accuracy]: 300 points, 0 dropped; RL flops 1e19 to 1e21" in out
    assert "crosses 50.0% (accuracy=50%): at 4." in out and "(rising)" in out
    assert out.count("dip: none") == 1 and out.count("knee (onset of the final rise): none") == 1
    assert "dip: 7.7" in out and "(grows)" in out


def test_markdown_fits_a_job_summary(invoke, tmp_path):
    other = write_jsonl(tmp_path / "other.jsonl", seed_like_records())
    out = invoke("summary", SAMPLE_JSONL, other, "--label", "a", "--label", "b",
                 "-t", "accuracy=0.5", "-f", "markdown").stdout
    lines = out.splitlines()
    assert lines[0] == "### rlplot summary"
    tables = [i for i, line in enumerate(lines) if line.startswith("| Metric |")]
    assert len(tables) == 2
    for start in tables:
        header, rule, *rows = lines[start:start + 4]
        width = header.count(" | ") + 1
        assert rule == "|" + " --- |" * width
        assert [row.count(" | ") + 1 for row in rows] == [width, width]
    assert "accuracy crosses 0.5" in lines[tables[0]]
    assert "**a**" in out and "**b**" in out


def test_csv_one_row_per_run_and_metric(invoke, tmp_path):
    other = write_jsonl(tmp_path / "other.jsonl", seed_like_records())
    out = invoke("summary", SAMPLE_JSONL, other, "-t", "accuracy=50%", "-t", "accuracy=0.99",
                 "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["run"], r["metric"]) for r in rows] == [
        ("seed_like_run", "accuracy"), ("seed_like_run", "parallelism"),
        ("other", "accuracy"), ("other", "parallelism")]
    first = rows[0]
    assert float(first["x_at:accuracy=50%"]) > 0
    assert first["x_at:accuracy=0.99"] == "never"
    assert rows[1]["x_at:accuracy=50%"] == ""          # not this metric's threshold
    assert first["dip_x"] == "" and float(rows[1]["dip_x"]) == pytest.approx(2.09e20, rel=0.05)
    assert rows[1]["variance_trend"] == "grows"
    assert int(first["points"]) == 300


def test_dropped_points_and_warnings(invoke, tmp_path):
    records = seed_like_records()
    records[5]["accuracy"] = None
    records[7] = "not json"
    log = write_jsonl(tmp_path / "bad.jsonl", records)
    result = invoke("summary", log, "-f", "json")
    data = json.loads(result.stdout)
    run = data["runs"][0]
    acc, par = run["metrics"]
    assert run["rows"] == 59                      # the broken line is skipped by the reader
    assert (acc["points"], acc["dropped"]) == (58, 1)
    assert (par["points"], par["dropped"]) == (59, 0)
    assert any("dropped" in w for w in run["warnings"])
    assert "rlplot: warning:" in result.stderr
    quiet = invoke("summary", log, "-q")
    assert quiet.stderr == ""


def test_config_and_columns_options(invoke, tmp_path):
    data = summary_json(invoke, SAMPLE_JSONL, "--x", "step", "--y", "accuracy")
    assert data["x_label"] == "step" and len(data["runs"][0]["metrics"]) == 1
    assert data["runs"][0]["metrics"][0]["x_max"] == 3000
    data = summary_json(invoke, SAMPLE_JSONL, "--set", "smoothing.method=none")
    assert data["runs"][0]["metrics"][0]["smoothing"] == "raw"  # describe() names no smoothing "raw"
    assert data["runs"][0]["metrics"][0]["variance"]["trend"] == "unknown"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("smoothing:\n  frac: 0.3\n", encoding="utf-8")
    data = summary_json(invoke, SAMPLE_JSONL, "-c", cfg)
    assert "frac=0.3" in data["runs"][0]["metrics"][0]["smoothing"]


def test_missing_file_is_one_line(invoke, tmp_path):
    result = invoke("summary", tmp_path / "nope.jsonl")
    assert result.exit_code == 1
    assert result.stderr.startswith("rlplot: error:") and result.stderr.count("\n") == 1


def test_library_formats_agree_with_cli(invoke):
    from rlplot.pipeline import prepare

    summary = summarize(prepare([str(SAMPLE_JSONL)]), [parse_threshold("accuracy=0.5")])
    assert invoke("summary", SAMPLE_JSONL, "-t", "accuracy=0.5", "-f", "json").stdout == to_json(summary)
    assert invoke("summary", SAMPLE_JSONL, "-t", "accuracy=0.5").stdout == to_text(summary)
    assert invoke("summary", SAMPLE_JSONL, "-t", "accuracy=0.5", "-f", "csv").stdout == to_csv(summary)


def test_format_is_what_is_printed_with_choices_from_the_registry(invoke):
    long = invoke("summary", SAMPLE_JSONL, "--format", "csv")
    assert long.exit_code == 0 and long.stdout == invoke("summary", SAMPLE_JSONL, "-f", "csv").stdout
    bad = invoke("summary", SAMPLE_JSONL, "-f", "jsn")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert "unknown summary format 'jsn' (did you mean 'json'? choose one of: text, json, markdown, " \
           "csv)" in bad.stderr


def test_input_format_forces_the_reader(invoke):
    forced = invoke("summary", SAMPLE_JSONL, "--input-format", "csv")
    assert forced.exit_code == 1    # read as CSV, each JSON line is one cell
    assert forced.stderr.startswith(f"rlplot: error: {SAMPLE_JSONL}: no column 'accuracy' (columns: {{")
    assert invoke("summary", SAMPLE_JSONL, "--input-format", "jsonl").exit_code == 0
