"""The experiment-tracker run sources: an MLflow store (``mlflow.db`` or ``mlruns/``) holds many
runs, a W&B run folder one. Each run is labelled by its tracker's run name; its params or
``config.yaml`` are its configuration (listed with the run, no extra read).
"""
from __future__ import annotations

import os
from typing import Sequence

from ..data import Table
from ..errors import ColumnError, InputError
from .refs import RUN_IN_STORE, FolderClaim, Found, RunRef, Wanted

MLFLOW_DATABASE = "mlflow.db"
MLFLOW_FILE_STORE = "mlruns"
MLFLOW_ARTIFACTS = "mlartifacts"    # beside an mlflow.db: artifacts, no runs of their own
WANDB_FOLDER = "wandb"


def _refs(kind: str, listing, in_store: bool, source_of, listed_at: str) -> Found:
    """A tracker's RunListing as RunRefs (its notices: deleted runs counted, folders skipped);
    ``source_of(run)``: the path a run is shown under; ``listed_at``: the store or folder listed."""
    refs = tuple(RunRef(kind=kind, source=source_of(run), files=(run.path,), run_id=run.run_id,
                        found_in=listed_at, name=run.name,
                        experiment=run.experiment, config=dict(run.config), tracker=run,
                        in_store=in_store)
                 for run in listing.runs)
    return Found(refs, tuple(listing.notices))


def _read_with_keys(read, ref: RunRef, wanted: Wanted | None) -> tuple[Table, ...]:
    """Read the wanted keys; when they do not resolve, every key (so the error lists them)."""
    if wanted is not None:
        try:
            table = read(wanted.columns)
        except ColumnError:
            pass                     # none of the wanted keys: read them all, for the message
        else:
            if wanted.found_in(table):
                return (table,)
    return (read(None),)


def _config(ref: RunRef):
    from ..io.hparams import RunConfig

    return RunConfig(dict(ref.config or {}), (ref.where,))


class MlflowSource:
    """MLflow's SQLite store and legacy file store (``io.mlflow``)."""

    name = "mlflow"

    def listing(self, path: str) -> Found:
        """Every live run of the store at ``path`` (an mlflow.db, mlruns/ or one of its folders)."""
        from ..io.mlflow import list_mlflow_runs, resolve_store

        # the SQLite store is one file for every run; a file-store run has its own folder
        kind, _ = resolve_store(path)
        return _refs(self.name, list_mlflow_runs(path), kind == "sqlite", lambda run: run.path, path)

    def from_file(self, path: str) -> Found | None:
        from ..io.magic import is_sqlite

        return self.listing(path) if is_sqlite(path) else None

    def run_at(self, address: str) -> Found | None:
        """The one run ``<store>#<run id>`` names, or None if ``address`` is not that form."""
        store, _, run_id = address.rpartition(RUN_IN_STORE)
        if not store or not os.path.isfile(store):
            return None
        found = self.listing(store)
        chosen = tuple(ref for ref in found.refs if ref.run_id == run_id)
        if not chosen:
            from ..registry import unknown_hint
            raise InputError(f"no live run '{run_id}' in the store", file=store,
                             hint=unknown_hint(run_id, [r.run_id for r in found.refs][:20]))
        return Found(chosen)

    def from_folder(self, folder: str, files: Sequence[str], dirs: Sequence[str]) -> FolderClaim | None:
        from ..io.mlflow.file_store import store_kind
        from ..io.magic import is_sqlite

        # Only a folder that can be one is asked (store_kind reads meta.yaml files): a run or
        # experiment folder has a meta.yaml, a file store's experiments have numeric names.
        maybe_store = ("meta.yaml" in files or os.path.basename(folder) == MLFLOW_FILE_STORE
                       or any(name.isdigit() for name in dirs))
        if maybe_store and store_kind(folder) is not None:
            found = self.listing(folder)
            return FolderClaim(found.refs, found.notices, whole=True)
        database = os.path.join(folder, MLFLOW_DATABASE)
        if MLFLOW_DATABASE in files and is_sqlite(database):
            found = self.listing(database)
            return FolderClaim(found.refs, found.notices, files=frozenset({MLFLOW_DATABASE}),
                               dirs=frozenset({MLFLOW_ARTIFACTS}))
        return None

    def read(self, ref: RunRef, wanted: Wanted | None, strict: bool, format: str | None
             ) -> tuple[Table, ...]:
        from ..io.mlflow import read_mlflow_run

        return _read_with_keys(lambda keys: read_mlflow_run(ref.source, ref.tracker, keys=keys,
                                                            strict=strict), ref, wanted)

    def config(self, ref: RunRef):
        return _config(ref)


class WandbSource:
    """W&B run folders, legacy (``wandb-history.jsonl``) and current (``run-*.wandb``)."""

    name = "wandb"

    def listing(self, path: str) -> Found:
        """Every run of a wandb/ folder, one run folder, or the run of a .wandb file."""
        from ..io.wandb_run import list_wandb_runs

        return _refs(self.name, list_wandb_runs(path), False, lambda run: run.source, path)

    def from_file(self, path: str) -> Found | None:
        return self.listing(path) if path.endswith(".wandb") else None

    def from_folder(self, folder: str, files: Sequence[str], dirs: Sequence[str]) -> FolderClaim | None:
        from ..io.wandb_run import RUN_FOLDER, is_run_folder

        holds_runs = (os.path.basename(os.path.normpath(folder)) == WANDB_FOLDER
                      and any(RUN_FOLDER.fullmatch(name) for name in dirs))
        if not (holds_runs or is_run_folder(folder)):
            return None
        found = self.listing(folder)
        return FolderClaim(found.refs, found.notices, whole=True)

    def read(self, ref: RunRef, wanted: Wanted | None, strict: bool, format: str | None
             ) -> tuple[Table, ...]:
        from ..io.wandb_run import read_wandb_run

        return _read_with_keys(lambda keys: read_wandb_run(ref.tracker, keys=keys, strict=strict),
                               ref, wanted)

    def config(self, ref: RunRef):
        return _config(ref)


MLFLOW = MlflowSource()
WANDB = WandbSource()
