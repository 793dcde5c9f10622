"""Planning: every log (with ``--group-by``: every group of logs) -> one Job and its output
files, with collisions and outputs that escape or overwrite inputs refused before any work."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence

from ..choices import FIGURE_FORMATS
from ..errors import OutputError
from ..registry import unknown_hint
from .discovery import Discovered, FoundRun, RealPaths
from .naming import DEFAULT_NAME, GROUP_NAME, check_template, name_fields, output_base


@dataclass(frozen=True)
class Job:
    """One figure to render: its log (a group: its first member), its key (output path
    relative to the out dir, no extension) and the output files, one per format.

    A group job (``--group-by``) also has the group's name and every member log, sorted by
    path relative to the inputs' folder; they are drawn into one figure.
    """

    source: str
    relpath: str
    key: str
    outputs: tuple[str, ...]
    group: str | None = None
    members: tuple[str, ...] = ()
    member_relpaths: tuple[str, ...] = ()
    matched: bool = True   # False: a path --group-by does not match, a group of its own
    files: tuple[tuple[str, ...], ...] = ()   # per input: the files it is read from (default: itself)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every run this figure is drawn from, by address (``RunRef.address``)."""
        return self.members or (self.source,)

    @property
    def input_files(self) -> tuple[tuple[str, ...], ...]:
        """Per input, the files (or store folders) it is read from: what its hash covers."""
        return self.files or tuple((address,) for address in self.inputs)

    @property
    def shard_key(self) -> str:
        """What the shard is hashed from: the group name, so a group never splits across shards
        and adding a seed never moves it; else the run's relative path."""
        return f"group:{self.group}" if self.group is not None else self.relpath

    @property
    def where(self) -> str:
        """How messages name this job: the log, or ``group 'NAME'``."""
        return f"group '{self.group}'" if self.group is not None else self.source


def parse_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    """``"png,svg"`` or ``["png", "svg"]`` -> ``("png", "svg")``, validated, duplicates dropped."""
    items = formats.split(",") if isinstance(formats, str) else \
        [p for f in formats for p in f.split(",")]
    result = []
    for item in items:
        fmt = item.strip().lower().lstrip(".")
        if fmt not in FIGURE_FORMATS:
            raise OutputError(f"unknown output format '{item.strip()}'",
                              hint=unknown_hint(fmt, FIGURE_FORMATS))
        if fmt not in result:
            result.append(fmt)
    if not result:
        raise OutputError("no output format given", hint="e.g. --format png,pdf")
    return tuple(result)


def group_paths(discovered: Discovered, pattern) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Split the runs into groups by ``--group-by``: ``(name, matched, members)`` in name order.

    The name is what the specs say of each run as ``rlplot render`` sees it (a regex over
    ``RunRef.where``, a ``cfg:KEY`` of its config); a run they say nothing of is a group of its
    own, named by its relative path.
    """
    from ..runs.specs import group_label

    specs = (pattern,) if isinstance(pattern, str) else tuple(pattern)
    groups: dict[tuple[str, bool], list[str]] = {}
    for run in _runs(discovered):
        key = group_label(run.where or run.address, lambda run=run: _run_config(run), specs)
        if key is None:
            groups[(name_fields(run.address, discovered.root, run)["relpath"], False)] = [run.address]
        else:
            groups.setdefault((key, True), []).append(run.address)
    return [(name, matched, tuple(members)) for (name, matched), members in groups.items()]


def _runs(discovered: Discovered) -> tuple[FoundRun, ...]:
    """The discovered runs (a Discovered made of paths alone: each a log)."""
    return discovered.runs or tuple(discovered.run(path) for path in discovered.paths)


def _run_config(run: FoundRun) -> dict:
    """A run's config values (``cfg:`` group-by specs), read as ``rlplot render`` reads them."""
    from ..runs.configs import ref_config
    from ..runs.walk import run_at

    return dict(ref_config(run_at(run.address)).values)


def plan(discovered: Discovered, out_dir: str, *, formats: Sequence[str] = ("png",),
         template: str | None = None, group_by: str | None = None) -> list[Job]:
    """Map every log (or, with ``group_by``, every group of logs) to its outputs; refuse
    collisions and outputs that escape or overwrite inputs, before any work."""
    grouped = group_by is not None
    template = template or (GROUP_NAME if grouped else DEFAULT_NAME)
    check_template(template, grouped)
    formats = parse_formats(formats)
    root = discovered.root
    runs = {run.address: run for run in _runs(discovered)}
    units = group_paths(discovered, group_by) if grouped else \
        [(None, True, (path,)) for path in discovered.paths]
    out_real = os.path.realpath(out_dir)
    real = RealPaths()
    inputs = {real(f) for run in runs.values() for f in run.files}
    jobs, seen = [], {}
    for group, matched, members in units:
        path = members[0]
        key = output_base(template, path, root, group, runs[path])
        outputs = tuple(os.path.join(out_dir, *key.split("/")) + "." + fmt for fmt in formats)
        _check_outputs(outputs, out_real, inputs, real)
        _check_unique(key, f"group '{group}'" if grouped else path, seen, grouped)
        jobs.append(Job(source=path, relpath=runs[path].name, key=key,
                        outputs=outputs, group=group, matched=matched,
                        members=members if grouped else (),
                        member_relpaths=tuple(runs[p].name for p in members) if grouped else (),
                        files=tuple(runs[p].files for p in members)))
    return jobs


def _check_outputs(outputs: Sequence[str], out_real: str, inputs: set[str],
                   resolve=os.path.realpath) -> None:
    """Refuse an output that lands outside the out dir (``out_real``, resolved) or on an input log."""
    for out in outputs:
        real = resolve(out)
        if not real.startswith(out_real + os.sep):   # a symlinked sub-folder pointing away
            raise OutputError("output would be written outside --out-dir", file=out,
                              hint="a symbolic link in the output folder points elsewhere")
        if real in inputs:
            raise OutputError("output would overwrite an input", file=out,
                              hint="choose another --out-dir or --name")


def _check_unique(key: str, what: str, seen: dict[str, str], grouped: bool) -> None:
    """Refuse a second job with the output ``key``; ``seen`` maps keys so far to their job."""
    folded = key.casefold()   # runs differing only in case collide on macOS and Windows
    if folded in seen:
        if grouped:
            raise OutputError(f"two groups map to the same output '{key}': {seen[folded]} "
                              f"and {what}", hint="group names keep only letters, digits and "
                              "._=+- (the rest become '_'); change the --group-by regex or --name")
        raise OutputError(f"two runs map to the same output '{key}': {seen[folded]} and {what}",
                          hint="use a --name template with {relpath} or {parent}")
    seen[folded] = what
