"""Tables of a comparison: Markdown, CSV, LaTeX booktabs, JSON against docs/compare-schema.json."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from rlplot.data import Series
from rlplot.errors import OutputError
from rlplot.stats import compare, evaluate, from_cells
from rlplot.choices import TABLE_FORMATS
from rlplot.stats.tables import (CSV_HEADER, decimals, table_format, to_csv, to_data, to_json, to_latex,
                                 to_markdown, write_table)

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "compare-schema.json").read_text())


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(7)
    cells = {}
    for i, algorithm in enumerate(["PPO_v2", "SAC & co", "DQN"]):
        for task in ["pong", "breakout"]:
            runs = 2 if (algorithm, task) == ("DQN", "pong") else 4
            cells[algorithm, task] = [Series("r", np.arange(20.0), 0.2 * i + rng.normal(0, 0.1, 20).cumsum() / 10)
                                      for _ in range(runs)]
    return evaluate(cells, normalize="minmax", reps=200, pairs="all", curve_points=7, tau_points=11)


def test_json_validates_against_the_documented_schema(result):
    document = json.loads(to_json(result))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA)
    assert set(document) == set(SCHEMA["required"]) == set(SCHEMA["properties"])


def test_json_without_profiles_or_curves_also_validates():
    bare = compare(from_cells({("a", "t"): [1.0, 2.0], ("b", "t"): [0.5]}), reps=20, profile=None,
                   pairs=(), metrics=["iqm"])
    document = json.loads(to_json(bare))
    jsonschema.validate(document, SCHEMA)
    assert document["profiles"] is None and document["sample_efficiency"] is None
    assert document["improvement"] == [] and list(document["aggregates"][0]["metrics"]) == ["iqm"]


def test_json_numbers_are_the_results(result):
    document = to_data(result)
    est = result.intervals
    entry = document["aggregates"][2]["metrics"]["iqm"]
    assert entry == {"point": est.point[2, 1], "low": est.low[2, 1], "high": est.high[2, 1]}
    assert document["aggregates"][2]["runs_per_task"] == [2, 4]
    assert document["equal_counts"] is False and any("runs per task differ" in n for n in document["notices"])
    assert [(p["x"], p["y"]) for p in document["improvement"]] == [
        ("PPO_v2", "SAC & co"), ("PPO_v2", "DQN"), ("SAC & co", "DQN")]
    assert len(document["profiles"]["tau"]) == 11 and len(document["sample_efficiency"]["x"]) == 7
    means = result.matrix.task_means()
    assert document["task_means"][5] == {"algorithm": "DQN", "task": "breakout", "runs": 4, "mean": means[2, 1]}


def test_markdown_has_every_aggregate_with_its_ci_and_runs(result):
    text = to_markdown(result)
    lines = text.splitlines()
    assert lines[0].startswith("_Score: last:10%; normalization: minmax; 95 % CIs")
    header = next(line for line in lines if line.startswith("| Algorithm"))
    assert header == ("| Algorithm | Runs | Median (95 % CI) | IQM (95 % CI) | Mean (95 % CI) | "
                      "Optimality Gap (95 % CI) |")
    dqn = next(line for line in lines if line.startswith("| DQN"))
    p, lo, hi = result.intervals.get("DQN", "mean")
    assert f"{p:.3f} [{lo:.3f}, {hi:.3f}]" in dqn and "| 6 (2-4/task) |" in dqn
    assert "| PPO_v2 | SAC & co |" in text                      # improvement rows
    assert next(line for line in lines if line.startswith("| breakout")).count("(4)") == 3


def test_csv_has_one_number_per_row_at_full_precision(result):
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert tuple(rows[0]) == CSV_HEADER
    body = rows[1:]
    assert len(body) == 3 * 4 + 3 + 3 * 2
    first = body[0]
    assert first[:5] == ["aggregate", "PPO_v2", "", "", "median"]
    assert float(first[5]) == result.intervals.point[0, 0]        # repr round-trips exactly
    improvement = [r for r in body if r[0] == "improvement"][0]
    assert improvement[1:3] == ["PPO_v2", "SAC & co"] and float(improvement[6]) == result.improvements.low[0]
    assert [r for r in body if r[0] == "task_mean" and r[1] == "DQN" and r[3] == "pong"][0][8] == "2"


def test_latex_uses_booktabs_and_escapes_names(result):
    text = to_latex(result)
    assert text.count(r"\toprule") == text.count(r"\midrule") == text.count(r"\bottomrule") == 3
    assert r"PPO\_v2" in text and r"SAC \& co" in text and r"last:10\%" in text
    assert r"\begin{tabular}{lrrrrr}" in text
    p, lo, hi = result.intervals.get("PPO_v2", "iqm")
    assert f"{p:.3f} {{\\small[{lo:.3f}, {hi:.3f}]}}" in text


def test_tables_are_byte_identical_for_the_same_seed(result, tmp_path):
    for name in TABLE_FORMATS.names:
        first = write_table(str(tmp_path / f"one.{name}"), result)
        second = write_table(str(tmp_path / f"two.{name}"), result)
        assert Path(first).read_bytes() == Path(second).read_bytes()
        assert Path(first).read_text(encoding="utf-8") == TABLE_FORMATS.load(name)(result)


def test_table_format_comes_from_the_extension():
    assert table_format("a/b.MD") == "md" and table_format("x.markdown") == "md"
    assert table_format("x.latex") == "tex" and table_format("x.json") == "json"
    with pytest.raises(OutputError, match="unknown table format '.txt'") as info:
        table_format("x.txt")
    assert ".md, .csv, .tex, .json" in info.value.hint
    with pytest.raises(OutputError, match="needs an extension"):
        table_format("results")


def test_decimals_suit_the_size_of_the_numbers():
    assert decimals([0.512, 0.03]) == 3
    assert decimals([1.0, 0.2]) == 3                # normalized scores keep 3 decimals at 1.0
    assert decimals([12.3]) == 2
    assert decimals([3512.0, 10.0]) == 0
    assert decimals([0.0, np.nan]) == 3
    assert decimals([0.004]) == 4 and decimals([1e-9]) == 6
