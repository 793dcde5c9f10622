"""Safe YAML: text to data with a bounded expanded size, and the line of every key.

Only ``yaml.safe_load``-level constructs are accepted; nothing in a config is ever
evaluated. The node graph is composed and measured before any Python object is built,
so alias bombs and unsafe tags never get that far.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import ConfigError
from .paths import KeyPath, dotted

# PyYAML is imported where it is used: a render without a config file never loads it.
MAX_EXPANDED_NODES = 100_000        # YAML alias bombs expand past this quickly


def parse_yaml(text: str, name: str) -> tuple[Any, dict]:
    """Safely parse YAML text named ``name``; return the data and a map of key path -> line."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        _count_nodes(node, MAX_EXPANDED_NODES, name)
        lines: dict = {}
        _key_lines(node, (), lines, name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, name) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"YAML error: {exc}", file=name) from None
    except RecursionError:
        raise ConfigError("YAML is nested too deeply", file=name) from None
    except TypeError as exc:   # e.g. a list used as a mapping key
        raise ConfigError(f"YAML error: {exc}", file=name) from None
    finally:
        loader.dispose()
    return data, lines


def _marked_error(exc: yaml.MarkedYAMLError, name: str) -> ConfigError:
    import yaml

    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = f", column {mark.column + 1}" if mark else ""
    if isinstance(exc, yaml.constructor.ConstructorError) or "python/" in str(exc):
        tag = re.search(r"tag '([^']*)'", str(exc))
        shown = f" '{tag.group(1).replace('tag:yaml.org,2002:', '!!')}'" if tag else ""
        return ConfigError(f"unsafe or unknown YAML tag{shown}{column}", file=name, line=line,
                           hint="only plain YAML is allowed; nothing was run")
    what = (exc.problem or exc.context or "invalid YAML").strip()
    return ConfigError(f"YAML syntax error{column}: {what}", file=name, line=line)


def _count_nodes(node, budget: int, file: str) -> None:
    import yaml

    # Aliases re-use nodes, so walking the composed graph counts the expanded size
    # without building it: a billion-laughs file stops here after ~100k steps.
    # The walk is iterative so that deep nesting cannot exhaust the Python stack.
    stack = [node]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            raise ConfigError("YAML expands to too many values (an alias bomb?)", file=file,
                              hint=f"a config may hold at most {MAX_EXPANDED_NODES} values")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _key_of(node):
    import yaml

    # The key as safe_load builds it (`0:` is the int 0, `on:` is True), so that line
    # numbers are found under the same path as the data.
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":str"):
        return getattr(node, "value", None)
    try:
        return yaml.safe_load(node.value)
    except yaml.YAMLError:
        return node.value


def _key_lines(node, path: KeyPath, out: dict, name: str) -> None:
    import yaml

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
