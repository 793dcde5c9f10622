"""MLflow stores written by the real client (file store and SQLite store), read without MLflow."""
from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rlplot.errors import ColumnError, InputError
from rlplot.io.mlflow import list_mlflow_runs, read_mlflow_run, resolve_store

from . import tracker_writers as spec
from .tracker_fixtures import built_store, copy_tree

STORES = ("mlflow-files", "mlflow-sqlite")


@pytest.fixture(scope="session")
def mlflow_files(tmp_path_factory) -> Path:
    return built_store("mlflow-files", tmp_path_factory) / "mlruns"


@pytest.fixture(scope="session")
def mlflow_db(tmp_path_factory) -> Path:
    return built_store("mlflow-sqlite", tmp_path_factory) / "mlflow.db"


@pytest.fixture(params=STORES)
def store(request) -> Path:
    return request.getfixturevalue("mlflow_files" if request.param == "mlflow-files" else "mlflow_db")


def test_the_runs_of_both_experiments_are_listed_with_names_and_params(store):
    listing = list_mlflow_runs(str(store))
    expected = spec.mlflow_spec()
    assert [r.name for r in listing.runs] == [s["name"] for s in expected]
    for run, wanted in zip(listing.runs, expected):
        assert run.experiment == wanted["experiment"]
        assert run.config == wanted["params"]      # text params read back as numbers where they are
        assert run.status == "FINISHED" and run.lifecycle == "active"
        assert len(run.run_id) == 32


def test_deleted_runs_and_experiments_are_skipped_and_counted(store):
    listing = list_mlflow_runs(str(store))
    assert "cartpole-deleted" not in {r.name for r in listing.runs}
    assert not {"scratch-a", "scratch-b"} & {r.name for r in listing.runs}
    assert listing.deleted == 3          # one deleted run + a deleted experiment of two runs
    assert any("skipped 3 deleted runs" in str(n) for n in listing.notices)


def test_a_run_reads_with_step_wall_time_and_one_column_per_key(store):
    for run, wanted in zip(list_mlflow_runs(str(store)).runs, spec.mlflow_spec()):
        table = read_mlflow_run(str(store), run)
        i = wanted["index"]
        assert table.run == wanted["name"] and table.format == run.tracker
        assert table.columns["step"].values.tolist() == list(range(spec.STEPS))
        assert table.columns["wall_time"].values.tolist() == [spec.stamp_ms(i, s) / 1000 for s in range(spec.STEPS)]
        assert table.columns["train/reward"].values.tolist() == [spec.reward(i, s) for s in range(spec.STEPS)]
        loss = table.columns["loss"]
        assert loss.missing.tolist() == [s % 2 == 1 for s in range(spec.STEPS)]
        assert loss.values[::2].tolist() == [spec.loss(i, s) for s in range(0, spec.STEPS, 2)]
        assert table.skipped == ()


def test_nan_and_infinity_come_back_from_mlflows_encoding(store):
    run = list_mlflow_runs(str(store)).runs[0]
    extreme = read_mlflow_run(str(store), run).columns["extreme"].values
    assert math.isnan(extreme[0]) and extreme[1] == math.inf


def test_keys_limit_the_columns_read(store):
    run = list_mlflow_runs(str(store)).runs[1]
    table = read_mlflow_run(str(store), run, keys=["reward"])      # matched like find_column: last part
    assert table.names == ["step", "wall_time", "train/reward"]
    with pytest.raises(ColumnError, match="none of: rewrd"):
        read_mlflow_run(str(store), run, keys=["rewrd"])


def test_a_run_id_is_looked_up_in_the_store(store):
    run = list_mlflow_runs(str(store)).runs[4]
    assert read_mlflow_run(str(store), run.run_id).run == run.name
    with pytest.raises(InputError, match="no live run 'nope'"):
        read_mlflow_run(str(store), "nope")


