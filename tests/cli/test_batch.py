"""``rlplot batch`` on the command line: --out-dir, --formats, the old -o DIR and --format, exit codes."""
from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import seed_like_records, write_jsonl


def make_sweep(root: Path, names=("a", "b"), bad=()) -> Path:
    """A folder with one ``metrics.jsonl`` per run (``bad`` ones are not logs)."""
    for name in names:
        (root / name).mkdir(parents=True)
        log = root / name / "metrics.jsonl"
        if name in bad:
            log.write_text("not a log at all\n")
        else:
            write_jsonl(log, seed_like_records(30))
    return root


def written(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*")
                  if p.suffix not in (".json", ".lock"))   # the manifest and its lock


def deprecations(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "deprecated" in line]


def test_out_dir_and_formats(invoke, tmp_path):
    sweep, out = make_sweep(tmp_path / "sweep"), tmp_path / "out"
    result = invoke("batch", sweep, "--out-dir", out, "-j", "1", "--formats", "png,svg")
    assert result.exit_code == 0, result.stderr
    assert written(out) == ["a/metrics.png", "a/metrics.svg", "b/metrics.png", "b/metrics.svg"]
    assert sorted(result.stdout.split()) == sorted(str(out / p) for p in written(out))
    assert deprecations(result) == [] and result.stderr.splitlines()[-1].startswith("2 rendered")


def test_old_spellings_write_the_same_figures_and_warn_once_each(invoke, tmp_path):
    sweep = make_sweep(tmp_path / "sweep")
    new = invoke("batch", sweep, "--out-dir", tmp_path / "new", "-j", "1", "--formats", "svg",
                 "--formats", "pdf")
    old = invoke("batch", sweep, "-o", tmp_path / "old", "-j", "1", "--format", "svg",
                 "--format", "pdf")
    assert new.exit_code == old.exit_code == 0, old.stderr
    assert written(tmp_path / "old") == written(tmp_path / "new") == [
        "a/metrics.pdf", "a/metrics.svg", "b/metrics.pdf", "b/metrics.svg"]
    for name in written(tmp_path / "new"):
        assert (tmp_path / "old" / name).read_bytes() == (tmp_path / "new" / name).read_bytes()
    assert deprecations(old) == ["rlplot: warning: -o DIR is deprecated; use --out-dir DIR",
                                 "rlplot: warning: --format FMT is deprecated; use --formats FMT"]
    quiet = invoke("batch", sweep, "-o", tmp_path / "old", "-j", "1", "--format", "svg", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_out_dir_is_needed(invoke, tmp_path):
    result = invoke("batch", make_sweep(tmp_path / "sweep"))
    assert result.exit_code == 2 and "Missing option '--out-dir'" in result.stderr


def test_an_out_dir_that_is_a_file_is_one_line(invoke, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    result = invoke("batch", make_sweep(tmp_path / "sweep"), "--out-dir", taken)
    assert result.exit_code == 1
    assert result.stderr == f"rlplot: error: {taken}: --out-dir is a file, not a folder\n"


@pytest.mark.parametrize("quiet", [False, True])
def test_a_failed_run_exits_1_and_quiet_keeps_only_its_error(invoke, tmp_path, quiet):
    sweep = make_sweep(tmp_path / "sweep", bad=("b",))
    result = invoke("batch", sweep, "--out-dir", tmp_path / "out", "-j", "1",
                    *(["-q"] if quiet else []))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("rlplot: error: ")]
    assert len(errors) == 1 and "b/metrics.jsonl" in errors[0]
    assert (len(result.stderr.splitlines()) == 1) == quiet
    assert result.stdout.split() == [str(tmp_path / "out" / "a" / "metrics.png")]


def test_an_unknown_executor_is_a_usage_error_listing_the_registry(invoke, tmp_path):
    result = invoke("batch", make_sweep(tmp_path / "sweep"), "--out-dir", tmp_path / "o",
                    "--executor", "slurm")
    assert result.exit_code == 2 and "'process'" in result.stderr and "'dask'" in result.stderr
