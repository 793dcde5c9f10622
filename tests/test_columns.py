"""Column choice: role aliases, x preference, and the error for a missing column."""
from __future__ import annotations

import pytest

from rlplot.columns import default_x, find_column, is_flops, require_column
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
    ("TotalEnvInteracts,Epoch,acc", "Epoch"),  # alias order: epoch is listed before TotalEnvInteracts
    ("_step,acc", "_step"),
    ("acc,par", None),                        # no x column: row index
])
def test_default_x(tmp_path, header, expected):
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


def test_is_flops():
    assert is_flops("rl_flops") and is_flops("train/flops") and not is_flops("step")
