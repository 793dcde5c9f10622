"""Deep merge of config layers over the defaults, recording where every value came from.

Mappings merge key by key, lists replace, ``panels.N`` addresses one panel and
``panels.*`` every panel (also those later layers create). The origin map holds, for
each key path, the (source, line) that set it; ``paths.nearest`` finds a path's.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import ConfigError
from .layers import Layer
from .paths import DEFAULT_SOURCE, KeyPath, Where, dotted_keys, mapping_leaves, nearest
from .schema import Config, PanelStyle, to_mapping

DEFAULT_WHERE: Where = (DEFAULT_SOURCE, None)


def merge_layers(layers: list[Layer]) -> tuple[dict, dict]:
    """Deep-merge layers over the defaults; return the merged data and key path -> (source, line)."""
    merged = to_mapping(Config())
    origin: dict = {}
    _record(origin, merged, (), DEFAULT_WHERE)
    template = _PanelTemplate()
    for layer in layers:
        _merge(merged, layer.data, (), layer, origin, template)
    resolve_style_paths(merged, origin, layers)
    return merged, origin


class _Rekeyed:
    """A layer seen through ``panels.*``: lines of ``("panels", "*", …)`` found as ``("panels", N, …)``."""

    def __init__(self, layer: Layer, key, index: int) -> None:
        self.layer, self.key, self.index = layer, key, index
        self.name = layer.name

    def where(self, path: KeyPath) -> Where:
        """The location of the same key under ``panels.*``."""
        if path[:2] == ("panels", self.index):
            path = ("panels", self.key) + path[2:]
        return self.layer.where(path)


@dataclass
class _PanelTemplate:
    """What ``panels.*`` layers set so far: applied to existing panels and to panels made later."""

    data: dict = field(default_factory=dict)
    origin: dict = field(default_factory=dict)   # path inside a panel -> (source, line)

    def add(self, value: dict, layer: Layer) -> None:
        """Remember a ``panels.*`` mapping and where each of its keys was set."""
        _deep_update(self.data, value)
        for rel in mapping_leaves(value):
            self.origin[rel] = layer.where(("panels", "*") + rel)

    def new_panel(self, origin: dict, index: int) -> dict:
        """A fresh panel: the panel defaults with the template over them (origins recorded)."""
        panel = to_mapping(PanelStyle())
        _deep_update(panel, self.data)
        _record(origin, panel, ("panels", index), DEFAULT_WHERE)
        for rel, where in self.origin.items():
            origin[("panels", index) + rel] = where
        return panel


def _record(origin: dict, value, path: KeyPath, where) -> None:
    # Record where every key path under `value` came from; `where` is a (source, line)
    # pair, or a function of the key path giving one (a layer's `where`).
    origin[path] = where(path) if callable(where) else where
    if isinstance(value, dict):
        for key, sub in value.items():
            _record(origin, sub, path + (key,), where)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _record(origin, sub, path + (index,), where)


def _forget(origin: dict, path: KeyPath) -> None:
    # A replaced value drops the sources of whatever it replaced.
    n = len(path)
    for key in [k for k in origin if len(k) > n and k[:n] == path]:
        del origin[key]


def _merge(base: dict, over: Mapping, path: KeyPath, layer, origin: dict,
           template: _PanelTemplate | None = None) -> None:
    template = template or _PanelTemplate()
    for key, value in over.items():
        sub = path + (key,)
        if key == "panels" and path == () and isinstance(value, dict):
            _merge_panels(base, value, layer, origin, template)
        elif sub == ("rc",) and isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge_rc(base[key], value, layer, origin)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value, sub, layer, origin)
            origin.setdefault(sub, layer.where(sub))
        elif key == "panels" and path == () and isinstance(value, list):
            _forget(origin, sub)
            base[key] = _new_panels(value, layer, origin, template)
        else:
            _forget(origin, sub)
            base[key] = copy.deepcopy(value)
            _record(origin, base[key], sub, DEFAULT_WHERE)
            # Only the keys the layer wrote get its location; defaults filled in around
            # them stay "default".
            _record(origin, value, sub, layer.where)


def _merge_rc(rc: dict, value: dict, layer, origin: dict) -> None:
    # rcParams are flat dotted names; `--set rc.font.size=8` arrives nested.
    for name, item in dotted_keys(value).items():
        rc[name] = copy.deepcopy(item)
        exact = ("rc", name)
        origin[exact] = layer.where(exact if exact in layer.lines else ("rc",) + tuple(name.split(".")))
    origin.setdefault(("rc",), layer.where(("rc",)))


def _new_panels(items: list, layer, origin: dict, template: _PanelTemplate) -> list:
    # A new panel list: each panel starts from the panel defaults and `panels.*`.
    panels = []
    for index, item in enumerate(items):
        panel = template.new_panel(origin, index)
        if isinstance(item, dict):
            _deep_update(panel, item)
            panels.append(panel)
        else:
            panels.append(copy.deepcopy(item))   # reported by validation
    origin[("panels",)] = layer.where(("panels",))
    for index, item in enumerate(items):
        _record(origin, item, ("panels", index), layer.where)
    return panels


def _deep_update(base: dict, over: Mapping) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def _merge_panels(base: dict, by_index: Mapping, layer: Layer, origin: dict,
                  template: _PanelTemplate) -> None:
    panels = base["panels"]
    for key, value in by_index.items():
        if key == "*":
            # `panels.*.…` styles every panel: those defined so far, and those that later
            # layers create (where the later layer's own keys win).
            if not isinstance(value, dict):
                raise ConfigError("panels.* must be a mapping of panel options",
                                  file=layer.name, line=layer.where(("panels", key))[1])
            template.add(value, layer)
            for index in range(len(panels)):
                _merge(panels[index], value, ("panels", index), _Rekeyed(layer, key, index), origin)
            continue
        index = key if isinstance(key, int) else (int(key) if str(key).isdigit() else None)
        if index is None or index < 0:
            raise ConfigError(f"panels.{key}: a panel is addressed by its number (0, 1, …)",
                              file=layer.name, line=layer.where(("panels", key))[1])
        while len(panels) <= index:
            panels.append(template.new_panel(origin, len(panels)))
        if not isinstance(value, dict):
            raise ConfigError(f"panels.{index} must be a mapping of panel options",
                              file=layer.name, line=layer.where(("panels", key))[1])
        _merge(panels[index], value, ("panels", index), layer, origin)
        if origin.get(("panels", index), DEFAULT_WHERE)[0] == DEFAULT_SOURCE:
            origin[("panels", index)] = layer.where(("panels", key))


def resolve_style_paths(merged: dict, origin: dict, layers: list[Layer]) -> None:
    """Make each relative ``.mplstyle`` path of ``style`` point next to the config file that set it."""
    files = {layer.name: layer.file for layer in layers if layer.file}
    styles = merged.get("style")
    if isinstance(styles, str):
        styles = merged["style"] = [styles]
    if not isinstance(styles, list):
        return
    for index, item in enumerate(styles):
        source = nearest(origin, ("style", index), DEFAULT_WHERE)[0]
        if isinstance(item, str) and source in files and not Path(item).is_absolute():
            near = Path(files[source]).parent / item
            if near.is_file():
                styles[index] = str(near.resolve())
