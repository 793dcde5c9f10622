"""runs.load.load_tables: Tables read from memory -> Runs, labelled and selected as runs found on disk."""
from __future__ import annotations

import pytest

from rlplot.config import load_config
from rlplot.errors import ColumnError, InputError
from rlplot.io.frames import read_data, tables_from_data
from rlplot.pipeline import prepare, prepare_runs
from rlplot.runs.load import load_all, load_tables

from tests.conftest import SAMPLE_CSV


def sweep(**extra):
    rows = {"run": [], "lr": [], "step": [], "acc": []}
    for run, lr in (("a", 0.1), ("b", 0.2), ("c", 0.2)):
        for step in range(5):
            rows["run"].append(run), rows["lr"].append(lr), rows["step"].append(step)
            rows["acc"].append(step * lr)
    return {**rows, **extra}


def config(*sets):
    return load_config([], ["panels=[{metric: acc}]", "smoothing.method=none", *sets]).config


def test_labels_come_from_the_user_then_runs_labels_then_the_run_names():
    tables = tables_from_data(sweep(), runs="run")
    assert [r.label for r in load_tables(tables, config())] == ["a", "b", "c"]
    assert [r.label for r in load_tables(tables, config("runs.labels={b: B}"), labels=["A"])] == ["A", "B", "c"]
    single = tables_from_data({"step": [0, 1], "acc": [1, 2]})
    assert [r.label for r in load_tables(single * 2, config())] == ["data", "data (2)"]


def test_where_and_group_by_look_up_each_tables_settings():
    read = read_data(sweep(), runs="run", keys=["lr"])
    settings = [dict(r.settings.values) for r in read]
    runs = load_tables([r.table for r in read], config("runs.where=[cfg:lr=0.2]"), settings=settings)
    assert [r.label for r in runs] == ["b", "c"] and runs.notices == ()
    assert [r.config for r in runs] == [{"lr": 0.2}, {"lr": 0.2}]
    assert [r.where for r in runs] == ["<data> [b]", "<data> [c]"]
    kept = load_tables([r.table for r in read], config("runs.where=[name=c]"), settings=settings)
    assert [r.label for r in kept] == ["c"]
    lacking = load_tables([r.table for r in read], config("runs.group_by=[cfg:seed]"), settings=settings)
    (notice,) = lacking.notices
    assert notice.what.startswith("--group-by cfg:seed: 3 runs have no config key 'seed'")
    with pytest.raises(InputError, match="no run meets --where cfg:lr>1"):
        load_tables([r.table for r in read], config("runs.where=['cfg:lr>1']"), settings=settings)


def test_an_error_in_any_table_stops_as_a_file_named_as_it_is():
    tables = tables_from_data([{"step": [0, 1], "acc": [1, 2]}, {"step": [0, 1], "other": [1, 2]}])
    with pytest.raises(ColumnError, match=r"<data> \[run_1\]: no column 'acc'"):
        load_tables(tables, config())


def test_prepare_is_reading_then_prepare_runs():
    from rlplot.export import data_rows

    cfg = load_config(["paper"]).config
    mine, theirs = prepare_runs(load_all([str(SAMPLE_CSV)], cfg), cfg), prepare([str(SAMPLE_CSV)], cfg)
    assert list(data_rows(mine)) == list(data_rows(theirs))
    assert (mine.panels, mine.x_label, mine.footnote, mine.notices) == (
        theirs.panels, theirs.x_label, theirs.footnote, theirs.notices)
    with pytest.raises(InputError, match="no runs to draw"):
        prepare_runs((), cfg)
