"""A run's hyperparameters, from the files its tools write, as one flat ``{key: value}`` mapping.

Trackers and trainers each keep a run's configuration somewhere else: W&B in
``config.yaml`` (every value under a ``value:`` wrapper) or inside the ``.wandb`` log,
MLflow in ``params/`` (one file per key), Hydra in ``.hydra/config.yaml``, rl-zoo in
``args.yml``/``config.yml`` (one folder down, written with Python tags), and many scripts in
a ``config.json``, ``params.json``, ``variant.json`` or ``hparams.yaml``. ``read_run_config``
looks beside a log and up to ``CONFIG_LEVELS`` folders above it, nearest first. Nested keys
flatten with dots (``net.hidden``); YAML is only ever read with a safe loader.
"""
from __future__ import annotations

import glob
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Union

import yaml

from ..data import Notice
from ..errors import InputError

ConfigValue = Union[str, float, int, bool]

# The log's folder, its parent and grandparent: a run folder, its experiment, its sweep.
CONFIG_LEVELS = 3
# Keys a tracker adds to the configuration for itself.
TRACKER_KEYS = frozenset({"_wandb", "wandb_version"})


@dataclass(frozen=True)
class TrackerRun:
    """One run as an experiment tracker lists it, with its hyperparameters flattened."""

    source: str                            # the store or folder it was listed from
    path: str                              # where its metrics are: run folder, .wandb file, mlflow.db
    tracker: str                           # mlflow-sqlite, mlflow-files, wandb-jsonl, wandb-binary
    run_id: str
    name: str                              # the run's name: its label
    experiment: str = ""                   # MLflow experiment, W&B project
    config: Mapping[str, ConfigValue] = field(default_factory=dict)
    status: str = ""                       # as the tracker says: FINISHED, running, failed, ...
    lifecycle: str = "active"              # MLflow's lifecycle_stage


@dataclass(frozen=True)
class RunListing:
    """The runs found in a store or folder; deleted runs are left out and counted."""

    runs: tuple[TrackerRun, ...]
    deleted: int = 0
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class RunConfig:
    """A run's configuration, the files it came from, and what could not be read."""

    values: Mapping[str, ConfigValue]
    sources: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()


def config_value(value) -> ConfigValue:
    """One leaf as a plain value: numbers, text and booleans as they are, lists as JSON text."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if value is None:
        return "None"
    if isinstance(value, (list, tuple)):
        return json.dumps(value, default=str, allow_nan=True)
    return str(value)


def flatten_config(tree: Mapping, prefix: str = "") -> dict[str, ConfigValue]:
    """Flatten nested mappings to dotted keys: ``{"net": {"hidden": 64}}`` -> ``{"net.hidden": 64}``."""
    flat: dict[str, ConfigValue] = {}
    stack = [(prefix, iter(tree.items()))]     # a stack, not recursion: configs can nest deep
    while stack:
        base, items = stack[-1]
        for key, value in items:
            name = f"{base}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((f"{name}.", iter(value.items())))
                break
            flat[name] = "{}" if isinstance(value, Mapping) else config_value(value)
        else:
            stack.pop()
    return flat


_INT = re.compile(r"[-+]?\d+")
_BOOLS = {"true": True, "false": False}
_NON_FINITE = frozenset({"nan", "inf", "infinity"})


def value_from_text(text: str) -> ConfigValue:
    """A value stored as text (MLflow params) as the number or boolean it spells, else the text.

    ``"3"`` -> 3, ``"3e-4"`` -> 0.0003, ``"True"`` -> True, ``"[64, 64]"`` stays text; so does
    anything float() reads loosely (``"1_000"``) or that overflows (``"1e999"``).
    """
    stripped = text.strip()
    if _INT.fullmatch(stripped):
        return int(stripped)
    if stripped.lower() in _BOOLS:
        return _BOOLS[stripped.lower()]
    if "_" in stripped:
        return text
    try:
        number = float(stripped)
    except ValueError:
        return text
    if math.isfinite(number) or stripped.lower().lstrip("+-") in _NON_FINITE:
        return number
    return text


def unwrap_wandb_config(tree: Mapping) -> dict:
    """W&B's ``config.yaml``: ``{key: {desc: .., value: v}}`` -> ``{key: v}``, its own keys dropped."""
    plain = {}
    for key, entry in tree.items():
        if key in TRACKER_KEYS:
            continue
        plain[key] = entry["value"] if isinstance(entry, Mapping) and "value" in entry else entry
    return plain


