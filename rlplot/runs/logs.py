"""The ``log`` run source: a log file in one of the input formats is a run (or several, for the
formats that hold several: a TensorBoard long export, a W&B panel export)."""
from __future__ import annotations

import os
from typing import Sequence

from ..data import Table
from ..names import STDIN, is_log_name
from .refs import FolderClaim, Found, RunRef, Wanted

# Files with a log's extension that a walk leaves alone: run configurations (read as
# configs, see io.hparams) and what trackers write beside a run's history.
NOT_LOGS = frozenset({"config.json", "params.json", "variant.json", "args.json",
                      "wandb-summary.json", "wandb-metadata.json", "wandb-events.jsonl",
                      "requirements.txt"})


def log_ref(path: str) -> RunRef:
    """The run (or runs) of one log file."""
    return RunRef(kind=LOGS.name, source=path, files=(path,), label_path=path)


class LogSource:
    """Log files: named on the command line (any name: the content decides the format) or
    found in a folder (by their extension)."""

    name = "log"

    def from_file(self, path: str) -> Found:
        return Found((log_ref(path),))

    def from_folder(self, folder: str, files: Sequence[str], dirs: Sequence[str]) -> FolderClaim | None:
        logs = [name for name in files if is_log_name(name) and name.lower() not in NOT_LOGS]
        if not logs:
            return None
        return FolderClaim(refs=tuple(log_ref(os.path.join(folder, name)) for name in logs),
                           files=frozenset(logs))

    def read(self, ref: RunRef, wanted: Wanted | None, strict: bool, format: str | None
             ) -> tuple[Table, ...]:
        # Big plain logs are read column-wise, only the wanted columns. When those do not
        # resolve, the error must still list every column: take them from a big log's
        # header, or else from a full tolerant read.
        from ..io import read_header, read_tables

        path = ref.source
        if wanted is None:
            return read_tables(path, format=format, strict=strict)
        tables = read_tables(path, format=format, strict=strict, columns=wanted.columns)
        if len(tables) == 1 and not wanted.found_in(tables[0]):
            head = read_header(path, format=format)
            if head is not None and not wanted.found_in(head):
                return (head,)
            tables = read_tables(path, format=format, strict=strict)
        return tables

    def config(self, ref: RunRef):
        from ..io.hparams import RunConfig, read_run_config

        return RunConfig({}) if ref.source == STDIN else read_run_config(ref.source)


LOGS = LogSource()
