"""rlplot.atomic: whole files or nothing, and temp files that only this module names."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from rlplot.atomic import (MAX_NAME_KEPT, TEMP_SUFFIX, atomic_output, leftovers, temp_prefix,
                           write_text_atomic)
from rlplot.errors import OutputError

# A process that dies (kill -9) halfway through writing argv[1]: its temp file stays behind.
KILLED_WRITER = ("import os, signal, sys\n"
                 "from rlplot.atomic import atomic_output\n"
                 "with atomic_output(sys.argv[1]) as stream:\n"
                 "    stream.write(b'half')\n"
                 "    stream.flush()\n"
                 "    os.kill(os.getpid(), signal.SIGKILL)\n")


def killed_write(path) -> None:
    """Leave a real leftover: a writer process killed in the middle of writing ``path``."""
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], capture_output=True)
    assert done.returncode == -9, done.stderr


def test_a_write_replaces_the_target_whole(tmp_path):
    target = tmp_path / "deep" / "report.md"
    assert write_text_atomic(target, "old\r\n") == str(target)
    write_text_atomic(target, "new\r\nlines\n")
    assert target.read_bytes() == b"new\r\nlines\n"          # newlines kept as given
    assert os.listdir(target.parent) == ["report.md"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "fig.png"
    target.write_bytes(b"old figure")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as stream:
            stream.write(b"half a new")
            raise KeyboardInterrupt
    assert target.read_bytes() == b"old figure" and os.listdir(tmp_path) == ["fig.png"]


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640


def test_an_unwritable_folder_is_an_output_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="a parent of this path is a file"):
        write_text_atomic(tmp_path / "file" / "out.txt", "x")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcxyz._-0123456789", min_size=1, max_size=250)
       .filter(lambda name: name not in (".", "..")))
def test_temp_names_stay_short_and_apart(name):
    prefix = temp_prefix(f"out/{name}")
    assert prefix.startswith("." + name[:MAX_NAME_KEPT]) and prefix.endswith(".")
    assert len(prefix) <= MAX_NAME_KEPT + 11                  # '.', the name, '~hash', '.'
    if len(name) > MAX_NAME_KEPT:                             # a cut name keeps a hash of the whole
        assert temp_prefix(f"out/{name}x") != prefix


def test_leftovers_of_a_killed_write_are_found_for_long_names(tmp_path):
    target = tmp_path / ("run_" + "lr3e-4_seed1_" * 5 + "metrics.png")        # 80 characters
    assert len(target.name) > 60
    killed_write(target)
    [left] = leftovers([target])
    assert os.path.basename(left).startswith(temp_prefix(target)) and left.endswith(TEMP_SUFFIX)
    assert not target.exists()


def test_leftovers_are_only_those_of_the_given_targets(tmp_path):
    mine, theirs = tmp_path / ("x" * 50 + "_a.png"), tmp_path / ("x" * 50 + "_b.png")
    short, longer = tmp_path / "m.png", tmp_path / "m.png.png"   # one name starts the other's
    for path in (mine, theirs, short, longer):
        killed_write(path)
    (tmp_path / ".m.png.unrelated.txt").write_text("not a temp file")
    found = leftovers([mine, short, tmp_path / "missing" / "z.png"])
    # A temp file's name is its target's prefix, mkstemp's random part, and the suffix.
    prefixes = [os.path.basename(p)[: -len(TEMP_SUFFIX)].rpartition(".")[0] + "." for p in found]
    assert sorted(prefixes) == sorted([temp_prefix(mine), temp_prefix(short)])
