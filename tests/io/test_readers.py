"""Reader quirks of the foundation: delimiters, BOM, CRLF, comments, JSONL shapes, bad lines."""
from __future__ import annotations

import gzip
import json
import sys

import numpy as np
import pytest

from rlplot.errors import InputError
from rlplot.io import read_log, read_tables

from tests.conftest import write_jsonl


def write(path, text: str, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    log = write(tmp_path / "run.txt", delimiter.join(["step", "acc", "par"]) + "\n"
                + "\n".join(delimiter.join([str(i), f"0.{i}", "8.5"]) for i in range(1, 6)) + "\n")
    table = read_log(str(log))
    assert table.names == ["step", "acc", "par"]
    np.testing.assert_allclose(table.columns["acc"].values, [0.1, 0.2, 0.3, 0.4, 0.5])


def test_csv_bom_crlf_comments_and_quoted_headers_are_handled(tmp_path):
    text = ('\ufeff#{"t_start": 1.5, "env_id": "X"}\r\n'
            '"% time spent exploring","mean 100 episode reward",steps\r\n'
            '99,9.8,1168\r\n# a comment in the middle\r\n98,10.7,2440\r\n')
    table = read_log(str(write(tmp_path / "progress.csv", text)))
    assert table.names == ["% time spent exploring", "mean 100 episode reward", "steps"]
    np.testing.assert_allclose(table.columns["steps"].values, [1168, 2440])
    assert table.skipped == ()


def test_csv_trailing_delimiters_add_no_column(tmp_path):
    text = "a,b,\n1,,,,\n2,3,,,\n"
    table = read_log(str(write(tmp_path / "m.csv", text)))
    assert table.names == ["a", "b"]  # the blank, empty column of the trailing comma is dropped
    assert table.columns["b"].missing.tolist() == [True, False]
    assert table.skipped == ()


def test_csv_wrong_field_count_is_skipped_with_its_line(tmp_path):
    text = "step,acc\n1,0.1\n2,0.2,9\n3,0.3\n"
    table = read_log(str(write(tmp_path / "r.csv", text)))
    assert table.n_rows == 2
    assert len(table.skipped) == 1
    assert table.skipped[0].line == 3 and "fields" in table.skipped[0].what


def test_csv_partial_last_line_is_skipped_with_its_line(tmp_path):
    table = read_log(str(write(tmp_path / "r.csv", "step,acc,par\n1,0.1,8\n2,0.2")))
    assert table.n_rows == 1
    assert table.skipped[0].line == 3 and "partial last line" in table.skipped[0].what


def test_nan_inf_text_and_missing_cells_are_told_apart(tmp_path):
    text = "x,y\n1,nan\n2,inf\n3,abc\n4,\n5,0.5\n6,NULL\n"
    col = read_log(str(write(tmp_path / "r.csv", text))).columns["y"]
    assert np.isnan(col.values[0]) and not col.missing[0] and not col.nonnumeric[0]
    assert col.values[1] == np.inf
    assert col.nonnumeric.tolist() == [False, False, True, False, False, False]
    assert col.missing.tolist() == [False, False, False, True, False, True]
    assert col.values[4] == 0.5


def test_jsonl_nesting_data_wrappers_nulls_and_sparse_keys_are_flattened(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [
        {"step": 1, "data": {"acc": 0.5}, "metrics": {"parallelism": {"avg": 8}}},
        {"step": 2, "data": {"acc": "0.6"}, "eval": {"score": 3}},
        {"step": 3, "data": {"acc": None}, "note": "hello"},
    ])
    table = read_log(str(log))
    assert {"step", "acc", "metrics.parallelism.avg", "eval.score", "note"} <= set(table.names)
    acc = table.columns["acc"]
    np.testing.assert_allclose(acc.values[:2], [0.5, 0.6])
    assert acc.missing.tolist() == [False, False, True]
    assert table.columns["eval.score"].missing.tolist() == [True, False, True]
    assert table.columns["note"].nonnumeric.tolist() == [False, False, True]


def test_jsonl_bad_lines_are_skipped_with_line_numbers(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", ['{"step": 1, "acc": 0.1}', "{not json",
                                             "[1, 2]", '{"step": 2, "acc": 0.2}',
                                             '{"step": 3, "ac'], newline=False)
    table = read_log(str(log))
    assert table.n_rows == 2
    lines = {n.line: n.what for n in table.skipped}
    assert "malformed JSON" in lines[2]
    assert "not an object" in lines[3]
    assert "partial last line" in lines[5]


def test_trailing_nul_padding_is_ignored(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"step": 1, "acc": 0.1}\n{"step": 2, "acc": 0.2}\n' + b"\x00" * 64)
    assert read_log(str(path)).n_rows == 2


def test_a_line_of_nul_bytes_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"step": 1, "acc": 0.1}\n\x00\x00\x00\n{"step": 2, "acc": 0.2}\n')
    table = read_log(str(path))
    assert table.n_rows == 2 and table.skipped[0].line == 2


