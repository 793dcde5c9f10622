"""The fast reader (rlplot/io/fast/) gives exactly what the tolerant readers give, or declines."""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

import pyarrow  # noqa: E402,F401  (a core dependency: its absence must fail, not skip)

from rlplot.columns import could_match, needed_columns  # noqa: E402
from rlplot.config import Config  # noqa: E402
from rlplot.errors import InputError  # noqa: E402
from rlplot.io import fast, read_log  # noqa: E402
from rlplot.io.fast import files, jsonl_columns, read_fast  # noqa: E402

WANTED = ["rl_flops", "step", "accuracy", "acc", "avg_parallelism", "timing.wall_s"]


@pytest.fixture(autouse=True)
def small_files_too(monkeypatch):
    """Let the fast path take the small files of these tests (it normally starts at a few MB)."""
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 0)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def assert_same(path: Path, wanted=WANTED, strict: bool = False):
    """The fast Table equals the tolerant Table restricted to the wanted columns; returns it."""
    quick = read_fast(str(path), format=None, columns=wanted, strict=strict)
    assert quick is not None, "the fast path declined a file it should read"
    full = read_log(str(path), strict=strict)
    lowered = {w.lower() for w in wanted}
    expected = [name for name in full.names if could_match(name, lowered)]
    assert quick.names == expected
    assert quick.n_rows == full.n_rows
    assert quick.format == full.format
    assert quick.skipped == full.skipped
    for name in expected:
        a, b = quick.columns[name], full.columns[name]
        assert a.values.dtype == np.float64
        np.testing.assert_array_equal(a.values, b.values)  # NaN == NaN here
        np.testing.assert_array_equal(a.missing, b.missing)
        np.testing.assert_array_equal(a.nonnumeric, b.nonnumeric)
    return quick


def assert_declines(path: Path, wanted=WANTED):
    """The fast path returns None, and read_log(columns=...) still gives the tolerant Table:
    every column that could match ``wanted``, alike (readers whose columns are final keep only
    those, as the fast path would; adapters that derive columns keep them all)."""
    assert read_fast(str(path), format=None, columns=wanted) is None
    full = read_log(str(path))
    via = read_log(str(path), columns=wanted)
    lowered = {w.lower() for w in wanted}
    assert [n for n in via.names if could_match(n, lowered)] == \
        [n for n in full.names if could_match(n, lowered)]
    assert set(via.names) <= set(full.names) and via.skipped == full.skipped
    for name in via.names:
        np.testing.assert_array_equal(via.columns[name].values, full.columns[name].values)


CSV = "step,rl_flops,accuracy,avg_parallelism,note\n" + "".join(
    f"{i},{1e19 + i * 1e17:.6e},{0.3 + i / 1000:.5f},{8 + (i % 7) / 10:.4f},x{i}\n" for i in range(50))


@pytest.mark.parametrize("name,data", [
    ("plain.csv", CSV),
    ("crlf.csv", CSV.replace("\n", "\r\n")),
    ("cr_only.csv", CSV.replace("\n", "\r")),
    ("bom.csv", "\ufeff" + CSV),
    ("comments.csv", '#{"t_start": 1.6e9, "env_id": "X"}\n# another\n' + CSV),
    ("semicolon.csv", CSV.replace(",", ";")),
    ("tabs.tsv", CSV.replace(",", "\t")),
    ("missing_words.csv", CSV + "51,,null,NA,y\n52,None,n/a,nil,z\n53,NULL,Nan,inf,w\n"),
    ("special_numbers.csv", CSV + "54,-inf,nan,+1.5e3,v\n55,1e400,.5,5.,u\n"),
    ("quoted.csv", CSV + '56,"1e19","0.5","",t\n'),
    ("partial_last.csv", CSV + "57,1e19,0.4"),
    ("complete_last_no_newline.csv", CSV + "58,1e19,0.4,9.0,q"),
    ("long_last_no_newline.csv", CSV + "58,1e19,0.4,9.0,q,zz"),
    ("nul_padded.csv", CSV.encode() + b"\x00" * 300),
    ("partial_then_nul.csv", CSV.encode() + b"59,1e19" + b"\x00" * 40),
    ("dup_header.csv", CSV.replace("note\n", "accuracy\n", 1)),
    ("namespaced.csv", CSV.replace("accuracy", "train/acc", 1)),
    ("blank_lines.csv", CSV.replace("\n", "\n\n", 5)),
    ("trailing_delim_everywhere.csv", CSV.replace("\n", ",\n")),
])
def test_fast_csv_matches_tolerant(tmp_path, name, data):
    assert_same(write(tmp_path, name, data))


