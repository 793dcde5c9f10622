"""Config layers: ``extends:`` chains (read once each, diamonds fine, loops refused), files, ``--set``."""
from __future__ import annotations

import pytest

from rlplot.config import load_config
from rlplot.config import layers as layers_module
from rlplot.config.layers import (MAX_CONFIG_BYTES, MAX_EXTENDS_FILES, MAX_EXTENDS_REFS, config_layers,
                                  set_layer)
from rlplot.errors import ConfigError

from .helpers import messages, write


@pytest.fixture
def count_reads(monkeypatch):
    """Count the config files read (each call of ``layers.read_layer``)."""
    reads: list[str] = []
    real = layers_module.read_layer

    def counting(path, name=None):
        reads.append(str(path.resolve()))
        return real(path, name)
    monkeypatch.setattr(layers_module, "read_layer", counting)
    return reads


# ---------------------------------------------------------------------------- extends

def test_presets_are_found_by_name_and_labelled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine.yaml", "extends: paper\nfigure: {height: 2.0}\n")
    loaded = load_config(["mine.yaml"])
    assert loaded.config.figure.width == 3.5 and loaded.config.figure.height == 2.0
    assert loaded.origin[("figure", "width")][0] == "preset:paper"
    assert loaded.origin[("figure", "height")] == ("mine.yaml", 2)


def test_a_local_file_wins_over_a_preset_of_the_same_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "paper.yaml", "figure: {width: 4.25}\n")
    assert load_config(["paper.yaml"]).config.figure.width == 4.25
    assert load_config(["paper"]).config.figure.width == 3.5


def test_paper_wide_extends_paper():
    config = load_config(["paper-wide"]).config
    assert config.figure.width == 7.0
    assert config.figure.font_family == "serif"          # from paper
    assert config.output.formats == ("pdf",)              # from paper


def test_extends_paths_are_relative_to_the_extending_file_not_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "cfg").mkdir()
    write(tmp_path / "cfg" / "base.yaml", "figure: {width: 5}\n")
    write(tmp_path / "cfg" / "child.yaml", "extends: base.yaml\n")
    write(tmp_path / "base.yaml", "figure: {width: 9}\n")          # a decoy in the working folder
    write(tmp_path / "paper", "figure: {width: 9}\n")              # a decoy named like a preset
    monkeypatch.chdir(tmp_path)
    assert load_config(["cfg/child.yaml"]).config.figure.width == 5
    assert load_config(["paper-wide"]).config.figure.font_family == "serif"   # extends the preset


def test_parents_are_layered_in_the_order_listed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.yaml", "figure: {width: 5, height: 2}\n")
    write(tmp_path / "b.yaml", "figure: {width: 6}\n")
    write(tmp_path / "top.yaml", "extends: [a.yaml, b.yaml]\n")
    assert [layer.name for layer in config_layers(["top.yaml"])] == ["a.yaml", "b.yaml", "top.yaml"]
    assert load_config(["top.yaml"]).config.figure.width == 6


def test_a_loop_is_an_error_at_the_extends_line_of_the_file_closing_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "loop1.yaml", "extends: loop2.yaml\n")
    write(tmp_path / "loop2.yaml", "figure: {width: 4}\nextends: loop1.yaml\n")
    write(tmp_path / "self.yaml", "extends: self.yaml\n")
    assert messages("loop1.yaml") == [
        "loop2.yaml:2: 'extends' loops back to a file already being read "
        "('loop1.yaml' extends, directly or not, this file)"]
    assert messages("self.yaml") == [
        "self.yaml:1: 'extends' loops back to a file already being read "
        "('self.yaml' extends, directly or not, this file)"]


def test_a_loop_behind_a_diamond_is_still_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "top.yaml", "extends: [left.yaml, right.yaml]\n")
    write(tmp_path / "left.yaml", "extends: base.yaml\n")
    write(tmp_path / "right.yaml", "extends: base.yaml\n")
    write(tmp_path / "base.yaml", "extends: top.yaml\n")
    (message,) = messages("top.yaml")
    assert message.startswith("base.yaml:1: 'extends' loops back")


def test_a_diamond_is_fine_and_its_shared_base_is_read_and_applied_once(tmp_path, monkeypatch, count_reads):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "base.yaml", "figure: {width: 5, height: 2, dpi: 100}\n")
    write(tmp_path / "left.yaml", "extends: base.yaml\nfigure: {width: 6}\n")
    write(tmp_path / "right.yaml", "extends: base.yaml\nfigure: {dpi: 110}\n")
    write(tmp_path / "top.yaml", "extends: [left.yaml, right.yaml]\n")
    assert messages("top.yaml") == []
    count_reads.clear()
    loaded = load_config(["top.yaml"])
    assert sorted(count_reads) == sorted(str((tmp_path / n).resolve())
                                         for n in ("top.yaml", "left.yaml", "right.yaml", "base.yaml"))
    figure = loaded.config.figure
    assert (figure.width, figure.height, figure.dpi) == (6, 2, 110)   # base is not re-applied over left
    assert loaded.origin[("figure", "width")] == ("left.yaml", 2)
    assert loaded.origin[("figure", "height")] == ("base.yaml", 1)


def test_a_deep_and_wide_extends_graph_reads_each_file_once(tmp_path, count_reads):
    # 15 files, each extending the next one 8 times: 8**14 chains if each were followed.
    levels = 15
    for level in range(levels):
        parent = [f"f{level + 1}.yaml"] * 8 if level + 1 < levels else []
        write(tmp_path / f"f{level}.yaml", f"extends: {parent}\nfigure: {{dpi: {100 + level}}}\n")
    write(tmp_path / f"f{levels - 1}.yaml", "figure: {width: 7, dpi: 50}\n")
    loaded = load_config([str(tmp_path / "f0.yaml")])
    assert len(count_reads) == levels and len(set(count_reads)) == levels
    assert (loaded.config.figure.width, loaded.config.figure.dpi) == (7, 100)


