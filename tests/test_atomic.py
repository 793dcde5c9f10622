"""rlplot.atomic: whole files or nothing, and temp files that only this module names."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings, strategies as st

from rlplot.atomic import (MAX_NAME_KEPT, STALE_SECONDS, TEMP_SUFFIX, atomic_output, host_tag,
                           is_dead, leftovers, remove_dead, temp_prefix, temp_writer,
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


def fake_temp(target, writer: str) -> str:
    """A temp file of ``target`` named as a writer ``<host tag>-<pid>`` would name it."""
    path = os.path.join(os.path.dirname(target), f"{temp_prefix(target)}{writer}-k3x9q2zt{TEMP_SUFFIX}")
    with open(path, "wb") as fh:
        fh.write(b"half")
    return path


def test_leftovers_are_only_those_of_the_given_targets(tmp_path):
    mine, theirs = tmp_path / ("x" * 50 + "_a.png"), tmp_path / ("x" * 50 + "_b.png")
    short, longer = tmp_path / "m.png", tmp_path / "m.png.png"   # one name starts the other's
    for path in (mine, theirs, short, longer):
        fake_temp(path, f"{host_tag()}-{os.getpid()}")
    (tmp_path / ".m.png.unrelated.txt").write_text("not a temp file")
    found = leftovers([mine, short, tmp_path / "missing" / "z.png"])
    # A temp file's name is its target's prefix, its writer and mkstemp's random part, the suffix.
    prefixes = [os.path.basename(p)[: -len(TEMP_SUFFIX)].rpartition(".")[0] + "." for p in found]
    assert sorted(prefixes) == sorted([temp_prefix(mine), temp_prefix(short)])


def test_a_temp_name_records_its_writer(tmp_path):
    target = tmp_path / "fig.png"
    killed_write(target)
    [left] = leftovers([target])
    host, pid = temp_writer(left)
    assert host == host_tag() and pid != os.getpid() and is_dead(left)     # that process is gone
    assert temp_writer(tmp_path / ".fig.png.k3x9q2zt.part") is None        # an older rlplot's name


# A writer that stays in the middle of writing argv[1] until its stdin closes.
HOLDING_WRITER = ("import sys\n"
                  "from rlplot.atomic import atomic_output\n"
                  "with atomic_output(sys.argv[1]) as stream:\n"
                  "    stream.write(b'half')\n"
                  "    stream.flush()\n"
                  "    print('writing', flush=True)\n"
                  "    sys.stdin.read()\n")


def test_only_dead_leftovers_are_removed_and_a_live_write_survives(tmp_path):
    busy, crashed = tmp_path / "busy.png", tmp_path / "crashed.png"
    holder = subprocess.Popen([sys.executable, "-c", HOLDING_WRITER, str(busy)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"writing\n"
        killed_write(crashed)        # its first write into the folder keeps the live temp file
        [live] = leftovers([busy])
        assert not is_dead(live)
        old_style = fake_temp(tmp_path / "legacy.png", "k3x9q2zt")           # no writer in the name
        foreign = fake_temp(tmp_path / "remote.png", "0badbeef-12")         # another host's writer
        assert remove_dead(leftovers([busy, crashed, tmp_path / "legacy.png",
                                      tmp_path / "remote.png"])) == 1      # the crashed one only
        assert os.path.exists(live) and os.path.exists(old_style) and os.path.exists(foreign)
        # Unknown writers are dead once older than any write lasts.
        hour_ago = time.time() - STALE_SECONDS - 60
        os.utime(old_style, (hour_ago, hour_ago))
        assert is_dead(old_style) and not is_dead(foreign)
        # A write into the folder by another process keeps the live temp file too.
        subprocess.run([sys.executable, "-c", "import sys; from rlplot.atomic import "
                        "write_text_atomic as w; w(sys.argv[1], 'x')", str(tmp_path / "other.txt")],
                       check=True)
        assert os.path.exists(live) and os.path.exists(old_style)   # a sweep takes named writers only
        assert remove_dead(leftovers([tmp_path / "legacy.png"])) == 1
    finally:
        holder.stdin.close()
        holder.wait()
    assert busy.read_bytes() == b"half" and leftovers([busy]) == []


def test_the_next_write_into_a_folder_removes_a_killed_writers_leftover(tmp_path):
    target = tmp_path / "fig.png"
    killed_write(target)
    assert len(leftovers([target])) == 1
    subprocess.run([sys.executable, "-c", "import sys; from rlplot.atomic import "
                    "write_text_atomic as w; w(sys.argv[1], 'x')", str(target)], check=True)
    assert leftovers([target]) == [] and target.read_text() == "x"


def test_own_temp_files_are_dead_unless_being_written(tmp_path):
    target = tmp_path / "fig.png"
    with atomic_output(target) as stream:
        [live] = leftovers([target])
        assert temp_writer(live) == (host_tag(), os.getpid()) and not is_dead(live)
        stream.write(b"x")
    own = fake_temp(target, f"{host_tag()}-{os.getpid()}")
    assert is_dead(own) and remove_dead([own]) == 1


def test_a_render_after_a_killed_render_removes_its_leftover(tmp_path, seed_log):
    figure = tmp_path / "figs" / "fig.png"
    figure.parent.mkdir()
    killed_write(figure)                 # what a render killed while saving leaves
    [left] = leftovers([figure])
    done = subprocess.run([sys.executable, "-m", "rlplot", "render", str(seed_log), "-o", str(figure)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not os.path.exists(left) and leftovers([figure]) == []
    assert figure.read_bytes().startswith(b"\x89PNG")
