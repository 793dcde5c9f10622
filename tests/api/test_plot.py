"""rlplot.plot on pandas, polars and pyarrow data: the CLI's figure and --data-out numbers, its notices
as warnings, its errors as rlplot's exceptions."""
from __future__ import annotations

import csv
import re
import shutil
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pytest

import rlplot
from rlplot.api import Plot, RlplotWarning
from rlplot.config import Config, load_config
from rlplot.errors import ColumnError, ConfigError, InputError, OutputError
from rlplot.pipeline import render
from rlplot.provenance import read_provenance

from tests.conftest import DATA, SAMPLE_CSV, SAMPLE_JSONL, make_sweep

LIBRARIES = ("pandas", "polars", "pyarrow")
NO_PROVENANCE = {"output.provenance": False}


def read_sample(library: str, path):
    """A sample log loaded the way a notebook user loads it, with that library's own reader (pandas
    told to parse floats exactly: its fast parsers may miss the last bit)."""
    if path.suffix == ".csv":
        return {"pandas": lambda p: pd.read_csv(p, float_precision="round_trip"),
                "polars": pl.read_csv, "pyarrow": pacsv.read_csv}[library](path)
    return {"pandas": lambda p: pd.read_json(p, lines=True, precise_float=True),
            "polars": pl.read_ndjson, "pyarrow": pajson.read_json}[library](path)


def column(frame, name: str) -> list:
    """One column of a pandas/polars/pyarrow frame as a Python list (nulls and NaN as None)."""
    if isinstance(frame, pd.DataFrame):
        return [None if isinstance(v, float) and v != v else v for v in frame[name].tolist()]
    if isinstance(frame, pl.DataFrame):
        return frame[name].to_list()
    return frame.column(name).to_pylist()


def cli_data_out(path) -> dict[str, list]:
    """A --data-out CSV as columns: text for run and panel, floats (None for an empty cell)."""
    with open(path, newline="", encoding="utf-8") as stream:
        header, *rows = list(csv.reader(stream))
    return {name: [row[i] if i < 2 else (float(row[i]) if row[i] else None) for row in rows]
            for i, name in enumerate(header)}


def artists(fig) -> list:
    """What a figure shows, axis by axis: texts, limits, ticks, every point and line."""
    shown = []
    for ax in fig.axes:
        legend = ax.get_legend()
        shown.append((ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim(), ax.get_ylim(),
                      ax.get_xscale(), [t.get_text() for t in ax.get_xticklabels()],
                      [t.get_text() for t in ax.get_yticklabels()],
                      [t.get_text() for t in legend.get_texts()] if legend else None))
        shown.append([np.asarray(c.get_offsets()).tolist() for c in ax.collections])
        shown.append([(np.asarray(line.get_xdata()).tolist(), np.asarray(line.get_ydata()).tolist(),
                       line.get_color()) for line in ax.lines])
    shown.append([t.get_text() for t in fig.texts])
    return shown


