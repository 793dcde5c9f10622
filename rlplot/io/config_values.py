"""What trackers list and run configurations hold, as plain data: ``TrackerRun``, ``RunListing``,
``RunConfig``, flattened keys, values read from text, and YAML/JSON read safely.

The readers of each tracker (``io.mlflow``, ``io.wandb_run``, ``io.wandb_log``) and the
config finder (``io.hparams``) all build on this module; it imports none of them.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Union

import yaml

from ..data import Notice
from ..errors import InputError
from .json_reader import dotted_items

ConfigValue = Union[str, float, int, bool]

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
    return {name: "{}" if isinstance(value, Mapping) else config_value(value)
            for name, value in dotted_items(tree, prefix)}


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