def _is_wandb_config(tree: Mapping) -> bool:
    entries = [v for k, v in tree.items() if k not in TRACKER_KEYS]
    return "wandb_version" in tree or (bool(entries) and all(
        isinstance(v, Mapping) and "value" in v and set(v) <= {"value", "desc"} for v in entries))


# ---- YAML with Python tags, read as plain data ----------------------------------------

class PlainDataLoader(yaml.SafeLoader):
    """A SafeLoader that reads ``!!python/...`` tags as the plain data under them.

    rl-zoo writes ``config.yml`` with ``yaml.dump`` of an OrderedDict
    (``!!python/object/apply:collections.OrderedDict [[[key, value], ...]]``) and some
    scripts dump an ``argparse.Namespace``; this turns those into dicts, tuples into lists
    and names into text. No Python object is ever constructed.
    """


_SCALARS: dict[str, Callable[[str], object]] = {
    "int": int, "long": int, "float": float, "str": str, "unicode": str, "bytes": str,
    "bool": lambda text: text.strip().lower() in ("true", "yes", "on", "1"),
    "none": lambda text: None,
}


def _pairs_to_dict(items) -> dict | None:
    if isinstance(items, list) and all(isinstance(p, list) and len(p) == 2 for p in items):
        return {str(k): v for k, v in items}
    return None


def _python_tag(loader: PlainDataLoader, suffix: str, node: yaml.Node):
    kind, _, name = suffix.partition(":")
    if isinstance(node, yaml.ScalarNode):
        text = loader.construct_scalar(node)
        if kind in ("name", "module"):
            return name or text
        convert = _SCALARS.get(kind, str)
        try:
            return convert(text)
        except ValueError:
            return text
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        as_dict = _pairs_to_dict(items[0]) if len(items) == 1 else None   # apply:OrderedDict([pairs])
        return as_dict if as_dict is not None else items
    mapping = loader.construct_mapping(node, deep=True)
    for part in ("dictitems", "state"):       # object/apply in its long form
        if isinstance(mapping.get(part), dict):
            return mapping[part]
    if isinstance(mapping.get("args"), list) and len(mapping["args"]) == 1:
        as_dict = _pairs_to_dict(mapping["args"][0])
        if as_dict is not None:
            return as_dict
    return mapping


PlainDataLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


