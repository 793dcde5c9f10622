"""``--data-out``: the long-form CSV of every point of every run and panel."""
from __future__ import annotations

import csv
import os

import numpy as np
import pytest

from rlplot.config import load_config
from rlplot.errors import OutputError
from rlplot.export import COLUMNS, write_data_csv
from rlplot.pipeline import prepare, render
from tests.conftest import seed_like_records, write_jsonl


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        return next(reader), list(reader)


def test_cli_writes_exact_columns_and_every_point(invoke, seed_log, tmp_path):
    out = tmp_path / "data" / "points.csv"
    result = invoke("render", seed_log, "-o", tmp_path / "fig.png", "--data-out", out)
    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stdout
    header, rows = read_rows(out)
    assert tuple(header) == COLUMNS == ("run", "panel", "x", "y", "smoothed", "band_low",
                                        "band_high")
    records = seed_like_records()
    assert len(rows) == 2 * len(records)
    assert {r[0] for r in rows} == {"run"}
    assert [r[1] for r in rows] == ["accuracy"] * 60 + ["avg_parallelism"] * 60
    acc = [r for r in rows if r[1] == "accuracy"]
    assert [float(r[2]) for r in acc] == [rec["rl_flops"] for rec in records]   # x order, exact
    assert [float(r[3]) for r in acc] == [rec["accuracy"] for rec in records]
    assert all(r[5] == "" and r[6] == "" for r in rows)   # no band: empty cells


def test_values_are_the_prepared_arrays_round_tripped(seed_log, tmp_path):
    config = load_config([], ["panels.1.band=residual", "panels.1.band_k=1.5"], {}).config
    prepared = prepare([str(seed_log)], config)
    path = write_data_csv(prepared, str(tmp_path / "p.csv"))
    _, rows = read_rows(path)
    par = [r for r in rows if r[1] == "avg_parallelism"]
    smoothed = prepared.smoothed[0][1]
    np.testing.assert_array_equal([float(r[4]) for r in par], smoothed.y)
    np.testing.assert_array_equal([float(r[5]) for r in par], smoothed.band_low)
    np.testing.assert_array_equal([float(r[6]) for r in par], smoothed.band_high)
    acc = [r for r in rows if r[1] == "accuracy"]
    assert all(r[5] == "" for r in acc)   # the band is per panel


def test_rows_in_x_order_per_run_and_panel_with_several_runs(tmp_path):
    records = seed_like_records(30)
    first = write_jsonl(tmp_path / "a.jsonl", records[::-1])   # written backwards
    second = write_jsonl(tmp_path / "b.jsonl", records[:20])
    out = tmp_path / "all.csv"
    # keep-all: a log written backwards is out of order, not a run restarted at every line
    config = load_config(sets=["data.restarts=keep-all"]).config
    render([str(first), str(second)], [], config, data_out=str(out), labels=["seed, 1", "seed 2"])
    _, rows = read_rows(out)
    assert [r[0] for r in rows] == ["seed, 1"] * 60 + ["seed 2"] * 40   # commas quoted
    for run in ("seed, 1", "seed 2"):
        for panel in ("accuracy", "avg_parallelism"):
            xs = [float(r[2]) for r in rows if r[0] == run and r[1] == panel]
            assert xs == sorted(xs) and len(xs) in (30, 20)


def test_refuses_to_overwrite_an_input(invoke, seed_log, tmp_path):
    before = seed_log.read_bytes()
    result = invoke("render", seed_log, "-o", tmp_path / "f.png", "--data-out", seed_log)
    assert result.exit_code == 1
    assert "overwrite an input" in result.stderr and "Traceback" not in result.stderr
    assert seed_log.read_bytes() == before
    assert not (tmp_path / "f.png").exists()   # refused before any work


def test_refuses_a_figure_path(seed_log, tmp_path):
    with pytest.raises(OutputError, match="figure output"):
        render([str(seed_log)], [str(tmp_path / "f.png")], data_out=str(tmp_path / "f.png"))


def test_atomic_write_leaves_no_partial_file(seed_log, tmp_path, monkeypatch):
    target = tmp_path / "keep.csv"
    target.write_text("old\n")
    prepared = prepare([str(seed_log)])

    def broken_rows(_):
        yield ("run", "accuracy", "1", "2", "3", "", "")
        raise KeyboardInterrupt

    monkeypatch.setattr("rlplot.export.data_rows", broken_rows)
    with pytest.raises(KeyboardInterrupt):
        write_data_csv(prepared, str(target))
    assert target.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["keep.csv", "run.jsonl"]


def test_unwritable_folder_is_an_output_error(seed_log, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="a parent of this path is a file"):
        write_data_csv(prepare([str(seed_log)]), str(blocker / "sub" / "p.csv"))


def test_aggregate_curves_and_bands_are_exported_after_the_runs(tmp_path):
    records = seed_like_records(30)
    paths = [str(write_jsonl(tmp_path / f"s{i}.jsonl", records)) for i in range(3)]
    config = load_config(overrides={"runs": {"aggregate": "median", "band": "sd"}}).config
    out = tmp_path / "agg.csv"
    result = render(paths, [], config, data_out=str(out))
    _, rows = read_rows(out)
    agg = [r for r in rows if r[0] == "all runs (aggregate)" and r[1] == "accuracy"]
    curve = result.prepared.groups[0].curves[0]
    assert len(agg) == len(curve.x) and all(r[3] == "" for r in agg)
    np.testing.assert_array_equal([float(r[4]) for r in agg], curve.y)
    np.testing.assert_array_equal([float(r[5]) for r in agg], curve.band_low)