def test_partial_last_line_notice_names_the_line(tmp_path):
    path = write(tmp_path, "live.csv", "# comment\n" + CSV + "57,1e19,0.4")
    table = assert_same(path)
    assert [(n.line, n.what.split(" (")[0]) for n in table.skipped] == [
        (53, "skipped line: partial last line")]
    with pytest.raises(InputError) as info:
        read_fast(str(path), format=None, columns=WANTED, strict=True)
    assert info.value.line == 53


@pytest.mark.parametrize("name,data", [
    ("ragged_row.csv", CSV + "60,1e19,0.4\n61,1e19,0.4,8,a\n"),
    ("too_many.csv", CSV + "60,1e19,0.4,8,a,b\n"),
    ("text_cell.csv", CSV + "60,1e19,abc,8,a\n"),
    ("comment_in_body.csv", CSV + "# resumed\n" + CSV.split("\n", 1)[1]),
    ("nul_inside.csv", CSV[:200] + "\x00" + CSV[200:]),
    ("trailing_delims.csv", CSV.split("\n", 1)[0] + "\n" + CSV.split("\n", 1)[1].replace("\n", ",\n")),
    ("padded_null.csv", CSV + "60,1e19, null ,8,a\n"),
    ("repeated_header.csv", CSV + CSV),
    ("no_wanted_columns.csv", "a,b\n1,2\n3,4\n"),
])
def test_fast_csv_declines_odd_files(tmp_path, name, data):
    assert_declines(write(tmp_path, name, data))


def test_gzip_and_stdin_take_the_tolerant_path(tmp_path):
    path = tmp_path / "run.csv.gz"
    path.write_bytes(gzip.compress(CSV.encode()))
    assert read_fast(str(path), format=None, columns=WANTED) is None
    assert read_fast("-", format=None, columns=WANTED) is None


def jsonl(records: list[str], end: str = "\n") -> str:
    return "\n".join(records) + end


RECORDS = [f'{{"step": {i}, "rl_flops": {1e19 + i * 1e17}, "accuracy": {0.3 + i / 1000}, '
           f'"avg_parallelism": {8 + (i % 7) / 10}, "timing": {{"wall_s": {i * 3.5}, "gpu": 1}}, '
           f'"tag": "t{i}"}}' for i in range(50)]


@pytest.mark.parametrize("name,data", [
    ("plain.jsonl", jsonl(RECORDS)),
    ("crlf.jsonl", jsonl(RECORDS).replace("\n", "\r\n")),
    ("bom.jsonl", "\ufeff" + jsonl(RECORDS)),
    ("sparse.jsonl", jsonl(RECORDS + ['{"step": 50, "accuracy": null}', '{"step": 51, "timing": {}}',
                                      '{"step": 52, "timing": null, "rl_flops": 7}'])),
    ("ints_and_specials.jsonl", jsonl(RECORDS + ['{"step": 53, "accuracy": 1, "rl_flops": NaN}',
                                                 '{"step": 54, "accuracy": -Infinity}'])),
    ("blank_lines.jsonl", jsonl(RECORDS[:10] + ["", "   "] + RECORDS[10:])),
    ("partial_last.jsonl", jsonl(RECORDS, end="\n") + '{"step": 60, "accur'),
    ("complete_last_no_newline.jsonl", jsonl(RECORDS, end="\n") + '{"step": 61, "accuracy": 0.9}'),
    ("nul_padded.jsonl", jsonl(RECORDS).encode() + b"\x00" * 100),
    ("late_key.jsonl", jsonl(RECORDS + ['{"step": 62, "acc": 0.5}'])),
    ("nested_wanted.jsonl", jsonl(RECORDS + ['{"step": 64, "timing": {"wall_s": null}}'])),
    ("data_number.jsonl", jsonl(RECORDS + ['{"step": 63, "data": 5}'])),
])
def test_fast_jsonl_matches_tolerant(tmp_path, name, data):
    assert_same(write(tmp_path, name, data))


