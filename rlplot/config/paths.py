"""Key paths into a config (``("panels", 0, "title")``) and where their values came from.

Every config module names an option by its key path; this module owns how a path is
printed, how the nearest recorded ancestor of a path is found, and how nested
mappings flatten into paths. It imports nothing from the rest of the package.
"""
from __future__ import annotations

from typing import Any, Mapping, TypeVar

KeyPath = tuple               # a key path such as ("panels", 0, "title")
Where = tuple                 # (source name, line number or None): where a value was set
DEFAULT_SOURCE = "default"    # the source name of built-in defaults

T = TypeVar("T")


def dotted(path: KeyPath) -> str:
    """``("panels", 0, "title")`` -> ``panels[0].title``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "<top>"


def nearest(table: Mapping[KeyPath, T], path: KeyPath, default: T) -> T:
    """The entry of ``path`` in ``table``, else of its nearest ancestor (down to ``()``), else ``default``."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in table:
            return table[path[:cut]]
    return default


def mapping_leaves(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """The key paths of the non-mapping values (and empty mappings) nested in ``value``."""
    if isinstance(value, dict) and value:
        return [p for key, sub in value.items() for p in mapping_leaves(sub, path + (key,))]
    return [path]


def dotted_keys(value: Mapping, prefix: str = "") -> dict:
    """A nested mapping flattened to dotted names: ``{lines: {width: 2}}`` -> ``{"lines.width": 2}``."""
    out = {}
    for key, item in value.items():
        if isinstance(item, dict):
            out.update(dotted_keys(item, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = item
    return out
