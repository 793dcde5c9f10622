"""``rlplot watch`` on the command line: outputs like render, one-line errors, Ctrl-C ends with 0.

Time is injected: ``rlplot.watch.watch`` gets a fake clock and sleep that runs the
test's actions between polls, then raises KeyboardInterrupt as Ctrl-C would.
"""
from __future__ import annotations

from functools import partial

import pytest

from rlplot import watch as W

from ..conftest import seed_like_records, write_jsonl
from ..test_watch import FakeTime


def ctrl_c_after(monkeypatch, polls: int, actions=None) -> FakeTime:
    """Make ``rlplot watch`` poll ``polls`` times (running ``actions`` between), then get Ctrl-C."""
    fake = FakeTime(actions)
    sleep = fake.sleep

    def sleep_then_stop(seconds):
        if fake.sleeps + 1 >= polls:
            raise KeyboardInterrupt
        sleep(seconds)

    monkeypatch.setattr(W, "watch", partial(W.watch, sleep=sleep_then_stop, clock=fake.clock))
    return fake


def test_ctrl_c_exits_zero_after_rendering_to_the_o_extension(tmp_path, invoke, monkeypatch):
    log, out = write_jsonl(tmp_path / "run.jsonl", seed_like_records(30)), tmp_path / "run.svg"
    ctrl_c_after(monkeypatch, polls=1)
    result = invoke("watch", log, "-o", out, "--interval", "0.1")
    assert result.exit_code == 0
    assert result.stdout.split() == [str(out)]
    assert "rendered 30 rows" in result.stderr and "stopped watching" in result.stderr
    assert out.read_text().lstrip().startswith("<?xml")


def test_each_growth_is_rendered_and_each_warning_shown_once(tmp_path, invoke, monkeypatch):
    log, out = tmp_path / "run.jsonl", tmp_path / "run.png"
    records = seed_like_records(50)
    write_jsonl(log, records[:30] + ["{broken"])
    grow = {2: lambda: write_jsonl(log, records[:30] + ["{broken"] + records[30:])}
    ctrl_c_after(monkeypatch, polls=6, actions=grow)
    result = invoke("watch", log, "-o", out, "--debounce", "0.5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(out), str(out)]
    progress = [line.split(" ", 2)[2] for line in result.stderr.splitlines() if " rendered " in line]
    assert progress == ["rendered 30 rows", "rendered 50 rows"]
    assert sum("malformed JSON" in line for line in result.stderr.splitlines()) == 1


@pytest.mark.parametrize("args, expected", [
    (["--formats", "svg,pdf"], ["run.svg", "run.pdf"]),
    (["--set", "output.formats=[pdf]"], ["run.pdf"]),
    ([], ["run.png"]),
])
def test_without_o_it_follows_the_formats_like_render(tmp_path, invoke, monkeypatch, args,
                                                      expected):
    log = write_jsonl(tmp_path / "run.jsonl", seed_like_records(20))
    monkeypatch.chdir(tmp_path)
    ctrl_c_after(monkeypatch, polls=1)
    result = invoke("watch", log, *args, "-q")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.split() == expected
    assert all((tmp_path / name).stat().st_size > 0 for name in expected)


def test_o_and_formats_together_are_a_usage_error(tmp_path, invoke):
    log = write_jsonl(tmp_path / "run.jsonl", seed_like_records(20))
    result = invoke("watch", log, "-o", tmp_path / "w.png", "--formats", "svg")
    assert result.exit_code == 2 and "give one or the other" in result.stderr


def test_read_errors_are_one_line_and_the_watch_goes_on(tmp_path, invoke, monkeypatch):
    log = tmp_path / "run.jsonl"
    log.write_text("")
    ctrl_c_after(monkeypatch, polls=3)
    result = invoke("watch", log, "-o", tmp_path / "run.png")
    assert result.exit_code == 0
    err = result.stderr.splitlines()
    assert err[0].startswith("rlplot: error: ") and "the log is empty" in err[0]
    assert "keeping the last good figure" in err[1] and err[-1] == "rlplot: stopped watching"
    assert result.stdout == ""


def test_stdin_and_glob_patterns_are_refused_in_one_line(invoke, tmp_path):
    for target in ("-", str(tmp_path / "runs" / "*.jsonl")):
        result = invoke("watch", target, "-o", tmp_path / "w.png")
        assert result.exit_code == 1 and result.stderr.startswith("rlplot: error: ")
        assert "cannot watch" in result.stderr and "Traceback" not in result.stderr
