"""Property tests: whatever bytes a log holds, reading, cleaning and inspecting it either works or
raises rlplot's own ``RlplotError`` — never another exception.

Logs of every supported format are generated, then damaged (cut at a random point, random bytes
inserted, columns dropped or shuffled, lines shuffled, NUL padding, gzip cut short, a wrong
--format forced). 3,000 examples in all (derandomized: the same ones every run); the module
runs in well under a minute.
"""
from __future__ import annotations

import gzip
import json
import os
import tempfile

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rlplot.choices import DUPLICATE_POLICIES, RESTART_POLICIES
from rlplot.clean import clean_series
from rlplot.columns import default_x, numeric_columns, x_candidates
from rlplot.errors import RlplotError
from rlplot.inspect import inspect_log
from rlplot.io import FORMATS, read_tables
from rlplot.io.cells import column_from_cells

FUZZ = settings(max_examples=900, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_DIR = tempfile.mkdtemp(prefix="rlplot-fuzz-")

# Numbers across every magnitude a log may hold, plus the values that break naive parsers.
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.sampled_from([1e308, -1e308, 5e-324, 0.0, -0.0, 1e21, 3.5e19]),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.integers(min_value=0, max_value=10 ** 6),
)
json_values = st.one_of(numbers.filter(lambda v: not (isinstance(v, float) and not np.isfinite(v))),
                        st.none(), st.booleans(), st.text(max_size=6),
                        numbers.map(str), st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2))
cell_texts = st.one_of(numbers.map(repr), numbers.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v)),
                       st.sampled_from(["", "nan", "NaN", "inf", "-inf", "null", "None", "N/A", "abc",
                                        "1,5", '"quoted"', "2026-04-26T03:38:38", " 0.5 "]),
                       st.text(max_size=5))
names = st.sampled_from(["step", "acc", "accuracy", "parallelism", "rl_flops", "loss", "r", "l", "t",
                         "_step", "time/total_timesteps", "eval/mean_reward", "% explored", "Step",
                         "Value", "TotalEnvInteracts", "Epoch", "a b", ""])


def csv_text(header, rows, sep=","):
    return "\n".join([sep.join(header)] + [sep.join(r) for r in rows]) + "\n"


@st.composite
def table_cells(draw, fixed=None, min_cols=1):
    header = fixed or draw(st.lists(names, min_size=min_cols, max_size=6))
    n_rows = draw(st.integers(0, 12))
    rows = [[draw(cell_texts) for _ in header] for _ in range(n_rows)]
    return header, rows


@st.composite
def logs(draw):
    """(format it imitates, text) for every format in the registry."""
    kind = draw(st.sampled_from(sorted(FORMATS)))
    if kind in ("csv", "wandb", "sb3", "baselines", "spinningup", "tensorboard", "monitor"):
        fixed = {"tensorboard": ["Wall time", "Step", "Value"], "monitor": ["r", "l", "t"]}.get(kind)
        header, rows = draw(table_cells(fixed=fixed))
        extra = {"wandb": "_step", "sb3": "time/total_timesteps", "baselines": "% time spent exploring",
                 "spinningup": "TotalEnvInteracts"}.get(kind)
        if extra:
            header = header + [extra]
            rows = [r + [draw(cell_texts)] for r in rows]
        sep = "\t" if kind == "spinningup" else draw(st.sampled_from([",", ";", "\t"]))
        text = csv_text(header, rows, sep)
        if kind == "monitor":
            text = '#{"t_start": 1758041572.96, "env_id": "X"}\n' + text
        return kind, text
    if kind == "tensorboard-long":
        runs = st.sampled_from(["a", "b", "", "run 1"])
        tags = st.sampled_from(["reward", "loss", "acc", ""])
        rows = draw(st.lists(st.tuples(runs, tags, cell_texts, cell_texts), max_size=15))
        return kind, csv_text(["run", "tag", "step", "value"], [list(r) for r in rows])
    if kind == "wandb-panel":
        runs = draw(st.lists(st.sampled_from(["ppo", "sac - 1", "x"]), min_size=1, max_size=3,
                             unique=True))
        header = ["Step"] + [f"{r} - {m}{s}" for r in runs for m in ("reward",)
                             for s in ("", "__MIN", "__MAX")]
        _, rows = draw(table_cells(fixed=header))
        return kind, csv_text([f'"{h}"' for h in header], rows)
    records = draw(st.lists(st.dictionaries(names, json_values, max_size=6), max_size=10))
    if kind in ("jsonl", "jsonl-events"):
        for record in records:
            if draw(st.booleans()):
                record[draw(st.sampled_from(["data", "metrics"]))] = {"acc": draw(json_values)}
            if kind == "jsonl-events":
                record[draw(st.sampled_from(["type", "event"]))] = draw(
                    st.sampled_from(["config", "train", "eval", "summary", "step"]))
        return kind, "".join(json.dumps(r) + "\n" for r in records)
    if kind == "trainer-state":
        return kind, json.dumps({"global_step": 3, "log_history": records}, indent=1)
    return kind, json.dumps(records)


