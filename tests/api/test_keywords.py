"""Keywords -> Config: the CLI flags' names and keys, -c's references, --set's items."""
from __future__ import annotations

import pytest

from rlplot.api.keywords import (COMPARE_KEYWORDS, RENDER_KEYWORDS, build_config, keyword_layer,
                                 set_items)
from rlplot.config import Config, load_config
from rlplot.config.layers import Layer
from rlplot.errors import ConfigError


def test_each_keyword_is_a_cli_flag_setting_the_same_key():
    from rlplot.cli.compare import FLAG_KEYS as COMPARE_FLAGS
    from rlplot.cli.render import FLAG_KEYS as RENDER_FLAGS

    # formats only names files the CLI writes without -o; a notebook saves by path.
    assert RENDER_KEYWORDS == {k: v for k, v in RENDER_FLAGS.items() if k != "formats"}
    assert COMPARE_KEYWORDS == COMPARE_FLAGS


def test_keywords_give_the_config_the_same_flags_give():
    from rlplot.cli.render import render_overrides

    mine = build_config(layer=keyword_layer(
        {"smooth": "ema", "ema_weight": 0.8, "group_by": "lr", "where": ["cfg:seed<3"], "dpi": 90,
         "x": "step"}, RENDER_KEYWORDS, y=["reward", "loss"], annotate=True))
    theirs = load_config(overrides=render_overrides(
        ("reward", "loss"), True, smooth="ema", ema_weight=0.8, group_by=("lr",),
        where=("cfg:seed<3",), dpi=90, x="step")).config
    assert mine == theirs
    assert mine.runs.group_by == ("lr",) and [p.metric for p in mine.panels] == ["reward", "loss"]


def test_an_unknown_keyword_says_which_was_meant():
    with pytest.raises(ConfigError) as caught:
        keyword_layer({"smoth": "ema"}, RENDER_KEYWORDS)
    assert caught.value.what == "unknown keyword 'smoth'"
    assert caught.value.hint.startswith("did you mean 'smooth'? choose one of: x, restarts")
    with pytest.raises(ConfigError, match="did you mean 'algo_by'"):
        keyword_layer({"algo": "x"}, COMPARE_KEYWORDS)


def test_none_is_an_unset_keyword_and_one_value_fills_a_list():
    assert keyword_layer({"smooth": None, "x": None}, RENDER_KEYWORDS) == {}
    assert keyword_layer({"group_by": "lr"}, RENDER_KEYWORDS) == {"runs": {"group_by": ["lr"]}}
    assert keyword_layer({"pairs": ("a:b",)}, COMPARE_KEYWORDS) == {
        "compare": {"improvement": {"pairs": ["a:b"]}}}


def test_set_takes_items_or_a_mapping_of_dotted_keys():
    assert set_items("figure.dpi=3") == ["figure.dpi=3"]
    layer = set_items({"figure.dpi": 300, "panels.0.title": "A", "runs.group_by": ("x",)})
    assert isinstance(layer, Layer)
    assert layer.data == {"figure": {"dpi": 300}, "panels": {0: {"title": "A"}}, "runs": {"group_by": ["x"]}}
    built = build_config(sets={"figure.dpi": 300, "figure.suptitle": "Run: 1"})
    assert (built.figure.dpi, built.figure.suptitle) == (300, "Run: 1")
    with pytest.raises(ConfigError, match="'dpi' is already a value"):
        set_items({"figure.dpi": 3, "figure.dpi.x": 4})


def test_config_items_layer_in_order_and_keywords_win(tmp_path):
    style = tmp_path / "s.yaml"
    style.write_text("figure:\n  dpi: 50\n  width: 3\n", encoding="utf-8")
    built = build_config(["paper", style], ["figure.width=4"],
                         keyword_layer({"width": 5}, RENDER_KEYWORDS))
    assert (built.figure.dpi, built.figure.width) == (50, 5)
    assert build_config(Config(figure=Config().figure.__class__(dpi=77))).figure.dpi == 77
    with pytest.raises(ConfigError, match="config: cannot use a int"):
        build_config([3])
    with pytest.raises(ConfigError) as caught:
        build_config(layer={"figure": {"dpi": 1}})
    assert caught.value.file == "keywords" and "figure.dpi" in caught.value.what
