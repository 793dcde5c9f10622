"""Table -> Run: the columns a figure needs, cleaned per panel, read fast for big logs, and the
band a W&B panel export logs with each metric."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rlplot.config.schema import Config, DataSpec, PanelStyle
from rlplot.errors import ColumnError
from rlplot.io import fast, read
from rlplot.runs.load import load_runs
from tests.conftest import DATA, one_panel

WANDB_ONE_RUN = DATA / "wandb_panel_one_run.csv"


def write(tmp_path: Path, name: str, data: str) -> Path:
    path = tmp_path / name
    path.write_text(data)
    return path


def test_multi_run_labels_are_prefixed_by_a_given_label():
    runs = load_runs(str(DATA / "wandb_panel.csv"), one_panel("train/reward"), label="exp")
    assert [r.label for r in runs] == ["exp: ppo-seed-1", "exp: sac run"]


def test_restart_policy_reaches_the_run_and_warns():
    (run,) = load_runs(str(DATA / "restarted.csv"), Config())
    assert len(run.series[0]) == 5
    assert any("went back 1 time" in n.what for n in run.notices)
    (run,) = load_runs(str(DATA / "restarted.csv"), Config(data=DataSpec(restarts="keep-all",
                                                                         duplicates="keep")))
    assert len(run.series[0]) == 8


def test_a_single_run_file_is_labelled_by_its_name_unless_told():
    path = str(DATA / "restarted.csv")
    assert [r.label for r in load_runs(path, Config())] == ["restarted"]
    assert [r.label for r in load_runs(path, Config(), label="mine")] == ["mine"]
    assert load_runs(path, Config(), default_label="auto")[0].label == "auto"


def test_wandb_min_and_max_become_the_band_of_each_run():
    ppo, sac = load_runs(str(DATA / "wandb_panel.csv"), one_panel("train/reward", x="Step"))
    band = sac.series[0].band
    np.testing.assert_array_equal(band.x, [100, 200, 300])
    np.testing.assert_array_equal(band.low, [0.4, 0.7, 1.0])
    np.testing.assert_array_equal(band.high, [0.6, 1.1, 1.4])
    assert band.columns == ("train/reward__MIN", "train/reward__MAX")
    np.testing.assert_array_equal(ppo.series[0].band.high, [1.2, 1.7, 2.1])


def test_a_row_without_a_usable_min_or_max_is_left_out_of_the_band_and_said():
    (run,) = load_runs(str(WANDB_ONE_RUN), one_panel("eval/accuracy"))
    series = run.series[0]
    assert len(series) == 30 and len(series.band.x) == 29
    assert 600 in series.x and 600 not in series.band.x
    assert [n.what for n in run.notices] == [
        "eval/accuracy: the logged band leaves out 1 point whose eval/accuracy__MIN or "
        "eval/accuracy__MAX is missing or not a number"]
    assert run.notices[0].file == f"{WANDB_ONE_RUN} [grpo-7b]"


def test_the_band_follows_its_metric_into_flops():
    (run,) = load_runs(str(WANDB_ONE_RUN), one_panel("eval/accuracy", flops_per_step=1e15))
    series = run.series[0]
    assert series.x_name == "flops"
    np.testing.assert_array_equal(series.band.x, np.delete(np.arange(30) * 50 * 1e15, 12))


def test_logs_without_band_columns_have_no_band():
    (run,) = load_runs(str(DATA / "restarted.csv"), Config())
    assert all(s.band is None for s in run.series)


def big_csv(tmp_path: Path, rows: int = 120_000) -> Path:
    """A log above the real size threshold (about 5 MB)."""
    i = np.arange(rows)
    lines = [f"{a},{b:.6e},{c:.5f},{d:.4f},run\n" for a, b, c, d in
             zip(i.tolist(), (1e19 + i * 1e15).tolist(), (0.3 + i / rows / 3).tolist(),
                 (8 + (i % 13) / 10).tolist())]
    return write(tmp_path, "big.csv", "step,rl_flops,accuracy,avg_parallelism,note\n" + "".join(lines))


def test_big_logs_take_the_fast_path_and_load_the_same_run(tmp_path, monkeypatch):
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 4 * 1024 * 1024)
    path = big_csv(tmp_path)
    assert path.stat().st_size > fast.FAST_MIN_BYTES
    calls = []
    real = fast.read_fast

    def spy(*args, **kwargs):
        calls.append(result := real(*args, **kwargs))
        return result

    monkeypatch.setattr(fast, "read_fast", spy)
    (run,) = load_runs(str(path), Config())
    assert len(calls) == 1 and calls[0] is not None
    assert set(calls[0].names) == {"step", "rl_flops", "accuracy", "avg_parallelism"}

    monkeypatch.setattr(fast, "read_fast", lambda *a, **k: None)
    (slow,) = load_runs(str(path), Config())
    assert run.notices == slow.notices
    for a, b in zip(run.series, slow.series):
        assert (a.name, a.x_name) == (b.name, b.x_name)
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)


def test_missing_column_error_lists_every_column(tmp_path):
    path = big_csv(tmp_path, rows=2000)
    config = replace(Config(), panels=(PanelStyle(metric="nonexistent"),))
    with pytest.raises(ColumnError) as info:
        load_runs(str(path), config)
    assert "note" in info.value.hint  # a column the fast path would not have read


def test_missing_column_in_a_big_log_is_reported_from_its_header(tmp_path, monkeypatch):
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 4 * 1024 * 1024)
    path = big_csv(tmp_path)
    def no_full_read(*args, **kwargs):
        raise AssertionError("a typo must not cost a tolerant read of millions of rows")

    monkeypatch.setattr(read, "read_source", no_full_read)
    config = replace(Config(), panels=(PanelStyle(metric="acuracy"),))
    with pytest.raises(ColumnError) as info:
        load_runs(str(path), config)
    assert "note" in info.value.hint and "'accuracy'" in info.value.hint  # every column, closest name
    assert info.value.file == str(path)
