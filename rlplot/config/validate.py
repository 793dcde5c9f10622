"""Validating merged config data against the schema, one option at a time, into a ``Config``.

Every problem is collected (not only the first) and located at the file and line
that set the value. Rules that involve several options live in ``rules``.
"""
from __future__ import annotations

import collections.abc
import math
import re
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Mapping

from ..errors import ConfigError
from ..registry import Registry, closest, unknown_hint
from .paths import DEFAULT_SOURCE, KeyPath, dotted, dotted_keys, nearest
from .schema import PanelStyle, SmoothingSpec, field_types, range_text, to_mapping

# rcParams that are not about how a figure looks (or that would reach outside the figure).
RC_REFUSED = ("backend", "backend_fallback", "interactive", "webagg.", "savefig.directory",
              "tk.", "macosx.", "toolbar", "figure.raise_window", "keymap.")

_INVALID = object()   # a value that was reported: its option keeps its default


def input_formats() -> Mapping:
    """The input-format registry (``data.format``), read when a value is validated: it imports the readers."""
    from ..io.registry import FORMATS
    return FORMATS


@dataclass
class Problems:
    """Validation problems collected while building a Config (all of them, not only the first)."""

    origin: dict
    errors: list[ConfigError] = field(default_factory=list)

    def add(self, path: KeyPath, what: str, hint: str | None = None) -> None:
        """Record a problem at a key path, located at the file and line that set it."""
        source, line = nearest(self.origin, path, (None, None))
        shown = None if source == DEFAULT_SOURCE else source
        self.errors.append(ConfigError(what, file=shown, line=line, hint=hint))

    def in_file_order(self) -> list[ConfigError]:
        """The problems grouped by file (first seen first), each file's in line order."""
        files: dict = {}
        for error in self.errors:
            files.setdefault(error.file, len(files))
        return sorted(self.errors, key=lambda e: (files[e.file], e.line or 0))


def build(cls, data, path: KeyPath, problems: Problems, smoothing_base: dict | None = None):
    """Validate a nested mapping against a section class and construct it (problems are collected).

    ``smoothing_base`` is the top-level smoothing (plain data) that a panel's smoothing
    keys are laid over.
    """
    if not isinstance(data, dict):
        problems.add(path, f"{dotted(path)} must be a mapping, not {type(data).__name__}")
        return cls()
    hints = field_types(cls)
    known = {f.name: f for f in fields(cls)}
    for key in data:
        if key not in known:
            close = closest(str(key), known)
            where = f" in {dotted(path)}" if path else ""
            problems.add(path + (key,), f"unknown key '{key}'{where}",
                         f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known))
    values = {}
    for name, spec in known.items():
        if name not in data:
            continue
        sub, value = path + (name,), data[name]
        if cls is PanelStyle and name == "smoothing" and value is not None:
            values[name] = _panel_smoothing(value, sub, problems, smoothing_base)
        else:
            values[name] = _coerce(hints[name], value, sub, spec.metadata, problems, smoothing_base)
    return cls(**{k: v for k, v in values.items() if v is not _INVALID})


def _panel_smoothing(value, path: KeyPath, problems: Problems, smoothing_base: dict | None):
    if not isinstance(value, dict):
        problems.add(path, f"{dotted(path)} must be a mapping of smoothing options")
        return _INVALID
    merged = dict(smoothing_base or to_mapping(SmoothingSpec()))
    merged.update(value)
    return build(SmoothingSpec, merged, path, problems)


def _coerce(tp, value, path: KeyPath, meta: Mapping, problems: Problems, smoothing_base=None):
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _union(args, value, path, meta, problems, smoothing_base)
    if is_dataclass(tp):
        return build(tp, value, path, problems, smoothing_base)
    if origin is tuple:
        return _items(args[0], value, path, meta, problems, smoothing_base)
    if origin in (collections.abc.Mapping, dict) or tp in (dict, Mapping):
        if not isinstance(value, dict):
            problems.add(path, f"{dotted(path)} must be a mapping")
            return _INVALID
        if meta.get("kind") == "rc":
            return _rc(value, path, problems)
        value_type = args[1] if len(args) == 2 else Any
        return {str(key): item if value_type is Any else
                _coerce(value_type, item, path + (key,), {}, problems) for key, item in value.items()}
    if tp is bool:
        return _boolean(value, path, problems)
    if tp in (int, float):
        return _number(tp, value, path, meta, problems)
    if tp is str:
        return _text(value, path, meta, problems)
    return value   # Any


