"""Text generated from the schema: the starter config, ``config show`` YAML and ``docs/config.md``.

Everything here reads the option declarations in ``schema.py`` and the registries
they name; nothing repeats them. ``python -m rlplot.config.docs`` rewrites the files.
"""
from __future__ import annotations

import types
import typing
from dataclasses import Field, fields, is_dataclass
from typing import Iterator, Mapping

from ..markdown import md_table
from ..registry import Registry
from .emit import emit, flow, valued_paths
from .paths import DEFAULT_SOURCE, KeyPath, nearest
from .presets import preset_description, preset_names
from .schema import (SEED_PANELS, Config, PanelStyle, SmoothingSpec, default_of, field_at, field_types,
                     range_text, section_of, to_mapping)

REFERENCE_PATH = "docs/config.md"
OPTION_HEADER = ("option", "type", "default", "allowed", "what it does")

STARTER_HEADER = [
    "rlplot style config: every option at its default. Delete what you do not change.",
    "",
    "Use it with: rlplot render run.jsonl -c THIS_FILE.yaml -o run.png",
    "Start from a preset instead with `extends: paper` (see: rlplot config list).",
    "Lists replace; `panels: {1: {title: ...}}` changes one panel. Reference: docs/config.md",
]

DEFAULT_PRESET_HEADER = [
    "The seed chart: exactly what `rlplot render` draws with no config (every option spelled out).",
    "",
    "Generated from rlplot/config/schema.py by `python -m rlplot.config.docs`; a test keeps it in sync.",
]

INTRO = (
    "A config is a YAML file of the sections below. Layers, lowest first: built-in defaults < "
    "`extends:` (a preset name or a path, chained) < each `-c/--config FILE` in order < "
    "`--set key.path=value` < the dedicated flags of `rlplot render` (`--x`, `--y`, `--smooth`, "
    "`--frac`, `--ema-weight`, `--dpi`, `--width`, `--height`). Mappings merge key by key; "
    "lists replace, except that `panels.N.…` (or `panels: {N: {…}}` in a file) changes panel N "
    "only, and `panels.*.…` (`panels: {'*': {…}}`) changes every panel: the panels defined so "
    "far and the ones later layers create (`-c paper --y kl` keeps paper's marker sizes; a "
    "later layer's own panel keys still win). "
    "`rlplot config show --sources` prints the result and where each value came from; "
    "`rlplot config validate FILE` lists every problem; `rlplot config init` writes a "
    "commented starter.")


def type_text(tp) -> str:
    """A short human name of a declared type (``number``, ``list of text``, ``integer or null``)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return " or ".join(type_text(a) for a in rest) + " or null"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_text(a) for a in args)
    if origin is tuple:
        return f"list of {type_text(args[0])}" if not is_dataclass(args[0]) else "list of panels"
    if tp in (dict, Mapping) or origin in (dict, Mapping, typing.Mapping) or \
            getattr(origin, "__name__", "") == "Mapping":
        return "mapping"
    if is_dataclass(tp):
        return "section"
    return {float: "number", int: "integer", bool: "true/false", str: "text"}.get(tp, str(tp))


def allowed_text(spec: Field) -> str:
    """What values an option accepts, from its declared choices, range or kind."""
    meta = spec.metadata
    if meta.get("choices"):
        return ", ".join(str(c) for c in meta["choices"])
    if meta.get("kind") == "color":
        return "a matplotlib colour"
    if meta.get("kind") == "rc":
        return "rcParams (checked by matplotlib)"
    text = range_text(meta)
    if str(spec.type).endswith("| str"):   # e.g. delta: 'auto' or a number (see validate._union)
        return f"auto, or a number {text}".rstrip()
    return text


# ---------------------------------------------------------------------------- starter and show

def _help_lines(path: KeyPath) -> list[str]:
    spec = field_at(path)
    if spec is None or isinstance(path[-1], int):
        return []
    text = spec.metadata.get("help", "")
    allowed = allowed_text(spec)
    if allowed and not is_dataclass(default_of(spec)):
        text = f"{text} [{allowed}]"
    return [text] if text else []


def starter_yaml(header: list[str]) -> str:
    """A commented config holding every option at its default (``config init``, ``default.yaml``)."""
    lines = [f"# {h}" if h else "#" for h in header]
    return "\n".join(lines) + "\n\n" + emit(to_mapping(Config()), above=_help_lines)


def show_yaml(config: Config, origin: Mapping | None = None) -> str:
    """The effective config as YAML; with ``origin``, each value ends with ``# <where it came from>``."""
    data = to_mapping(config)
    if origin is None:
        return emit(data)

    def source(path: KeyPath) -> str:
        name, line = nearest(origin, path, (DEFAULT_SOURCE, None))
        return f"{name}:{line}" if line else name

    leaves = valued_paths(data)
    return emit(data, comment=lambda p: source(p) if p in leaves else None)


