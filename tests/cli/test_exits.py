"""How the ``rlplot`` process ends (``rlplot.cli.exit_process``): the same status and output as ``sys.exit``, the
atexit handlers run, and Python's teardown skipped only when nothing can still need it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rlplot.cli import exit_status

ROOT = Path(__file__).resolve().parents[2]

# A script ending through exit_process: an atexit handler, an object whose __del__ runs only in
# the interpreter's teardown, and (with "thread") a non-daemon thread still working.
SCRIPT = """
import atexit, sys, threading, time
from rlplot.cli import exit_process

class Torn:
    def __del__(self):
        sys.stderr.write("teardown\\n")

kept = Torn()
atexit.register(lambda: sys.stderr.write("atexit\\n"))
print("written", end="")          # buffered: must reach the pipe
if "thread" in sys.argv:
    def work():
        time.sleep(0.3)
        sys.stderr.write("thread done\\n")
    threading.Thread(target=work).start()
exit_process(int(sys.argv[1]))
"""


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=60)


def test_a_plain_exit_keeps_status_output_and_atexit_but_skips_the_teardown():
    done = _run("3")
    assert done.returncode == 3
    assert done.stdout == "written"
    assert "atexit" in done.stderr
    assert "teardown" not in done.stderr


def test_a_live_thread_gets_the_normal_exit_and_finishes():
    done = _run("0", "thread")
    assert done.returncode == 0
    assert "thread done" in done.stderr and "teardown" in done.stderr


def test_rlplot_full_exit_asks_for_the_teardown():
    done = _run("0", env={"RLPLOT_FULL_EXIT": "1"})
    assert done.returncode == 0 and "teardown" in done.stderr and "atexit" in done.stderr


@pytest.mark.parametrize("code, status", [(None, 0), (0, 0), (2, 2), (130, 130), ("bye", 1)])
def test_exit_status_is_what_sys_exit_makes_of_a_code(code, status, capsys):
    assert exit_status(code) == status
    assert capsys.readouterr().err == ("bye\n" if code == "bye" else "")


def test_the_command_exits_with_its_codes_and_a_closed_pipe_stays_quiet(tmp_path):
    sample = str(ROOT / "sample_runs" / "seed_like_run.jsonl")
    command = [sys.executable, "-m", "rlplot"]
    ok = subprocess.run(command + ["render", sample, "-o", str(tmp_path / "a.png")],
                        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert ok.returncode == 0 and ok.stdout.strip() == str(tmp_path / "a.png")
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    bad = subprocess.run(command + ["render", "missing.csv", "-o", "b.png"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert bad.returncode == 1 and bad.stderr.startswith("rlplot: error: missing.csv")
    usage = subprocess.run(command + ["render", "--bogus"], capture_output=True, text=True,
                           cwd=tmp_path, timeout=120)
    assert usage.returncode == 2 and "No such option" in usage.stderr
    piped = subprocess.run(f"{sys.executable} -m rlplot summary {sample} -f csv | head -c 10",
                           shell=True, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert piped.stdout == "run,source" and "Error" not in piped.stderr \
        and "Exception" not in piped.stderr
