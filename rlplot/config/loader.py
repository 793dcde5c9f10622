"""Loading configs: YAML layers, deep merge, ``--set`` paths, and validation against the schema.

Layers, lowest first: built-in defaults < ``extends:`` chain < each ``-c`` file <
``--set key.path=value`` < dedicated CLI flags. Mappings merge deeply, lists
replace, and ``panels.N`` addresses one panel. Only ``yaml.safe_load``-level
constructs are accepted; nothing in a config is ever evaluated.
"""
from __future__ import annotations

import collections.abc
import copy
import difflib
import math
import os
import re
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..errors import ConfigError
from .schema import Config, PanelStyle, SmoothingSpec

MAX_CONFIG_BYTES = 1 << 20          # a style file is a few KB; refuse anything huge
MAX_EXPANDED_NODES = 100_000        # YAML alias bombs expand past this quickly
MAX_FIGURE_PIXELS = 20_000          # a side; beyond, Agg allocates gigabytes (or fails)
MAX_EXTENDS_DEPTH = 16
DEFAULT_SOURCE = "default"

Path_ = tuple  # a key path such as ("panels", 0, "title")


@dataclass
class Layer:
    """One source of settings: its nested data and where each key came from."""

    name: str
    data: dict
    lines: dict = field(default_factory=dict)   # key path -> line number in `name`
    file: str | None = None

    def where(self, path: Path_) -> tuple[str, int | None]:
        """The file (or source name) and line of a key path, walking up to the nearest known key."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.name, self.lines[path[:cut]]
        return self.name, None


class _Rekeyed:
    """A layer seen through ``panels.*``: lines of ``("panels", "*", …)`` found as ``("panels", N, …)``."""

    def __init__(self, layer: Layer, key, index: int) -> None:
        self.layer, self.key, self.index = layer, key, index
        self.name = layer.name

    def where(self, path: Path_) -> tuple[str, int | None]:
        """The location of the same key under ``panels.*``."""
        if path[:2] == ("panels", self.index):
            path = ("panels", self.key) + path[2:]
        return self.layer.where(path)


# ---------------------------------------------------------------------------- presets

def preset_dirs() -> list[Path]:
    """Folders holding presets: inside the installed package (wheel), else the source tree's configs/."""
    here = Path(__file__).resolve().parent.parent
    return [d for d in (here / "_presets", here.parent / "configs") if d.is_dir()]


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    names: set[str] = set()
    for folder in preset_dirs():
        names.update(p.stem for p in folder.glob("*.yaml"))
    return sorted(names)


def resolve_config_path(ref: str, relative_to: Path | None = None) -> Path:
    """A ``-c``/``extends`` reference: an existing path, else a preset name."""
    return _locate(ref, relative_to)[0]


def _locate(ref: str, relative_to: Path | None = None) -> tuple[Path, bool]:
    # (path, found by preset name). A file wins over a preset of the same name, so a
    # local `paper.yaml` is used as written; `paper` alone means the preset. Within a
    # config (`extends:`), a relative path means relative to that config's folder.
    candidate = Path(ref)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate   # inside a config: relative to that file only
    if candidate.is_file():
        return candidate, False
    if "/" not in ref and os.sep not in ref:
        stem = ref[:-5] if ref.endswith(".yaml") else ref
        for folder in preset_dirs():
            path = folder / f"{stem}.yaml"
            if path.is_file():
                return path, True
    close = difflib.get_close_matches(ref, preset_names(), n=1)
    hint = f"did you mean the preset '{close[0]}'?" if close else \
        "give a path or a preset: " + ", ".join(preset_names())
    raise ConfigError(f"no config file or preset '{ref}'", hint=hint)


def preset_description(name: str) -> str:
    """A preset's one-line description: the text of its first comment line."""
    path, _ = _locate(name)
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            if line.startswith("#"):
                return line.lstrip("#").strip()
            if line.strip():
                break
    return ""


# ---------------------------------------------------------------------------- YAML

def _count_nodes(node, budget: list[int], file: str) -> None:
    # Aliases re-use nodes, so walking the composed graph counts the expanded size
    # without building it: a billion-laughs file stops here after ~100k steps.
    # The walk is iterative so that deep nesting cannot exhaust the Python stack.
    stack = [node]
    while stack:
        node = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise ConfigError("YAML expands to too many values (an alias bomb?)", file=file,
                              hint=f"a config may hold at most {MAX_EXPANDED_NODES} values")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _key_of(node):
    # The key as safe_load builds it (`0:` is the int 0, `on:` is True), so that line
    # numbers are found under the same path as the data.
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":str"):
        return getattr(node, "value", None)
    try:
        return yaml.safe_load(node.value)
    except yaml.YAMLError:
        return node.value