def test_stores_are_found_from_their_folders_uris_and_parents(mlflow_files, mlflow_db):
    assert resolve_store(str(mlflow_files.parent)) == ("files", str(mlflow_files))
    assert resolve_store(f"sqlite:///{mlflow_db}") == ("sqlite", str(mlflow_db))
    assert resolve_store(str(mlflow_db.parent)) == ("sqlite", str(mlflow_db))
    run = list_mlflow_runs(str(mlflow_files)).runs[0]
    experiment = os.path.dirname(run.path)
    assert [r.name for r in list_mlflow_runs(experiment).runs] == [s["name"] for s in spec.mlflow_spec()[:3]]
    alone = list_mlflow_runs(run.path)
    assert [(r.name, r.experiment) for r in alone.runs] == [(run.name, "cartpole")]


def test_not_a_store_is_one_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="not an SQLite database"):
        list_mlflow_runs(str(tmp_path / "notes.txt"))
    with pytest.raises(InputError, match="not an MLflow store"):
        list_mlflow_runs(str(tmp_path))
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(InputError, match="not an MLflow tracking database"):
        list_mlflow_runs(str(other))


# ---- damaged copies -------------------------------------------------------------------

def _run_folder(root: Path, name: str) -> Path:
    return Path(next(r.path for r in list_mlflow_runs(str(root)).runs if r.name == name))


def test_a_truncated_metric_file_keeps_its_complete_lines(mlflow_files, tmp_path):
    root = copy_tree(mlflow_files, tmp_path / "mlruns")
    metric = _run_folder(root, "cartpole-lr0.001") / "metrics" / "train" / "reward"
    metric.write_bytes(metric.read_bytes()[:-4])          # cut inside the last line
    run = next(r for r in list_mlflow_runs(str(root)).runs if r.name == "cartpole-lr0.001")
    table = read_mlflow_run(str(root), run)
    reward = table.columns["train/reward"]
    assert reward.values[:spec.STEPS - 1].tolist() == [spec.reward(0, s) for s in range(spec.STEPS - 1)]
    assert table.columns["step"].values.tolist() == list(range(spec.STEPS - 1))   # the cut point is gone
    (notice,) = table.skipped
    assert notice.line == spec.STEPS and "partial last line" in notice.what
    assert notice.file.endswith(os.path.join("metrics", "train", "reward"))
    with pytest.raises(InputError, match="partial last line"):
        read_mlflow_run(str(root), run, strict=True)


def test_a_non_numeric_value_is_skipped_with_its_line(mlflow_files, tmp_path):
    root = copy_tree(mlflow_files, tmp_path / "mlruns")
    metric = _run_folder(root, "pendulum-lr0.001") / "metrics" / "loss"
    with metric.open("a") as fh:
        fh.write(f"{spec.stamp_ms(3, 9)} abc 9\n{spec.stamp_ms(3, 10)} 0.5 10 extra\n")
    run = next(r for r in list_mlflow_runs(str(root)).runs if r.name == "pendulum-lr0.001")
    table = read_mlflow_run(str(root), run)
    lines = [n.line for n in table.skipped]
    assert lines == [4, 5] and "not a number" in table.skipped[0].what
    assert table.columns["loss"].values[~table.columns["loss"].missing].tolist() == [
        spec.loss(3, s) for s in range(0, spec.STEPS, 2)]


