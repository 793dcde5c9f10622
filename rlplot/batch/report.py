"""The report: counts rendered / up to date / failed, owns the exit code, and writes the
Markdown and JSON summaries of a batch."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .._version import __version__
from ..markdown import md_cell, md_table
from .outcomes import FAILED, RENDERED, UP_TO_DATE, JobNotes, JobStatus, Outcome

_NO_NOTES = JobNotes()


@dataclass
class Report:
    """Every job's outcome in run order; counts them and decides the exit code."""

    outcomes: list[Outcome] = field(default_factory=list)
    total: int = 0
    shard: tuple[int, int] | None = None
    removed_leftovers: int = 0
    notices: list[str] = field(default_factory=list)   # what finding the runs skipped (a damaged store)

    def add(self, outcome: Outcome) -> None:
        """Add one finished job."""
        self.outcomes.append(outcome)

    def count(self, status: JobStatus) -> int:
        """How many jobs ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rendered(self) -> int:
        """Jobs rendered in this run."""
        return self.count(RENDERED)

    @property
    def up_to_date(self) -> int:
        """Jobs skipped because the manifest shows their outputs are current."""
        return self.count(UP_TO_DATE)

    @property
    def failed(self) -> int:
        """Jobs that failed."""
        return self.count(FAILED)

    @property
    def not_run(self) -> int:
        """Jobs never started (``--fail-fast`` stopped first)."""
        return self.total - len(self.outcomes)

    @property
    def retried(self) -> int:
        """Jobs that ran again because the worker running them died."""
        return sum(1 for o in self.outcomes if o.retries)

    @property
    def exit_code(self) -> int:
        """1 if anything failed, else 0."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """``182 rendered, 17 up to date, 1 failed`` (plus ``, 3 not run`` after --fail-fast
        and ``, 2 retried`` when workers died under jobs)."""
        text = f"{self.rendered} rendered, {self.up_to_date} up to date, {self.failed} failed"
        text += f", {self.not_run} not run" if self.not_run else ""
        return text + (f", {self.retried} retried" if self.retried else "")

    def by_key(self) -> list[Outcome]:
        """Outcomes sorted by output key (a stable order for reports)."""
        return sorted(self.outcomes, key=lambda o: o.key)

    def to_json(self) -> dict:
        """The report as plain JSON data."""
        return {"rlplot": __version__, "summary": self.summary(),
                "counts": {"rendered": self.rendered, "up_to_date": self.up_to_date,
                           "failed": self.failed, "not_run": self.not_run,
                           "retried": self.retried},
                "shard": list(self.shard) if self.shard else None,
                "notices": list(self.notices),
                "runs": [_run_json(o) for o in self.by_key()]}

    def to_markdown(self, relative_to: str = ".") -> str:
        """A Markdown table (run, status, rows, warnings, outputs, final value per panel);
        with groups, the first columns are the group and its number of runs. Output links
        are relative to the folder ``relative_to`` (where the report is written)."""
        panels: list[str] = []
        for outcome in self.outcomes:
            for item in (outcome.notes or _NO_NOTES).final:
                if item.panel not in panels:
                    panels.append(item.panel)
        grouped = any(o.group is not None for o in self.outcomes)
        head = (["group", "runs"] if grouped else ["run"]) + \
            ["status", "rows", "warnings", "outputs"] + [f"final {p}" for p in panels]
        rows = [_markdown_row(o, grouped, panels, relative_to) for o in self.by_key()]
        notes = ["", "**Skipped while finding runs:**", ""] + \
            [f"- {md_cell(text)}" for text in self.notices] if self.notices else []
        return "\n".join([f"**rlplot batch**: {self.summary()}", "", *md_table(head, rows),
                          *notes]) + "\n"


def _run_json(o: Outcome) -> dict:
    notes = (o.notes or _NO_NOTES).to_json()
    members = list(o.members or (o.source,))
    return {"run": o.source if o.group is None else o.group, "key": o.key,
            "status": str(o.status), "group": o.group, "members": members,
            "member_count": len(members), "outputs": list(o.outputs), "error": o.error,
            "retries": o.retries,
            "rows": notes["rows"], "warning_count": notes["warning_count"],
            "warnings": notes["warnings"], "final": notes["final"]}


def _markdown_row(o: Outcome, grouped: bool, panels: list[str], relative_to: str) -> list:
    notes = o.notes or _NO_NOTES
    finals = {item.panel: item.final for item in notes.final}
    failed = o.status == FAILED
    links = "" if failed else ", ".join(f"[{os.path.basename(p)}]({_link(p, relative_to)})"
                                        for p in o.outputs)
    who = [o.group, len(o.members)] if grouped else [o.source]
    return who + [f"failed: {o.error}" if failed else o.status,
                  _blank(notes.rows), _blank(notes.warning_count), links] + \
        [_number(finals.get(p)) for p in panels]


def _link(path: str, relative_to: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(relative_to or "."))
    return PurePosixPath(Path(rel)).as_posix().replace(" ", "%20").replace(")", "%29")


def _blank(value) -> object:
    return "" if value is None else value


def _number(value) -> str:
    return "" if value is None else f"{value:.4g}"