def test_key_first_seen_after_the_probe_takes_the_tolerant_path(tmp_path, monkeypatch):
    # "acc" could be picked for accuracy: a fast read that missed it could pick another column.
    monkeypatch.setattr(jsonl_columns, "PROBE_RECORDS", 5)
    path = write(tmp_path, "late.jsonl", jsonl([r.replace('"accuracy"', '"score"') for r in RECORDS]
                                               + ['{"step": 62, "acc": 0.5}']))
    assert_declines(path)
    monkeypatch.setattr(jsonl_columns, "PROBE_RECORDS", 1000)
    assert assert_same(path).columns["acc"].values[-1] == 0.5


def test_partial_last_jsonl_line_notice_names_the_line(tmp_path):
    path = write(tmp_path, "live.jsonl", jsonl(RECORDS[:3] + [""] + RECORDS[3:]) + '{"step": 60')
    table = assert_same(path)
    assert [n.line for n in table.skipped] == [52]
    assert "partial last line" in table.skipped[0].what


@pytest.mark.parametrize("name,data", [
    ("wrapped.jsonl", jsonl(['{"step": 1, "data": {"accuracy": 0.5}}'] * 3)),
    ("wrapped_late.jsonl", jsonl(RECORDS + ['{"step": 70, "data": {"accuracy": 0.5}}'])),
    ("string_value.jsonl", jsonl(RECORDS + ['{"step": 70, "accuracy": "0.5"}'])),
    ("bool_value.jsonl", jsonl(RECORDS + ['{"step": 70, "accuracy": true}'])),
    ("malformed_middle.jsonl", jsonl(RECORDS[:5] + ['{"step": 70, "acc'] + RECORDS[5:])),
    ("not_an_object.jsonl", jsonl(RECORDS + ["[1, 2]"])),
    ("nul_line.jsonl", jsonl(RECORDS[:5] + ["\x00\x00"] + RECORDS[5:])),
    ("duplicate_key.jsonl", jsonl(RECORDS + ['{"step": 70, "accuracy": 0.1, "accuracy": 0.2}'])),
    ("object_value.jsonl", jsonl(RECORDS + ['{"step": 70, "accuracy": {"mean": 0.2}}'])),
])
def test_fast_jsonl_declines_odd_files(tmp_path, name, data):
    assert_declines(write(tmp_path, name, data))


def test_small_files_keep_the_tolerant_path(tmp_path, monkeypatch):
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 4 * 1024 * 1024)
    path = write(tmp_path, "small.csv", CSV)
    assert read_fast(str(path), format=None, columns=WANTED) is None
    lowered = {w.lower() for w in WANTED}     # the tolerant reader keeps the columns asked for
    assert read_log(str(path), columns=WANTED).names == \
        [n for n in read_log(str(path)).names if could_match(n, lowered)]


