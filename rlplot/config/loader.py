"""Loading configs, the public API: layers merged over the defaults, then validated into a ``Config``.

Layers, lowest first: built-in defaults < ``extends:`` chain < each ``-c`` file <
``--set key.path=value`` < dedicated CLI flags (see ``layers``); mappings merge
deeply, lists replace, ``panels.N`` addresses one panel (see ``merge``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..errors import ConfigError
from .layers import MAX_CONFIG_BYTES, Layer, config_layers
from .merge import merge_layers
from .presets import preset_description, preset_names
from .rules import check_config
from .schema import Config, SmoothingSpec, to_mapping
from .validate import Problems, build

# The CLI finds the presets here too (rlplot.cli.config); their home is `presets`.
__all__ = ["LoadedConfig", "MAX_CONFIG_BYTES", "load_config", "preset_description", "preset_names",
           "resolve", "validate_refs"]


@dataclass(frozen=True)
class LoadedConfig:
    """The effective config, and where each key path's value came from."""

    config: Config
    origin: dict


def resolve(layers: list[Layer]) -> tuple[Config, Problems]:
    """Merge layers and validate; return the Config (invalid values left at defaults) and the problems."""
    merged, origin = merge_layers(layers)
    problems = Problems(origin)
    # A panel's smoothing starts from the *validated* top-level smoothing, so a problem
    # there is reported once, at its own line, not again under every panel.
    base = build(SmoothingSpec, merged.get("smoothing"), ("smoothing",), Problems({}))
    config = build(Config, merged, (), problems, smoothing_base=to_mapping(base))
    check_config(config, problems)
    return config, problems


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
    config, problems = resolve(config_layers(configs, sets, overrides))
    if problems.errors:
        first, *rest = problems.in_file_order()
        if rest:   # still one line: say that there is more, and where to see it all
            more = f"{len(rest)} more problem{'s' if len(rest) > 1 else ''}: rlplot config validate"
            first.hint = f"{first.hint}; {more}" if first.hint else more
        raise first
    return LoadedConfig(config, problems.origin)
