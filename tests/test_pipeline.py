"""The library API end to end: prepare and render, labels, checks across runs, and the render command."""
from __future__ import annotations

import pytest

from rlplot.errors import InputError
from rlplot.pipeline import prepare
from tests.conftest import DATA, make_sweep, one_panel, write_jsonl


def test_multi_run_file_expands_into_runs_labelled_by_run_name():
    prepared = prepare([str(DATA / "tb_long.csv")], one_panel("train/reward", x="step"))
    assert [r.label for r in prepared.runs] == ["ppo_seed1", "ppo_seed2"]
    assert [len(r.series[0]) for r in prepared.runs] == [3, 2]


def test_runs_with_flops_and_runs_with_steps_are_not_mixed(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"rl_flops": i * 1e18, "accuracy": 0.5, "parallelism": 8}
                                           for i in range(5)])
    b = write_jsonl(tmp_path / "b.jsonl", [{"step": i, "accuracy": 0.5, "parallelism": 8}
                                           for i in range(5)])
    with pytest.raises(InputError, match="some runs have a FLOPs column and others only steps"):
        prepare([str(a), str(b)])


def test_aggregate_flags_render_and_a_bad_statistic_is_refused(invoke, tmp_path):
    make_sweep(tmp_path)
    out = tmp_path / "cmp.png"
    result = invoke("render", str(tmp_path / "sweep" / "*" / "metrics.jsonl"), "--group-by",
                    r"lr([^_]+)_seed", "--aggregate", "iqm", "--band", "sem", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    bad = invoke("render", str(tmp_path / "sweep" / "*" / "metrics.jsonl"), "--aggregate", "avg",
                 "-o", out)
    assert bad.exit_code == 1 and "runs.aggregate: unknown aggregate statistic 'avg'" in bad.stderr


def test_glob_matching_nothing_is_a_one_line_error(invoke, tmp_path):
    result = invoke("render", str(tmp_path / "nothing" / "*.jsonl"), "-o", tmp_path / "x.png")
    assert result.exit_code == 1 and "no file matches this pattern" in result.stderr


def test_data_out_never_overwrites_a_log_named_by_a_glob(invoke, tmp_path):
    folder = tmp_path / "gl"
    folder.mkdir()
    a = write_jsonl(folder / "a.jsonl", [{"step": i, "accuracy": 0.5, "parallelism": 8}
                                         for i in range(10)])
    before = a.read_bytes()
    result = invoke("render", str(folder / "*.jsonl"), "-o", tmp_path / "x.png",
                    "--data-out", a)
    assert result.exit_code == 1 and a.read_bytes() == before


def test_restart_and_duplicate_flags_reach_cleaning_and_its_notices(invoke, tmp_path):
    out = tmp_path / "r.png"
    result = invoke("render", DATA / "restarted.csv", "-o", out, "--restarts", "keep-all",
                    "--duplicates", "mean")
    assert result.exit_code == 0, result.output
    assert "both kept (--restarts keep-all)" in result.stderr
    assert "averaged (--duplicates mean)" in result.stderr
    result = invoke("render", DATA / "restarted.csv", "-o", out, "--restarts", "error")
    assert result.exit_code == 1
    assert result.stderr.startswith("rlplot: error: ") and ":6: 'step' goes back" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_forced_format_skips_the_adapter_and_its_added_columns(invoke, tmp_path):
    out = tmp_path / "m.png"
    ok = invoke("render", DATA / "monitor.csv", "--y", "r", "-o", out)
    assert ok.exit_code == 0 and "timesteps" not in ok.stderr  # adapter notes are for inspect
    forced = invoke("render", DATA / "monitor.csv", "--format", "csv", "--x", "timesteps",
                    "--y", "r", "-o", out)
    assert forced.exit_code == 1 and "no column 'timesteps'" in forced.stderr


def test_a_file_of_several_runs_renders_each(invoke, tmp_path):
    out = tmp_path / "p.png"
    result = invoke("render", DATA / "wandb_panel.csv", "--x", "Step", "--y", "train/reward",
                    "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0


def test_a_long_read_is_one_of_at_least_32_mb_in_all(tmp_path):
    from rlplot.pipeline import LONG_READ_BYTES, long_read

    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * (LONG_READ_BYTES // 2))
    assert not long_read([str(small)])
    assert long_read([str(small), str(small)])
    assert not long_read(["-", str(tmp_path / "gone.csv")])   # stdin, a vanished file: 0 bytes
