"""A reading worker's arrays handed back through a file (runs.spill): the same values, dtypes
and objects as pickling, files gone once read, folders gone whatever happened."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rlplot.atomic import host_tag
from rlplot.errors import InputError
from rlplot.runs import spill as spill_module
from rlplot.runs.load import load_all
from rlplot.runs.parallel import Reading
from rlplot.runs.spill import FOLDER_PREFIX, MIN_SPILL_BYTES, SpillFolder, Spilled, remove_stale, \
    spill, unspill
from tests.runs.trees import csv_run

BIG = MIN_SPILL_BYTES // 8 + 1   # float64 values that make a result worth spilling


def _value(rng: np.random.Generator) -> dict:
    return {"x": rng.random(BIG), "mask": rng.random(13) > 0.5, "ints": np.arange(7, dtype=np.int32),
            "error": InputError("bad row", file="a.csv", line=3), "text": "kept in the pickle"}


def test_a_spilled_value_comes_back_equal_and_its_file_is_removed(tmp_path):
    value = _value(np.random.default_rng(0))
    spilled = spill(value, str(tmp_path))
    assert isinstance(spilled, Spilled)
    assert len(pickle.dumps(spilled)) < 4096, "only the pickle stream goes through the pipe"
    assert [p.name for p in tmp_path.iterdir()] == [Path(spilled.path).name]
    back = unspill(spilled)
    assert list(tmp_path.iterdir()) == []
    assert back["x"].tobytes() == value["x"].tobytes() and back["x"].dtype == np.float64
    assert back["mask"].tolist() == value["mask"].tolist() and back["ints"].dtype == np.int32
    assert str(back["error"]) == str(value["error"]) and back["text"] == value["text"]


def test_every_array_starts_aligned_and_is_writable_without_touching_others(tmp_path):
    value = [np.ones(3, dtype=bool), np.arange(BIG, dtype=np.float64), np.arange(5, dtype=np.int16)]
    back = unspill(spill(value, str(tmp_path)))
    for array in back:
        assert array.ctypes.data % spill_module.ALIGN == 0
        assert array.flags.writeable
    back[1][:3] = -1.0
    assert back[1][:4].tolist() == [-1.0, -1.0, -1.0, 3.0]
    assert back[2].tolist() == list(range(5))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["f8", "f4", "i8", "?", "u1"]),
                          st.integers(0, 40_000)), min_size=1, max_size=6))
def test_any_mix_of_arrays_round_trips_as_pickle_would(shapes):
    rng = np.random.default_rng(len(shapes))
    value = tuple((rng.random(n) * 100).astype(dtype) for dtype, n in shapes)
    with tempfile.TemporaryDirectory() as folder:
        back = unspill(spill(value, folder))
        assert os.listdir(folder) == []
    expected = pickle.loads(pickle.dumps(value))
    assert [(a.dtype, a.tobytes()) for a in back] == [(a.dtype, a.tobytes()) for a in expected]


def test_small_results_and_no_folder_take_the_pipe(tmp_path):
    small = {"x": np.arange(10.0)}
    assert spill(small, str(tmp_path)) is small
    big = _value(np.random.default_rng(1))
    assert spill(big, None) is big
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_falls_back_to_the_pipe(tmp_path):
    value = _value(np.random.default_rng(2))
    assert spill(value, str(tmp_path / "gone")) is value


class _FullDisk:
    """A file that takes a few bytes, then fails as a full disk does."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.stream.close()

    def seek(self, offset: int) -> None:
        self.stream.seek(offset)

    def write(self, data) -> None:
        self.stream.write(bytes(data)[:10])
        raise OSError(28, "No space left on device")


def test_a_write_that_fails_half_way_leaves_no_file(tmp_path, monkeypatch):
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: _FullDisk(real_fdopen(fd, mode)))
    value = _value(np.random.default_rng(4))
    assert spill(value, str(tmp_path)) is value
    assert list(tmp_path.iterdir()) == []


def test_the_folder_is_removed_with_what_was_never_read(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with SpillFolder() as folder:
        assert Path(folder).parent == tmp_path and Path(folder).name.startswith(
            f"{FOLDER_PREFIX}{host_tag()}-{os.getpid()}-")
        spill(_value(np.random.default_rng(3)), folder)   # a worker wrote it; nobody read it
    assert list(tmp_path.iterdir()) == []


def test_only_provably_dead_folders_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    here = host_tag()
    (tmp_path / f"{FOLDER_PREFIX}{here}-{dead}-abc").mkdir()
    (tmp_path / f"{FOLDER_PREFIX}{here}-{dead}-abc" / "x.bin").write_bytes(b"left by a kill -9")
    mine = f"{FOLDER_PREFIX}{here}-{os.getpid()}-def"
    (tmp_path / mine).mkdir()
    other_host_live = f"{FOLDER_PREFIX}0badcafe-{dead}-ghi"   # another host: its pid says nothing
    (tmp_path / other_host_live).mkdir()
    other_host_old = tmp_path / f"{FOLDER_PREFIX}0badcafe-{dead}-jkl"
    other_host_old.mkdir()
    os.utime(other_host_old, (1.0, 1.0))
    (tmp_path / "rlplot-other").mkdir()
    remove_stale(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine, other_host_live,
                                                                "rlplot-other"])


def test_runs_read_by_workers_come_back_through_files_equal_to_serial(tmp_path, pooled,
                                                                      monkeypatch):
    from tests.runs.test_parallel import _as_plain, _config

    for k in range(4):   # 80,000 rows: a run's x and y are over MIN_SPILL_BYTES
        rows = [{"step": 10 * i, "reward": (i * (k + 3)) % 97 / 7.0} for i in range(80_000)]
        csv_run(tmp_path / "sweep" / f"seed{k}" / "progress.csv", rows)
    seen = []
    monkeypatch.setattr(spill_module, "unspill", lambda value: seen.append(type(value)) or
                        unspill(value))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    serial = load_all([str(tmp_path / "sweep")], _config(), reading=Reading(jobs=1))
    parallel_runs = load_all([str(tmp_path / "sweep")], _config(), reading=Reading(jobs=2))
    assert pooled and seen and all(kind is Spilled for kind in seen)
    assert _as_plain(parallel_runs) == _as_plain(serial)
    assert list((tmp_path / "tmp").iterdir()) == []
