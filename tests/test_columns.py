"""Column choice: role aliases, x preference, and the error for a missing column."""
from __future__ import annotations

import pytest

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rlplot.columns import (ROLE_ALIASES, band_columns, could_match, default_x, find_column, is_flops,
                            merged_aliases, needed_columns, require_column, resolves)
from rlplot.data import Column, Table
from rlplot.errors import ColumnError
from rlplot.io import read_log


def table_with(tmp_path, header: str, row: str = None):
    row = row or ",".join("1" for _ in header.split(","))
    path = tmp_path / "t.csv"
    path.write_text(f"{header}\n{row}\n")
    return read_log(str(path))


@pytest.mark.parametrize("header, role, expected", [
    ("Train/Accuracy,x", "accuracy", "Train/Accuracy"),
    ("metrics.accuracy,x", "accuracy", "metrics.accuracy"),
    ("ACC,x", "accuracy", "ACC"),
    ("average_parallelism,x", "parallelism", "average_parallelism"),
    ("x,avg_parallelism", "parallelism", "avg_parallelism"),
])
def test_roles_are_found_case_insensitively(tmp_path, header, role, expected):
    assert find_column(table_with(tmp_path, header), role) == expected


@pytest.mark.parametrize("header, expected", [
    ("step,rl_flops,acc", "rl_flops"),        # FLOPs beat steps
    ("Step,acc", "Step"),
    ("Epoch,TotalEnvInteracts,acc", "TotalEnvInteracts"),  # env steps beat epochs (Spinning Up)
    ("iteration,total_timesteps,acc", "total_timesteps"),
    ("_step,acc", "_step"),
    ("acc,par", None),                        # no x column: row index
])
def test_default_x_prefers_flops_then_steps_then_the_row_index(tmp_path, header, expected):
    assert default_x(table_with(tmp_path, header)) == expected


def test_missing_column_error_lists_columns_and_closest(tmp_path):
    table = table_with(tmp_path, "step,accuracy,avg_parallelism")
    with pytest.raises(ColumnError) as info:
        require_column(table, "acuracy")
    message = str(info.value)
    assert "no column 'acuracy'" in message
    assert "columns: step, accuracy, avg_parallelism" in message
    assert "closest: 'accuracy'" in message


def test_text_column_is_refused(tmp_path):
    table = table_with(tmp_path, "step,phase", "1,warmup")
    with pytest.raises(ColumnError, match="holds no numbers"):
        require_column(table, "phase")


def test_flops_columns_are_known_by_alias_and_last_part():
    assert is_flops("rl_flops") and is_flops("train/flops") and not is_flops("step")


def table_of(names) -> Table:
    flags = np.zeros(1, bool)
    return Table("t", "csv", 1, {n: Column(n, np.ones(1), flags, flags) for n in names})


NAME = st.text(alphabet="abcAB/._", min_size=1, max_size=6)


@given(st.lists(NAME, min_size=1, max_size=6, unique=True), st.sampled_from(
    ["accuracy", "acc", "step", "flops", "a", "b/a", "A.b"]))
def test_could_match_accepts_every_column_find_column_picks(names, wanted):
    # The fast reader reads only what could_match accepts: it must never miss the column
    # find_column would pick (else a big log would read differently from a small one).
    picked = find_column(table_of(names), wanted)
    needed = {n.lower() for n in needed_columns(None, [wanted])}
    if picked is not None:
        assert could_match(picked, needed)


def test_could_match_rejects_unrelated_columns():
    wanted = {"accuracy", "step"}
    assert could_match("Train/Accuracy", wanted) and could_match("STEP", wanted)
    assert not could_match("accuracy_max", wanted) and not could_match("steps/x", wanted)


def test_config_aliases_are_tried_before_the_built_in_ones():
    aliases = merged_aliases({"Accuracy": ["score"]})
    assert aliases["accuracy"] == ("score", *ROLE_ALIASES["accuracy"])
    assert find_column(table_of(["acc", "score"]), "accuracy", aliases) == "score"


def test_needed_columns_cover_roles_and_aliases():
    names = needed_columns(None, ["accuracy", "parallelism"])
    assert {"flops", "rl_flops", "step", "global_step", "accuracy", "avg_parallelism"} <= set(names)
    assert needed_columns("Step", ["loss"])[:2] == ["Step", "loss"]


def test_resolves_says_whether_every_name_picks_a_numeric_column():
    table = table_of(["step", "acc"])
    assert resolves(table, ["step", "accuracy"])
    assert not resolves(table, ["step", "reward"])


def test_band_columns_pair_wandb_min_and_max_only():
    assert band_columns(table_of(["r", "r__MIN", "r__MAX"]), "r") == ("r__MIN", "r__MAX")
    assert band_columns(table_of(["r", "r__MIN"]), "r") is None
    assert band_columns(table_of(["r", "r_min", "r_max"]), "r") is None  # separate metrics