def _key_lines(node, path: Path_, out: dict, name: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            sub = path + (_key_of(key),)
            line = key.start_mark.line + 1
            if sub in out and out[sub] != line:
                raise ConfigError(f"duplicate key '{key.value}'" + (f" in {dotted(path)}" if path else ""),
                                  file=name, line=line, hint=f"first set on line {out[sub]}")
            out[sub] = line
            _key_lines(value, sub, out, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = path + (index,)
            out.setdefault(sub, item.start_mark.line + 1)
            _key_lines(item, sub, out, name)


def parse_yaml(text: str, name: str) -> tuple[Any, dict]:
    """Safely parse YAML text; return the data and a map of key path -> line.

    The node graph is composed and its expanded size checked before any Python
    object is built, so alias bombs and unsafe tags never get that far.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        _count_nodes(node, [MAX_EXPANDED_NODES], name)
        lines: dict = {}
        _key_lines(node, (), lines, name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if isinstance(exc, yaml.constructor.ConstructorError) or "python/" in str(exc):
            tag = re.search(r"tag '([^']*)'", str(exc))
            shown = f" '{tag.group(1).replace('tag:yaml.org,2002:', '!!')}'" if tag else ""
            raise ConfigError(f"unsafe or unknown YAML tag{shown}{column}", file=name, line=line,
                              hint="only plain YAML is allowed; nothing was run") from None
        raise ConfigError(f"YAML syntax error{column}: {what}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"YAML error: {exc}", file=name) from None
    except RecursionError:
        raise ConfigError("YAML is nested too deeply", file=name) from None
    except TypeError as exc:   # e.g. a list used as a mapping key
        raise ConfigError(f"YAML error: {exc}", file=name) from None
    finally:
        loader.dispose()
    return data, lines


def read_layer(path: Path, name: str | None = None) -> Layer:
    """Read one YAML config file into a Layer (size-limited, safe)."""
    shown = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"config file is {size} bytes", file=shown,
                              hint=f"a config may be at most {MAX_CONFIG_BYTES} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such config file", file=shown) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", file=shown) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", file=shown) from None
    data, lines = parse_yaml(text, shown)
    if not isinstance(data, dict):
        raise ConfigError("a config must be a mapping of sections (figure:, panels:, …)", file=shown,
                          line=1)
    return Layer(name=shown, data=data, lines=lines, file=str(path))


def file_layers(ref: str, _seen: tuple = ()) -> list[Layer]:
    """The layers of one ``-c`` reference: its ``extends:`` chain first, then the file itself."""
    path, is_preset = _locate(ref)
    return _file_layers(path, f"preset:{path.stem}" if is_preset else ref, _seen)


def _file_layers(path: Path, shown: str, seen: tuple) -> list[Layer]:
    real = path.resolve()
    if real in seen:
        raise ConfigError("'extends' loops back to a file already being read", file=shown)
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ConfigError("'extends' chain is too deep", file=shown,
                          hint=f"at most {MAX_EXTENDS_DEPTH} files")
    layer = read_layer(path, shown)
    parents = layer.data.pop("extends", None)
    layers: list[Layer] = []
    if parents is not None:
        refs = [parents] if isinstance(parents, str) else parents
        if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
            raise ConfigError("'extends' must be a preset name, a path, or a list of them",
                              file=layer.name, line=layer.lines.get(("extends",)))
        for ref in refs:
            try:
                parent, is_preset = _locate(ref, relative_to=real.parent)
            except ConfigError as exc:
                raise exc.located(layer.name, layer.lines.get(("extends",))) from None
            if parent.resolve() in seen + (real,):
                raise ConfigError("'extends' loops back to a file already being read",
                                  file=layer.name, line=layer.lines.get(("extends",)),
                                  hint=f"'{ref}' extends, directly or not, this file")
            name = f"preset:{parent.stem}" if is_preset else _shown_path(parent)
            layers.extend(_file_layers(parent, name, seen + (real,)))
    layers.append(layer)
    return layers


def _shown_path(path: Path) -> str:
    # Relative to the working folder when that is shorter, as a user would type it.
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if len(rel) < len(str(path)) else str(path)


def set_layer(assignments: list[str]) -> Layer:
    """A layer from ``--set key.path=value`` items; values are YAML-typed (``3``, ``true``, ``[1, 2]``)."""
    data: dict = {}
    lines: dict = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set needs key.path=value, got '{item}'",
                              hint="e.g. --set figure.dpi=300 or --set panels.1.title=Parallelism")
        try:
            value = parse_yaml(raw, "--set")[0] if raw.strip() else ""
        except ConfigError as exc:
            if "too many" in exc.what or "unsafe" in exc.what:
                raise exc.located("--set") from None
            value = raw   # not YAML (e.g. `title=Run: 1`): the text as typed
        path = tuple(int(p) if p.isdigit() else p for p in key.strip().split("."))
        if any(p == "" for p in path):
            raise ConfigError(f"--set {key}: empty part in the key path",
                              hint="e.g. --set panels.1.title=Parallelism")
        if _wants_text(path) and value is not None and not isinstance(value, str):
            value = raw   # `--set figure.suptitle=Run: 1` means the text, not a mapping
        _assign(data, path, value)
        lines[path] = None
    return Layer(name="--set", data=data, lines=lines)


def _wants_text(path: Path_) -> bool:
    from .docs import field_at

    spec = field_at(tuple(p for p in path if p != "*"))
    if spec is None:
        return False
    # schema.py uses postponed annotations, so field types are their source text
    return str(spec.type) in ("str", "str | None")


def _assign(data: dict, path: Path_, value) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set {'.'.join(map(str, path))}: '{part}' is already a value")
    node[path[-1]] = value


# ---------------------------------------------------------------------------- merging

def _defaults() -> dict:
    return to_mapping(Config())


def merge_layers(layers: list[Layer]) -> tuple[dict, dict]:
    """Deep-merge layers over the defaults; return the merged data and key path -> (source, line)."""
    merged = _defaults()
    origin: dict = {}
    _record(origin, merged, (), (DEFAULT_SOURCE, None))
    template = _PanelTemplate()
    for layer in layers:
        _merge(merged, layer.data, (), layer, origin, template)
    return merged, origin


@dataclass
class _PanelTemplate:
    """What ``panels.*`` layers set so far: applied to existing panels and to panels made later."""

    data: dict = field(default_factory=dict)
    origin: dict = field(default_factory=dict)   # path inside a panel -> (source, line)

    def add(self, value: dict, layer: Layer) -> None:
        """Remember a ``panels.*`` mapping and where each of its keys was set."""
        _deep_update(self.data, value)
        for rel in _leaf_paths(value):
            self.origin[rel] = layer.where(("panels", "*") + rel)

    def new_panel(self, origin: dict, index: int) -> dict:
        """A fresh panel: the panel defaults with the template over them (origins recorded)."""
        panel = to_mapping(PanelStyle())
        _deep_update(panel, self.data)
        _record(origin, panel, ("panels", index), (DEFAULT_SOURCE, None))
        for rel, where in self.origin.items():
            origin[("panels", index) + rel] = where
        return panel


def _leaf_paths(value, path: Path_ = ()) -> list:
    if isinstance(value, dict) and value:
        return [p for key, sub in value.items() for p in _leaf_paths(sub, path + (key,))]
    return [path]


def _record(origin: dict, value, path: Path_, where) -> None:
    """Record where every key path under ``value`` came from; ``where`` is a (source, line)
    pair, or a function of the key path giving one."""
    origin[path] = where(path) if callable(where) else where
    if isinstance(value, dict):
        for key, sub in value.items():
            _record(origin, sub, path + (key,), where)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _record(origin, sub, path + (index,), where)


def _record_layer(origin: dict, explicit, path: Path_, layer: Layer) -> None:
    # Only the keys the layer wrote get its location; defaults filled in around them
    # (a new panel's unset options) stay "default".
    _record(origin, explicit, path, layer.where)


def _forget(origin: dict, path: Path_) -> None:
    # A replaced value drops the sources of whatever it replaced.
    n = len(path)
    for key in [k for k in origin if len(k) > n and k[:n] == path]:
        del origin[key]


def _merge(base: dict, over: Mapping, path: Path_, layer: Layer, origin: dict,
           template: _PanelTemplate | None = None) -> None:
    template = template or _PanelTemplate()
    for key, value in over.items():
        sub = path + (key,)
        if key == "panels" and path == () and isinstance(value, dict):
            _merge_panels(base, value, layer, origin, template)
            continue
        if sub == ("rc",) and isinstance(value, dict) and isinstance(base.get(key), dict):
            # rcParams are flat dotted names; `--set rc.font.size=8` arrives nested.
            for name, item in _flat_keys(value).items():
                base[key][name] = copy.deepcopy(item)
                exact = sub + (name,)
                origin[exact] = layer.where(exact if exact in layer.lines
                                            else sub + tuple(name.split(".")))
            origin.setdefault(sub, layer.where(sub))
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value, sub, layer, origin)
            origin.setdefault(sub, layer.where(sub))
            continue
        _forget(origin, sub)
        if key == "panels" and path == () and isinstance(value, list):
            # A new panel list: each panel starts from the panel defaults and `panels.*`.
            base[key] = []
            for index, item in enumerate(value):
                panel = template.new_panel(origin, index)
                if isinstance(item, dict):
                    _deep_update(panel, item)
                    base[key].append(panel)
                else:
                    base[key].append(copy.deepcopy(item))   # reported by validation
            origin[sub] = layer.where(sub)
            for index, item in enumerate(value):
                _record_layer(origin, item, sub + (index,), layer)
            continue
        base[key] = copy.deepcopy(value)
        _record(origin, base[key], sub, (DEFAULT_SOURCE, None))
        _record_layer(origin, value, sub, layer)


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
        if origin.get(("panels", index), (DEFAULT_SOURCE,))[0] == DEFAULT_SOURCE:
            origin[("panels", index)] = layer.where(("panels", key))


# ---------------------------------------------------------------------------- validation

@dataclass
class Problems:
    """Validation problems collected while building a Config (all of them, not only the first)."""

    origin: dict
    errors: list[ConfigError] = field(default_factory=list)

    def add(self, path: Path_, what: str, hint: str | None = None) -> None:
        """Record a problem at a key path, located at the file and line that set it."""
        source, line = self.origin.get(path, (None, None))
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.origin:
                source, line = self.origin[path[:cut]]
                break
        shown = None if source == DEFAULT_SOURCE else source
        self.errors.append(ConfigError(what, file=shown, line=line, hint=hint))

    def in_file_order(self) -> list[ConfigError]:
        """The problems grouped by file (first seen first), each file's in line order."""
        files: dict = {}
        for error in self.errors:
            files.setdefault(error.file, len(files))
        return sorted(self.errors, key=lambda e: (files[e.file], e.line or 0))


def closest(value: str, options) -> list[str]:
    """The option a typo most likely meant (a case-insensitive match first), as a 0- or 1-item list."""
    options = [str(o) for o in options]
    same = [o for o in options if o.lower() == value.lower()]
    return same[:1] or difflib.get_close_matches(value, options, n=1)


def dotted(path: Path_) -> str:
    """``("panels", 0, "title")`` -> ``panels[0].title``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "<top>"


def _type_name(tp) -> str:
    return getattr(tp, "__name__", str(tp)).replace("typing.", "")


def build(cls, data, path: Path_, problems: Problems, smoothing_base: dict | None = None):
    """Validate a nested mapping against a section class and construct it (problems are collected)."""
    if not isinstance(data, dict):
        problems.add(path, f"{dotted(path)} must be a mapping, not {type(data).__name__}")
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    for key in data:
        if key not in known:
            close = closest(str(key), known)
            where = f" in {dotted(path)}" if path else ""
            problems.add(path + (key,), f"unknown key '{key}'{where}",
                         f"did you mean '{close[0]}'?" if close else
                         "known keys: " + ", ".join(known))
    values = {}
    for name, spec in known.items():
        if name not in data:
            continue
        sub = path + (name,)
        value = data[name]
        if cls is PanelStyle and name == "smoothing" and value is not None:
            if not isinstance(value, dict):
                problems.add(sub, f"{dotted(sub)} must be a mapping of smoothing options")
                continue
            merged = dict(smoothing_base or to_mapping(SmoothingSpec()))
            merged.update(value)
            values[name] = build(SmoothingSpec, merged, sub, problems)
            continue
        values[name] = _coerce(hints[name], value, sub, spec.metadata, problems, smoothing_base)
    try:
        return cls(**{k: v for k, v in values.items() if v is not _INVALID})
    except TypeError as exc:  # pragma: no cover - the checks above cover every field
        problems.add(path, str(exc))
        return cls()


_INVALID = object()


def _coerce(tp, value, path: Path_, meta: Mapping, problems: Problems, smoothing_base=None):
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _coerce(options[0], value, path, meta, problems, smoothing_base)
        if str in options and isinstance(value, str):   # e.g. delta: 'auto' or a number
            if value != "auto":
                problems.add(path, f"{dotted(path)}: '{value}' is not allowed",
                             "allowed: 'auto' or a number")
                return _INVALID
            return value
        number = [a for a in options if a is not str][0]
        return _coerce(number, value, path, meta, problems, smoothing_base)
    if is_dataclass(tp):
        return build(tp, value, path, problems, smoothing_base)
    if origin is tuple:
        item_type = args[0]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            problems.add(path, f"{dotted(path)} must be a list")
            return _INVALID
        if is_dataclass(item_type):
            return tuple(build(item_type, item, path + (i,), problems, smoothing_base)
                         for i, item in enumerate(items))
        out = tuple(_coerce(item_type, item, path + (i,), meta, problems) for i, item in enumerate(items))
        return _INVALID if _INVALID in out else out
    if origin in (collections.abc.Mapping, dict) or tp in (dict, Mapping):
        if not isinstance(value, dict):
            problems.add(path, f"{dotted(path)} must be a mapping")
            return _INVALID
        if meta.get("kind") == "rc":
            return _validate_rc(value, path, problems)
        value_type = args[1] if len(args) == 2 else Any
        out = {}
        for key, item in value.items():
            out[str(key)] = item if value_type is Any else _coerce(value_type, item, path + (key,),
                                                                  {}, problems)
        return out
    return _scalar(tp, value, path, meta, problems)


def _scalar(tp, value, path: Path_, meta: Mapping, problems: Problems):
    name = dotted(path)
    if tp is bool:
        if not isinstance(value, bool):
            problems.add(path, f"{name}: {value!r} is not true or false")
            return _INVALID
        return value
    if tp in (int, float):
        if isinstance(value, str):
            value = _number_text(value)   # YAML 1.1 reads `1e21` as text
        if isinstance(value, float) and not math.isfinite(value):
            problems.add(path, f"{name}: {value!r} is not a finite number")
            return _INVALID
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.add(path, f"{name}: {value!r} is not a number",
                         f"expected {'an integer' if tp is int else 'a number'}")
            return _INVALID
        if tp is int:
            if float(value) != int(value):
                problems.add(path, f"{name}: {value!r} is not a whole number")
                return _INVALID
            value = int(value)
        else:
            value = float(value)
        low, high = meta.get("min"), meta.get("max")
        too_low = low is not None and (value <= low if meta.get("min_open") else value < low)
        if too_low or (high is not None and value > high):
            lo = "" if low is None else (f"> {low:g}" if meta.get("min_open") else f">= {low:g}")
            hi = "" if high is None else f"<= {high:g}"
            problems.add(path, f"{name}: {value:g} is out of range",
                         "allowed: " + " and ".join(p for p in (lo, hi) if p))
            return _INVALID
        return value
    if tp is str:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not meta.get("choices"):
            value = str(value)
        if not isinstance(value, str):
            problems.add(path, f"{name}: {value!r} is not text")
            return _INVALID
        choices = meta.get("choices")
        if choices and value not in choices:
            close = closest(value, choices)
            problems.add(path, f"{name}: '{value}' is not allowed",
                         (f"did you mean '{close[0]}'? " if close else "") + "choose one of: "
                         + ", ".join(choices))
            return _INVALID
        kind = meta.get("kind")
        if kind == "color" and not _is_color(value):
            problems.add(path, f"{name}: '{value}' is not a colour",
                         "use a name (red, tab:blue), #rrggbb or C0..C9")
            return _INVALID
        registry = _registry(kind)
        if registry is not None and value not in registry:
            what = {"method": "smoothing method", "format": "input format"}[kind]
            close = closest(value, registry)
            problems.add(path, f"{name}: unknown {what} '{value}'",
                         (f"did you mean '{close[0]}'? " if close else "") + "choose one of: "
                         + ", ".join(registry))
            return _INVALID
        return value
    if tp is Any:
        return value
    problems.add(path, f"{name}: unsupported value {value!r} ({_type_name(tp)})")  # pragma: no cover
    return _INVALID


def _number_text(text: str):
    try:
        return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
    except ValueError:
        return text


def _registry(kind: str | None):
    # Options whose allowed values are the entries of a registry (read when validating).
    if kind == "method":
        from ..choices import SMOOTHING_METHODS as METHODS
        return METHODS
    if kind == "format":
        from ..io import FORMATS
        return FORMATS
    return None


def _is_color(value: str) -> bool:
    from matplotlib.colors import is_color_like
    return is_color_like(value)


def _flat_keys(value: Mapping, prefix: str = "") -> dict:
    out = {}
    for key, item in value.items():
        if isinstance(item, dict):
            out.update(_flat_keys(item, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = item
    return out


def _validate_rc(value: dict, path: Path_, problems: Problems):
    # `--set rc.lines.linewidth=2` nests; rcParams are flat dotted names.
    value = _flat_keys(value)
    from matplotlib import RcParams, rcParams
    checked = RcParams()
    for key, item in value.items():
        if any(key == r or (r.endswith(".") and key.startswith(r)) for r in RC_REFUSED):
            problems.add(path + (key,), f"rc: '{key}' is not a style setting",
                         "rlplot draws headless and chooses where files go")
            continue
        if key not in rcParams:
            close = closest(str(key), rcParams)
            problems.add(path + (key,), f"rc: unknown matplotlib rcParam '{key}'",
                         f"did you mean '{close[0]}'?" if close else None)
            continue
        try:
            checked[key] = item
        except (ValueError, TypeError) as exc:
            reason = re.sub(r"^Key [^:]*: ", "", str(exc))
            problems.add(path + (key,), f"rc.{key}: {item!r} is not allowed: {reason}")
    return dict(value)


# ---------------------------------------------------------------------------- public

@dataclass(frozen=True)
class LoadedConfig:
    """The effective config, and where each key path's value came from."""

    config: Config
    origin: dict


def resolve(layers: list[Layer]) -> tuple[Config, Problems]:
    """Merge layers and validate; return the Config (invalid values left at defaults) and the problems."""
    merged, origin = merge_layers(layers)
    problems = Problems(origin)
    _resolve_style_paths(merged, origin, layers)
    # A panel's smoothing starts from the *validated* top-level smoothing, so a problem
    # there is reported once, at its own line, not again under every panel.
    base = build(SmoothingSpec, merged.get("smoothing"), ("smoothing",), Problems({}))
    config = build(Config, merged, (), problems, smoothing_base=to_mapping(base))
    _check_whole(config, problems)
    return config, problems


# rcParams that are not about how a figure looks (or that would reach outside the figure).
RC_REFUSED = ("backend", "backend_fallback", "interactive", "webagg.", "savefig.directory",
              "tk.", "macosx.", "toolbar", "figure.raise_window", "keymap.")


def _resolve_style_paths(merged: dict, origin: dict, layers: list[Layer]) -> None:
    # A relative .mplstyle path in a config file means: next to that file.
    files = {layer.name: layer.file for layer in layers if layer.file}
    styles = merged.get("style")
    if isinstance(styles, str):
        styles = merged["style"] = [styles]
    if not isinstance(styles, list):
        return
    for index, item in enumerate(styles):
        source = origin.get(("style", index), origin.get(("style",), (None,)))[0]
        if isinstance(item, str) and source in files and not Path(item).is_absolute():
            near = Path(files[source]).parent / item
            if near.is_file():
                styles[index] = str(near.resolve())


def _check_style(name: str, path: Path_, problems: Problems) -> None:
    import matplotlib.style

    if name in ("default", "classic") or name in matplotlib.style.available:
        return
    if "://" in name:
        problems.add(path, f"{dotted(path)}: '{name}': styles from URLs are not loaded",
                     "download the .mplstyle file and give its path")
    elif name.endswith(".mplstyle"):
        if not Path(name).is_file():
            problems.add(path, f"{dotted(path)}: no style file '{name}'",
                         "a relative path is read next to the config file, else in the working folder")
    else:
        close = difflib.get_close_matches(name, matplotlib.style.available, n=1)
        problems.add(path, f"{dotted(path)}: unknown matplotlib style '{name}'",
                     f"did you mean '{close[0]}'?" if close else
                     "use a style name (see matplotlib.style.available) or a .mplstyle path")


def _check_whole(config: Config, problems: Problems) -> None:
    # Rules that involve more than one option, or values that the types cannot express.
    if not config.panels:
        problems.add(("panels",), "panels: at least one panel is needed")
    for index, panel in enumerate(config.panels):
        if not panel.metric:
            where = ("panels", index, "metric")
            if problems.origin.get(where, (DEFAULT_SOURCE,))[0] == DEFAULT_SOURCE:
                where = ("panels", index)
            problems.add(where, f"panels[{index}] has no metric",
                         "set panels.N.metric to a column name or a role (accuracy, parallelism)")
        if panel.y_min is not None and panel.y_max is not None and panel.y_min >= panel.y_max:
            problems.add(("panels", index, "y_max"), f"panels[{index}]: y_min {panel.y_min:g} is not "
                         f"below y_max {panel.y_max:g}")
    if not config.output.formats:
        problems.add(("output", "formats"), "output.formats: at least one format is needed",
                     "e.g. [png] or [png, pdf]")
    fig = config.figure
    if fig.rows and fig.cols and fig.rows * fig.cols < len(config.panels):
        problems.add(("figure", "rows"), f"figure.rows × figure.cols = {fig.rows}×{fig.cols} is too "
                     f"small for {len(config.panels)} panels", "raise rows or cols, or leave one unset")
    if fig.x_min is not None and fig.x_max is not None and fig.x_min >= fig.x_max:
        problems.add(("figure", "x_max"), f"figure: x_min {fig.x_min:g} is not below x_max {fig.x_max:g}")
    for index, name in enumerate(config.style):
        _check_style(name, ("style", index), problems)
    for section, dpi in (("figure", fig.dpi), ("output", config.output.dpi)):
        if dpi and max(fig.width, fig.height) * dpi > MAX_FIGURE_PIXELS:
            problems.add((section, "dpi"), f"{section}.dpi {dpi} × {max(fig.width, fig.height):g} in "
                         f"makes a {max(fig.width, fig.height) * dpi:,.0f}-pixel side",
                         f"at most {MAX_FIGURE_PIXELS:,} pixels a side: lower the dpi or the size")


def validate_refs(refs, sets=()) -> list[ConfigError]:
    """Every problem of each config reference (layered over the defaults on its own), in order."""
    found: list[ConfigError] = []
    for ref in refs:
        try:
            _, problems = resolve(config_layers([ref], sets))
        except ConfigError as exc:
            if exc.file is None:
                exc.file = ref
            found.append(exc)
            continue
        found.extend(problems.in_file_order())
    return found


def load_config(configs: list[str] = (), sets: list[str] = (),
                overrides: Mapping | None = None) -> LoadedConfig:
    """Build the effective config from ``-c`` references, ``--set`` items and CLI overrides.

    Raises the first ``ConfigError`` found; ``validate_refs`` reports all of them.
    """
    layers = config_layers(configs, sets, overrides)
    config, problems = resolve(layers)
    if problems.errors:
        first, *rest = problems.in_file_order()
        if rest:   # still one line: say that there is more, and where to see it all
            more = f"{len(rest)} more problem{'s' if len(rest) > 1 else ''}: rlplot config validate"
            first.hint = f"{first.hint}; {more}" if first.hint else more
        raise first
    return LoadedConfig(config, problems.origin)


def config_layers(configs=(), sets=(), overrides: Mapping | None = None) -> list[Layer]:
    """All layers in order: each ``-c`` (with its ``extends``), then ``--set``, then CLI flags."""
    layers: list[Layer] = []
    for ref in configs:
        layers.extend(file_layers(ref))
    if sets:
        layers.append(set_layer(list(sets)))
    if overrides:
        layers.append(Layer(name="command line", data=dict(overrides)))
    return layers


def to_mapping(section) -> Any:
    """A config section as plain YAML-ready data (tuples become lists)."""
    if is_dataclass(section):
        return {f.name: to_mapping(getattr(section, f.name)) for f in fields(section)}
    if isinstance(section, (list, tuple)):
        return [to_mapping(item) for item in section]
    if isinstance(section, Mapping):
        return {key: to_mapping(value) for key, value in section.items()}
    return section