@pytest.fixture(scope="module")
def cli_sample(tmp_path_factory):
    """`rlplot render` of each sample file: its PNG (no provenance) and --data-out, per suffix."""
    from click.testing import CliRunner

    from rlplot.cli import cli

    folder = tmp_path_factory.mktemp("cli")
    made = {}
    for sample in (SAMPLE_CSV, SAMPLE_JSONL):
        png, data = folder / f"{sample.suffix[1:]}.png", folder / f"{sample.suffix[1:]}.csv"
        result = CliRunner().invoke(cli, ["render", str(sample), "-o", str(png), "--data-out", str(data),
                                          "--set", "output.provenance=false"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        made[sample.suffix] = (png.read_bytes(), cli_data_out(data))
    return made


@pytest.mark.parametrize("sample", [SAMPLE_CSV, SAMPLE_JSONL], ids=["csv", "jsonl"])
@pytest.mark.parametrize("library", LIBRARIES)
def test_a_frame_gives_the_clis_figure_and_data_out(library, sample, cli_sample, tmp_path):
    frame = read_sample(library, sample)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RlplotWarning)   # the sample is clean: nothing to say
        shown = rlplot.plot(frame, labels=[sample.stem], set=NO_PROVENANCE)
    assert isinstance(shown, Plot) and shown.notices == ()
    assert artists(shown.figure) == artists(render([str(sample)]).figure)
    png, data_out = cli_sample[sample.suffix]
    assert shown.save(tmp_path / "mine.png") == str(tmp_path / "mine.png")
    assert (tmp_path / "mine.png").read_bytes() == png          # the CLI's bytes, exactly
    mine = shown.data()
    assert type(mine) is type(frame)                          # the user's own library back
    assert set(data_out) == {"run", "panel", "x", "y", "smoothed", "band_low", "band_high"}
    for name, values in data_out.items():
        assert column(mine, name) == values, name


def test_long_form_with_tags_is_read_as_the_cli_reads_a_tensorboard_export(tmp_path, invoke):
    out = tmp_path / "cli.csv"
    invoke("render", DATA / "tb_long.csv", "--y", "train/reward", "--y", "train/loss",
           "--smooth", "none", "-o", tmp_path / "cli.png", "--data-out", out)
    for frame in (pd.read_csv(DATA / "tb_long.csv"), pl.read_csv(DATA / "tb_long.csv")):
        with pytest.warns(RlplotWarning, match="dropped points: 1 of"):
            shown = rlplot.plot(frame, y=["train/reward", "train/loss"], smooth="none")
        assert [run.label for run in shown.runs] == ["ppo_seed1", "ppo_seed2"]
        assert {k: column(shown.data(), k) for k in cli_data_out(out)} == cli_data_out(out)


def sweep_frame(paths) -> pd.DataFrame:
    """The sweep make_sweep writes, as one long frame: a run column and an lr column."""
    parts = []
    for path in paths:
        run = path.split("/")[-2]
        part = pd.read_json(path, lines=True, precise_float=True)
        parts.append(part.assign(run=run, lr=float(run[2:run.index("_")])))
    return pd.concat(parts, ignore_index=True)


def test_grouping_by_a_column_aggregates_as_the_cli_groups_by_path(tmp_path, invoke):
    paths = make_sweep(tmp_path)
    out = tmp_path / "cli.csv"
    invoke("render", *paths, "--y", "accuracy", "--group-by", r"lr([^_]+)_seed", "--aggregate", "iqm",
           "--reps", "200", "-o", tmp_path / "cli.png", "--data-out", out)
    cli = cli_data_out(out)
    shown = rlplot.plot(sweep_frame(paths), y="accuracy", runs="run", group_by="lr", aggregate="iqm",
                        reps=200)
    assert [g.label for g in shown.prepared.groups] == ["lr=0.001", "lr=3e-4"]
    assert shown.prepared.footnote == render(paths, config=load_config(overrides={
        "runs": {"aggregate": "iqm", "reps": 200, "group_by": [r"lr([^_]+)_seed"]},
        "panels": [{"metric": "accuracy"}]}).config).prepared.footnote
    mine = shown.data()
    aggregate = mine["run"].str.endswith("(aggregate)").to_numpy()
    rows = [i for i, run in enumerate(cli["run"]) if run.endswith("(aggregate)")]
    for name in ("x", "smoothed", "band_low", "band_high"):
        np.testing.assert_array_equal(mine[name].to_numpy()[aggregate], [cli[name][i] for i in rows])


def test_where_keeps_the_runs_whose_column_meets_it():
    frame = sweep_frame(make_sweep_in_memory())
    shown = rlplot.plot(frame, y="accuracy", runs="run", where="lr<1e-3")
    assert [run.label for run in shown.runs] == ["lr3e-4_seed0", "lr3e-4_seed1", "lr3e-4_seed2"]
    assert {run.config["lr"] for run in shown.runs} == {3e-4}
    with pytest.raises(InputError, match=r"no run meets --where cfg:lr>1") as caught:
        rlplot.plot(frame, y="accuracy", runs="run", where="lr>1")
    assert caught.value.hint == "lr: 0.001, 3e-4"


def make_sweep_in_memory():
    import tempfile
    from pathlib import Path

    return make_sweep(Path(tempfile.mkdtemp()))


def test_a_group_by_column_that_changes_within_a_run_is_an_input_error():
    frame = pd.DataFrame({"step": [0, 1, 2, 3], "acc": [0.1, 0.2, 0.3, 0.4], "lr": [1, 1, 2, 2]})
    with pytest.raises(InputError, match=r"column 'lr' changes within run 'the data' \(1, 2"):
        rlplot.plot(frame, y="acc", group_by="lr")
    # a spec that names no column keeps its CLI meaning: a regex over the run (never matching here)
    assert rlplot.plot(frame, y="acc", group_by="nomatch", smooth="none").prepared.groups[0].label == "data"


def test_dirty_data_warns_with_the_clis_notices_and_keeps_them(tmp_path, invoke):
    frame = pd.DataFrame({"step": [0, 10, 20, 30, 40, 20], "accuracy": [0.1, None, 0.3, np.inf, 0.5, 0.6]})
    frame.to_csv(tmp_path / "dirty.csv", index=False)
    cli = invoke("render", tmp_path / "dirty.csv", "--y", "accuracy", "-o", tmp_path / "x.png")
    expected = [line.split(": ", 2)[2] for line in cli.stderr.splitlines() if line.startswith("rlplot: warning")]
    with pytest.warns(RlplotWarning) as caught:
        shown = rlplot.plot(frame, y="accuracy")
    # A file's rows are located by line (the header is line 1), a frame's by row.
    in_rows = [re.sub(r"\(line (\d+):", lambda m: f"(row {int(m[1]) - 1}:", e.split(": ", 1)[1])
               for e in expected]
    assert len(expected) == 2 and [n.what for n in shown.notices] == in_rows
    assert [str(w.message) for w in caught] == [str(n) for n in shown.notices]
    assert all(w.filename == __file__ for w in caught)   # pointing at the caller's line


@pytest.mark.parametrize("call, error, text", [
    (lambda f: rlplot.plot(f, y="acuracy"), ColumnError, "no column 'acuracy'"),
    (lambda f: rlplot.plot(f, smooth="emaa"), ConfigError,
     "smoothing.method: unknown smoothing method 'emaa'"),
    (lambda f: rlplot.plot(f, frac=3), ConfigError, "smoothing.frac: 3 is out of range"),
    (lambda f: rlplot.plot(f, smoth="ema"), ConfigError, "unknown keyword 'smoth'"),
    (lambda f: rlplot.plot(f, config="no-such-preset"), ConfigError, ""),
    (lambda f: rlplot.plot(f, set=["figure.dpii=3"]), ConfigError, "unknown key 'dpii' in figure"),
    (lambda f: rlplot.plot(f).save("x.gif"), OutputError, "unknown output format '.gif'"),
    (lambda f: rlplot.plot(f, runs="nope"), ColumnError, "no column 'nope' (runs)"),
    (lambda f: rlplot.plot([f, str(SAMPLE_CSV)]), InputError, "a list of both paths and data"),
])
def test_bad_input_raises_rlplots_own_errors_never_system_exit(call, error, text):
    with pytest.raises(error) as caught:
        call(pd.read_csv(SAMPLE_CSV))
    assert text in str(caught.value)


def test_the_errors_say_what_the_cli_says(invoke):
    cli = invoke("render", SAMPLE_CSV, "--smooth", "emaa", "-o", "never.png")
    with pytest.raises(ConfigError) as caught:
        rlplot.plot(pd.read_csv(SAMPLE_CSV), smooth="emaa")
    assert caught.value.what in cli.stderr and caught.value.hint in cli.stderr
    cli = invoke("render", SAMPLE_CSV, "--y", "acuracy", "-o", "never.png")
    with pytest.raises(ColumnError) as caught:
        rlplot.plot(pd.read_csv(SAMPLE_CSV), y="acuracy")
    assert cli.stderr.strip().endswith(f"{caught.value.what} ({caught.value.hint})")
    with pytest.raises(ConfigError) as caught:
        rlplot.plot(pd.read_csv(SAMPLE_CSV), run="run")
    assert "did you mean 'runs'?" in caught.value.hint


def test_config_takes_presets_paths_configs_and_mappings_later_ones_winning(tmp_path):
    frame = pd.read_csv(SAMPLE_CSV)
    paper = load_config(["paper"]).config
    assert rlplot.plot(frame, config="paper").config == paper
    mine = tmp_path / "mine.yaml"
    mine.write_text("figure:\n  dpi: 99\n", encoding="utf-8")
    shown = rlplot.plot(frame, config=["paper", str(mine)], set={"figure.suptitle": "Run: 1"}, width=5)
    assert (shown.config.figure.dpi, shown.config.figure.suptitle) == (99, "Run: 1")
    assert shown.config.figure.width == 5 and shown.figure.get_figwidth() == 5
    assert shown.config.figure.font_size == paper.figure.font_size
    assert rlplot.plot(frame, config=Config(), set=["figure.dpi=72"]).config.figure.dpi == 72
    assert rlplot.plot(frame, config={"figure": {"dpi": 80}}).config.figure.dpi == 80


def test_paths_and_folders_are_read_as_the_cli_reads_them(tmp_path):
    shown = rlplot.plot(str(SAMPLE_CSV))
    assert artists(shown.figure) == artists(render([str(SAMPLE_CSV)]).figure)
    assert shown.loaded.files == (str(SAMPLE_CSV),)
    folder = tmp_path / "runs"
    folder.mkdir()
    shutil.copy(SAMPLE_CSV, folder / "a.csv")
    shutil.copy(SAMPLE_JSONL, folder / "b.jsonl")
    assert [run.label for run in rlplot.plot(folder).runs] == ["a", "b"]
    odd = shutil.copy(SAMPLE_CSV, tmp_path / "log.svg")   # a log whose name is a figure's
    with pytest.raises(OutputError, match="would overwrite an input"):
        rlplot.plot(odd).save(odd)


def test_saving_is_atomic_deterministic_and_records_provenance(tmp_path):
    frame = pl.read_csv(SAMPLE_CSV)
    first = rlplot.plot(frame, y=["accuracy"], smooth="ema")
    written = first.save(tmp_path / "a.png", tmp_path / "a.svg", tmp_path / "a.pdf")
    assert written == tuple(str(tmp_path / n) for n in ("a.png", "a.svg", "a.pdf"))
    again = rlplot.plot(frame, y=["accuracy"], smooth="ema")
    again.save(tmp_path / "b.png", tmp_path / "b.pdf")
    for fmt in ("png", "pdf"):
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    record = read_provenance(str(tmp_path / "a.svg"))
    assert record.command == "rlplot.plot(<DataFrame>, y=['accuracy'], smooth='ema')"
    (data,) = record.inputs
    assert data.path == "<data>" and len(data.sha256) == 64 and data.size > 0
    changed = rlplot.plot(frame.with_columns(pl.col("accuracy") * 2), y=["accuracy"], smooth="ema")
    assert changed.provenance().inputs[0].sha256 != data.sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.png", "a.svg", "b.pdf", "b.png"]


def test_the_result_shows_itself_as_png_by_default_and_as_asked():
    shown = rlplot.plot(pd.read_csv(SAMPLE_CSV))
    png, metadata = shown._repr_png_()
    assert png.startswith(b"\x89PNG") and metadata == {"width": round(shown.figure.get_figwidth() * 100)}
    assert shown._repr_svg_() is None and shown._repr_html_() is None
    as_svg = shown.display_as("svg")
    assert as_svg._repr_png_() is None and as_svg._repr_svg_().lstrip().startswith("<?xml")
    assert as_svg.figure is shown.figure
    live = shown.display_as("html")._repr_html_()
    assert live.startswith("<iframe srcdoc=") and "uPlot" in live and "accuracy" in live
    with pytest.raises(ConfigError, match="cannot display as 'gif'"):
        shown.display_as("gif")


def test_the_figure_can_be_edited_before_it_is_shown_or_saved(tmp_path):
    shown = rlplot.plot(pd.read_csv(SAMPLE_CSV))
    shown.figure.axes[0].set_title("Edited")
    shown.save(tmp_path / "edited.svg")
    assert "Edited" in (tmp_path / "edited.svg").read_text(encoding="utf-8")
    assert b"Edited" not in rlplot.plot(pd.read_csv(SAMPLE_CSV)).image("svg")


@pytest.mark.parametrize("make, kind", [
    (lambda: pa.table({"step": [0, 1, 2], "r": [1.0, 2.0, 3.0]}), pa.Table),
    (lambda: {"step": [0, 1, 2], "r": [1.0, 2.0, 3.0]}, dict),
    (lambda: [{"step": 0, "r": 1.0}, {"step": 1, "r": 2.0}, {"step": 2, "r": 3.0}], dict),
])
def test_data_comes_back_in_the_library_it_came_in(make, kind):
    mine = rlplot.plot(make(), y="r", smooth="none").data()
    assert isinstance(mine, kind)
    assert column(pd.DataFrame(dict(mine)) if kind is dict else mine, "y") == [1.0, 2.0, 3.0]
    assert isinstance(rlplot.plot(make(), y="r", smooth="none").data(like=pl.DataFrame()), pl.DataFrame)


def test_lists_and_dicts_of_frames_are_one_run_each():
    one = pd.DataFrame({"step": [0, 1, 2, 3], "r": [1.0, 2.0, 3.0, 4.0]})
    two = pl.DataFrame({"step": [0, 1, 2, 3], "r": [2.0, 2.0, 3.0, 5.0]})
    assert [r.label for r in rlplot.plot([one, two], y="r", smooth="none").runs] == ["run_0", "run_1"]
    named = rlplot.plot({"ppo": one, "sac": one}, y="r", smooth="none", labels=["PPO"])
    assert [r.label for r in named.runs] == ["PPO", "sac"]
    mapped = rlplot.plot({"ppo": one}, y="r", smooth="none", set={"runs.labels": {"ppo": "Baseline"}})
    assert [r.label for r in mapped.runs] == ["Baseline"]
