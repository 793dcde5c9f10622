"""Config layers: each ``-c`` file with its ``extends:`` chain, ``--set`` items, and CLI overrides.

Layers, lowest first: built-in defaults < ``extends:`` chain < each ``-c`` file <
``--set key.path=value`` < dedicated CLI flags. A layer is plain nested data plus the
line of each key; merging and validating them is ``merge`` and ``validate``'s job.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import ConfigError
from .paths import KeyPath, Where, nearest
from .presets import locate
from .safe_yaml import parse_yaml
from .schema import field_at

MAX_CONFIG_BYTES = 1 << 20          # a style file is a few KB; refuse anything huge
MAX_EXTENDS_DEPTH = 16              # files in one chain (a file, its parent, its parent's parent, …)
MAX_EXTENDS_FILES = 64              # distinct files one reference pulls in
MAX_EXTENDS_REFS = 1024             # `extends:` entries followed for one reference, repeats included


@dataclass
class Layer:
    """One source of settings: its nested data and where each key came from."""

    name: str
    data: dict
    lines: dict = field(default_factory=dict)   # key path -> line number in `name`
    file: str | None = None

    def where(self, path: KeyPath) -> Where:
        """The file (or source name) and line of a key path, walking up to the nearest known key."""
        return self.name, nearest(self.lines, path, None)


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


def file_layers(ref: str) -> list[Layer]:
    """The layers of one ``-c`` reference: its ``extends:`` chain first, then the file itself."""
    path, is_preset = locate(ref)
    walk = _ExtendsWalk()
    walk.visit(path, f"preset:{path.stem}" if is_preset else ref)
    return walk.layers


class _ExtendsWalk:
    """A depth-first walk of the ``extends:`` graph that reads each file once.

    Every file comes after what it extends. A base shared by two parents (a diamond)
    is applied once, where it is first reached; a file that extends one of the files
    still being read (a loop) is an error at its ``extends:`` line.
    """

    def __init__(self) -> None:
        self.layers: list[Layer] = []
        self.done: set[Path] = set()      # resolved paths whose layer is in `layers`
        self.open: list[Path] = []        # the chain being read, outermost first
        self.refs = 0

    def visit(self, path: Path, shown: str) -> None:
        """Read ``path`` (shown as ``shown``) after every file it extends."""
        real = path.resolve()
        if len(self.open) >= MAX_EXTENDS_DEPTH:
            raise ConfigError("'extends' chain is too deep", file=shown,
                              hint=f"at most {MAX_EXTENDS_DEPTH} files")
        layer = read_layer(path, shown)
        line = layer.lines.get(("extends",))
        self.open.append(real)
        for ref in _parent_refs(layer, layer.data.pop("extends", None)):
            parent, name = self._follow(ref, real, layer.name, line)
            if parent is not None:
                self.visit(parent, name)
        self.open.pop()
        self.done.add(real)
        self.layers.append(layer)

    def _follow(self, ref: str, real: Path, shown: str, line: int | None) -> tuple[Path | None, str]:
        # The parent file of one `extends:` entry and its shown name; None when it is already read.
        self.refs += 1
        if self.refs > MAX_EXTENDS_REFS:
            raise ConfigError("'extends' fans out too widely", file=shown, line=line,
                              hint=f"at most {MAX_EXTENDS_REFS} 'extends' entries in all")
        try:
            parent, is_preset = locate(ref, relative_to=real.parent)
        except ConfigError as exc:
            raise exc.located(shown, line) from None
        target = parent.resolve()
        if target in self.open:
            raise ConfigError("'extends' loops back to a file already being read", file=shown, line=line,
                              hint=f"'{ref}' extends, directly or not, this file")
        if target in self.done:
            return None, ""
        if len(self.done) + len(self.open) >= MAX_EXTENDS_FILES:
            raise ConfigError("'extends' pulls in too many files", file=shown, line=line,
                              hint=f"at most {MAX_EXTENDS_FILES} files")
        return parent, f"preset:{parent.stem}" if is_preset else _shown_path(parent)


def _parent_refs(layer: Layer, parents) -> list[str]:
    if parents is None:
        return []
    refs = [parents] if isinstance(parents, str) else parents
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ConfigError("'extends' must be a preset name, a path, or a list of them",
                          file=layer.name, line=layer.lines.get(("extends",)))
    return refs


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


def _wants_text(path: KeyPath) -> bool:
    spec = field_at(tuple(p for p in path if p != "*"))
    # schema.py uses postponed annotations, so declared types are their source text
    return spec is not None and str(spec.type) in ("str", "str | None")


def _assign(data: dict, path: KeyPath, value) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set {'.'.join(map(str, path))}: '{part}' is already a value")
    node[path[-1]] = value


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