def test_a_lattice_of_diamonds_reads_each_file_once(tmp_path, count_reads):
    # Two files per level, each extending both files of the next level: 2**14 chains.
    levels = 15
    for level in range(levels):
        parents = [f"{side}{level + 1}.yaml" for side in "ab"] if level + 1 < levels else []
        for side in "ab":
            write(tmp_path / f"{side}{level}.yaml",
                  f"extends: {parents}\nfigure: {{suptitle: {side}{level}}}\n")
    assert load_config([str(tmp_path / "a0.yaml")]).config.figure.suptitle == "a0"
    assert len(count_reads) == 2 * levels - 1 and len(set(count_reads)) == 2 * levels - 1


def test_too_many_extends_entries_are_refused_at_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "base.yaml", "figure: {width: 5}\n")
    parents = ["base.yaml"] * (MAX_EXTENDS_REFS + 1)
    write(tmp_path / "wide.yaml", f"figure: {{width: 4}}\nextends: {parents}\n")
    assert messages("wide.yaml") == [
        f"wide.yaml:2: 'extends' fans out too widely (at most {MAX_EXTENDS_REFS} 'extends' entries in all)"]


def test_too_many_distinct_files_are_refused(tmp_path, monkeypatch, count_reads):
    monkeypatch.chdir(tmp_path)
    names = [f"p{i}.yaml" for i in range(MAX_EXTENDS_FILES + 5)]
    for name in names:
        write(tmp_path / name, "figure: {width: 5}\n")
    write(tmp_path / "many.yaml", f"extends: {names}\n")
    assert messages("many.yaml") == [
        f"many.yaml:1: 'extends' pulls in too many files (at most {MAX_EXTENDS_FILES} files)"]
    assert len(count_reads) == MAX_EXTENDS_FILES


def test_a_chain_deeper_than_the_limit_is_refused(tmp_path):
    for level in range(20):
        write(tmp_path / f"c{level}.yaml", f"extends: c{level + 1}.yaml\n" if level < 19 else "{}\n")
    (message,) = messages(tmp_path / "c0.yaml")
    assert "'extends' chain is too deep (at most 16 files)" in message


def test_a_missing_parent_suggests_a_preset_at_the_extends_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "missing.yaml", "figure: {width: 4}\nextends: papr\n")
    assert messages("missing.yaml") == [
        "missing.yaml:2: no config file or preset 'papr' (did you mean the preset 'paper'?)"]


def test_extends_must_name_files(tmp_path):
    cfg = write(tmp_path / "x.yaml", "figure: {width: 4}\nextends: {a: 1}\n")
    assert messages(cfg) == [f"{cfg}:2: 'extends' must be a preset name, a path, or a list of them"]


def test_an_unknown_reference_suggests_the_closest_preset():
    with pytest.raises(ConfigError, match="no config file or preset 'slidez'.*'slides'"):
        load_config(["slidez"])


# ---------------------------------------------------------------------------- files

def test_oversized_file_is_refused_before_reading(tmp_path):
    cfg = tmp_path / "big.yaml"
    cfg.write_text("# " + "x" * MAX_CONFIG_BYTES + "\n")
    (message,) = messages(cfg)
    assert f"config file is {MAX_CONFIG_BYTES + 3} bytes" in message


def test_a_config_must_be_a_mapping(tmp_path):
    cfg = write(tmp_path / "list.yaml", "- a\n- b\n")
    assert messages(cfg) == [f"{cfg}:1: a config must be a mapping of sections (figure:, panels:, …)"]


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    cfg = tmp_path / "latin.yaml"
    cfg.write_bytes(b"figure: {suptitle: caf\xe9}\n")
    assert messages(cfg) == [f"{cfg}: not UTF-8 text"]


# ---------------------------------------------------------------------------- --set

def test_set_values_are_yaml_typed():
    config = load_config([], ["figure.dpi=300", "figure.grid=false", "output.formats=[png, pdf]",
                              "figure.suptitle=Run: 1", "figure.x_min=1e3"]).config
    assert config.figure.dpi == 300 and config.figure.grid is False
    assert config.output.formats == ("png", "pdf")
    assert config.figure.suptitle == "Run: 1"   # not YAML: kept as typed
    assert config.figure.x_min == 1000.0


def test_set_keeps_text_options_as_typed():
    layer = set_layer(["figure.suptitle=[1, 2]", "panels.*.title={a: 1}", "figure.dpi=[1, 2]"])
    assert layer.data["figure"] == {"suptitle": "[1, 2]", "dpi": [1, 2]}
    assert layer.data["panels"]["*"]["title"] == "{a: 1}"


def test_set_without_equals_is_an_error():
    with pytest.raises(ConfigError, match="--set needs key.path=value"):
        load_config([], ["figure.width"])


def test_set_with_an_empty_key_part_is_an_error():
    with pytest.raises(ConfigError, match=r"--set figure\.\.dpi: empty part in the key path"):
        load_config([], ["figure..dpi=3"])


def test_set_below_a_value_is_an_error():
    with pytest.raises(ConfigError, match="--set figure.dpi.x: 'dpi' is already a value"):
        load_config([], ["figure.dpi=3", "figure.dpi.x=4"])
