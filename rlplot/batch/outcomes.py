"""What a job ends with: its status, its notes (rows, warnings, final values) and its outputs.

Plain frozen data, so it crosses process and machine boundaries and round-trips the manifest.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .planning import Job


class JobStatus(str, Enum):
    """How a job ended; compares equal to its text (``JobStatus.FAILED == "failed"``)."""

    RENDERED = "rendered"
    UP_TO_DATE = "up to date"
    FAILED = "failed"
    NOT_RUN = "not run"

    def __str__(self) -> str:   # the text in messages and f-strings, on every Python
        return self.value


RENDERED, UP_TO_DATE, FAILED, NOT_RUN = (JobStatus.RENDERED, JobStatus.UP_TO_DATE,
                                         JobStatus.FAILED, JobStatus.NOT_RUN)


@dataclass(frozen=True)
class PanelFinal:
    """The last smoothed value drawn in one panel (None: nothing finite to show)."""

    panel: str
    final: float | None


@dataclass(frozen=True)
class JobNotes:
    """What one rendered figure holds: rows read, warnings (the first few and the exact count),
    each panel's final value and, for a group, how many runs. Stored in the manifest."""

    rows: int | None = None
    warning_count: int | None = None
    warnings: tuple[str, ...] = ()
    final: tuple[PanelFinal, ...] = ()
    runs: int | None = None

    def to_json(self) -> dict:
        """The notes as plain JSON data (``runs`` only for a group)."""
        data = {"rows": self.rows, "warning_count": self.warning_count,
                "warnings": list(self.warnings),
                "final": [{"panel": f.panel, "final": f.final} for f in self.final]}
        if self.runs is not None:
            data["runs"] = self.runs
        return data

    @classmethod
    def from_json(cls, data) -> JobNotes | None:
        """Notes read back from a manifest entry; None when there are none."""
        if not isinstance(data, dict) or not data:
            return None
        final = [f for f in data.get("final") or () if isinstance(f, dict)]
        return cls(rows=data.get("rows"), warning_count=data.get("warning_count"),
                   warnings=tuple(str(w) for w in data.get("warnings") or ()),
                   final=tuple(PanelFinal(str(f.get("panel")), f.get("final")) for f in final),
                   runs=data.get("runs"))


@dataclass(frozen=True)
class Outcome:
    """The result of one job."""

    source: str
    key: str
    status: JobStatus
    written: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    error: str | None = None
    notes: JobNotes | None = None
    worker: int = 0                    # the process that rendered it
    group: str | None = None           # a group job: its name and member logs
    members: tuple[str, ...] = ()
    retries: int = 0                   # times it ran again because its worker died

    @property
    def label(self) -> str:
        """The log, or ``group 'NAME' (N runs)``, as progress lines and reports show it
        (a name with a line break or control character quoted, so it stays one line)."""
        if self.group is None:
            return printable(self.source)
        count = len(self.members)
        return f"group '{printable(self.group)}' ({count} run{'s' * (count != 1)})"


def printable(name: str) -> str:
    """``name`` itself, or quoted with escapes when it holds a control character."""
    return repr(name) if any(ord(ch) < 32 or ord(ch) == 127 for ch in name) else name


def outcome_of(job: Job, status: JobStatus, **fields) -> Outcome:
    """An Outcome for ``job``, carrying its group and members."""
    return Outcome(job.source, job.key, status, outputs=job.outputs, group=job.group,
                   members=job.members, **fields)
