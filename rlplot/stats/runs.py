"""Runs -> cells: which runs are the seeds of which (algorithm, task), from two SPECs.

A SPEC names a run's algorithm or task. Today it is a regular expression searched in the
run's path, whose first capture group (or the group named ``group``, as ``--group-by``)
is the name; ``parse_spec`` is the one place that reads a SPEC, so other kinds
(``cfg:KEY`` once run configs are readable) are added there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..aggregate.groups import group_key
from ..data import Notice, Run
from ..errors import ConfigError, InputError

LEFT_OUT_SHOWN = 3     # paths named in the one notice about left-out runs


@dataclass(frozen=True)
class Spec:
    """How runs are named along one axis (algorithm or task): ``text`` as given, ``option``
    as messages name it (``--algo-by``)."""

    option: str
    text: str

    def name_of(self, run: Run) -> str | None:
        """The name this SPEC gives ``run``, or None when it does not match."""
        name = group_key(run.source, self.text)
        return name or None     # an empty capture names nothing


def parse_spec(text: str | None, option: str) -> Spec:
    """Check a SPEC (a path regex) once; a ConfigError names ``option`` and what is wrong."""
    if text is None or not str(text).strip():
        raise ConfigError(f"{option} is needed: a regex over the run paths whose first capture "
                          "group names the value", hint=f"e.g. {option} '^runs/([^/]+)/'")
    try:
        regex = re.compile(text)
    except re.error as exc:
        raise ConfigError(f"{option}: invalid regular expression ({exc})") from None
    if not regex.groups:
        raise ConfigError(f"{option} '{text}' has no capture group",
                          hint="put the part that names the value in (…), e.g. 'runs/([^/]+)/'")
    return Spec(option, str(text))


@dataclass(frozen=True)
class Cells:
    """Runs grouped as ``{(algorithm, task): runs}`` (first-seen order) and the runs left out."""

    cells: Mapping[tuple[str, str], tuple[Run, ...]]
    left_out: tuple[str, ...] = ()      # sources of the runs a SPEC did not match

    @property
    def notices(self) -> tuple[Notice, ...]:
        """One notice for every left-out run together (none when every run was placed)."""
        if not self.left_out:
            return ()
        shown = ", ".join(self.left_out[:LEFT_OUT_SHOWN])
        more = len(self.left_out) - LEFT_OUT_SHOWN
        shown += f" and {more} more" if more > 0 else ""
        runs = "1 run" if len(self.left_out) == 1 else f"{len(self.left_out)} runs"
        return (Notice(f"{runs} left out: --algo-by or --task-by does not match the path ({shown})"),)


def group_cells(runs: Sequence[Run], algo_by: Spec, task_by: Spec) -> Cells:
    """Group runs into cells; runs either SPEC does not match are left out (see ``Cells.notices``).

    Raises InputError when no run matches both.
    """
    cells: dict[tuple[str, str], list[Run]] = {}
    left_out: list[str] = []
    for run in runs:
        algorithm, task = algo_by.name_of(run), task_by.name_of(run)
        if algorithm is None or task is None:
            left_out.append(run.source)
            continue
        cells.setdefault((algorithm, task), []).append(run)
    if not cells:
        example = runs[0].source if runs else None
        raise InputError(f"no run matches both {algo_by.option} '{algo_by.text}' and "
                         f"{task_by.option} '{task_by.text}'", file=example,
                         hint="each regex is searched in the run's path; its first group names the value")
    return Cells({key: tuple(members) for key, members in cells.items()}, tuple(left_out))
