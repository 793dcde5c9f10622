"""rlplot.watch and ``rlplot watch``: re-render on growth, debounce, partial lines, read errors, Ctrl-C."""
from __future__ import annotations

import json
import threading
import time

import pytest

from rlplot import watch as W

from .conftest import seed_like_records, write_jsonl


class FakeTime:
    """A clock that advances only when the watcher sleeps; ``actions[i]`` runs at the i-th sleep."""

    def __init__(self, actions=None):
        self.now = 0.0
        self.sleeps = 0
        self.actions = actions or {}

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds
        action = self.actions.get(self.sleeps)
        if action:
            action()


def lines(records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_rerenders_while_a_background_writer_appends(tmp_path):
    """A real writer thread appends lines, sometimes in two halves; the last figure has every row."""
    log, out = tmp_path / "live.jsonl", tmp_path / "live.png"
    records = seed_like_records(120)
    write_jsonl(log, records[:20])
    done = threading.Event()

    def writer():
        with open(log, "a", encoding="utf-8") as fh:
            for i, record in enumerate(records[20:]):
                text = json.dumps(record) + "\n"
                if i % 10 == 0:        # a line cut in the middle, completed a moment later
                    fh.write(text[:15])
                    fh.flush()
                    time.sleep(0.01)
                    text = text[15:]
                fh.write(text)
                fh.flush()
                time.sleep(0.003)
        done.set()

    events = []
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        renders = W.watch([str(log)], [str(out)], interval=0.01, debounce=0.02, max_wait=0.1,
                          max_iterations=3000, on_event=events.append,
                          stop=lambda: done.is_set() and events and events[-1].rows == 120)
    finally:
        thread.join()
    rendered = [e for e in events if e.kind == W.RENDERED]
    assert rendered and rendered[-1].rows == 120          # stopped on the full log, not on max polls
    assert renders == len(rendered) >= 2
    assert rendered[0].rows < 120                          # it drew the run while it was growing
    assert all(e.kind == W.RENDERED for e in events)       # partial lines are no errors
    assert not any("partial last line" in w for e in rendered for w in e.warnings)
    assert out.read_bytes().startswith(b"\x89PNG")


def test_read_error_keeps_the_last_good_figure(tmp_path):
    log, out = tmp_path / "run.jsonl", tmp_path / "run.png"
    write_jsonl(log, seed_like_records(40))
    snapshot = {}
    fake = FakeTime({
        2: lambda: snapshot.setdefault("good", out.read_bytes()) and log.write_text(""),
        6: lambda: log.write_text(lines(seed_like_records(70))),
    })
    events = []
    W.watch([str(log)], [str(out)], interval=1.0, debounce=0.5, max_iterations=10,
            on_event=events.append, sleep=fake.sleep, clock=fake.clock)
    kinds = [(e.kind, e.rows) for e in events]
    assert kinds == [(W.RENDERED, 40), (W.ERROR, 0), (W.RENDERED, 70)]
    assert "the log is empty" in events[1].message
    # Between the error and the next good render the figure on disk was the old one.
    assert snapshot["good"].startswith(b"\x89PNG")


def test_a_broken_log_is_retried_only_when_it_changes(tmp_path):
    log, out = tmp_path / "run.jsonl", tmp_path / "run.png"
    log.write_text("{}\n")
    fake = FakeTime()
    events = []
    W.watch([str(log)], [str(out)], interval=1.0, debounce=0.1, max_iterations=8,
            on_event=events.append, sleep=fake.sleep, clock=fake.clock)
    assert [e.kind for e in events] == [W.ERROR]
    assert not out.exists()


def test_waits_for_a_log_that_does_not_exist_yet(tmp_path):
    log, out = tmp_path / "later.jsonl", tmp_path / "later.png"
    fake = FakeTime({3: lambda: write_jsonl(log, seed_like_records(30))})
    events = []
    renders = W.watch([str(log)], [str(out)], interval=1.0, debounce=0.5, max_iterations=6,
                      on_event=events.append, sleep=fake.sleep, clock=fake.clock)
    assert [e.kind for e in events] == [W.WAITING, W.RENDERED]
    assert "later.jsonl" in events[0].message and renders == 1


def test_debounce_and_max_wait(tmp_path):
    """A log growing at every poll is rendered only every max_wait; once quiet, after debounce."""
    log, out = tmp_path / "run.jsonl", tmp_path / "run.png"
    records = seed_like_records(80)
    write_jsonl(log, records[:20])
    grow = {i: (lambda i=i: write_jsonl(log, records[:20 + 2 * i])) for i in range(1, 21)}
    fake = FakeTime(grow)
    times = []
    W.watch([str(log)], [str(out)], interval=0.1, debounce=0.35, max_wait=1.0,
            max_iterations=30, on_event=lambda e: times.append((round(fake.now, 1), e.rows)),
            sleep=fake.sleep, clock=fake.clock)
    # t=0 first render; growth every 0.1 s until t=2.0 -> renders forced by max_wait only;
    # then the full log is drawn no later than debounce after the last change, and no more.
    assert times[0] == (0.0, 20)
    gaps = [b - a for (a, _), (b, _) in zip(times, times[1:])]
    assert all(gap >= 1.0 - 1e-9 for gap in gaps[:-1])
    assert times[-1][1] == 60 and times[-1][0] <= 2.0 + 0.35 + 0.1 + 1e-9
    assert 3 <= len(times) <= 4


def test_one_change_renders_after_the_debounce(tmp_path):
    log, out = tmp_path / "run.jsonl", tmp_path / "run.png"
    write_jsonl(log, seed_like_records(20))
    fake = FakeTime({3: lambda: write_jsonl(log, seed_like_records(25))})
    times = []
    W.watch([str(log)], [str(out)], interval=0.1, debounce=0.35, max_wait=5.0,
            max_iterations=15, on_event=lambda e: times.append((round(fake.now, 1), e.rows)),
            sleep=fake.sleep, clock=fake.clock)
    assert times == [(0.0, 20), (0.7, 25)]   # changed at t=0.3, quiet for 0.35 s -> next poll 0.7


def test_unknown_output_format_fails_before_watching(tmp_path):
    from rlplot.errors import OutputError

    log = write_jsonl(tmp_path / "run.jsonl", seed_like_records(10))
    with pytest.raises(OutputError, match="unknown output format"):
        W.watch([str(log)], [str(tmp_path / "run.gif")], max_iterations=1, sleep=lambda s: None)


def test_cli_ctrl_c_exits_zero_after_rendering(tmp_path, invoke, monkeypatch):
    log, out = write_jsonl(tmp_path / "run.jsonl", seed_like_records(30)), tmp_path / "run.svg"

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(W.time, "sleep", interrupted)
    result = invoke("watch", log, "-o", out, "--interval", "0.1")
    assert result.exit_code == 0
    assert result.stdout.split() == [str(out)]
    assert "rendered 30 rows" in result.stderr and "stopped watching" in result.stderr
    assert out.read_text().lstrip().startswith("<?xml")


def test_cli_reports_read_errors_on_one_line(tmp_path, invoke, monkeypatch):
    log = tmp_path / "run.jsonl"
    log.write_text("")
    monkeypatch.setattr(W.time, "sleep", lambda s: (_ for _ in ()).throw(KeyboardInterrupt))
    result = invoke("watch", log, "-o", tmp_path / "run.png")
    assert result.exit_code == 0
    err = result.stderr.splitlines()
    assert err[0].startswith("rlplot: error: ") and "the log is empty" in err[0]
    assert "keeping the last good figure" in err[1]
    assert result.stdout == ""


def test_stdin_and_glob_patterns_are_refused_in_one_line(invoke, tmp_path):
    for target in ("-", str(tmp_path / "runs" / "*.jsonl")):
        result = invoke("watch", target, "-o", tmp_path / "w.png")
        assert result.exit_code == 1 and result.stderr.startswith("rlplot: error: ")
        assert "cannot watch" in result.stderr and "Traceback" not in result.stderr
