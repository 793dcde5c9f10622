"""Block YAML with comments, for configs people read: ``config init``, ``config show``, the docs.

PyYAML writes the values (``flow``); the layout, blank lines between sections and
comments are laid out here, which PyYAML's emitter cannot do.
"""
from __future__ import annotations

from typing import Callable, Mapping

import yaml

from .paths import KeyPath


def flow(value) -> str:
    """One value as single-line YAML (``null``, ``3.5``, ``'1e3'``, ``[a, b]``, ``{}``)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10 ** 9, allow_unicode=True,
                          sort_keys=False).rstrip("\n")
    if text.endswith("\n..."):
        text = text[:-4]
    return text


def emit(data: Mapping, comment: Callable[[KeyPath], str | None] = lambda p: None,
         above: Callable[[KeyPath], list[str]] = lambda p: []) -> str:
    """Block YAML of nested data, with an end-of-line comment and comment lines above each key."""
    out: list[str] = []
    _emit_mapping(data, (), 0, out, comment, above, first_prefix=None)
    return "\n".join(out) + "\n"


def valued_paths(data, path: KeyPath = ()) -> set:
    """The key paths ``emit`` writes a value on (a list of mappings is written key by key)."""
    out = set()
    if isinstance(data, dict) and data:
        for key, value in data.items():
            out |= valued_paths(value, path + (key,))
    elif _is_block_list(data):
        for index, value in enumerate(data):
            out |= valued_paths(value, path + (index,))
    else:
        out.add(path)
    return out


def _is_block_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and v for v in value)


def _line(text: str, note: str | None) -> str:
    return f"{text}  # {note}" if note else text


def _emit_mapping(data, path, indent, out, comment, above, first_prefix):
    # `first_prefix` is the "  - " that opens a list item on the line of its first key;
    # that key's comment lines go above the dash.
    pad = " " * indent
    for n, (key, value) in enumerate(data.items()):
        sub = path + (key,)
        lead = first_prefix if (n == 0 and first_prefix is not None) else pad
        if indent == 0 and n:
            out.append("")   # a blank line between top-level sections
        for text in above(sub):
            out.append(f"{' ' * (len(lead) - 2) if lead is first_prefix else pad}# {text}")
        name = flow(key)
        if isinstance(value, dict) and value:
            out.append(_line(f"{lead}{name}:", comment(sub)))
            _emit_mapping(value, sub, indent + 2, out, comment, above, None)
        elif _is_block_list(value):
            out.append(_line(f"{lead}{name}:", comment(sub)))
            for index, item in enumerate(value):
                _emit_mapping(item, sub + (index,), indent + 4, out, comment, above,
                              first_prefix=" " * (indent + 2) + "- ")
        else:
            out.append(_line(f"{lead}{name}: {flow(value)}", comment(sub)))
