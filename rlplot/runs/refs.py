"""What a run is before it is read: a ``RunRef`` (where it is, which source reads it) and what
finding runs produced (``Found``), plus the interface every run source implements.

A run source (``rlplot.choices.RUN_SOURCES``) is one entry: a log file, a folder of event
files, an MLflow store, a W&B run folder. Its implementation (the entry's target) answers
three questions, each in its own method: which runs a path or a folder holds
(``from_file``/``from_folder``), how one is read into Tables (``read``), and what its
configuration is (``config``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

from ..data import Notice, Table

# A run inside a store that holds several (an mlflow.db) is named ``<store>#<run id>``.
RUN_IN_STORE = "#"


@dataclass(frozen=True)
class RunRef:
    """One run, found but not read yet."""

    kind: str                          # its run source (rlplot.choices.RUN_SOURCES)
    source: str                        # shown in messages: the log, the run folder or the store
    files: tuple[str, ...] = ()        # what it is read from (event files; the log; the store)
    label_path: str = ""               # the path its automatic label comes from ("": use name)
    run_id: str | None = None          # the run's id inside a store
    name: str | None = None            # the tracker's name for it (its label)
    experiment: str = ""               # MLflow experiment, W&B project
    config: Mapping[str, Any] | None = None   # known when listed (tracker params); None: read on demand
    tracker: Any = field(default=None, compare=False)   # the io.hparams.TrackerRun it was listed as
    in_store: bool = False             # one of several runs of one file (an mlflow.db)
    found_in: str | None = None        # the folder a walk found it in; None: named as it is

    @property
    def where(self) -> str:
        """``source``, with ``[experiment/name]`` for a tracker run: messages and --group-by regexes see this."""
        if self.name is None:
            return self.source
        inside = f"{self.experiment}/{self.name}" if self.experiment else self.name
        return f"{self.source} [{inside}]"

    @property
    def address(self) -> str:
        """A path that names exactly this run as a command's input (``mlflow.db#<run id>`` inside a store)."""
        return f"{self.source}{RUN_IN_STORE}{self.run_id}" if self.in_store else self.source


@dataclass(frozen=True)
class Wanted:
    """The columns a figure needs from every run: as written, and every name they may be found under."""

    names: tuple[str, ...]             # the chosen x (if any) and each panel's metric
    columns: tuple[str, ...]           # those names and their role aliases (columns.needed_columns)
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def found_in(self, table: Table) -> bool:
        """Whether every name picks a usable column of ``table``."""
        from ..columns import resolves

        return resolves(table, self.names, self.aliases)


@dataclass(frozen=True)
class Found:
    """The runs some paths hold, in order, and what finding them noticed (empty folders, deleted runs)."""

    refs: tuple[RunRef, ...]
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class FolderClaim:
    """What a run source takes of one folder during a walk."""

    refs: tuple[RunRef, ...] = ()
    notices: tuple[Notice, ...] = ()
    whole: bool = False                # the folder is the source's (a store, a run folder): walk no further
    files: frozenset[str] = frozenset()   # file names it read (no other source takes them)
    dirs: frozenset[str] = frozenset()    # sub-folder names that hold no runs of their own (artifacts)


class RunSource(Protocol):
    """The implementation behind a ``RUN_SOURCES`` entry."""

    name: str

    def from_file(self, path: str) -> Found | None:
        """The runs of a file named on the command line, or None if the file is not this source's."""

    def from_folder(self, folder: str, files: Sequence[str], dirs: Sequence[str]) -> FolderClaim | None:
        """What this source takes of a folder being walked (``files``, ``dirs``: its entries' names)."""

    def read(self, ref: RunRef, wanted: Wanted | None, strict: bool, format: str | None
             ) -> tuple[Table, ...]:
        """The run's Tables. ``wanted`` limits the columns where reading fewer is cheaper (None:
        every column); a single Table that lacks a wanted name holds every column the run has,
        so that the error can list them."""

    def config(self, ref: RunRef):
        """The run's configuration (an ``io.hparams.RunConfig``)."""
