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
import os
from dataclasses import dataclass
from typing import Callable, Mapping

from ..data import Notice
from ..errors import InputError
from .config_values import (TRACKER_KEYS, ConfigValue, PlainDataLoader, RunConfig, RunListing,
                            TrackerRun, config_value, flatten_config, load_json, load_yaml,
                            mlflow_params, unwrap_wandb_config, value_from_text)

__all__ = ["CONFIG_FILES", "CONFIG_LEVELS", "ConfigFile", "ConfigValue", "PlainDataLoader",
           "RunConfig", "RunListing", "TRACKER_KEYS", "TrackerRun", "config_value",
           "flatten_config", "load_json", "load_yaml", "mlflow_params", "read_run_config",
           "unwrap_wandb_config", "value_from_text"]

# The log's folder, its parent and grandparent: a run folder, its experiment, its sweep.
CONFIG_LEVELS = 3


def _is_wandb_config(tree: Mapping) -> bool:
    entries = [v for k, v in tree.items() if k not in TRACKER_KEYS]
    return "wandb_version" in tree or (bool(entries) and all(
        isinstance(v, Mapping) and "value" in v and set(v) <= {"value", "desc"} for v in entries))


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
