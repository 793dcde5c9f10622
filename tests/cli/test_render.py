"""``rlplot render``: paths on stdout, one-line errors on stderr, outputs from -o or --formats."""
from __future__ import annotations

import pytest

from ..conftest import DATA, SAMPLE_CSV, write_jsonl


def test_render_prints_only_the_paths_written(invoke, seed_log, tmp_path):
    png, pdf = tmp_path / "f" / "run.png", tmp_path / "f" / "run.pdf"
    result = invoke("render", seed_log, "-o", png, "-o", pdf)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(png), str(pdf)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-"


def test_default_output_is_named_after_the_log(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", seed_log)
    assert result.exit_code == 0 and result.stdout.strip() == "run.png"
    assert (tmp_path / "run.png").exists()


def test_warnings_go_to_stderr(invoke, tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"step": i, "accuracy": 0.5, "parallelism": 8}
                                             for i in range(10)] + ["{broken"] +
                      [{"step": 11, "accuracy": None, "parallelism": 9}])
    result = invoke("render", log, "-o", tmp_path / "o.png")
    assert result.exit_code == 0
    assert f"rlplot: warning: {log}:11: skipped line: malformed JSON" in result.stderr
    assert "dropped points: 1 of 11 from 'accuracy' (1 missing)" in result.stderr
    assert result.stdout.strip() == str(tmp_path / "o.png")


@pytest.mark.parametrize("args, expected", [
    (["render", "{missing}"], "rlplot: error: {missing}: no such file (check the path)"),
    (["render", "{log}", "--y", "acuracy", "-o", "{out}"],
     "rlplot: error: {log}: no column 'acuracy' (columns: step, rl_flops, accuracy, "
     "avg_parallelism; closest: 'accuracy')"),
    (["render", "{log}", "-o", "{tmp}/x.gif"],
     "rlplot: error: {tmp}/x.gif: unknown output format '.gif' (choose one of: .png, .svg, .pdf)"),
    (["render", "{log}", "--smooth", "loess", "-o", "{out}"],
     "rlplot: error: command line: smoothing.method: unknown smoothing method 'loess' "
     "(did you mean 'lowess'? choose one of: lowess, ema, twema, rolling, gaussian, none)"),
    (["render", "{log}", "--frac", "2", "-o", "{out}"],
     "rlplot: error: command line: smoothing.frac: 2 is out of range (allowed: > 0 and <= 1)"),
    (["render", "{empty}", "-o", "{out}"],
     "rlplot: error: {empty}: the log is empty (the run may not have written anything yet)"),
])
def test_errors_are_one_line_without_traceback(invoke, tmp_path, args, expected):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    values = {"missing": tmp_path / "nope.csv", "log": SAMPLE_CSV, "out": tmp_path / "o.png",
              "tmp": tmp_path, "empty": empty}
    result = invoke(*[a.format(**values) for a in args])
    assert result.exit_code == 1
    assert result.stderr.strip() == expected.format(**values)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "o.png").exists()


def test_missing_default_columns_hint_at_y(invoke, tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", [{"step": 1, "reward": 3}])
    result = invoke("render", log, "-o", tmp_path / "o.png")
    assert result.exit_code == 1
    assert "no column 'accuracy'" in result.stderr and "--x/--y" in result.stderr


def test_strict_fails_on_a_skipped_line(invoke, tmp_path):
    log = write_jsonl(tmp_path / "r.jsonl", ['{"step": 1, "accuracy": 0.5, "parallelism": 8}',
                                             "garbage",
                                             '{"step": 2, "accuracy": 0.6, "parallelism": 8}'])
    result = invoke("render", log, "--strict", "-o", tmp_path / "o.png")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"rlplot: error: {log}:2: malformed JSON")


def test_a_dash_reads_standard_input(invoke, seed_log, tmp_path):
    out = tmp_path / "s.png"
    result = invoke("render", "-", "-o", out, input=seed_log.read_text())
    assert result.exit_code == 0, result.stderr
    assert out.exists()


