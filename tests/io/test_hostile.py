"""Hostile input through the real CLI, each in a process whose address space is capped
(``resource.setrlimit(RLIMIT_AS)``) and timed: a regression fails fast with a MemoryError or a
timeout instead of eating the machine. Every case ends in one clear ``rlplot: error:`` line
(exit 1) or in a figure with a warning, within seconds."""
from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SAMPLE_JSONL

MEMORY_CAP = 1 << 30        # 1 GiB of address space: rlplot needs ~0.4 GiB for a small figure
SECONDS = 60                # generous for a busy machine; each case takes a few seconds


def rlplot(*args, stdin=None, env=None, cwd=None) -> subprocess.CompletedProcess:
    """Run ``python -m rlplot ARGS`` under the memory cap and the time limit."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run([sys.executable, "-m", "rlplot", *map(str, args)], stdin=stdin,
                          capture_output=True, text=True, timeout=SECONDS, preexec_fn=cap,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def one_error(done: subprocess.CompletedProcess, *needles: str) -> str:
    """The single error line of a failed run, checked for each needle."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rlplot: error: "), done.stderr
    assert "internal error" not in lines[0] and "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_records_that_each_add_a_key_read_in_linear_time(tmp_path):
    log = tmp_path / "sparse.jsonl"
    with open(log, "w") as fh:   # 15,000 records, each with a key no other record has
        for i in range(15_000):
            fh.write(json.dumps({"step": i, "accuracy": 0.5 + i / 1e5, "avg_parallelism": 8,
                                 f"key{i}": 1.0}) + "\n")
    done = rlplot("render", log, "-o", tmp_path / "fig.png")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fig.png").read_bytes().startswith(b"\x89PNG")
    seen = rlplot("inspect", log)
    assert seen.returncode == 0, seen.stderr
    assert "kept the 666 fullest of 15,003 columns" in seen.stdout     # a bounded summary
    assert "set aside 14,337 sparser ones: 'key663', 'key664'" in seen.stdout


def test_a_long_export_with_20000_tags(tmp_path):
    log = tmp_path / "long.csv"
    log.write_text("run,tag,step,value\n" + "".join(f"r,tag{i},{i},0.5\n" for i in range(20_000)))
    one_error(rlplot("render", log, "-o", tmp_path / "fig.png"), "long.csv [r]: no column 'accuracy'")
    picked = rlplot("render", log, "--y", "tag7", "-o", tmp_path / "fig.png")
    assert picked.returncode == 0, picked.stderr


def gzip_members(member: bytes, count: int, first: bytes = b"") -> bytes:
    """A gzip stream of ``count`` members (a valid multi-member gzip): a bomb made in no time."""
    one = gzip.compress(member, compresslevel=9, mtime=0)
    return gzip.compress(first, mtime=0) + one * count


def test_a_gzip_bomb_of_zeros_stops_at_once(tmp_path):
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip_members(bytes(1 << 20), 6 * 1024))     # 6 MB -> 6 GB of NUL bytes
    one_error(rlplot("render", bomb, "-o", tmp_path / "fig.png"), "bomb.csv.gz: starts with 1 MB of NUL")


def test_a_gzip_bomb_of_text_stops_at_the_size_limit(tmp_path):
    rows = b"1,0.5,8\n" * 131_072                 # 1 MB that compresses to 1 KB
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip_members(rows, 4096, b"step,accuracy,avg_parallelism\n"))   # 4 GB
    line = one_error(rlplot("render", bomb, "-o", tmp_path / "fig.png",
                            env={"RLPLOT_MAX_INPUT_MB": "32"}),
                     "expands to more than 32 MB", "a gzip bomb?", "RLPLOT_MAX_INPUT_MB")
    assert "bomb.csv.gz" in line
    # Raising the limit reads a real big log: 2 MB of text under a 3 MB limit.
    small = tmp_path / "ok.csv.gz"
    steps = "".join(f"{i},{0.3 + i / 1e6},8\n" for i in range(100_000)).encode()   # ~2 MB
    small.write_bytes(gzip_members(steps, 1, b"step,accuracy,avg_parallelism\n"))
    fine = rlplot("render", small, "-o", tmp_path / "ok.png", env={"RLPLOT_MAX_INPUT_MB": "3"})
    assert fine.returncode == 0, fine.stderr
    too_small = rlplot("render", small, "-o", tmp_path / "ok.png", env={"RLPLOT_MAX_INPUT_MB": "1"})
    one_error(too_small, "expands to more than 1 MB")


def test_a_plain_file_over_the_limit_is_refused_before_reading(tmp_path):
    log = tmp_path / "big.csv"
    log.write_text("step,accuracy,avg_parallelism\n" + "1,0.5,8\n" * 300_000)
    # (render reads such a big plain log column-wise, streamed: the limit is for what is
    # held as text, so inspect, which reads every column, shows it)
    seen = rlplot("inspect", log, env={"RLPLOT_MAX_INPUT_MB": "1"})
    assert seen.returncode == 1 and "big.csv: holds more than 1 MB" in seen.stdout, seen.stdout
    seen = rlplot("inspect", log, env={"RLPLOT_MAX_INPUT_MB": "lots"})
    assert seen.returncode == 1 and "RLPLOT_MAX_INPUT_MB='lots' is not a number" in seen.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    one_error(rlplot("render", device, "-o", tmp_path / "fig.png"), f"{device}: is a device")
    with open(device, "rb") as stdin:
        one_error(rlplot("render", "-", "-o", tmp_path / "fig.png", stdin=stdin),
                  "standard input is a device")