def load_yaml(path: str):
    """Parse a YAML file as plain data (python tags read as data); raise InputError if it is not YAML."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return yaml.load(fh, Loader=PlainDataLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"malformed YAML ({getattr(exc, 'problem', None) or exc})", file=path,
                         line=mark.line + 1 if mark is not None else None) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def load_json(path: str):
    """Parse a JSON file; raise InputError if it is not JSON."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return json.load(fh)
    except ValueError as exc:
        raise InputError(f"malformed JSON ({exc})", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


# ---- where each tool puts the configuration ------------------------------------------

def _mapping(tree, path: str) -> Mapping:
    if tree is None:
        return {}
    if not isinstance(tree, Mapping):
        raise InputError(f"holds a {type(tree).__name__}, not a mapping of settings", file=path)
    return tree


def _yaml_config(path: str) -> dict:
    tree = _mapping(load_yaml(path), path)
    return flatten_config(unwrap_wandb_config(tree) if _is_wandb_config(tree) else tree)


def _json_config(path: str) -> dict:
    return flatten_config(_mapping(load_json(path), path))


def mlflow_params(folder: str) -> dict[str, ConfigValue]:
    """An MLflow file-store run's ``params/`` folder: one file per key (``/`` in a key nests folders)."""
    values: dict[str, ConfigValue] = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            key = os.path.relpath(path, folder).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as fh:
                values[key] = value_from_text(fh.read())
    return dict(sorted(values.items()))


def _mlflow_params_config(path: str) -> dict:
    if not os.path.isfile(os.path.join(os.path.dirname(path), "meta.yaml")):
        raise LookupError   # a folder named params that is not an MLflow run's
    return mlflow_params(path)


def _wandb_log_config(path: str) -> dict:
    from .wandb_run import read_wandb_log_config   # needs the optional wandb package

    return dict(read_wandb_log_config(path))


@dataclass(frozen=True)
class ConfigFile:
    """Where a tool writes a run's configuration: a glob under the run's folder, and its reader."""

    pattern: str
    read: Callable[[str], dict]
    help: str
    fallback: bool = False   # read only when nothing listed before it was found at this level
    nearest_only: bool = False   # a subfolder pattern: above the log it would match sibling runs


# At one level every file found is read; where two set the same key, the one listed first wins.
CONFIG_FILES: tuple[ConfigFile, ...] = (
    ConfigFile("config.yaml", _yaml_config, "W&B run config (value: wrappers) or a plain YAML config"),
    ConfigFile("files/config.yaml", _yaml_config, "W&B run config in a current run folder"),
    ConfigFile("params", _mlflow_params_config, "MLflow file-store run parameters"),
    ConfigFile(".hydra/config.yaml", _yaml_config, "Hydra's composed config"),
    ConfigFile("config.yml", _yaml_config, "rl-zoo hyperparameters"),
    ConfigFile("args.yml", _yaml_config, "rl-zoo command-line arguments"),
    ConfigFile("*/config.yml", _yaml_config, "rl-zoo hyperparameters (in the <env> subfolder)",
               nearest_only=True),
    ConfigFile("*/args.yml", _yaml_config, "rl-zoo command-line arguments (in the <env> subfolder)",
               nearest_only=True),
    ConfigFile("config.json", _json_config, "a script's config (Spinning Up, many others)"),
    ConfigFile("params.json", _json_config, "a script's parameters"),
    ConfigFile("variant.json", _json_config, "rlkit's variant"),
    ConfigFile("hparams.yaml", _yaml_config, "PyTorch Lightning's hyperparameters"),
    ConfigFile("hparams.yml", _yaml_config, "hyperparameters"),
    ConfigFile("run-*.wandb", _wandb_log_config, "W&B config inside the transaction log (needs rlplot[wandb])",
               fallback=True),
)


def _read_level(folder: str, nearest: bool, notices: list[Notice]) -> tuple[dict, list[str]]:
    values: dict[str, ConfigValue] = {}
    sources: list[str] = []
    for entry in CONFIG_FILES:
        if (entry.fallback and sources) or (entry.nearest_only and not nearest):
            continue
        found = sorted(glob.glob(os.path.join(glob.escape(folder), entry.pattern)))
        if len(found) > 1:
            notices.append(Notice(f"{len(found)} files match '{entry.pattern}'; read none of them",
                                  file=folder))
            continue
        if not found:
            continue
        try:
            settings = entry.read(found[0])
        except LookupError:
            continue
        except InputError as exc:
            notices.append(Notice(f"config not read: {exc.what}" + (f" ({exc.hint})" if exc.hint else ""),
                                  file=exc.file or found[0], line=exc.line))
            continue
        sources.append(found[0])
        for key, value in settings.items():
            values.setdefault(key, value)
    return values, sources


def read_run_config(path: str, *, levels: int = CONFIG_LEVELS) -> RunConfig:
    """The configuration of the run that wrote ``path`` (a log file or a run folder).

    Looks in the folder and up to ``levels - 1`` folders above it and returns the nearest
    level that has any configuration; files that cannot be read become notices.
    """
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    folder = os.path.abspath(folder)
    notices: list[Notice] = []
    for level in range(levels):
        values, sources = _read_level(folder, level == 0, notices)
        if sources:
            return RunConfig(values, tuple(sources), tuple(notices))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return RunConfig({}, (), tuple(notices))
