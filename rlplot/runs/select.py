"""Which runs a figure takes (``runs.where``) and what grouping by config says about them.

Conditions are checked on the runs as found, before anything is read: a tracker run's
config is already listed, a run found as a file or folder reads only its config files.
"""
from __future__ import annotations

from typing import Sequence

from ..config.schema import Config
from ..data import Notice, Run
from .configs import ref_config, run_config
from .refs import RunRef
from .specs import check_group_by, config_key, missing_keys, parse_where, select


def configs_needed(config: Config) -> bool:
    """Whether grouping asks for config values (a ``cfg:`` spec in ``runs.group_by``)."""
    return any(config_key(spec) is not None for spec in config.runs.group_by)


def check_specs(config: Config) -> None:
    """Refuse malformed ``--group-by``/``--where`` before any run is read."""
    check_group_by(config.runs.group_by)
    for text in config.runs.where:
        parse_where(text)


def select_refs(refs: Sequence[RunRef], config: Config, labels: Sequence[str]
                ) -> tuple[list[RunRef], list[str], list[Notice]]:
    """The runs meeting every ``runs.where`` condition with their ``labels`` (each run's), and a
    notice per condition whose key some runs lack."""
    conditions = [parse_where(text) for text in config.runs.where]
    if not conditions:
        return list(refs), list(labels), []
    pairs = list(zip(refs, labels))
    configs: dict[int, dict] = {}

    def config_of(pair) -> dict:
        ref = pair[0]
        if id(ref) not in configs:
            configs[id(ref)] = dict(ref_config(ref).values)
        return configs[id(ref)]

    def field_of(pair, name: str):
        ref, label = pair
        return {"experiment": ref.experiment, "name": ref.name or label, "kind": ref.kind}[name]

    kept, notices = select(pairs, conditions, lambda pair: pair[1], field_of, config_of)
    if configs_needed(config):   # read once: grouping needs them again
        kept = [(ref if ref.config is not None else _with_config(ref, config_of((ref, label))), label)
                for ref, label in kept]
    return [ref for ref, _ in kept], [label for _, label in kept], notices


def _with_config(ref: RunRef, values: dict) -> RunRef:
    from dataclasses import replace

    return replace(ref, config=values)


def group_notices(runs: Sequence[Run], config: Config) -> list[Notice]:
    """One notice per ``cfg:`` group-by key that some runs lack (they are groups of their own)."""
    if not configs_needed(config):
        return []
    return missing_keys([(run.label, run_config(run)) for run in runs], config.runs.group_by)