# ---------------------------------------------------------------------------- docs/config.md

def _options(cls, prefix: str) -> Iterator[tuple[str, Field, object]]:
    # (shown name, declaration, type) of each row of a section's table: sub-sections with a
    # section default expand into their own rows; the panel list and a panel's smoothing do not.
    for spec in fields(cls):
        name, tp = f"{prefix}{spec.name}", field_types(cls)[spec.name]
        section = section_of(tp)
        if section is not None and section is not PanelStyle and is_dataclass(default_of(spec)):
            yield from _options(section, f"{name}.")
        else:
            yield name, spec, tp


def _row(name: str, spec: Field, tp) -> list[str]:
    section, default = section_of(tp), default_of(spec)
    if section is SmoothingSpec and default is None:
        shown = "null (the top-level `smoothing`)"
    elif section is PanelStyle:
        shown = "the two seed panels (below)"
    else:
        shown = f"`{flow(to_mapping(default))}`"
    return [f"`{name}`", type_text(tp), shown, allowed_text(spec), spec.metadata.get("help", "")]


def _table(options: list[tuple[str, Field, object]]) -> list[str]:
    lines = md_table(OPTION_HEADER, [_row(*option) for option in options])
    for name, spec, _ in options:   # each list a registry offers, with its help
        registry = spec.metadata.get("choices")
        if isinstance(registry, Registry):
            lines += ["", f"Choices of `{name}`:", ""]
            lines += md_table(("choice", "what it means"),
                              [(f"`{c.name}`", c.help) for c in registry.choices()])
    return lines


def _panels_part() -> list[str]:
    seed = [{k: v for k, v in to_mapping(p).items() if v != to_mapping(PanelStyle())[k]}
            for p in SEED_PANELS]
    return ["A list; each item is one panel, drawn left to right, then top to bottom "
            "(`figure.rows`/`figure.cols` set the grid).", "",
            *_table(list(_options(PanelStyle, "panels[N]."))), "",
            "`panels[N].smoothing` takes the keys of the `smoothing` section; the keys "
            "it leaves out come from the top-level `smoothing`.", "",
            "The default panels (the seed chart):", "",
            "```yaml\n" + emit({"panels": seed}).rstrip() + "\n```"]


def reference_markdown() -> str:
    """The configuration reference page (``docs/config.md``), generated from the schema."""
    parts = ["# Configuration reference", "",
             "<!-- Generated from rlplot/config/schema.py by `python -m rlplot.config.docs`. "
             "Do not edit by hand: tests/config/test_docs.py fails when this page is stale. -->", "",
             INTRO, ""]
    for spec in fields(Config):
        tp = field_types(Config)[spec.name]
        section = section_of(tp)
        parts += [f"## `{spec.name}`: {spec.metadata.get('help', '')}", ""]
        if section is PanelStyle:
            parts += _panels_part()
        elif section is not None:
            parts += _table(list(_options(section, f"{spec.name}.")))
        else:
            parts += _table([(spec.name, spec, tp)])
        parts.append("")
    parts += ["## Presets", "",
              "Use a preset by name (`-c paper`, `extends: paper`); they ship inside the package. "
              "`rlplot config list` prints this table.", ""]
    parts += md_table(("preset", "description"), [(f"`{n}`", preset_description(n)) for n in preset_names()])
    parts.append("")
    return "\n".join(parts)


def main(argv=None) -> int:
    """``python -m rlplot.config.docs [--check]``: rewrite (or check) docs/config.md and configs/default.yaml."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    targets = {root / REFERENCE_PATH: reference_markdown(),
               root / "configs" / "default.yaml": starter_yaml(DEFAULT_PRESET_HEADER)}
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = [str(p) for p, text in targets.items()
             if not p.is_file() or p.read_text(encoding="utf-8") != text]
    if check:
        for path in stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
