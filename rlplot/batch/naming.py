"""Naming: ``--name`` templates -> output paths that can never leave the output folder.
"""
from __future__ import annotations

import os
import re
import string
from pathlib import PurePosixPath

from ..choices import FIGURE_FORMATS
from ..errors import OutputError
from ..names import strip_log_suffix
from .discovery import MAX_GROUP_NAME, TRACKER_STORES, FoundRun, relative_to_root, safe_name  # noqa: F401

NAME_FIELDS = ("stem", "name", "ext", "parent", "relparent", "relpath")   # what name_fields gives
GROUP_FIELD = "group"          # one more field with --group-by: the group's safe name
DEFAULT_NAME = "{relpath}"     # the default --name
GROUP_NAME = "{group}"         # the default --name with --group-by
# Line breaks and other control characters in a log's path never reach an output name:
# outputs are printed one per line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def name_fields(path: str, root: str, run: FoundRun | None = None) -> dict[str, str]:
    """The fields a ``--name`` template may use for one run (keys: ``NAME_FIELDS``); ``run``:
    how discovery named it (default: a log at ``path``).

    A log's stem drops its extension; a run folder (``PPO_1``) or a tracker run
    (``mlflow/cartpole/ppo-lr0.001``) has no extension: its stem is its name."""
    rel = PurePosixPath(run.name if run is not None else relative_to_root(path, root))
    is_log = run is None or run.is_log
    stem = strip_log_suffix(rel.name) if is_log else rel.name
    tracked = run is not None and run.kind in TRACKER_STORES   # parent: its experiment
    parent = (rel.parent.name or os.path.basename(root)) if tracked else \
        os.path.basename(os.path.dirname(os.path.abspath(path)))
    return {
        "stem": stem,                                             # metrics
        "name": rel.name,                                         # metrics.jsonl
        "ext": rel.name[len(stem):].lstrip("."),                  # jsonl
        "parent": parent,                                         # lr1e-3_seed1
        "relparent": rel.parent.as_posix(),   # sweep/lr1e-3_seed1 ('.' at the root)
        "relpath": (rel.parent / stem).as_posix(),                # sweep/lr1e-3_seed1/metrics
    }


def check_template(template: str, grouped: bool = False) -> None:
    """Refuse a ``--name`` template with unknown or malformed fields, before anything is read."""
    known = NAME_FIELDS + (GROUP_FIELD,) if grouped else NAME_FIELDS
    try:
        used = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise OutputError(f"bad --name template '{template}': {exc}",
                          hint="use {field} with fields " + ", ".join(known)) from None
    for item in used:
        if item == GROUP_FIELD and not grouped:
            raise OutputError("the field '{group}' in --name needs --group-by",
                              hint="e.g. --group-by 'lr([^_]+)_seed' --name '{group}'")
        if item not in known:
            raise OutputError(f"unknown field '{{{item}}}' in --name",
                              hint="fields: " + ", ".join("{%s}" % f for f in known))
    if not used:
        raise OutputError(f"--name '{template}' has no field, so every run would get the same name",
                          hint="e.g. --name '{group}'" if grouped else "e.g. --name '{parent}_{stem}'")


def output_base(template: str, path: str, root: str, group: str | None = None,
                run: FoundRun | None = None) -> str:
    """The output path (relative to the output folder, no extension) of one log or group
    (``path`` is then its first member; ``{group}`` is the group's safe name).

    Raises OutputError when the name is empty, absolute or climbs out with ``..``.
    """
    fields = name_fields(path, root, run)
    if group is not None:
        fields[GROUP_FIELD] = safe_name(group)
    name = _CONTROL.sub("_", template.format(**fields).replace("\\", "/"))
    for fmt in FIGURE_FORMATS:
        if name.lower().endswith("." + fmt):
            name = name[: -len(fmt) - 1]
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts or not parts:
        raise OutputError(f"--name gives '{name}', which is outside the output folder",
                          file=path, hint="a name must be a relative path without '..'")
    return "/".join(parts)
