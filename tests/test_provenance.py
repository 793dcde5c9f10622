"""Provenance: the record every figure carries, written and read back in PNG, SVG and PDF."""
from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import given, settings, strategies as st
from matplotlib.backends.backend_pdf import pdfRepr

from rlplot.choices import FIGURE_FORMATS
from rlplot.config import load_config
from rlplot.config.layers import Layer
from rlplot.config.loader import resolve
from rlplot.config.schema import Config
from rlplot.errors import InputError
from rlplot.pipeline import render
from rlplot.provenance import (READERS, InputRecord, Provenance, check_inputs, config_changes,
                               file_digest, make_provenance, pdf_string, read_provenance)

from .conftest import seed_like_records, write_jsonl

FORMATS = FIGURE_FORMATS.names


def _tiny_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_rendered_figure_says_what_made_it(seed_log, tmp_path, fmt):
    out = tmp_path / f"fig.{fmt}"
    config = load_config([], ["figure.dpi=60", "panels.0.title=Custom"]).config
    render([str(seed_log)], [str(out)], config, command="rlplot render run.jsonl -o fig")
    record = read_provenance(str(out))
    sha256, size = file_digest(seed_log)
    assert record.command == "rlplot render run.jsonl -o fig"
    assert record.inputs == (InputRecord(str(seed_log), sha256, size),)
    assert size == seed_log.stat().st_size and len(sha256) == 64
    assert record.version == __import__("rlplot").__version__
    assert dict(config_changes(record.config)) == {"figure.dpi": 60, "panels.0.title": "Custom"}
    rebuilt, problems = resolve([Layer("fig", dict(record.config))])
    assert not problems.errors and rebuilt == config


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_relative_command_from_another_folder_gives_the_same_bytes(tmp_path, monkeypatch, fmt):
    for folder in ("one", "two"):
        (tmp_path / folder / "runs").mkdir(parents=True)
        write_jsonl(tmp_path / folder / "runs" / "a.jsonl", seed_like_records())
    outputs = []
    for folder in ("one", "two"):
        monkeypatch.chdir(tmp_path / folder)
        render(["runs/a.jsonl"], [f"fig.{fmt}"], command=f"rlplot render runs/a.jsonl -o fig.{fmt}")
        outputs.append((tmp_path / folder / f"fig.{fmt}").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"runs/a.jsonl" in outputs[0] and str(tmp_path).encode() not in outputs[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_provenance_false_records_nothing(seed_log, tmp_path, fmt):
    out = tmp_path / f"fig.{fmt}"
    config = load_config([], ["output.provenance=false"]).config
    render([str(seed_log)], [str(out)], config, command="rlplot render secret-command")
    assert read_provenance(str(out)) is None
    data = out.read_bytes()
    assert b"secret-command" not in data and b"sha256" not in data


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymized_x_keeps_paths_and_the_command_out(tmp_path, fmt):
    (tmp_path / "secret-project").mkdir()
    log = write_jsonl(tmp_path / "secret-project" / "run.jsonl", seed_like_records())
    out = tmp_path / f"fig.{fmt}"
    config = load_config(["anonymized-x"], ["runs.labels={secret-project/run.jsonl: mine}"]).config
    render([str(log)], [str(out)], config, command="rlplot render secret-project/run.jsonl")
    record = read_provenance(str(out))
    assert record.inputs == (InputRecord(None, *file_digest(log)),)
    assert record.command is None and record.config.get("runs", {}).get("labels", {}) == {}
    assert record.config["figure"]["x_tick_format"] == "hidden"
    assert b"secret-project" not in out.read_bytes()


def test_standard_input_and_folders_are_recorded_without_a_hash(tmp_path):
    record = make_provenance(["-", str(tmp_path)], Config(), "cmd", ["a", "b"])
    assert record.inputs == (InputRecord("-", None, None), InputRecord(str(tmp_path), None, None))
    assert record.labels == ("a", "b")
    assert json.loads(record.to_json())["inputs"] == [{"path": "-"}, {"path": str(tmp_path)}]


def test_the_record_is_compact_ascii_json_without_a_date(seed_log):
    record = make_provenance([str(seed_log)], Config(), "rlplot render ü.jsonl")
    text = record.to_json()
    assert text.isascii() and "\n" not in text and ": " not in text
    assert "date" not in text.lower() and len(text) < 3000
    assert Provenance.from_json(text, "x") == record


@settings(max_examples=40, deadline=None)
@given(command=st.text(max_size=60), path=st.text(min_size=1, max_size=40),
       fmt=st.sampled_from(FORMATS))
def test_any_text_round_trips_through_every_format(tmp_path_factory, command, path, fmt):
    from rlplot.figure.save import save_figure

    record = Provenance("1.2.3", command, (InputRecord(path, "ab" * 32, 7),),
                        {"figure": {"suptitle": command}}, (path,))
    out = tmp_path_factory.mktemp("rt") / f"f.{fmt}"
    save_figure(_tiny_figure(), str(out), provenance=record)
    assert read_provenance(str(out)) == record


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_pdf_strings_read_back_as_matplotlib_writes_them(raw):
    written = b"/Key " + pdfRepr(raw) + b" >>"
    assert pdf_string(written, 4) == raw


def test_pdf_strings_in_hex_and_with_octal_escapes():
    assert pdf_string(b"<48 656C6C6F>", 0) == b"Hello"
    assert pdf_string(b"<4>", 0) == b"\x40"
    assert pdf_string(b"(a\\101\\50b\\\nc)", 0) == b"aA(bc"
    assert pdf_string(b"(open", 0) is None and pdf_string(b"/Name", 0) is None


def test_every_figure_format_has_a_reader():
    assert set(READERS) == set(FORMATS)


def test_a_figure_without_a_record_reads_as_none_and_bad_files_are_input_errors(tmp_path):
    from rlplot.figure.save import save_figure

    plain = tmp_path / "plain.png"
    save_figure(_tiny_figure(), str(plain))
    assert read_provenance(str(plain)) is None
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(InputError, match="not a PDF file"):
        read_provenance(str(fake))
    with pytest.raises(InputError, match="not a readable PNG"):
        read_provenance(str(fake.rename(tmp_path / "fake.png")))
    with pytest.raises(InputError, match=r"not a figure rlplot writes \('\.jsonl'\)"):
        read_provenance(str(tmp_path / "run.jsonl"))
    with pytest.raises(InputError, match="no such file"):
        read_provenance(str(tmp_path / "gone.svg"))
    damaged = tmp_path / "damaged.svg"
    damaged.write_text('<svg><metadata><rlplot:provenance>{"config": 3}</rlplot:provenance>'
                       "</metadata></svg>")
    with pytest.raises(InputError, match="damaged rlplot provenance"):
        read_provenance(str(damaged))


def test_check_inputs_names_the_missing_or_changed_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "a.jsonl", seed_like_records())
    shutil.copy(tmp_path / "a.jsonl", tmp_path / "b.jsonl")
    record = make_provenance(["a.jsonl", "b.jsonl"], Config())
    assert check_inputs(record, "fig.png") == ["a.jsonl", "b.jsonl"]
    with open("b.jsonl", "a") as stream:
        stream.write('{"step": 999}\n')
    with pytest.raises(InputError) as info:
        check_inputs(record, "my fig.png")
    assert info.value.file == "b.jsonl" and "changed since my fig.png was made" in info.value.what
    assert info.value.hint == "give the logs to draw: rlplot render --like 'my fig.png' LOG..."
    os.remove("a.jsonl")
    with pytest.raises(InputError, match="recorded input is missing") as info:
        check_inputs(record, "fig.png")
    assert info.value.file == "a.jsonl"


@pytest.mark.parametrize("inputs, message", [
    ((InputRecord(None, "ab" * 32, 3),), "records its inputs by hash only"),
    ((InputRecord("-", None, None),), "was standard input"),
])
def test_check_inputs_refuses_what_it_cannot_find_again(inputs, message):
    with pytest.raises(InputError, match=message):
        check_inputs(Provenance("1", None, inputs, {}), "fig.png")


@pytest.mark.parametrize("preset", ["paper", "dark", "four-panel", "slides"])
def test_recorded_configs_rebuild_the_same_config(preset, tmp_path):
    config = load_config([preset]).config
    record = make_provenance([], config)
    rebuilt, problems = resolve([Layer("fig", json.loads(record.to_json())["config"])])
    assert not problems.errors and rebuilt == config


def test_config_changes_list_what_differs_from_the_defaults():
    assert config_changes(make_provenance([], Config()).config) == []
    four = make_provenance([], load_config(["four-panel"]).config).config
    changes = dict(config_changes(four))
    assert {"panels.2.metric", "panels.3.metric"} <= set(changes)
    fewer = make_provenance([], load_config([], ["panels=[{metric: loss}]"]).config).config
    assert ("panels.0.metric", "loss") in config_changes(fewer)
    assert any(key == "panels" for key, _ in config_changes(fewer))  # a panel removed


def test_devices_and_pipes_are_recorded_by_path_without_reading_them(tmp_path):
    # render hashes inputs on a thread while it reads them: /dev/zero must not keep it busy forever
    from rlplot.provenance import input_record

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        record = input_record(path)
        assert (record.path, record.sha256, record.size) == (path, None, None)