def _union(args, value, path: KeyPath, meta: Mapping, problems: Problems, smoothing_base):
    if value is None and type(None) in args:
        return None
    options = [a for a in args if a is not type(None)]
    if len(options) == 1:
        return _coerce(options[0], value, path, meta, problems, smoothing_base)
    if str in options and isinstance(value, str):   # delta: 'auto' or a number; provenance: its choices
        if value not in (meta.get("choices") or ("auto",)):
            problems.add(path, f"{dotted(path)}: '{value}' is not allowed", "allowed: 'auto' or a number"
                         if not meta.get("choices") else unknown_hint(value, ["true", "false",
                                                                              *meta["choices"]]))
            return _INVALID
        return value
    number = [a for a in options if a is not str][0]
    return _coerce(number, value, path, meta, problems, smoothing_base)


def _items(item_type, value, path: KeyPath, meta: Mapping, problems: Problems, smoothing_base):
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.add(path, f"{dotted(path)} must be a list")
        return _INVALID
    if is_dataclass(item_type):
        return tuple(build(item_type, item, path + (i,), problems, smoothing_base)
                     for i, item in enumerate(items))
    out = tuple(_coerce(item_type, item, path + (i,), meta, problems) for i, item in enumerate(items))
    return _INVALID if _INVALID in out else out


def _boolean(value, path: KeyPath, problems: Problems):
    if not isinstance(value, bool):
        problems.add(path, f"{dotted(path)}: {value!r} is not true or false")
        return _INVALID
    return value


def _number(tp, value, path: KeyPath, meta: Mapping, problems: Problems):
    name = dotted(path)
    if isinstance(value, str):
        value = _number_text(value)   # YAML 1.1 reads `1e21` as text
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(path, f"{name}: {value!r} is not a finite number")
        return _INVALID
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(path, f"{name}: {value!r} is not a number",
                     f"expected {'an integer' if tp is int else 'a number'}")
        return _INVALID
    if tp is int and float(value) != int(value):
        problems.add(path, f"{name}: {value!r} is not a whole number")
        return _INVALID
    value = int(value) if tp is int else float(value)
    low, high = meta.get("min"), meta.get("max")
    too_low = low is not None and (value <= low if meta.get("min_open") else value < low)
    if too_low or (high is not None and value > high):
        problems.add(path, f"{name}: {value:g} is out of range", "allowed: " + range_text(meta))
        return _INVALID
    return value


def _number_text(text: str):
    try:
        return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
    except ValueError:
        return text


def _text(value, path: KeyPath, meta: Mapping, problems: Problems):
    name, choices, kind = dotted(path), meta.get("choices"), meta.get("kind")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not choices:
        value = str(value)
    if not isinstance(value, str):
        problems.add(path, f"{name}: {value!r} is not text")
        return _INVALID
    if kind == "color" and not _is_color(value):
        problems.add(path, f"{name}: '{value}' is not a colour",
                     "use a name (red, tab:blue), #rrggbb or C0..C9")
        return _INVALID
    if kind == "input-format":
        choices = input_formats()
    if choices and value not in choices:
        problems.add(path, *_unknown(name, value, choices, kind))
        return _INVALID
    return value


def _unknown(name: str, value: str, choices, kind: str | None) -> tuple[str, str]:
    # One wording for every list of choices a registry declares, as Registry.check words it:
    # "unknown <what> 'value'"; the schema's own short lists (markers, line styles) are "not allowed".
    if isinstance(choices, Registry):
        return f"{name}: unknown {choices.what} '{value}'", unknown_hint(value, choices)
    if kind == "input-format":
        return f"{name}: unknown input format '{value}'", unknown_hint(value, choices)
    return f"{name}: '{value}' is not allowed", unknown_hint(value, choices)


# Colours matplotlib surely accepts, recognised without importing it (~0.2 s, before any log is
# read): hex, 'C0'..., grey levels, the base and Tableau names. Anything else asks matplotlib.
_PLAIN_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|C[0-9]+")
_NAMED_COLORS = frozenset("b g r c m y k w white black red green blue cyan magenta yellow gray grey "
                          "orange purple brown pink olive navy".split()) | \
    frozenset(f"tab:{name}" for name in "blue orange green red purple brown pink gray grey olive "
                                         "cyan".split())


def _is_color(value: str) -> bool:
    if value in _NAMED_COLORS or _PLAIN_COLOR.fullmatch(value) or _grey_level(value):
        return True
    from matplotlib.colors import is_color_like
    return is_color_like(value)


def _grey_level(value: str) -> bool:
    # matplotlib reads a string holding a number in [0, 1] as a grey level.
    try:
        return 0.0 <= float(value) <= 1.0 and value.strip() == value and value[:1].isdigit()
    except ValueError:
        return False


def _rc(value: dict, path: KeyPath, problems: Problems) -> dict:
    # `--set rc.lines.linewidth=2` nests; rcParams are flat dotted names.
    value = dotted_keys(value)
    if not value:   # the default: nothing for matplotlib to check (its import is ~0.2 s)
        return value
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
    return value