def test_dollar_signs_in_column_and_file_names_are_shown_as_text(invoke, tmp_path):
    log = tmp_path / "run$1.csv"
    log.write_text("step,loss $x^{$ end\n" + "\n".join(f"{i},{i * 0.5}" for i in range(10)) + "\n")
    out = tmp_path / "o.png"
    result = invoke("render", log, "--y", "loss $x^{$ end", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists()


def test_values_too_large_to_draw_are_one_clear_line(invoke, tmp_path):
    log = tmp_path / "huge.csv"
    log.write_text("step,accuracy,parallelism\n" + "\n".join(
        f"{i},{(-1) ** i * 1e308},{i}" for i in range(10)) + "\n")
    result = invoke("render", log, "-o", tmp_path / "h.png")
    assert result.exit_code == 1 and "too large to draw" in result.stderr
    assert "internal error" not in result.stderr and not (tmp_path / "h.png").exists()
    big = tmp_path / "big.csv"     # large but drawable values still render
    big.write_text("step,accuracy,parallelism\n" + "\n".join(
        f"{i},{i * 1e200},{i}" for i in range(10)) + "\n")
    assert invoke("render", big, "-o", tmp_path / "b.png").exit_code == 0


@pytest.mark.parametrize("content, expected", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a text log (binary data?)"),
    (b"step,accuracy,parallelism\n", "the log has a header but no data rows"),
    (b"[1, 2]\n[3, 4]\n", "2 lines were skipped, the first (line 1: a JSON list, not an object)"),
])
def test_unusable_logs_say_why_in_one_line(invoke, tmp_path, content, expected):
    log = tmp_path / ("bad.csv" if content.startswith(b"step") else "bad.jsonl")
    log.write_bytes(content)
    result = invoke("render", log, "-o", tmp_path / "o.png")
    assert result.exit_code == 1 and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_formats_name_the_outputs_after_the_log(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", seed_log, "--formats", "svg,pdf", "--formats", "png")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["run.svg", "run.pdf", "run.png"]
    assert (tmp_path / "run.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert (tmp_path / "run.pdf").read_bytes().startswith(b"%PDF-")


def test_an_unknown_figure_format_is_one_line_with_the_choices(invoke, seed_log, tmp_path):
    result = invoke("render", seed_log, "--formats", "png,gif", "-q")
    assert result.exit_code == 1
    assert result.stderr == ("rlplot: error: command line: output.formats[1]: unknown figure format 'gif' "
                             "(choose one of: png, svg, pdf)\n")


def test_o_and_formats_together_are_a_usage_error(invoke, seed_log, tmp_path):
    result = invoke("render", seed_log, "-o", tmp_path / "a.png", "--formats", "svg")
    assert result.exit_code == 2 and "give one or the other" in result.stderr
    assert not (tmp_path / "a.png").exists()


@pytest.mark.parametrize("spelling", ["--input-format", "--format"])
def test_input_format_forces_the_reader_and_the_old_spelling_warns(invoke, tmp_path, spelling):
    out = tmp_path / "m.png"
    detected = invoke("render", DATA / "monitor.csv", "--x", "timesteps", "--y", "r", "-o", out)
    assert detected.exit_code == 0, detected.stderr        # monitor adds the timesteps column
    forced = invoke("render", DATA / "monitor.csv", spelling, "csv", "--x", "timesteps",
                    "--y", "r", "-o", out)
    assert forced.exit_code == 1 and "no column 'timesteps'" in forced.stderr
    warnings = [l for l in forced.stderr.splitlines() if l.startswith("rlplot: warning:")]
    expected = ["rlplot: warning: --format NAME is deprecated; use --input-format NAME"]
    assert warnings == (expected if spelling == "--format" else [])


# ---------------------------------------------------------------------------- provenance, --like

def _record(path):
    from rlplot.provenance import read_provenance

    return read_provenance(str(path))


def _pixels(path):
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


def test_the_figure_records_the_command_line_as_typed(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "run.jsonl", "-o", "my fig.png", "--set", "panels.0.title=A & B")
    assert result.exit_code == 0, result.stderr
    record = _record(tmp_path / "my fig.png")
    assert record.command == "rlplot render run.jsonl -o 'my fig.png' --set 'panels.0.title=A & B'"
    assert [i.path for i in record.inputs] == ["run.jsonl"]
    assert record.config["panels"][0]["title"] == "A & B"


def test_the_same_command_in_another_folder_writes_the_same_bytes(invoke, tmp_path, monkeypatch):
    figures = []
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        write_jsonl(tmp_path / folder / "run.jsonl", [{"step": i, "accuracy": 0.5 + i / 100,
                                                        "parallelism": 8} for i in range(30)])
        monkeypatch.chdir(tmp_path / folder)
        assert invoke("render", "run.jsonl", "-o", "f.svg", "-o", "f.pdf").exit_code == 0
        figures.append([(tmp_path / folder / f"f.{ext}").read_bytes() for ext in ("svg", "pdf")])
    assert figures[0] == figures[1]


def test_like_redraws_the_recorded_inputs_with_the_recorded_config(invoke, seed_log, tmp_path,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    original = invoke("render", "run.jsonl", "-o", "orig.png", "--smooth", "ema", "--dpi", "40",
                      "--label", "mine", "--set", "panels.1.title=Parallel")
    assert original.exit_code == 0, original.stderr
    again = invoke("render", "--like", "orig.png", "-o", "again.png")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.strip() == "again.png"
    assert (_pixels(tmp_path / "again.png") == _pixels(tmp_path / "orig.png")).all()
    first, second = _record(tmp_path / "orig.png"), _record(tmp_path / "again.png")
    assert second.config == first.config and second.labels == ("mine",)
    assert second.command == "rlplot render --like orig.png -o again.png"


def test_like_restyles_under_later_configs_and_flags(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-o", "orig.png", "--smooth", "ema").exit_code == 0
    result = invoke("render", "--like", "orig.png", "-c", "paper", "--dpi", "50", "-o", "paper.png")
    assert result.exit_code == 0, result.stderr
    config = _record(tmp_path / "paper.png").config
    assert config["smoothing"]["method"] == "ema"          # recorded
    assert config["figure"]["width"] == 3.5                # the paper preset over it
    assert config["figure"]["dpi"] == 50                   # the flag over both


def test_like_names_the_input_that_changed(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-o", "orig.png").exit_code == 0
    with open("run.jsonl", "a") as stream:
        stream.write('{"step": 1000, "rl_flops": 2e21, "accuracy": 0.9, "avg_parallelism": 3}\n')
    result = invoke("render", "--like", "orig.png", "-o", "again.png")
    assert result.exit_code == 1 and not (tmp_path / "again.png").exists()
    (line,) = result.stderr.splitlines()
    assert line.startswith("rlplot: error: run.jsonl: changed since orig.png was made (sha256 ")
    assert line.endswith("(give the logs to draw: rlplot render --like orig.png LOG...)")
    given = invoke("render", "--like", "orig.png", "run.jsonl", "-o", "given.png")
    assert given.exit_code == 0, given.stderr
    assert _record(tmp_path / "given.png").inputs[0].sha256 != _record(tmp_path / "orig.png").inputs[0].sha256


def test_like_on_other_logs_and_on_a_hashes_only_figure(invoke, seed_log, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("render", "run.jsonl", "-c", "anonymized-x", "-o", "anon.pdf").exit_code == 0
    refused = invoke("render", "--like", "anon.pdf", "-o", "x.png")
    assert refused.exit_code == 1
    assert "anon.pdf: the figure records its inputs by hash only" in refused.stderr
    other = write_jsonl(tmp_path / "other.jsonl", [{"step": i, "accuracy": 0.1 * i, "parallelism": i}
                                                   for i in range(10)])
    result = invoke("render", "--like", "anon.pdf", other.name, "-o", "other.svg")
    assert result.exit_code == 0, result.stderr
    record = _record(tmp_path / "other.svg")
    assert record.config["figure"]["x_tick_format"] == "hidden" and record.inputs[0].path is None


@pytest.mark.parametrize("setup, expected", [
    ("none", "orig.png: the figure records no rlplot provenance"),
    ("missing", "run.jsonl: the figure's recorded input is missing"),
    ("not-a-figure", "run.jsonl: not a figure rlplot writes ('.jsonl')"),
])
def test_like_errors_are_one_line(invoke, seed_log, tmp_path, monkeypatch, setup, expected):
    monkeypatch.chdir(tmp_path)
    off = ["--set", "output.provenance=false"] if setup == "none" else []
    assert invoke("render", "run.jsonl", "-o", "orig.png", *off).exit_code == 0
    if setup == "missing":
        seed_log.rename(tmp_path / "moved.jsonl")
    figure = "run.jsonl" if setup == "not-a-figure" else "orig.png"
    result = invoke("render", "--like", figure, "-o", "x.png")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rlplot: error: {expected}")


def test_logs_are_still_required_without_like(invoke):
    result = invoke("render")
    assert result.exit_code == 2 and "Missing argument 'LOG...'" in result.stderr
