"""``rlplot batch`` as a command: progress, what it prints, and what it refuses before any work."""
from __future__ import annotations

from rlplot.batch.outcomes import FAILED, RENDERED, Outcome
from rlplot.batch.run import Started

from ..batch.sweeps import make_sweep


def test_quiet_prints_only_errors(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a", "b"), bad=("b",))
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1", "--quiet")
    assert result.exit_code == 1
    assert [l.split(":")[0:2] for l in result.stderr.splitlines()] == [["rlplot", " error"]]
    assert result.stdout.split() == [str(tmp_path / "out" / "a" / "metrics.png")]


def test_progress_bar_on_a_terminal_replaces_the_per_run_lines(capsys):
    from rlplot.cli.batch import Progress

    progress = Progress(quiet=False, tty=True)
    progress.start(Started(total=2, up_to_date=0))
    progress.update(Outcome("x.jsonl", "x", RENDERED, written=("o/x.png",)))
    progress.update(Outcome("y.jsonl", "y", FAILED, error="y.jsonl: broken"))
    progress.finish()
    err = capsys.readouterr().err
    assert "rendering" in err and "[1/2]" not in err
    assert "rlplot: error: y.jsonl: broken" in err


def test_aggregate_without_groups_is_an_error(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",))
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "--aggregate", "mean")
    assert result.exit_code == 1
    assert result.stderr.startswith("rlplot: error: --aggregate combines the runs of each group")
    bad = invoke("batch", sweep, "--out-dir", tmp_path / "out", "--group-by", "x", "--aggregate", "mode")
    assert bad.exit_code == 1 and "mode" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "out").exists()


def test_reports_never_overwrite_an_input_or_a_figure(tmp_path, invoke):
    sweep = make_sweep(tmp_path / "sweep", names=("a",), n=10)
    log = next(sweep.rglob("*.jsonl"))
    before = log.read_bytes()
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1", "--report", log)
    assert result.exit_code == 1 and "the report would overwrite an input log" in result.stderr
    assert log.read_bytes() == before and not (tmp_path / "out").exists()
    figure = tmp_path / "out" / "a" / f"{log.stem}.png"
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1", "--report-json", figure)
    assert result.exit_code == 1 and "a figure output" in result.stderr
