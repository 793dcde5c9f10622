"""Markdown table cells and tables."""
from rlplot.markdown import md_cell, md_table


def test_cells_escape_pipes_and_fold_line_breaks():
    assert md_cell("a|b\nc\r\nd") == "a\\|b c d"
    assert md_cell(3.5) == "3.5"


def test_table_has_header_rule_and_escaped_rows():
    assert md_table(["run", "x|y"], [["a", 1], ["b|c", 2]]) == [
        "| run | x\\|y |", "| --- | --- |", "| a | 1 |", "| b\\|c | 2 |"]
