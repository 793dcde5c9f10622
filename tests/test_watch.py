"""rlplot.watch: re-render on growth, debounce, partial lines, read errors; time is injected."""
from __future__ import annotations

import json

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


def test_rerenders_while_the_log_grows_with_half_written_lines(tmp_path):
    """Between polls the trainer appends lines, leaving the last one half written until the next."""
    log, out = tmp_path / "live.jsonl", tmp_path / "live.png"
    records = seed_like_records(120)
    write_jsonl(log, records[:20])
    pending = [json.dumps(r) + "\n" for r in records[20:]]
    carry = [""]

    def trainer_writes():
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(carry[0])
            carry[0] = ""
            for line in pending[:3]:
                fh.write(line)
            del pending[:3]
            if pending:                           # half of the next line: completed next time
                line = pending.pop(0)
                fh.write(line[:15])
                carry[0] = line[15:]

    fake = FakeTime({i: trainer_writes for i in range(1, 40)})
    events, mid_line = [], []

    def on_event(event):
        events.append(event)
        mid_line.append(not log.read_text(encoding="utf-8").endswith("\n"))

    renders = W.watch([str(log)], [str(out)], interval=0.1, debounce=0.25, max_wait=1.0,
                      max_iterations=60, on_event=on_event, sleep=fake.sleep, clock=fake.clock)
    assert not pending and not carry[0]                    # the whole run was written
    assert all(e.kind == W.RENDERED for e in events)       # half-written lines are no errors
    rows = [e.rows for e in events]
    assert renders == len(events) >= 4 and rows == sorted(rows)
    assert rows[0] == 20 and rows[-1] == 120               # drew it while it grew, then all of it
    assert any(mid_line[:-1])                              # some renders saw a half-written line
    assert not any("partial last line" in w for e in events for w in e.warnings)
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


def test_a_watched_folder_picks_up_runs_that_appear_in_it(tmp_path):
    from rlplot.config import load_config
    from tests.runs.trees import csv_run, curve

    folder, out = tmp_path / "runs", tmp_path / "live.png"
    csv_run(folder / "seed0" / "progress.csv", curve(n=10))
    fake = FakeTime({2: lambda: csv_run(folder / "seed1" / "progress.csv", curve(n=14, offset=1))})
    events = []
    config = load_config(overrides={"panels": [{"metric": "reward"}]}).config
    W.watch([str(folder)], [str(out)], config, interval=0.1, debounce=0.1, max_iterations=8,
            on_event=events.append, sleep=fake.sleep, clock=fake.clock)
    assert [e.kind for e in events] == [W.RENDERED, W.RENDERED]
    assert [e.rows for e in events] == [10, 14]


def test_a_folder_signature_changes_when_a_file_below_it_grows(tmp_path):
    (tmp_path / "run").mkdir()
    log = tmp_path / "run" / "m.csv"
    log.write_text("step,r\n1,2\n")
    (tmp_path / ".git").mkdir()
    before = W.signature([str(tmp_path)])
    (tmp_path / ".git" / "index").write_text("hidden folders do not count")
    assert W.signature([str(tmp_path)]) == before
    with open(log, "a") as fh:
        fh.write("2,3\n")
    assert W.signature([str(tmp_path)]) != before
