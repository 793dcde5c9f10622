"""Saving: byte-identical re-renders, atomic writes, refusing to overwrite an input."""
from __future__ import annotations

import os

import pytest

from rlplot.choices import FIGURE_FORMATS
from rlplot.errors import OutputError
from rlplot.figure import save as save_module
from rlplot.figure.save import output_format
from rlplot.pipeline import render


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_rerender_is_byte_identical(seed_log, tmp_path, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    render([str(seed_log)], [str(first)])
    render([str(seed_log)], [str(second)])
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 1000


def test_svg_and_pdf_carry_no_date(seed_log, tmp_path):
    render([str(seed_log)], [str(tmp_path / "a.svg"), str(tmp_path / "a.pdf")])
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()
    assert b"CreationDate" not in (tmp_path / "a.pdf").read_bytes()


def test_interrupted_write_leaves_nothing(seed_log, tmp_path, monkeypatch):
    target = tmp_path / "out" / "fig.png"
    target.parent.mkdir()
    target.write_bytes(b"previous good figure")

    def broken_savefig(self, stream, **kwargs):
        stream.write(b"half a figure")
        raise KeyboardInterrupt

    from matplotlib.figure import Figure
    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(KeyboardInterrupt):
        render([str(seed_log)], [str(target)])
    assert target.read_bytes() == b"previous good figure"
    assert os.listdir(target.parent) == ["fig.png"]  # no temp file left behind


def test_output_equal_to_input_is_refused_before_any_work(seed_log, tmp_path):
    before = seed_log.read_bytes()
    other = tmp_path / "other.png"
    link = tmp_path / "same.png"
    link.symlink_to(seed_log)
    with pytest.raises(OutputError, match="overwrite an input"):
        render([str(link)], [str(other), str(link)])
    assert seed_log.read_bytes() == before and not other.exists()


def test_unknown_format_is_refused_before_any_work(seed_log, tmp_path):
    with pytest.raises(OutputError, match="unknown output format"):
        render([str(seed_log)], [str(tmp_path / "a.png"), str(tmp_path / "a.jpg")])
    assert not (tmp_path / "a.png").exists()


def test_missing_parent_folders_are_created(seed_log, tmp_path):
    target = tmp_path / "deep" / "er" / "fig.svg"
    assert render([str(seed_log)], [str(target)]).written == (str(target),)
    assert target.exists()


def test_every_registered_figure_format_has_deterministic_metadata():
    assert set(save_module.DETERMINISTIC_METADATA) == set(FIGURE_FORMATS.names)


@pytest.mark.parametrize("name", FIGURE_FORMATS.names)
def test_the_extension_names_the_format_in_any_case(name):
    assert output_format(f"run/fig.{name}") == name
    assert output_format(f"run/FIG.{name.upper()}") == name


@pytest.mark.parametrize("path, hint", [
    ("fig.gif", "(choose one of: .png, .svg, .pdf)"),
    ("fig.pgn", "(did you mean '.png'? choose one of: .png, .svg, .pdf)"),
    ("fig", "(choose one of: .png, .svg, .pdf)"),
])
def test_unknown_extension_names_the_registered_ones(path, hint):
    with pytest.raises(OutputError) as info:
        output_format(path)
    assert str(info.value).endswith(hint) and info.value.file == path


def test_atomic_output_turns_os_errors_into_output_errors(tmp_path):
    from rlplot.atomic import atomic_output

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="a parent of this path is a file"):
        with atomic_output(blocker / "sub" / "out.txt"):
            pass
    target = tmp_path / "t.txt"
    with pytest.raises(ValueError):
        with atomic_output(target, "w") as stream:
            stream.write("partial")
            raise ValueError("boom")
    assert os.listdir(tmp_path) == ["file"]


def test_a_long_output_name_still_fits(seed_log, tmp_path):
    target = tmp_path / ("n" * 240 + ".png")
    assert render([str(seed_log)], [str(target)]).written == (str(target),)


def _tiny_figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


def _record():
    from rlplot.provenance import InputRecord, Provenance

    return Provenance("9.9", "rlplot render 'a b.jsonl' -o <x>&y", (InputRecord("a b.jsonl", "0" * 64, 5),),
                      {"figure": {"dpi": 80}})


def test_every_registered_figure_format_says_where_provenance_goes():
    assert set(save_module.PROVENANCE_KEYS) == set(FIGURE_FORMATS.names)


def test_png_carries_the_record_in_a_text_chunk(tmp_path):
    from PIL import Image

    out = tmp_path / "f.png"
    save_module.save_figure(_tiny_figure(), str(out), provenance=_record())
    with Image.open(out) as image:
        assert image.text["rlplot-provenance"] == _record().to_json()
        assert image.text["Software"] == "rlplot"


def test_svg_carries_the_record_inside_its_metadata_and_stays_valid_xml(tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "f.svg"
    save_module.save_figure(_tiny_figure(), str(out), provenance=_record())
    root = ET.parse(out).getroot()
    (metadata,) = root.findall("{http://www.w3.org/2000/svg}metadata")
    element = metadata.find("{urn:rlplot:provenance}provenance")
    assert element.text == _record().to_json()


def test_svg_without_metadata_gets_some():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1"><g/></svg>'
    out = save_module.svg_with(svg, _record())
    assert out.startswith(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                          b'width="1"><metadata><rlplot:provenance')
    assert out.endswith(b"</rlplot:provenance></metadata><g/></svg>")


def test_pdf_carries_the_record_in_its_document_info_without_a_warning(tmp_path):
    import warnings

    out = tmp_path / "f.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_module.save_figure(_tiny_figure(), str(out), provenance=_record())
    data = out.read_bytes()
    assert b"/RlplotProvenance (" in data and b"/Producer (rlplot)" in data


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_rerender_with_provenance_is_byte_identical_and_carries_no_date(seed_log, tmp_path, suffix):
    from rlplot.provenance import read_provenance

    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    render([str(seed_log)], [str(first)], command="same command")
    render([str(seed_log)], [str(second)], command="same command")
    assert first.read_bytes() == second.read_bytes()
    assert read_provenance(str(first)).command == "same command"
    assert b"CreationDate" not in first.read_bytes() and b"<dc:date>" not in first.read_bytes()