@pytest.mark.parametrize("name,data", [
    ("pieces.csv", "# c\n" + CSV + "57,1e19,0.4"),
    ("pieces.jsonl", jsonl(RECORDS + ['{"step": 50, "accuracy": null}']) + '{"step": 6'),
])
def test_reading_in_pieces_changes_nothing(tmp_path, monkeypatch, name, data):
    monkeypatch.setattr(files, "SEGMENT_BYTES", 300)  # many pieces, cut at line breaks
    path = write(tmp_path, name, data)
    assert len(files.segments(str(path), 0, path.stat().st_size)) > 5
    assert assert_same(path).n_rows >= 50


def _real_logs() -> list[Path]:
    for folder in (Path(__file__).resolve().parents[3] / "shared" / "real-logs",
                   Path("/work/shared/real-logs")):
        if folder.is_dir():
            return sorted(p for p in folder.iterdir()
                          if p.is_file() and p.suffix != ".md" and p.stat().st_size)
    return []


@pytest.mark.skipif(not _real_logs(), reason="the shared real logs are not beside this checkout")
@pytest.mark.parametrize("path", _real_logs(), ids=lambda p: p.name)
def test_real_logs_read_alike(path):
    # Whatever these logs name their columns, the fast path must agree with the tolerant one.
    config = Config()
    wanted = needed_columns(config.data.x, [p.metric for p in config.panels]) + [
        "r", "l", "t", "iteration", "TotalEnvInteracts", "AverageEpRet", "Value", "Step", "steps"]
    from rlplot.io import FORMATS, read_tables

    if FORMATS[read_tables(str(path))[0].format].plain:
        assert_same(path, wanted)
    else:  # an adapter that reshapes the content (monitor, events, …): the tolerant path reads it
        assert_declines(path, wanted)


def test_plain_adapters_are_marked_for_the_fast_path():
    # Formats that are generic CSV/JSONL under another name may take the fast path; adapters
    # that reshape their content (monitor, long exports, events) must not.
    from rlplot.io import FORMATS

    assert {fmt.name for fmt in FORMATS.choices() if fmt.plain} == {
        "csv", "jsonl", "tensorboard", "wandb", "sb3", "spinningup", "baselines"}
    assert all("plain=" not in fmt.help for fmt in FORMATS.choices())


def test_once_pyarrow_is_loaded_mid_sized_logs_take_the_fast_path(tmp_path, monkeypatch):
    # Many logs of ~1 MB each: the tolerant reader would cost ~5x the fast one for every one.
    monkeypatch.setattr(fast, "FAST_MIN_BYTES", 1024 * 1024)
    rows = "".join(f"{i},{1e19 + i * 1e15},{0.3 + i / 9e3},{8 + i % 7}\n" for i in range(3000))
    middle = write(tmp_path, "middle.csv", "step,rl_flops,accuracy,avg_parallelism\n" + rows)
    tiny = write(tmp_path, "tiny.csv", CSV)
    assert fast.WARM_MIN_BYTES <= middle.stat().st_size < fast.FAST_MIN_BYTES
    assert_same(middle)                                        # pyarrow is loaded in this process
    assert read_fast(str(tiny), format=None, columns=WANTED) is None
    monkeypatch.delitem(__import__("sys").modules, "pyarrow")  # as in a fresh process
    assert read_fast(str(middle), format=None, columns=WANTED) is None


def test_warming_is_worth_it_only_for_enough_mid_sized_logs(tmp_path, monkeypatch):
    monkeypatch.setattr(fast, "WARM_FOR_BYTES", 300_000)
    logs = [write(tmp_path, f"r{i}.csv", "x\n" + "1\n" * 50_000) for i in range(3)]   # 100 KB
    tiny = [write(tmp_path, f"t{i}.csv", "x\n1\n") for i in range(1000)]
    assert not fast.worth_warming(fast.log_sizes([str(p) for p in logs[:2] + tiny]))
    assert fast.worth_warming(fast.log_sizes([str(p) for p in logs + tiny[:1]]))
    assert not fast.worth_warming(fast.log_sizes(["-", str(tmp_path / "missing.csv")]))