@pytest.mark.parametrize("device,needle", [("/dev/zero", "starts with 1 MB of NUL"),
                                           ("/dev/urandom", "not a text log")])
def test_an_endless_pipe_is_refused(tmp_path, device, needle):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    feeder = subprocess.Popen(["cat", device], stdout=subprocess.PIPE)
    try:
        one_error(rlplot("render", "-", "-o", tmp_path / "fig.png", stdin=feeder.stdout), needle)
    finally:
        feeder.kill()
        feeder.wait()


def test_huge_csv_headers_are_one_clear_error(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(200_000)) + "\n" + ",".join(["1"] * 200_000) + "\n")
    one_error(rlplot("render", wide, "-o", tmp_path / "fig.png"), "wide.csv:1: the header line is")
    named = tmp_path / "named.csv"
    named.write_text("step,accuracy," + "x" * 10_000_000 + "\n1,0.5,8\n")
    one_error(rlplot("render", named, "-o", tmp_path / "fig.png"), "named.csv:1: the header line")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text("step,accuracy," + "y" * 200_000 + "\n1,0.5,8\n")
    seen = rlplot("inspect", quoted)
    assert seen.returncode == 1 and \
        "quoted.csv:1: a column name in the header is over 131,072 characters" in seen.stdout


def test_a_huge_cell_skips_its_line_with_a_warning(tmp_path):
    log = tmp_path / "cell.csv"
    rows = [f"{i},{0.3 + i / 100},8" for i in range(60)]
    rows[30] = "30,0.6," + "9" * 200_000
    log.write_text("step,accuracy,avg_parallelism\n" + "\n".join(rows) + "\n")
    done = rlplot("render", log, "-o", tmp_path / "fig.png")
    assert done.returncode == 0, done.stderr
    [warning] = done.stderr.splitlines()
    assert warning.startswith("rlplot: warning: ") and \
        warning.endswith("cell.csv:32: skipped line: a field over 131,072 characters")


def test_option_values_in_range_do_not_exhaust_memory(tmp_path):
    runs = []
    for seed in range(3):
        runs.append(tmp_path / f"s{seed}.jsonl")
        runs[-1].write_bytes(SAMPLE_JSONL.read_bytes())
    one_error(rlplot("render", *runs, "--aggregate", "mean", "--band", "ci", "--set",
                     "runs.reps=100000", "--set", "runs.grid_points=100000", "-o", tmp_path / "a.png"),
              "the ci band would resample 100,000 times × 3 runs × 100,000 grid points")
    fine = rlplot("render", *runs, "--aggregate", "mean", "--band", "ci", "--set", "runs.reps=5000",
                  "--set", "runs.grid_points=1000", "-o", tmp_path / "b.png")
    assert fine.returncode == 0, fine.stderr


def test_a_catastrophically_backtracking_group_by_is_refused(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    log = folder / ("a" * 40 + ".jsonl")
    log.write_bytes(SAMPLE_JSONL.read_bytes())
    one_error(rlplot("render", log, "--group-by", "(a|aa)+$", "-o", tmp_path / "fig.png"),
              "--group-by '(a|aa)+$' took over 0.5 s", "backtracks catastrophically")
    out = tmp_path / "out"
    one_error(rlplot("batch", folder, "--out-dir", out, "--group-by", "(a|a)*$", "-q"),
              "took over 0.5 s")
    # The classic (a+)+$ is matched at once by the regex engine: it simply works.
    done = rlplot("render", log, "--group-by", "(a+)+$", "-o", tmp_path / "fig.png")
    assert done.returncode == 0, done.stderr


def test_stdin_that_is_an_output_is_refused(tmp_path):
    log = tmp_path / "in.csv"
    log.write_bytes(SAMPLE_JSONL.read_bytes())
    with open(log, "rb") as stdin:
        one_error(rlplot("render", "-", "-o", tmp_path / "fig.png", "--data-out", log, stdin=stdin),
                  "in.csv: --data-out would overwrite an input", "standard input is this file")
    odd = tmp_path / "run.png"            # a log that happens to be named like the figure
    odd.write_bytes(SAMPLE_JSONL.read_bytes())
    with open(odd, "rb") as stdin:
        one_error(rlplot("render", "-", "-o", odd, stdin=stdin), "run.png: output would overwrite")
    assert log.read_bytes() == odd.read_bytes() == SAMPLE_JSONL.read_bytes()
    with open(log, "rb") as stdin:        # another output name is fine
        done = rlplot("render", "-", "-o", tmp_path / "fig.png", "--data-out", tmp_path / "d.csv",
                      stdin=stdin)
    assert done.returncode == 0, done.stderr
