"""A run's configuration, found where its tools write it, flattened with dots, YAML read safely."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import OrderedDict
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from rlplot.io.hparams import (CONFIG_FILES, flatten_config, load_yaml, read_run_config,
                               unwrap_wandb_config, value_from_text)
from rlplot.io.mlflow import list_mlflow_runs
from rlplot.io.wandb_run import list_wandb_runs

from . import tracker_writers as spec
from .tracker_fixtures import built_store, real_legacy_wandb_run

REAL_LEGACY = real_legacy_wandb_run()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nested_keys_flatten_with_dots_and_leaves_become_plain_values():
    tree = {"lr": 3e-4, "net": {"hidden": 64, "act": {"name": "tanh"}}, "layers": [64, 64],
            "tuple": (1, "a"), "none": None, "empty": {}, "flag": False}
    assert flatten_config(tree) == {"lr": 3e-4, "net.hidden": 64, "net.act.name": "tanh",
                                    "layers": "[64, 64]", "tuple": '[1, "a"]', "none": "None",
                                    "empty": "{}", "flag": False}


leaf = st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.booleans())
names = st.text("abcxyz_", min_size=1, max_size=4)
trees = st.recursive(leaf, lambda inner: st.dictionaries(names, inner, min_size=1, max_size=3), max_leaves=8)


def _leaves(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@settings(deadline=None)
@given(st.dictionaries(names, trees, max_size=4))
def test_every_leaf_appears_once_under_its_dotted_path(tree):
    assert flatten_config(tree) == dict(_leaves(tree))


@pytest.mark.parametrize("text, value", [
    ("3", 3), ("-12", -12), ("0.0003", 3e-4), ("1e-05", 1e-5), ("True", True), ("false", False),
    ("inf", math.inf), ("ppo", "ppo"), ("[64, 64]", "[64, 64]"), ("1e999", "1e999"), ("None", "None"),
    ("1_000", "1_000"),
])
def test_text_values_read_back_as_the_numbers_they_spell(text, value):
    assert value_from_text(text) == value and type(value_from_text(text)) is type(value)


def test_nan_text_is_a_float_nan():
    assert math.isnan(value_from_text("nan"))


def test_wandb_config_yaml_is_unwrapped_and_its_own_keys_dropped(tmp_path):
    config = _write(tmp_path / "run" / "config.yaml",
                    "wandb_version: 1\n_wandb:\n  desc: null\n  value: {cli_version: 0.16.0}\n"
                    "lr:\n  desc: learning rate\n  value: 0.001\nnet:\n  desc: null\n  value:\n    hidden: 32\n")
    assert unwrap_wandb_config(load_yaml(str(config))) == {"lr": 0.001, "net": {"hidden": 32}}
    found = read_run_config(str(tmp_path / "run" / "wandb-history.jsonl"))
    assert found.values == {"lr": 0.001, "net.hidden": 32} and found.sources == (str(config),)


@pytest.mark.skipif(REAL_LEGACY is None, reason="the shared real logs are not beside this checkout")
def test_the_real_legacy_wandb_config_is_found_from_its_history_file():
    history = next(REAL_LEGACY.glob("run-*/wandb-history.jsonl"))
    assert read_run_config(str(history)).values == {"batch_size": 50, "episodes": 10000, "gamma": 0.99,
                                                    "lr_ac": 0.0001, "lr_cr": 1e-06, "seed": 42}


def test_a_plain_yaml_config_is_read_as_it_is(tmp_path):
    _write(tmp_path / "config.yaml", "algo: ppo\nvalue: 3\nopt: {lr: 0.1}\n")    # 'value' is just a key here
    assert read_run_config(str(tmp_path)).values == {"algo": "ppo", "value": 3, "opt.lr": 0.1}


def test_hydra_config_is_found_beside_the_log(tmp_path):
    run = tmp_path / "outputs" / "2024-05-01" / "12-00-00"
    _write(run / ".hydra" / "config.yaml", "env:\n  id: CartPole-v1\nalgo:\n  name: ppo\n  lr: 0.0003\nseed: 3\n")
    _write(run / ".hydra" / "overrides.yaml", "- seed=3\n")
    found = read_run_config(str(_write(run / "progress.csv", "step,r\n")))
    assert found.values == {"env.id": "CartPole-v1", "algo.name": "ppo", "algo.lr": 0.0003, "seed": 3}


def test_rl_zoo_files_with_python_tags_are_read_as_plain_data(tmp_path):
    save_path = tmp_path / "logs" / "ppo" / "CartPole-v1_1"
    params = save_path / "CartPole-v1"
    params.mkdir(parents=True)
    # Written the way rl-zoo writes them: yaml.dump of OrderedDicts (Python tags in the output).
    hyperparams = OrderedDict([("batch_size", 64), ("n_envs", 8), ("policy", "MlpPolicy"),
                               ("policy_kwargs", "dict(ortho_init=False)"), ("learning_rate", "lin_0.001")])
    args = OrderedDict([("algo", "ppo"), ("env", "CartPole-v1"), ("seed", 7), ("n_timesteps", -1)])
    (params / "config.yml").write_text(yaml.dump(hyperparams))
    (params / "args.yml").write_text(yaml.dump(args))
    assert "!!python/object/apply:collections.OrderedDict" in (params / "config.yml").read_text()
    found = read_run_config(str(_write(save_path / "0.monitor.csv", "#{}\nr,l,t\n")))
    assert found.values == {"batch_size": 64, "n_envs": 8, "policy": "MlpPolicy",
                            "policy_kwargs": "dict(ortho_init=False)", "learning_rate": "lin_0.001",
                            "algo": "ppo", "env": "CartPole-v1", "seed": 7, "n_timesteps": -1}
    assert [os.path.basename(s) for s in found.sources] == ["config.yml", "args.yml"]


def test_other_python_tags_become_data_and_nothing_is_constructed(tmp_path):
    marker = tmp_path / "constructed"
    namespace = argparse.Namespace(lr=0.1, layers=(64, 64))
    text = yaml.dump({"args": namespace, "activation": argparse.Namespace})
    text += f"evil: !!python/object/apply:os.system ['touch {marker}']\n"
    text += "builtin: !!python/name:builtins.print\nbig: !!python/long '12'\n"
    path = _write(tmp_path / "args.yml", text)
    loaded = load_yaml(str(path))
    assert loaded["args"] == {"layers": [64, 64], "lr": 0.1}
    assert loaded["activation"] == "argparse.Namespace" and loaded["builtin"] == "builtins.print"
    assert loaded["evil"] == [f"touch {marker}"] and loaded["big"] == 12
    assert not marker.exists()


def test_mlflow_params_are_found_from_a_run_or_a_file_inside_it(tmp_path_factory):
    root = built_store("mlflow-files", tmp_path_factory) / "mlruns"
    run = list_mlflow_runs(str(root)).runs[2]
    assert read_run_config(run.path).values == run.config == spec.mlflow_spec()[2]["params"]
    artifact = Path(run.path) / "artifacts" / "eval"
    artifact.mkdir(parents=True, exist_ok=True)
    assert read_run_config(str(artifact / "scores.csv")).values == run.config


def test_a_current_wandb_run_config_comes_from_its_log(tmp_path_factory):
    root = built_store("wandb", tmp_path_factory) / "wandb"
    run = list_wandb_runs(str(root)).runs[0]
    found = read_run_config(run.source)
    assert found.values == run.config and found.sources == (run.path,)


def test_without_wandb_the_log_config_is_a_notice_naming_the_extra(tmp_path_factory, monkeypatch):
    root = built_store("wandb", tmp_path_factory) / "wandb"
    folder = next(root.glob("offline-run-*"))
    for name in [m for m in sys.modules if m == "wandb" or m.startswith("wandb.")] + ["wandb"]:
        monkeypatch.setitem(sys.modules, name, None)
    found = read_run_config(str(folder))
    assert found.values == {}
    assert any("pip install 'rlplot[wandb]'" in n.what for n in found.notices)


def test_the_nearest_config_wins_and_levels_are_bounded(tmp_path):
    _write(tmp_path / "sweep" / "config.json", json.dumps({"lr": 1.0, "sweep": "s1"}))
    run = tmp_path / "sweep" / "lr0.1"
    _write(run / "config.json", json.dumps({"lr": 0.1}))
    assert read_run_config(str(_write(run / "progress.csv", "x\n"))).values == {"lr": 0.1}
    deep = run / "a" / "b" / "c"
    log = _write(deep / "log.csv", "x\n")
    assert read_run_config(str(log)).values == {}                  # config.json is 4 levels up
    assert read_run_config(str(log), levels=4).values == {"lr": 0.1}


def test_files_at_one_level_merge_and_the_first_listed_wins(tmp_path):
    _write(tmp_path / "config.yaml", "lr: 0.5\nalgo: ppo\n")
    _write(tmp_path / "params.json", json.dumps({"lr": 9, "seed": 1}))
    _write(tmp_path / "variant.json", json.dumps({"algo_params": {"tau": 0.005}}))
    _write(tmp_path / "hparams.yaml", "batch: 32\n")
    found = read_run_config(str(tmp_path))
    assert found.values == {"lr": 0.5, "algo": "ppo", "seed": 1, "algo_params.tau": 0.005, "batch": 32}
    assert len(found.sources) == 4


def test_subfolder_patterns_are_not_used_above_the_log(tmp_path):
    _write(tmp_path / "sweep" / "other_run" / "env" / "config.yml", "lr: 9\n")
    _write(tmp_path / "sweep" / "other_run" / "config.yml", "lr: 9\n")        # a sibling run's config
    log = _write(tmp_path / "sweep" / "this_run" / "progress.csv", "x\n")
    assert read_run_config(str(log)).values == {}


def test_a_damaged_config_is_a_notice_and_the_search_goes_on(tmp_path):
    _write(tmp_path / "params.json", json.dumps({"lr": 0.2}))
    run = tmp_path / "run"
    _write(run / "config.json", '{"lr": 0.1,')
    _write(run / "hparams.yaml", "- a list\n- not settings\n")
    found = read_run_config(str(run))
    assert found.values == {"lr": 0.2}
    whats = sorted(n.what for n in found.notices)
    assert whats[0].startswith("config not read: holds a list") and "malformed JSON" in whats[1]
    assert {os.path.basename(n.file) for n in found.notices} == {"config.json", "hparams.yaml"}


def test_a_malformed_yaml_config_notice_has_its_line(tmp_path):
    _write(tmp_path / "config.yaml", "lr: 0.1\nnet: [unclosed\n")
    (notice,) = read_run_config(str(tmp_path), levels=1).notices
    assert "malformed YAML" in notice.what and notice.line is not None


def test_every_config_file_has_help():
    assert all(entry.help for entry in CONFIG_FILES)
    assert len({entry.pattern for entry in CONFIG_FILES}) == len(CONFIG_FILES)
