"""Keyword arguments -> a ``Config``: what ``-c``, ``--set`` and the dedicated flags are on the CLI.

``config=`` takes what ``-c`` takes (a preset name, a YAML path, a ``Config``, a mapping
shaped like a YAML config, or a list of these; later ones win), ``set=`` what ``--set``
takes (``{"figure.dpi": 300}`` or ``["figure.dpi=300"]``), and every other keyword is
one of the command's flags, spelt as a Python name (``--ema-weight`` -> ``ema_weight``)
with the one config key that flag sets. Layers, lowest first, as on the CLI: defaults <
each ``config`` < ``set`` < keywords. An unknown keyword is a ConfigError that says which
keyword was probably meant.
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Mapping

from ..config.layers import Layer, config_layers, file_layers
from ..config.loader import resolve
from ..config.schema import Config, to_mapping
from ..errors import ConfigError
from ..registry import unknown_hint

# The keywords of rlplot.plot / summary / report: `rlplot render`'s flags and the key each sets
# (rlplot.cli.render.FLAG_KEYS; a test holds them equal). `y` and `annotate` set the panels.
RENDER_KEYWORDS: dict[str, str] = {
    "x": "data.x", "restarts": "data.restarts", "duplicates": "data.duplicates",
    "input_format": "data.format",
    "smooth": "smoothing.method", "frac": "smoothing.frac", "ema_weight": "smoothing.weight",
    "dpi": "figure.dpi", "width": "figure.width", "height": "figure.height",
    "aggregate": "runs.aggregate", "band": "runs.band", "reps": "runs.reps",
    "x_range": "runs.x_range", "group_by": "runs.group_by", "where": "runs.where",
}
# The keywords of rlplot.compare: `rlplot compare`'s flags (rlplot.cli.compare.FLAG_KEYS).
COMPARE_KEYWORDS: dict[str, str] = {
    "algo_by": "compare.algo_by", "task_by": "compare.task_by", "score": "compare.score",
    "normalize": "compare.normalize", "kinds": "compare.kinds", "layout": "compare.layout",
    "pairs": "compare.improvement.pairs", "profile": "compare.profiles.kind",
    "tau_scale": "compare.profiles.tau_scale", "reps": "runs.reps", "level": "runs.level",
    "seed": "runs.seed", "x": "data.x", "input_format": "data.format",
}
LISTS = frozenset({"group_by", "where", "kinds", "pairs"})   # one value or a list of them
KEYWORDS_LAYER = "keywords"
# The entry points' own parameters: offered with the flags when a keyword is misspelt.
PARAMETERS = ("y", "config", "set", "runs", "labels", "tag", "value", "step", "long", "strict",
              "annotate", "thresholds", "title")


def keyword_layer(keywords: Mapping[str, Any], known: Mapping[str, str], *, y=None,
                  annotate: bool = False, one_y: bool = False) -> dict:
    """The keywords as a config layer (nested data); None values are left out, as unset flags."""
    layer: dict = {}
    for name, value in keywords.items():
        if name not in known:
            raise ConfigError(f"unknown keyword '{name}'",
                              hint=unknown_hint(name, [*known, *PARAMETERS]))
        if value is None:
            continue
        if name in LISTS:
            value = [value] if isinstance(value, str) else list(value)
        *sections, key = known[name].split(".")
        node = layer
        for section in sections:
            node = node.setdefault(section, {})
        node[key] = value
    ys = [y] if isinstance(y, str) else list(y or ())
    if one_y and len(ys) > 1:
        raise ConfigError("compare scores one metric: give y once",
                          hint="default: the first panel's metric")
    extra = {"annotate": True} if annotate else {}
    if ys:
        layer["panels"] = [{"metric": str(metric), **extra} for metric in ys]
    elif annotate:
        layer["panels"] = {"*": extra}   # every panel, however many the configs made
    return layer


def _config_items(config) -> list:
    if config is None:
        return []
    if isinstance(config, (str, os.PathLike, Config, Mapping)):
        return [config]
    return list(config)


def _layers_of(item) -> list[Layer]:
    """One ``config=`` item as config layers."""
    if isinstance(item, Config):
        return [Layer(name="config", data=to_mapping(item))]
    if isinstance(item, Mapping):
        return [Layer(name="config", data=to_mapping(dict(item)))]
    if isinstance(item, (str, os.PathLike)):
        return file_layers(os.fspath(item))
    raise ConfigError(f"config: cannot use a {type(item).__name__}",
                      hint="give a preset name, a YAML path, a Config, a mapping, or a list of them")


def set_items(values) -> list[str] | Layer:
    """``set=`` as ``--set`` items, or (a mapping of dotted keys to values) a layer of its own."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    if isinstance(values, Mapping):
        data: dict = {}
        for dotted, value in values.items():
            parts = [int(p) if p.isdigit() else p for p in str(dotted).split(".")]
            node = data
            for part in parts[:-1]:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise ConfigError(f"set: {dotted}: '{part}' is already a value")
            node[parts[-1]] = list(value) if isinstance(value, tuple) else value
        return Layer(name="set", data=data)
    return [str(item) for item in values]


def build_config(config=None, sets=None, layer: Mapping | None = None) -> Config:
    """The effective Config: ``config`` items, then ``set``, then the keyword ``layer``; the first
    problem raised as a ConfigError (as ``load_config``)."""
    layers: list[Layer] = [part for item in _config_items(config) for part in _layers_of(item)]
    items = set_items(sets)
    if isinstance(items, Layer):
        layers.append(items)
        items = []
    layers += config_layers((), items, None)
    if layer:
        layers.append(Layer(name=KEYWORDS_LAYER, data=dict(layer)))
    built, problems = resolve(layers)
    if problems.errors:
        raise problems.in_file_order()[0]
    return built


def listed(value: str | Iterable[str] | None) -> list[str]:
    """One name or several as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]
