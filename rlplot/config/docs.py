"""Text generated from the schema: the starter config, ``config show`` YAML and ``docs/config.md``.

Everything here reads the option declarations in ``schema.py``; nothing repeats them.
"""
from __future__ import annotations

import types
import typing
from dataclasses import MISSING, Field, fields, is_dataclass
from typing import Any, Callable, Mapping

import yaml

from .schema import Config, PanelStyle, SmoothingSpec

Path_ = tuple
REFERENCE_PATH = "docs/config.md"


# ---------------------------------------------------------------------------- schema lookups

def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _section_of(tp):
    """The dataclass inside a type (``X``, ``X | None``, ``tuple[X, ...]``), else None."""
    if is_dataclass(tp):
        return tp
    for arg in typing.get_args(tp):
        if is_dataclass(arg):
            return arg
    return None


def field_at(path: Path_) -> Field | None:
    """The declared option at a key path such as ``("panels", 0, "scatter", "color")``, else None."""
    cls: Any = Config
    spec = None
    for part in path:
        if isinstance(part, int):
            continue          # a list index: same item type
        if cls is None:
            return None
        known = {f.name: f for f in fields(cls)}
        if part not in known:
            return None
        spec = known[part]
        cls = _section_of(_hints(cls)[part])
    return spec


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
    kind = meta.get("kind")
    if kind == "color":
        return "a matplotlib colour"
    if kind == "method":
        from ..choices import SMOOTHING_METHODS as METHODS
        return ", ".join(METHODS)
    if kind == "rc":
        return "rcParams (checked by matplotlib)"
    low, high = meta.get("min"), meta.get("max")
    parts = []
    if low is not None:
        parts.append(f"> {low:g}" if meta.get("min_open") else f">= {low:g}")
    if high is not None:
        parts.append(f"<= {high:g}")
    text = " and ".join(parts)
    if str(spec.type).endswith("| str"):   # e.g. delta: 'auto' or a number (see loader._coerce)
        return f"auto, or a number {text}".rstrip()
    return text


def default_of(spec: Field):
    """The declared default value of an option (sections and factories built)."""
    if spec.default is not MISSING:
        return spec.default
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return None


# ---------------------------------------------------------------------------- YAML emitter

def flow(value) -> str:
    """One value as single-line YAML (``null``, ``3.5``, ``'1e3'``, ``[a, b]``, ``{}``)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10 ** 9, allow_unicode=True,
                          sort_keys=False).rstrip("\n")
    if text.endswith("\n..."):
        text = text[:-4]
    return text


def emit(data: Mapping, comment: Callable[[Path_], str | None] = lambda p: None,
         above: Callable[[Path_], list[str]] = lambda p: []) -> str:
    """Block YAML of nested data, with an end-of-line comment and comment lines above each key."""
    out: list[str] = []
    _emit_mapping(data, (), 0, out, comment, above, first_prefix=None)
    return "\n".join(out) + "\n"


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
        elif isinstance(value, list) and value and all(isinstance(v, dict) and v for v in value):
            out.append(_line(f"{lead}{name}:", comment(sub)))
            for index, item in enumerate(value):
                _emit_mapping(item, sub + (index,), indent + 4, out, comment, above,
                              first_prefix=" " * (indent + 2) + "- ")
        else:
            out.append(_line(f"{lead}{name}: {flow(value)}", comment(sub)))


# ---------------------------------------------------------------------------- starter and show

def _help_lines(path: Path_) -> list[str]:
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
    from .loader import to_mapping

    lines = [f"# {h}" if h else "#" for h in header]
    body = emit(to_mapping(Config()), above=_help_lines)
    return "\n".join(lines) + "\n\n" + body


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


def show_yaml(config, origin: Mapping | None = None) -> str:
    """The effective config as YAML; with ``origin``, each value ends with ``# <where it came from>``."""
    from .loader import to_mapping

    if origin is None:
        return emit(to_mapping(config))

    def source(path):
        for cut in range(len(path), 0, -1):
            if path[:cut] in origin:
                name, line = origin[path[:cut]]
                return f"{name}:{line}" if line else name
        return "default"

    data = to_mapping(config)
    leaves = _leaf_paths(data)
    return emit(data, comment=lambda p: source(p) if p in leaves else None)


