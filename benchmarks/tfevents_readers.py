"""Read one tag of a folder of event files the way each tool's users do; print points and their sum.

    python benchmarks/tfevents_readers.py rlplot      DIR TAG
    python benchmarks/tfevents_readers.py tbparse     DIR TAG   # SummaryReader(DIR).scalars
    python benchmarks/tfevents_readers.py accumulator DIR TAG   # EventAccumulator, keep everything
    python benchmarks/tfevents_readers.py tree-scan   DIR       # rlplot: scan every run of a tree
    python benchmarks/tfevents_readers.py tree-read   DIR TAG   # rlplot: one tag of every run

Each call is one process of bench_tfevents.py (imports count). The printed count and sum
let the runner check that every reader got the same points.
"""
from __future__ import annotations

import os
import sys


def read_rlplot(folder: str, tag: str) -> tuple[int, float]:
    from rlplot.io.tfevents import is_event_file, read_event_run

    table = read_event_run([os.path.join(folder, name) for name in os.listdir(folder)
                            if is_event_file(name)], tags=[tag])
    column = table.columns[tag]
    values = column.values[~column.missing]
    return int(values.size), float(values.sum())


def read_tbparse(folder: str, tag: str) -> tuple[int, float]:
    from tbparse import SummaryReader

    scalars = SummaryReader(folder).scalars
    values = scalars[scalars["tag"] == tag]["value"]
    return int(values.size), float(values.sum())


def read_accumulator(folder: str, tag: str) -> tuple[int, float]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(folder, size_guidance={"scalars": 0})   # 0: keep every point
    accumulator.Reload()
    events = accumulator.Scalars(tag)
    return len(events), float(sum(event.value for event in events))


def runs_of(tree: str) -> list[list[str]]:
    """The event files of every folder of ``tree`` that holds some (one run each)."""
    from rlplot.io.tfevents import is_event_file

    runs = []
    for folder, _dirs, names in sorted(os.walk(tree)):
        files = [os.path.join(folder, name) for name in sorted(names) if is_event_file(name)]
        if files:
            runs.append(files)
    return runs


def scan_tree(tree: str) -> tuple[int, float]:
    from rlplot.io.tfevents import scan_event_run

    summaries = [scan_event_run(files) for files in runs_of(tree)]
    return len(summaries), float(sum(t.points for s in summaries for t in s.tags))


def read_tree(tree: str, tag: str) -> tuple[int, float]:
    total = 0.0
    runs = runs_of(tree)
    for files in runs:
        total += read_rlplot(os.path.dirname(files[0]), tag)[1]
    return len(runs), total


READERS = {"rlplot": read_rlplot, "tbparse": read_tbparse, "accumulator": read_accumulator,
           "tree-scan": scan_tree, "tree-read": read_tree}


if __name__ == "__main__":
    count, total = READERS[sys.argv[1]](*sys.argv[2:])
    print(count, repr(total))
