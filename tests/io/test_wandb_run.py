"""W&B run folders: current ``.wandb`` logs written by the real client offline, legacy history files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rlplot.errors import InputError
from rlplot.io.wandb_run import list_wandb_runs, read_wandb_run

from . import tracker_writers as spec
from .tracker_fixtures import built_store, copy_tree, real_legacy_wandb_run

REAL_LEGACY = real_legacy_wandb_run()


@pytest.fixture(scope="session")
def wandb_root(tmp_path_factory) -> Path:
    return built_store("wandb", tmp_path_factory) / "wandb"


def _runs(root: Path):
    return sorted(list_wandb_runs(str(root)).runs, key=lambda r: [s["name"] for s in spec.WANDB_RUNS].index(r.name))


def test_offline_runs_are_listed_with_name_project_and_config(wandb_root):
    listing = list_wandb_runs(str(wandb_root))
    assert listing.notices == () and listing.deleted == 0
    assert len(listing.runs) == 3                       # latest-run (a link) is not a second copy
    for run, wanted in zip(_runs(wandb_root), spec.WANDB_RUNS):
        assert run.tracker == "wandb-binary" and run.experiment == wanted["project"]
        assert run.path.endswith(f"run-{run.run_id}.wandb")
        assert os.path.basename(run.source).startswith("offline-run-") and run.source.endswith(run.run_id)
        net = wanted["config"]["net"]
        assert run.config == {"lr": wanted["config"]["lr"], "algo": wanted["config"]["algo"],
                              "net.hidden": net["hidden"], "net.act": net["act"],
                              "late_key": "added after init"}          # _wandb is dropped
        assert run.status == "finished"


def test_a_current_run_reads_one_row_per_log_call(wandb_root):
    for index, run in enumerate(_runs(wandb_root)):
        table = read_wandb_run(run)
        steps = range(spec.WANDB_STEPS)
        assert table.run == run.name and table.format == "wandb-binary" and table.n_rows == spec.WANDB_STEPS
        assert table.columns["_step"].values.tolist() == list(steps)
        assert table.columns["train/reward"].values.tolist() == [spec.reward(index, s) for s in steps]
        assert table.columns["nested.depth"].values.tolist() == [2 * s for s in steps]
        loss = table.columns["loss"]
        assert loss.missing.tolist() == [s % 2 == 1 for s in steps]
        assert loss.values[::2].tolist() == [spec.loss(index, s) for s in steps if s % 2 == 0]
        notes = table.columns["notes"]                  # text is kept as a non-numeric cell
        assert notes.nonnumeric[0] and notes.missing[1:].all()
        runtime, stamp = table.columns["_runtime"].values, table.columns["_timestamp"].values
        assert np.all(np.diff(runtime) >= 0) and np.all(np.diff(stamp) >= 0) and stamp[0] > 1.6e9
        assert [n.what for n in table.notes] == ["set aside 1 non-scalar keys (media, histograms): weights"]
        assert table.skipped == ()


def test_keys_limit_the_columns_but_keep_the_time_axes(wandb_root):
    table = read_wandb_run(_runs(wandb_root)[0], keys=["Reward"])
    assert sorted(table.names) == ["_runtime", "_step", "_timestamp", "train/reward"]


def test_a_run_folder_or_its_parent_can_be_given(wandb_root):
    run = _runs(wandb_root)[1]
    assert read_wandb_run(run.source).run == run.name
    assert [r.name for r in list_wandb_runs(run.path).runs] == [run.name]      # the .wandb file itself
    assert len(list_wandb_runs(str(wandb_root.parent)).runs) == 3              # the folder holding wandb/
    with pytest.raises(InputError, match="holds 3 runs"):
        read_wandb_run(str(wandb_root))


def _damaged_copy(wandb_root: Path, tmp_path: Path, damage) -> tuple[Path, Path]:
    run = _runs(wandb_root)[0]
    folder = copy_tree(Path(run.source), tmp_path / os.path.basename(run.source))
    log = folder / os.path.basename(run.path)
    log.write_bytes(damage(log.read_bytes()))
    return folder, log


def test_a_cut_off_log_reads_what_was_complete_with_a_warning(wandb_root, tmp_path):
    folder, log = _damaged_copy(wandb_root, tmp_path, lambda data: data[:len(data) - 20_000 + 3])
    table = read_wandb_run(str(folder))
    assert 0 < table.n_rows < spec.WANDB_STEPS
    assert table.columns["_step"].values.tolist() == list(range(table.n_rows))
    (notice,) = table.skipped
    assert "the log ends inside a record at byte" in notice.what and notice.file == str(log)
    assert read_wandb_run(str(folder), strict=True).n_rows == table.n_rows   # a live run is not an error


def test_a_flipped_byte_is_a_checksum_warning_or_a_strict_error(wandb_root, tmp_path):
    def flip(data: bytes) -> bytes:
        middle = bytearray(data)
        middle[len(data) - 20_000] ^= 0xFF
        return bytes(middle)

    folder, log = _damaged_copy(wandb_root, tmp_path, flip)
    table = read_wandb_run(str(folder))
    assert any("checksum mismatch" in n.what for n in table.skipped)
    assert spec.WANDB_STEPS - 200 < table.n_rows < spec.WANDB_STEPS        # one 32 KiB block lost at most
    with pytest.raises(InputError, match="checksum mismatch at byte"):
        read_wandb_run(str(folder), strict=True)


def _block_wandb(monkeypatch) -> None:
    for name in [m for m in sys.modules if m == "wandb" or m.startswith("wandb.")] + ["wandb"]:
        monkeypatch.setitem(sys.modules, name, None)


def test_without_the_wandb_package_a_wandb_file_is_one_line_naming_the_extra(wandb_root, monkeypatch):
    run_folder = _runs(wandb_root)[0].source
    _block_wandb(monkeypatch)
    for call in (lambda: list_wandb_runs(run_folder), lambda: read_wandb_run(run_folder)):
        with pytest.raises(InputError) as caught:
            call()
        error = caught.value
        assert error.what == "reading a .wandb file needs the wandb package"
        assert error.hint == "pip install 'rlplot[wandb]'" and error.file.endswith(".wandb")
        assert "\n" not in str(error)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()} | set(out.split())


def test_wandb_is_imported_only_to_read_a_wandb_file(wandb_root, tmp_path):
    legacy = _legacy_folder(tmp_path)
    plain = _modules_after(f"import rlplot.io, rlplot.io.wandb_run, rlplot.io.hparams, rlplot.io.mlflow\n"
                           f"from rlplot.io.wandb_run import read_wandb_run\nread_wandb_run({str(legacy)!r})")
    assert not {"wandb", "google.protobuf"} & plain
    current = _modules_after(f"from rlplot.io.wandb_run import read_wandb_run\n"
                             f"read_wandb_run({_runs(wandb_root)[0].source!r})")
    assert "wandb" in current


# ---- legacy run folders ----------------------------------------------------------------

def _legacy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "wandb" / "run-20200101_120000-abc123"
    folder.mkdir(parents=True)
    rows = [{"reward": float(s), "_step": s, "_runtime": 1.0 + s, "_timestamp": 1.6e9 + s,
             "hist": {"_type": "histogram", "values": [1, 2], "bins": [0, 1, 2]}} for s in range(5)]
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"reward": 9, "_step"')                    # a torn line in the middle
    (folder / "wandb-history.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "config.yaml").write_text("wandb_version: 1\n_wandb:\n  desc: null\n  value: {cli_version: 0.8}\n"
                                        "lr:\n  desc: null\n  value: 0.001\nnet:\n  desc: null\n"
                                        "  value: {hidden: 32}\n")
    (folder / "wandb-metadata.json").write_text(json.dumps({"project": "proj", "name": "legacy-one",
                                                            "state": "finished"}))
    return folder


def test_a_legacy_run_folder_reads_with_its_config_and_skipped_lines(tmp_path):
    folder = _legacy_folder(tmp_path)
    (run,) = list_wandb_runs(str(tmp_path / "wandb")).runs
    assert (run.tracker, run.run_id, run.name, run.experiment, run.status) == (
        "wandb-jsonl", "abc123", "legacy-one", "proj", "finished")
    assert run.config == {"lr": 0.001, "net.hidden": 32}
    table = read_wandb_run(run)
    assert table.columns["reward"].values.tolist() == [0, 1, 2, 3, 4]
    assert [n.line for n in table.skipped] == [4]
    assert [n.what for n in table.notes] == ["set aside 1 non-scalar keys (media, histograms): hist"]
    with pytest.raises(InputError, match="malformed JSON") as caught:
        read_wandb_run(str(folder), strict=True)
    assert caught.value.line == 4


def test_a_run_folder_without_history_is_skipped_with_a_notice(tmp_path):
    _legacy_folder(tmp_path)
    (tmp_path / "wandb" / "run-20200101_130000-empty1").mkdir()
    listing = list_wandb_runs(str(tmp_path / "wandb"))
    assert [r.run_id for r in listing.runs] == ["abc123"]
    assert "no wandb-history.jsonl or .wandb file" in listing.notices[0].what
    with pytest.raises(InputError, match="the run folder holds no history"):
        read_wandb_run(str(tmp_path / "wandb" / "run-20200101_130000-empty1"))
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputError, match="no W&B run folders"):
        list_wandb_runs(str(tmp_path / "nothing"))


@pytest.mark.skipif(REAL_LEGACY is None, reason="the shared real logs are not beside this checkout")
def test_the_real_legacy_run_reads_with_episode_reward_and_its_config():
    (run,) = list_wandb_runs(str(REAL_LEGACY)).runs
    assert run.run_id == "zp6vyhqw" and run.experiment == "pytorch-ac-mountaincarcont"
    assert run.config == {"batch_size": 50, "episodes": 10000, "gamma": 0.99, "lr_ac": 0.0001,
                          "lr_cr": 1e-06, "seed": 42}
    table = read_wandb_run(run)
    reward = table.columns["Episode reward"]
    assert table.n_rows == 501 and not reward.missing.any() and np.isfinite(reward.values).all()
    assert table.columns["_step"].values.tolist() == list(range(501))
    assert table.first_line == tuple(range(1, 502))
    assert "6 non-scalar keys" in table.notes[0].what and table.skipped == ()