def _leaf_paths(data, path=()) -> set:
    out = set()
    if isinstance(data, dict) and data:
        for key, value in data.items():
            out |= _leaf_paths(value, path + (key,))
    elif isinstance(data, list) and data and all(isinstance(v, dict) and v for v in data):
        for index, value in enumerate(data):
            out |= _leaf_paths(value, path + (index,))
    else:
        out.add(path)
    return out


# ---------------------------------------------------------------------------- docs/config.md

def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rows(cls, prefix: str) -> list[str]:
    rows = []
    hints = _hints(cls)
    for spec in fields(cls):
        name = f"{prefix}{spec.name}"
        section = _section_of(hints[spec.name])
        default = default_of(spec)
        if section is not None and section is not PanelStyle and is_dataclass(default):
            rows.extend(_rows(section, f"{name}."))
            continue
        if section is SmoothingSpec and default is None:
            shown = "null (the top-level `smoothing`)"
        elif section is PanelStyle:
            shown = "the two seed panels (below)"
        else:
            shown = f"`{flow(default)}`"
        rows.append(f"| `{name}` | {_cell(type_text(hints[spec.name]))} | {_cell(shown)} | "
                    f"{_cell(allowed_text(spec))} | {_cell(spec.metadata.get('help', ''))} |")
    return rows


def reference_markdown() -> str:
    """The configuration reference page (``docs/config.md``), generated from the schema."""
    from .loader import preset_description, preset_names, to_mapping
    from .schema import SEED_PANELS

    head = "| option | type | default | allowed | what it does |\n|---|---|---|---|---|"
    parts = [
        "# Configuration reference",
        "",
        "<!-- Generated from rlplot/config/schema.py by `python -m rlplot.config.docs`. "
        "Do not edit by hand: tests/test_config_docs.py fails when this page is stale. -->",
        "",
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
        "commented starter.",
        "",
    ]
    for spec in fields(Config):
        section = _section_of(_hints(Config)[spec.name])
        parts.append(f"## `{spec.name}`: {spec.metadata.get('help', '')}")
        parts.append("")
        if section is PanelStyle:
            parts.append("A list; each item is one panel, drawn left to right, then top to bottom "
                         "(`figure.rows`/`figure.cols` set the grid).")
            parts.append("")
            parts.append(head)
            parts.extend(_rows(PanelStyle, "panels[N]."))
            parts.append("")
            parts.append("`panels[N].smoothing` takes the keys of the `smoothing` section; the keys "
                         "it leaves out come from the top-level `smoothing`.")
            parts.append("")
            parts.append("The default panels (the seed chart):")
            parts.append("")
            seed = [{k: v for k, v in to_mapping(p).items() if v != to_mapping(PanelStyle())[k]}
                    for p in SEED_PANELS]
            parts.append("```yaml\n" + emit({"panels": seed}).rstrip() + "\n```")
        elif section is not None:
            parts.append(head)
            parts.extend(_rows(section, f"{spec.name}."))
        else:
            parts.append(head)
            parts.extend(_rows_single(spec))
        parts.append("")
    parts.append("## Presets")
    parts.append("")
    parts.append("Use a preset by name (`-c paper`, `extends: paper`); they ship inside the package. "
                 "`rlplot config list` prints this table.")
    parts.append("")
    parts.append("| preset | description |\n|---|---|")
    for name in preset_names():
        parts.append(f"| `{name}` | {_cell(preset_description(name))} |")
    parts.append("")
    return "\n".join(parts)


def _rows_single(spec: Field) -> list[str]:
    tp = _hints(Config)[spec.name]
    return [f"| `{spec.name}` | {_cell(type_text(tp))} | `{flow(to_plain(default_of(spec)))}` | "
            f"{_cell(allowed_text(spec))} | {_cell(spec.metadata.get('help', ''))} |"]


def to_plain(value):
    """Tuples as lists, for YAML output."""
    if isinstance(value, tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    return value


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