@st.composite
def damaged(draw):
    """A generated log, damaged in one or two ways, as bytes."""
    kind, text = draw(logs())
    for _ in range(draw(st.integers(0, 2))):
        how = draw(st.sampled_from(["truncate", "insert", "drop_column", "shuffle_lines", "crlf",
                                    "nul_tail", "bom", "huge_cell", "none"]))
        lines = text.split("\n")
        if how == "truncate" and text:
            text = text[:draw(st.integers(0, len(text)))]
        elif how == "insert":
            at = draw(st.integers(0, len(text)))
            junk = draw(st.binary(max_size=8)).decode("latin-1")
            text = text[:at] + junk + text[at:]
        elif how == "drop_column" and len(lines) > 1:
            sep = draw(st.sampled_from([",", "\t", ";"]))
            col = draw(st.integers(0, 5))
            text = "\n".join(sep.join(p for i, p in enumerate(line.split(sep)) if i != col)
                             for line in lines)
        elif how == "shuffle_lines":
            text = "\n".join(draw(st.permutations(lines)))
        elif how == "crlf":
            text = text.replace("\n", "\r\n")
        elif how == "nul_tail":
            text += "\x00" * draw(st.integers(1, 50))
        elif how == "bom":
            text = "\ufeff" + text
        elif how == "huge_cell":   # over the csv module's field limit, in the header or a row
            at = draw(st.integers(0, len(text)))
            text = text[:at] + "9" * 140_000 + text[at:]
    data = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        data = gzip.compress(data, mtime=0)
        if draw(st.booleans()):
            data = data[:draw(st.integers(0, len(data)))]  # a gzip cut off while written
    return kind, data


def exercise(data: bytes, suffix: str, fmt: str | None = None) -> None:
    """Read, choose columns, clean under every policy and inspect; only RlplotError may escape."""
    path = os.path.join(_DIR, "log" + suffix)
    with open(path, "wb") as fh:
        fh.write(data)
    try:
        tables = read_tables(path, format=fmt)
    except RlplotError:
        return
    assert tables, "a reader returned no table without raising"
    for table in tables:
        assert all(len(c.values) == table.n_rows for c in table.columns.values())
        if table.first_line is not None:
            assert len(table.first_line) == table.n_rows
        x_candidates(table)
        x = default_x(table)
        for y in numeric_columns(table)[:3]:
            for restarts in RESTART_POLICIES:
                for duplicates in DUPLICATE_POLICIES:
                    try:
                        series, dropped = clean_series(table, x, y, restarts=restarts,
                                                       duplicates=duplicates)
                    except RlplotError:
                        continue
                    assert np.isfinite(series.x).all() and np.isfinite(series.y).all()
                    assert (series.x[1:] >= series.x[:-1]).all()   # no diff: huge x would overflow
                    if duplicates != "keep":
                        assert (series.x[1:] > series.x[:-1]).all()
    report = inspect_log(path, format=fmt)
    json.dumps(report.to_dict(), allow_nan=False)


@FUZZ
@given(damaged(), st.sampled_from([".csv", ".jsonl", ".json", ".txt", ""]))
def test_damaged_logs_of_every_format(case, suffix):
    _, data = case
    exercise(data, suffix)


@settings(FUZZ, max_examples=900)
@given(logs())
def test_undamaged_logs_read_as_their_format(case):
    kind, text = case
    exercise(text.encode(), "")
    try:
        tables = read_tables(os.path.join(_DIR, "log"))
    except RlplotError:
        return  # e.g. a generated log with no rows at all
    # Random CSV headers may carry another format's key (`_step`, SB3's); these generators may not.
    if kind in ("monitor", "tensorboard", "tensorboard-long", "wandb-panel", "trainer-state",
                "jsonl-events", "jsonl", "json"):
        assert tables[0].format == kind


@settings(FUZZ, max_examples=600)
@given(st.binary(max_size=300), st.sampled_from([".csv", ".jsonl", ".json", ""]))
def test_random_bytes_read_or_raise_an_rlplot_error(data, suffix):
    exercise(data, suffix)


@settings(FUZZ, max_examples=600)
@given(damaged(), st.sampled_from(sorted(FORMATS)))
def test_forcing_any_format_on_any_log(case, fmt):
    _, data = case
    exercise(data, "", fmt)


@settings(FUZZ, max_examples=300)
@given(st.lists(st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3),
                                st.one_of(st.integers(-5, 5), st.none(), st.text(max_size=2)),
                                max_size=5), max_size=30),
       st.integers(1, 60), st.one_of(st.none(), st.sets(st.sampled_from("abcdefgh"), max_size=3)))
def test_records_tables_are_the_dense_table_within_a_cell_budget(records, budget, wanted):
    """However sparse the keys, a records table equals the naive dense one on the columns it
    keeps: those that could match ``wanted``, else the fullest within the cell budget."""
    from unittest import mock

    from rlplot.columns import could_match
    from rlplot.io import json_reader

    with mock.patch.object(json_reader, "MAX_CELLS", budget):
        table = json_reader.table_from_records("t", "jsonl", records, wanted=wanted)
    keys = list(dict.fromkeys(k for r in records for k in r))
    count = {k: sum(k in r for r in records) for k in keys}
    allowed = max(budget, json_reader.SPARSITY * sum(count.values()))
    if wanted is not None:
        assert table.names == [k for k in keys if could_match(k, wanted)] and not table.notes
    elif len(records) * len(keys) <= allowed:
        assert table.names == keys and not table.notes
    else:
        assert len(table.names) == max(1, allowed // len(records))
        assert min(count[k] for k in table.names) >= max(
            [count[k] for k in keys if k not in table.names], default=0)
        assert table.names == [k for k in keys if k in table.names]       # file order kept
        assert "set aside" in table.notes[0].what
    for name in table.names:
        cells = [r.get(name) for r in records]
        expected = column_from_cells(name, cells)
        column = table.columns[name]
        np.testing.assert_array_equal(column.values, expected.values)
        np.testing.assert_array_equal(column.missing, expected.missing)
        np.testing.assert_array_equal(column.nonnumeric, expected.nonnumeric)
