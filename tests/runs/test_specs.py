"""--group-by and --where: parsing, what a spec says of a run, conditions, config values shown short."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from rlplot.data import Run
from rlplot.errors import ConfigError, InputError
from rlplot.runs.configs import differing_keys, format_value, lookup, short_number
from rlplot.runs.specs import (Condition, group_label, holds, missing_keys, parse_where, select,
                               spec_value)


def run(source: str, config: dict | None = None, name: str | None = None, experiment: str = "") -> Run:
    return Run(label=name or source, source=source, series=(), name=name, experiment=experiment,
               config=config)


def test_spec_value_is_the_regex_group_or_the_config_value():
    r = run("sweep/lr3e-4_seed2/metrics.jsonl", {"optimizer.lr": 3e-4, "algo": "ppo"})
    assert spec_value(r, r"lr([^_]+)_seed") == "3e-4"
    assert spec_value(r, r"(?P<group>seed\d)") == "seed2"
    assert spec_value(r, "seed") == "seed"
    assert spec_value(r, "cfg:algo") == "ppo"
    assert spec_value(r, "cfg:lr") == "3e-4"             # the key's last dotted part
    assert spec_value(r, "cfg:gamma") is None and spec_value(r, "dqn") is None


def test_a_tracker_runs_regex_sees_its_experiment_and_name():
    r = run("mlflow.db", {}, name="ppo-lr0.001", experiment="cartpole")
    assert r.where == "mlflow.db [cartpole/ppo-lr0.001]"
    assert spec_value(r, r"\[(\w+)/") == "cartpole" and spec_value(r, r"(ppo|sac)") == "ppo"


def test_several_specs_make_one_group_per_combination():
    config = {"algo": "ppo", "env_id": "CartPole-v1", "lr": 0.0003}
    assert group_label("runs/x", lambda: config, ["cfg:algo", "cfg:env_id"]) == \
        "algo=ppo, env_id=CartPole-v1"
    assert group_label("runs/seed1", lambda: config, [r"(seed\d)", "cfg:lr"]) == "seed1, lr=3e-4"
    assert group_label("runs/x", lambda: config, ["cfg:algo", "cfg:gamma"]) is None


def test_the_config_is_read_only_when_a_cfg_spec_asks():
    def never():
        raise AssertionError("read")
    assert group_label("lr1_seed0", never, [r"lr(\d)"]) == "1"


def test_runs_without_a_group_key_are_named_once():
    notices = missing_keys([("a", {"lr": 1}), ("b", {}), ("c", {"LR": 2}), ("d", {})], ["cfg:lr", "x"])
    assert [n.what for n in notices] == [
        "--group-by cfg:lr: 2 runs have no config key 'lr' and are each a group of its own: b, d"]


@pytest.mark.parametrize("text, key, op, value, field", [
    ("cfg:lr=3e-4", "lr", "=", "3e-4", False),
    ("cfg:lr==3e-4", "lr", "=", "3e-4", False),
    ("cfg:algo != ppo", "algo", "!=", "ppo", False),
    ("cfg:seed<3", "seed", "<", "3", False),
    ("cfg:net.hidden>=64", "net.hidden", ">=", "64", False),
    ("experiment=cart*", "experiment", "=", "cart*", True),
])
def test_where_conditions_parse(text, key, op, value, field):
    assert parse_where(text) == Condition(text, key, op, value, field)


@pytest.mark.parametrize("text, what", [
    ("lr=3e-4", "'lr' is not a run field"),
    ("cfg:=1", "cfg: needs a key"),
    ("cfg:seed<big", "< needs a number"),
    ("cfg:seed", "not KEY=VALUE"),
])
def test_malformed_where_is_a_config_error(text, what):
    with pytest.raises(ConfigError, match=what):
        parse_where(text)


@pytest.mark.parametrize("text, value, expected", [
    ("cfg:lr=3e-4", 0.0003, True), ("cfg:lr=3e-4", "0.0003", True), ("cfg:lr=1e-3", 3e-4, False),
    ("cfg:lr!=3e-4", 3e-4, False), ("cfg:seed<3", 2, True), ("cfg:seed<3", 3, False),
    ("cfg:seed<=3", 3, True), ("cfg:seed>3", "4", True), ("cfg:seed>3", "ppo", False),
    ("cfg:norm=true", True, True), ("cfg:norm=False", False, True), ("cfg:norm=true", False, False),
    ("cfg:algo=ppo", "ppo", True), ("cfg:algo=p*", "ppo", True), ("cfg:algo=PPO", "ppo", False),
    ("cfg:hidden=64", 64.0, True), ("cfg:x<1", math.nan, False),
])
def test_conditions_compare_numbers_as_numbers_and_text_with_wildcards(text, value, expected):
    assert holds(parse_where(text), value) is expected


def test_select_keeps_matching_runs_and_names_the_runs_without_the_key():
    items = [("a", {"lr": 1e-3}), ("b", {"lr": 3e-4}), ("c", {}), ("d", {"lr": 3e-4})]
    kept, notices = select(items, [parse_where("cfg:lr=3e-4")], lambda i: i[0],
                           lambda i, f: None, lambda i: i[1])
    assert [i[0] for i in kept] == ["b", "d"]
    assert [n.what for n in notices] == [
        "--where cfg:lr=3e-4: 1 run has no config key 'lr' and is left out: c"]


def test_select_with_nothing_left_lists_the_values_runs_have():
    items = [("a", {"lr": 1e-3}), ("b", {"lr": 3e-4})]
    with pytest.raises(InputError, match="no run meets --where cfg:lr=1") as error:
        select(items, [parse_where("cfg:lr=1")], lambda i: i[0], lambda i, f: None, lambda i: i[1])
    assert error.value.hint == "lr: 0.001, 3e-4"


def test_lookup_is_exact_then_case_insensitive_then_by_last_part_when_unique():
    config = {"lr": 1, "Gamma": 2, "actor.lr_decay": 3, "a.width": 4, "b.width": 5}
    assert lookup(config, "lr") == ("lr", 1)
    assert lookup(config, "gamma") == ("Gamma", 2)
    assert lookup(config, "lr_decay") == ("actor.lr_decay", 3)
    assert lookup(config, "width") is None        # two keys end so: ambiguous


def test_differing_keys_are_those_not_the_same_everywhere():
    configs = [{"lr": 1, "algo": "ppo", "seed": 0}, {"lr": 2, "algo": "ppo", "seed": 1},
               {"lr": 1, "algo": "ppo"}]
    assert differing_keys(configs) == ["lr", "seed"]


@pytest.mark.parametrize("value, text", [
    (3e-4, "3e-4"), (0.001, "0.001"), (64.0, "64"), (1e6, "1e6"), (1000.0, "1000"), (0.99, "0.99"),
    (1e-5, "1e-5"), (True, "true"), (7, "7"), ("ppo", "ppo"),
])
def test_values_are_shown_short(value, text):
    assert format_value(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_short_numbers_read_back_exactly(value):
    assert float(short_number(value)) == value