def test_a_run_with_no_metrics_is_listed_but_reading_it_says_so(mlflow_files, tmp_path):
    root = copy_tree(mlflow_files, tmp_path / "mlruns")
    folder = _run_folder(root, "pendulum-lr0.0003")
    for path in sorted((folder / "metrics").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    run = next(r for r in list_mlflow_runs(str(root)).runs if r.name == "pendulum-lr0.0003")
    assert run.config["lr"] == 3e-4
    with pytest.raises(InputError, match="logged no metrics"):
        read_mlflow_run(str(root), run)


def test_a_damaged_meta_yaml_skips_that_run_with_a_notice(mlflow_files, tmp_path):
    root = copy_tree(mlflow_files, tmp_path / "mlruns")
    (_run_folder(root, "cartpole-lr0.0001") / "meta.yaml").write_text("run_id: [unclosed\n")
    listing = list_mlflow_runs(str(root))
    assert len(listing.runs) == 5
    assert any("malformed YAML" in n.what for n in listing.notices)


def test_sqlite_damage_non_numeric_value_and_run_without_metrics(mlflow_db, tmp_path):
    copy = tmp_path / "mlflow.db"
    copy.write_bytes(mlflow_db.read_bytes())
    runs = list_mlflow_runs(str(copy)).runs
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE metrics SET value = 'abc' WHERE run_uuid = ? AND key = 'loss' AND step = 2",
                   (runs[2].run_id,))
        db.execute("DELETE FROM metrics WHERE run_uuid = ?", (runs[5].run_id,))
    table = read_mlflow_run(str(copy), runs[2])
    (notice,) = table.skipped
    assert "'loss' at step 2 is not a number" in notice.what
    assert table.columns["loss"].missing.tolist() == [False, True, True, True, False, True]
    with pytest.raises(InputError, match="is not a number"):
        read_mlflow_run(str(copy), runs[2], strict=True)
    with pytest.raises(InputError, match="logged no metrics"):
        read_mlflow_run(str(copy), runs[5])


def test_the_database_is_opened_read_only(mlflow_db, tmp_path):
    copy = tmp_path / "mlflow.db"
    copy.write_bytes(mlflow_db.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    run = list_mlflow_runs(str(copy)).runs[0]
    read_mlflow_run(str(copy), run)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlflow.db"]     # no journal left behind


_WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN " + sys.argv[2])
db.execute("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('live', 1.0, 1, ?, 0, 0)",
           (sys.argv[3],))
print("holding", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def _hold(path: Path, mode: str, run_id: str) -> subprocess.Popen:
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), mode, run_id],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "holding"
    return writer


def test_a_writer_with_an_open_transaction_does_not_stop_reading(mlflow_db, tmp_path):
    copy = tmp_path / "mlflow.db"
    copy.write_bytes(mlflow_db.read_bytes())
    run = list_mlflow_runs(str(copy)).runs[0]
    writer = _hold(copy, "IMMEDIATE", run.run_id)      # a write transaction, not yet committed
    try:
        table = read_mlflow_run(str(copy), run, timeout=0.2)
        assert "live" not in table.columns               # only committed data is read
        assert table.columns["train/reward"].values.tolist() == [spec.reward(0, s) for s in range(spec.STEPS)]
    finally:
        writer.communicate("\n", timeout=30)


def test_a_database_locked_by_a_writer_is_one_clear_line(mlflow_db, tmp_path):
    copy = tmp_path / "mlflow.db"
    copy.write_bytes(mlflow_db.read_bytes())
    run = list_mlflow_runs(str(copy)).runs[0]
    writer = _hold(copy, "EXCLUSIVE", run.run_id)      # a writer committing: readers must wait
    try:
        started = time.monotonic()
        with pytest.raises(InputError) as caught:
            read_mlflow_run(str(copy), run, timeout=0.2)
        assert time.monotonic() - started < 10
    finally:
        writer.communicate("\n", timeout=30)
    error = caught.value
    assert error.what == "the database is locked by a writer" and error.file == str(copy)
    assert "\n" not in str(error) and "read a copy" in error.hint
    assert read_mlflow_run(str(copy), run).n_rows == spec.STEPS     # readable once the writer is done


def test_listing_does_not_import_mlflow(mlflow_db):
    code = ("import sys\nfrom rlplot.io.mlflow import list_mlflow_runs, read_mlflow_run\n"
            f"l = list_mlflow_runs({str(mlflow_db)!r})\nread_mlflow_run({str(mlflow_db)!r}, l.runs[0])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mlflow', 'sqlalchemy', 'wandb')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_both_stores_read_the_same_run_alike(mlflow_files, mlflow_db):
    tables = [read_mlflow_run(str(s), list_mlflow_runs(str(s)).runs[3]) for s in (mlflow_files, mlflow_db)]
    for name in ("step", "wall_time", "train/reward", "loss"):
        a, b = (t.columns[name] for t in tables)
        assert np.array_equal(a.values, b.values, equal_nan=True) and np.array_equal(a.missing, b.missing)