def test_strict_turns_a_skip_into_an_error(tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", ['{"step": 1}', "oops", '{"step": 2}'])
    with pytest.raises(InputError) as info:
        read_log(str(log), strict=True)
    assert info.value.line == 2 and info.value.file == str(log)


def test_json_lists_column_objects_and_gzip_are_read(tmp_path):
    records = [{"step": i, "acc": i / 10} for i in range(4)]
    listed = tmp_path / "r.json"
    listed.write_text(json.dumps(records))
    assert read_log(str(listed)).n_rows == 4
    columnar = tmp_path / "c.json"
    columnar.write_text(json.dumps({"step": [1, 2], "acc": [0.1, 0.2]}))
    assert read_log(str(columnar)).names == ["step", "acc"]
    packed = tmp_path / "r.jsonl.gz"
    packed.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in records).encode()))
    table = read_log(str(packed))
    assert table.format == "jsonl" and table.n_rows == 4


def test_a_json_extension_holding_jsonl_is_read_as_jsonl(tmp_path):
    path = write_jsonl(tmp_path / "metrics.json", [{"step": 1}, {"step": 2}])
    assert read_log(str(path)).n_rows == 2


@pytest.mark.parametrize("content, what", [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"\x1f\x8b\x08\x00garbage", "gzip"),
])
def test_unreadable_files_raise_input_error(tmp_path, content, what):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_log(str(path))
    assert what in str(info.value)


def test_a_missing_file_or_a_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_log(str(tmp_path / "nope.csv"))
    with pytest.raises(InputError, match="folder"):
        read_log(str(tmp_path))


# ---------------------------------------------------------------- added with the format adapters


def test_stdin_is_read_and_detected(monkeypatch, tmp_path):
    import io as _io

    data = b'{"step": 1, "acc": 0.5}\n{"step": 2, "acc": 0.6}\n'
    monkeypatch.setattr(sys, "stdin", _io.TextIOWrapper(_io.BytesIO(gzip.compress(data))))
    table = read_log("-")
    assert table.source == "<stdin>" and table.format == "jsonl" and table.n_rows == 2


def test_row_line_numbers_are_kept(tmp_path):
    csv_log = write(tmp_path / "r.csv", "# comment\nstep,acc\n\n1,0.1\nbad\n2,0.2\n")
    assert read_log(str(csv_log)).first_line == (4, 6)
    jsonl = write_jsonl(tmp_path / "r.jsonl", [{"a": 1}, "", "{bad", {"a": 2}])
    assert read_log(str(jsonl)).first_line == (1, 4)


def test_old_mac_cr_line_endings_split_lines(tmp_path):
    table = read_log(str(write(tmp_path / "r.csv", "step,acc\r1,0.1\r2,0.2\r")))
    np.testing.assert_allclose(table.columns["acc"].values, [0.1, 0.2])


@pytest.mark.parametrize("depth", [900, 5000])
def test_deeply_nested_json_is_flattened_or_refused_cleanly(tmp_path, depth):
    text = '{"step": 1, ' + '"n": {' * depth + '"acc": 0.5' + "}" * depth + "}"
    path = tmp_path / "deep.jsonl"
    path.write_text(text + '\n{"step": 2}\n')
    table = read_log(str(path))  # a RecursionError here would escape as a crash
    if len(table.skipped) == 0:
        assert table.n_rows == 2 and any(n.endswith(".acc") for n in table.names)
    else:
        assert table.n_rows == 1 and table.skipped[0].line == 1


def test_single_run_formats_return_one_table(tmp_path):
    path = write(tmp_path / "r.csv", "step,acc\n1,0.1\n")
    (table,) = read_tables(str(path))
    assert table.run is None
